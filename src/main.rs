//! The `cartctl` binary: parse the command line, set up logging and the runtime, run the
//! command, print the error if any, and exit with the code the command contract gives it.

mod cli;
mod commands;
mod logging;

use std::process::ExitCode;

use clap::Parser;

use cartctl::Error;
use cartctl::aws::AwsSettings;
use cartctl::output::{ColorChoice, Printer, Style, paint};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let g = &cli.global;
    let color: ColorChoice = g.color.parse().expect("clap checked the value");
    let (color_out, color_err) = color.decide_for_streams();
    logging::init(g.verbose, color_err);
    let printer = Printer::new(g.output.parse().expect("clap checked the value"), color_out);
    let aws = AwsSettings {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
    };
    let retry = cartctl::bulk::retry::RetryPolicy {
        max_attempts: g.max_attempts,
    };
    let ctx = commands::Context::new(printer, g.quiet, color_err, retry, aws);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the tokio runtime starts");
    let result = runtime.block_on(commands::run(cli.command, &ctx));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        // The signal said it all; the exit code tells scripts.
        Err(e @ (Error::Interrupted | Error::Terminated { .. })) => ExitCode::from(e.exit_code()),
        Err(e) => {
            eprintln!("{} {e}", paint("error:", Style::Red, color_err));
            ExitCode::from(e.exit_code())
        }
    }
}
