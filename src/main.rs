//! The `cartctl` binary: parse the command line, load the config file, set up logging and the
//! runtime, run the command, print the error if any, and exit with the code the command
//! contract gives it.

mod cli;
mod commands;
mod exit;
mod input;
mod logging;
mod render;
mod settings;

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{ArgMatches, CommandFactory, FromArgMatches, parser::ValueSource};

use cartctl_aws::Error;
use cartctl_aws::sdk::AwsSettings;
use exit::Stop;
use render::error::ErrorPresenter;
use render::{Printer, Style, paint};
use settings::ConfigFile;

fn main() -> ExitCode {
    let command = cli::Cli::command();
    let matches = command.clone().get_matches();
    let cli = cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let errors = ErrorPresenter::new(&command, &matches);
    let (color_out, color_err) = cli.global.color.decide_for_streams();
    let result = context(
        &cli.global,
        &matches,
        errors.clone(),
        (color_out, color_err),
    )
    .and_then(|ctx| run(cli.command, &ctx));
    let Err(e) = result else {
        return ExitCode::SUCCESS;
    };
    let code = exit::code(&e);
    if e.downcast_ref::<Stop>().is_some() {
        // The signal, or the command's own output, said it all; the exit code tells scripts.
        return ExitCode::from(code);
    }
    match e.downcast_ref::<Error>() {
        Some(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        _ => {
            let text = errors.text(&e);
            eprintln!("{} {text}", paint("error:", Style::Red, color_err));
            ExitCode::from(code)
        }
    }
}

/// Runs the command on a runtime of its own.
fn run(command: cli::Command, ctx: &commands::Context) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(commands::run(command, ctx))
}

/// The context every command runs in: the config file, logging, the output, the session.
fn context(
    g: &cli::GlobalArgs,
    matches: &ArgMatches,
    errors: ErrorPresenter,
    (color_out, color_err): (bool, bool),
) -> anyhow::Result<commands::Context> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = ConfigFile::discover(&cwd, |k| std::env::var(k).ok())?;
    let redactor = logging::redact::Redactor::from_env();
    logging::init(g.verbose, color_err, redactor.clone());
    let output_from_flag = matches.value_source("output") == Some(ValueSource::CommandLine);
    let output_name = g.output.map(|o| o.name());
    let output = settings::resolve(
        &cartctl_core::setting::OUTPUT,
        output_name.as_deref(),
        output_from_flag,
        file.as_ref(),
    );
    let format = g
        .output
        .or(file.as_ref().and_then(|f| f.output))
        .unwrap_or_default();
    let aws = AwsSettings {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
    };
    let limits = cartctl_aws::retry::RetryLimits {
        max_attempts: g.max_attempts,
        hard_cap: None,
    };
    let mut session = cartctl_aws::Session::new(aws, limits);
    if g.verbose > 0 {
        session = session.on_secret(move |s| redactor.add_secret(s));
    }
    let mut ctx = commands::Context::new(session);
    ctx.printer = Printer::new(format, color_out);
    ctx.printer.quiet = g.quiet;
    ctx.printer.color_err = color_err;
    ctx.verbose = g.verbose > 0;
    ctx.config = file;
    ctx.output = output;
    ctx.errors = errors;
    Ok(ctx)
}
