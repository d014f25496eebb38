//! One file per subcommand: each turns its arguments into library requests, calls the library,
//! and renders the result. The shared [`Context`] holds the output settings and the AWS clients,
//! which are built only when a command first needs the network.

mod put_event;
mod schedule;

use cartctl::Result;
use cartctl::aws::{AwsSettings, Clients};
use cartctl::output::Printer;
use tokio::sync::OnceCell;

use crate::cli::Command;

/// What every command needs: where to print, and how to reach AWS.
pub struct Context {
    /// Writes results on stdout.
    pub printer: Printer,
    aws: AwsSettings,
    clients: OnceCell<Clients>,
}

impl Context {
    pub fn new(printer: Printer, aws: AwsSettings) -> Self {
        Context {
            printer,
            aws,
            clients: OnceCell::new(),
        }
    }

    /// The AWS clients, loaded on first use.
    pub async fn clients(&self) -> Result<&Clients> {
        self.clients
            .get_or_try_init(|| Clients::connect(&self.aws))
            .await
    }

    /// Checks the AWS flags (a bad --endpoint-url is bad input even on a dry run).
    pub fn check_aws_settings(&self) -> Result<()> {
        self.aws.check()
    }
}

/// Runs one command.
pub async fn run(command: Command, ctx: &Context) -> Result<()> {
    ctx.check_aws_settings()?;
    match command {
        Command::Schedule(args) => schedule::run(args, ctx).await,
        Command::PutEvent(args) => put_event::run(args, ctx).await,
    }
}
