//! The `cartctl` binary: parse the command line, load the config file, set up logging and the
//! runtime, run the command, print the error if any, and exit with the code the command
//! contract gives it.

mod cli;
mod commands;
mod logging;
mod render;
mod settings;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, parser::ValueSource};

use cartctl_aws::Error;
use cartctl_aws::sdk::AwsSettings;
use render::{Printer, Style, paint};
use settings::ConfigFile;

fn main() -> ExitCode {
    let matches = cli::Cli::command().get_matches();
    let cli = cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let g = &cli.global;
    let (color_out, color_err) = g.color.decide_for_streams();
    let fail = |e: Error| {
        eprintln!("{} {e}", paint("error:", Style::Red, color_err));
        ExitCode::from(e.exit_code())
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = match ConfigFile::discover(&cwd, |k| std::env::var(k).ok()) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let redactor = logging::redact::Redactor::from_env();
    logging::init(g.verbose, color_err, redactor.clone());
    let output_from_flag = matches.value_source("output") == Some(ValueSource::CommandLine);
    let output_name = g.output.map(|o| o.name());
    let output = settings::resolve(
        settings::key("output"),
        output_name.as_deref(),
        output_from_flag,
        file.as_ref(),
    );
    let format = g
        .output
        .or(file.as_ref().and_then(|f| f.output))
        .unwrap_or_default();
    let printer = Printer::new(format, color_out);
    let aws = AwsSettings {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
    };
    let limits = cartctl_aws::retry::RetryLimits {
        max_attempts: g.max_attempts,
    };
    let mut session = cartctl_aws::Session::new(aws, limits);
    if g.verbose > 0 {
        session = session.on_secret(move |s| redactor.add_secret(s));
    }
    let mut ctx = commands::Context::new(session);
    ctx.printer = printer;
    ctx.quiet = g.quiet;
    ctx.verbose = g.verbose > 0;
    ctx.color_err = color_err;
    ctx.config = file;
    ctx.output = output;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the tokio runtime starts");
    match runtime.block_on(commands::run(cli.command, &ctx)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        // The signal said it all; the exit code tells scripts.
        Err(e @ (Error::Interrupted | Error::Terminated { .. })) => ExitCode::from(e.exit_code()),
        Err(e) => fail(e),
    }
}
