//! The command line, declared with clap's derive API.
//!
//! Clap guidelines for this file:
//! - Doc comments are the help text: the first line is the short help, a blank line then more.
//! - Every subcommand ends its help with an "Examples:" section of real invocations.
//! - Global flags are flattened with `global = true`, so they work before or after the
//!   subcommand. Env fallbacks are declared with `env = setting::X.env` (the variable of the
//!   setting the flag sets, from `cartctl_core::setting`'s table: never a literal), so help
//!   shows them.
//! - Values stay strings here; the library checks them (see `cartctl_core::limits`), so a flag and
//!   the same field in a bulk file get the same message. Clap only checks choices and numbers.

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use cartctl_core::setting;

use crate::input::InputFormat;
use cartctl_aws::schedule::OnConflict;
use cartctl_core::shapes::ScheduleState;

use crate::render::{ColorChoice, OutputFormat};

mod admin;
mod flow;
mod reminders;

pub use admin::*;
pub use flow::*;
pub use reminders::*;

const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    AWS, network or credential error
  2    invalid input (nothing was sent)
  3    partial failure of a bulk command (each failed item reported)
  4    not found
  5    already exists with a different definition (conflict)
  124  tail timed out before --max-events arrived
  130  interrupted";

/// Drive and inspect the cart-reminder flow on Amazon EventBridge and EventBridge Scheduler.
///
/// A shop puts "item added to cart" events on an event bus; a one-time schedule, a day later,
/// puts a reminder event on the same bus, and an e-mail reminds the customer. cartctl sets the
/// flow up, sends the events, schedules, lists and fires the reminders, and runs the consumer
/// and the mailer.
#[derive(Debug, Parser)]
#[command(name = "cartctl", version, propagate_version = true, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after the subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// AWS profile from ~/.aws/config [default: AWS_PROFILE, else "default"]
    #[arg(long, global = true, value_name = "NAME", help_heading = "AWS options")]
    pub profile: Option<String>,

    /// AWS region [default: AWS_REGION, else the profile's region]
    #[arg(
        long,
        global = true,
        value_name = "REGION",
        help_heading = "AWS options"
    )]
    pub region: Option<String>,

    /// Send every request to this endpoint (a local emulator, say) [default: AWS_ENDPOINT_URL]
    #[arg(long, global = true, value_name = "URL", help_heading = "AWS options")]
    pub endpoint_url: Option<String>,

    /// Output format: text for people, json or ndjson for scripts [default: text]
    #[arg(
        short = 'o',
        long,
        global = true,
        env = setting::OUTPUT.env,
        value_name = "FORMAT",
        value_enum
    , help_heading = "Output options")]
    pub output: Option<OutputFormat>,

    /// When to colour text output (NO_COLOR turns auto off)
    #[arg(
        long,
        global = true,
        default_value = "auto",
        value_name = "WHEN",
        value_enum,
        help_heading = "Output options"
    )]
    pub color: ColorChoice,

    /// Log what cartctl and the AWS SDK do to stderr (-vv, -vvv for more); secrets are masked
    #[arg(short, long, global = true, action = ArgAction::Count, help_heading = "Output options")]
    pub verbose: u8,

    /// Print only data and errors (no summaries, no progress)
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Output options"
    )]
    pub quiet: bool,

    /// Attempts per request when it fails with a retryable error (a 5xx, a lost connection),
    /// with backoff and jitter; throttling slows the run down without using them up
    #[arg(long, global = true, value_name = "N", default_value_t = cartctl_aws::retry::DEFAULT_MAX_ATTEMPTS, value_parser = clap::value_parser!(u32).range(1..=100), help_heading = "AWS options")]
    pub max_attempts: u32,
}

/// Bulk input: many reminders or events from a file.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// Read many lines from a file (- for stdin); flags given too are defaults for every line
    #[arg(long, value_name = "PATH|-")]
    pub file: Option<String>,

    /// Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]
    #[arg(long, value_name = "FORMAT", requires = "file", value_enum)]
    pub format: Option<FileFormat>,

    /// Most requests in flight at once with --file: the controller finds the right number up to
    /// this cap [default: 256]; with --fixed, exactly this many [default: 16]
    #[arg(long, value_name = "N", requires = "file")]
    pub concurrency: Option<usize>,

    /// Keep the number of requests in flight fixed at --concurrency instead of adapting it
    #[arg(long, requires = "file")]
    pub fixed: bool,
}

/// The subcommands. Their help is the doc comment of their argument structs.
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    Schedule(ScheduleArgs),
    PutEvent(PutEventArgs),
    List(ListArgs),
    Delete(DeleteArgs),
    Tail(TailArgs),
    Fire(FireArgs),
    Setup(SetupArgs),
    Doctor(DoctorArgs),
    Dlq(DlqArgs),
    Stats(StatsArgs),
    Match(MatchArgs),
    Worker(WorkerArgs),
    Forget(ForgetArgs),
    Contacts(ContactsArgs),
    Report(ReportArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Config(ConfigArgs),
}

