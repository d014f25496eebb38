//! One file per subcommand: each turns its arguments into library requests, calls the library,
//! and renders the result. The shared [`Context`] holds the output settings and the AWS clients,
//! which are built only when a command first needs the network.

mod bulk;
mod delete;
mod fire;
mod list;
mod put_event;
mod schedule;
mod tail;

use cartctl::Result;
use cartctl::aws::{AwsSettings, Clients};
use cartctl::bulk::retry::RetryPolicy;
use cartctl::output::Printer;
use tokio::sync::OnceCell;

use crate::cli::Command;

/// What every command needs: where to print, and how to reach AWS.
pub struct Context {
    /// Writes results on stdout.
    pub printer: Printer,
    /// `-q`: no summaries or progress.
    pub quiet: bool,
    /// Whether stderr is coloured.
    pub color_err: bool,
    /// Item-level retries (`--max-attempts`).
    pub retry: RetryPolicy,
    aws: AwsSettings,
    clients: OnceCell<Clients>,
}

impl Context {
    pub fn new(
        printer: Printer,
        quiet: bool,
        color_err: bool,
        retry: RetryPolicy,
        aws: AwsSettings,
    ) -> Self {
        Context {
            printer,
            quiet,
            color_err,
            retry,
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
}

/// Runs one command. `tail` handles signals itself (it cleans up first); the others stop at
/// once on Ctrl-C.
pub async fn run(command: Command, ctx: &Context) -> Result<()> {
    // A bad --endpoint-url or --region is bad input even on a dry run.
    ctx.aws.check()?;
    if let Command::Tail(args) = command {
        return tail::run(args, ctx).await;
    }
    tokio::select! {
        r = dispatch(command, ctx) => r,
        _ = tokio::signal::ctrl_c() => Err(cartctl::Error::Interrupted),
    }
}

async fn dispatch(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Schedule(args) => schedule::run(args, ctx).await,
        Command::PutEvent(args) => put_event::run(args, ctx).await,
        Command::List(args) => list::run(args, ctx).await,
        Command::Delete(args) => delete::run(args, ctx).await,
        Command::Fire(args) => fire::run(args, ctx).await,
        Command::Tail(_) => unreachable!("handled by run"),
    }
}