/// The event bus flag.
#[derive(Debug, Args)]
pub struct BusArg {
    /// Event bus name or ARN [default: default]
    #[arg(long, env = setting::EVENT_BUS.env, value_name = "NAME|ARN")]
    pub bus: Option<String>,
}

/// Filters on due time and state, shared by `list` and `delete`.
#[derive(Debug, Args)]
pub struct DueFilterArgs {
    /// Only reminders due before this time (RFC 3339, or a duration from now such as 2h)
    #[arg(long, value_name = "TIME")]
    pub due_before: Option<String>,

    /// Only reminders due after this time (RFC 3339, or a duration from now)
    #[arg(long, value_name = "TIME")]
    pub due_after: Option<String>,

    /// Only reminders whose due time has passed
    #[arg(long)]
    pub overdue: bool,

    /// Only schedules in this state
    #[arg(long, value_name = "STATE", value_enum)]
    pub state: Option<StateArg>,
}

impl DueFilterArgs {
    /// True if any filter is given.
    pub fn any(&self) -> bool {
        self.due_before.is_some()
            || self.due_after.is_some()
            || self.overdue
            || self.state.is_some()
    }
}

/// The schedule group flag.
#[derive(Debug, Args)]
pub struct GroupArg {
    /// Schedule group [default: default]
    #[arg(long, env = setting::SCHEDULE_GROUP.env, value_name = "NAME")]
    pub group: Option<String>,
}

/// Source and detail-type of cart events.
#[derive(Debug, Args)]
pub struct EventShapeArgs {
    /// Event source [default: putToCartService]
    #[arg(long, env = setting::SOURCE.env, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Event detail-type; {user} and {product} are replaced by the cart's ids
    /// [default: "item {product} added to Cart"]
    #[arg(long, env = setting::DETAIL_TYPE.env, value_name = "TEMPLATE")]
    pub detail_type: Option<String>,
}

/// Detail-types of the shop's removal and checkout events.
#[derive(Debug, Args)]
pub struct CartKindArgs {
    /// Detail-type of an item removed from a cart; {user} and {product} are replaced
    /// [default: "item {product} removed from Cart"]
    #[arg(long, env = setting::REMOVED_DETAIL_TYPE.env, value_name = "TEMPLATE")]
    pub removed_detail_type: Option<String>,

    /// Detail-type of a checked-out cart; {user} is replaced [default: "cart checked out"]
    #[arg(long, env = setting::CHECKOUT_DETAIL_TYPE.env, value_name = "TEMPLATE")]
    pub checkout_detail_type: Option<String>,
}

/// `--kind` of a cart event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum KindArg {
    /// An item added to the cart
    #[default]
    Add,
    /// An item removed from the cart
    Remove,
    /// The cart checked out (no --product)
    Checkout,
}

impl From<KindArg> for cartctl_core::event::CartEventKind {
    fn from(k: KindArg) -> Self {
        use cartctl_core::event::CartEventKind;
        match k {
            KindArg::Add => CartEventKind::Add,
            KindArg::Remove => CartEventKind::Remove,
            KindArg::Checkout => CartEventKind::Checkout,
        }
    }
}

/// `--format` of a bulk file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// One JSON object a line
    Ndjson,
    /// A header row, then one row a record
    Csv,
}

impl From<FileFormat> for InputFormat {
    fn from(f: FileFormat) -> Self {
        match f {
            FileFormat::Ndjson => InputFormat::Ndjson,
            FileFormat::Csv => InputFormat::Csv,
        }
    }
}

/// `--on-conflict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnConflictArg {
    /// Report the existing schedule (exit 5)
    Fail,
    /// Leave it as it is
    Skip,
    /// Overwrite it with the requested definition
    Replace,
}

impl From<OnConflictArg> for OnConflict {
    fn from(a: OnConflictArg) -> Self {
        match a {
            OnConflictArg::Fail => OnConflict::Fail,
            OnConflictArg::Skip => OnConflict::Skip,
            OnConflictArg::Replace => OnConflict::Replace,
        }
    }
}

/// `--state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    /// Schedules Scheduler will fire
    Enabled,
    /// Schedules Scheduler will not fire
    Disabled,
}

impl From<StateArg> for ScheduleState {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::Enabled => ScheduleState::Enabled,
            StateArg::Disabled => ScheduleState::Disabled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "cartctl",
            "put-event",
            "--user",
            "u",
            "--product",
            "p",
            "-o",
            "json",
            "--region",
            "eu-west-1",
        ])
        .unwrap();
        assert_eq!(cli.global.output, Some(OutputFormat::Json));
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn in_and_at_exclude_each_other() {
        let e = Cli::try_parse_from([
            "cartctl",
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
            "--at",
            "2030-01-01T00:00",
        ])
        .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            Cli::try_parse_from(["cartctl", "schedule", "--user", "u", "--product", "p"]).is_err()
        );
    }
}
