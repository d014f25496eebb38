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

use cartctl_aws::bulk::input::InputFormat;
use cartctl_aws::schedule::OnConflict;
use cartctl_core::shapes::ScheduleState;

use crate::render::{ColorChoice, OutputFormat};

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

/// Schedule a cart reminder (a one-time schedule that puts the reminder on the bus)
///
/// The reminder is a one-time EventBridge Scheduler schedule, at(...), whose target is the bus and
/// whose input is {"scheduled_event": "true", "user": ..., "product": ...}. The schedule is named cart-<sha256(user)[..12]>-<sha256(product)[..12]>, so re-running the
/// same command finds the same schedule (status "unchanged") and user ids stay out of ARNs.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl schedule --user alice --product sku-1 --in 1d
  cartctl schedule --user alice --product sku-1 --at 2026-12-24T18:00 --timezone Europe/Paris
  cartctl schedule --user alice --product sku-1 --in 1d --dry-run --bus arn:aws:events:us-east-1:123456789012:event-bus/shop
  arn=$(cartctl schedule --user alice --product sku-1 --in 90m -o json | jq -r .arn)
  cartctl schedule --user alice --product sku-2 --in 1d --restart
  cartctl schedule --user alice --product sku-1 --in 1d --detail '{\"cart_id\": \"c-42\", \"quantity\": 2}'
  cartctl schedule --user alice --product sku-1 --in 30m --in 4h --in 1d
  cartctl schedule --user alice --product sku-1 --in 12h --quiet-hours 21:00-08:00 --timezone Europe/Paris
  cartctl schedule --file carts.ndjson --in 1d -o ndjson
  cut -d, -f1,2 carts.csv | cartctl schedule --file - --format csv --in 1d

Bulk files: NDJSON lines {\"user\", \"product\", \"in\" or \"at\", \"timezone\", \"detail\", \"restart\"}
or a CSV with those columns; flags are defaults for every line. Each line is reported on its own (-o ndjson gives
one result a line); exit 3 if any line failed. Re-running a file is safe: an identical
schedule is \"unchanged\".")]
pub struct ScheduleArgs {
    /// The user who added the product to the cart
    #[arg(long, value_name = "ID", required_unless_present = "file")]
    pub user: Option<String>,

    /// The product added to the cart
    #[arg(long, value_name = "ID", required_unless_present = "file")]
    pub product: Option<String>,

    /// Due after this long from now: 1d, 90m, "1h 30m". Give it more than once (or a
    /// comma-separated list: 30m,4h,1d) for follow-ups in stages, one reminder each
    #[arg(
        long = "in",
        id = "in",
        value_name = "DURATION",
        required_unless_present_any = ["at", "file"],
        conflicts_with = "at",
        allow_hyphen_values = true,
        value_delimiter = ','
    )]
    pub in_: Vec<String>,

    /// Due at this time: RFC 3339 with an offset, or a local YYYY-MM-DDTHH:MM[:SS] in --timezone
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,

    /// IANA time zone of the schedule expression (and of a local --at time and of
    /// --quiet-hours) [default: UTC]
    #[arg(long, env = setting::TIMEZONE.env, value_name = "IANA", default_value = None)]
    pub timezone: Option<String>,

    /// Never due in this daily window (HH:MM-HH:MM, on the --timezone clock): a due time
    /// inside it moves to its end, such as 21:00-08:00
    #[arg(long, env = setting::QUIET_HOURS.env, value_name = "WINDOW")]
    pub quiet_hours: Option<String>,

    /// Schedule name [default: derived from user and product]
    #[arg(long, value_name = "NAME", conflicts_with = "file")]
    pub name: Option<String>,

    #[command(flatten)]
    pub group: GroupArg,

    #[command(flatten)]
    pub bus: BusArg,

    /// IAM role EventBridge Scheduler assumes to put the event (needs events:PutEvents on the bus)
    #[arg(long, env = setting::SCHEDULER_ROLE_ARN.env, value_name = "ARN")]
    pub role_arn: Option<String>,

    #[command(flatten)]
    pub shape: EventShapeArgs,

    /// Schedule description (at most 512 characters)
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Let Scheduler fire within this window after the due time (1m to 24h) [default: off]
    #[arg(long, value_name = "DURATION")]
    pub flexible_window: Option<String>,

    /// Keep the schedule after it fired [default: it deletes itself]
    #[arg(long)]
    pub keep_after_completion: bool,

    /// Delivery retries by Scheduler (0 to 185) [AWS default: 185]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_retries: Option<u32>,

    /// How long Scheduler keeps retrying (60s to 24h) [AWS default: 24h]
    #[arg(long, value_name = "DURATION")]
    pub max_event_age: Option<String>,

    /// SQS queue for reminders that could not be delivered
    #[arg(long, env = setting::DLQ_ARN.env, value_name = "ARN")]
    pub dlq_arn: Option<String>,

    /// Create the schedule disabled
    #[arg(long)]
    pub disabled: bool,

    /// Idempotency token for CreateSchedule [default: derived from the request]
    #[arg(long, value_name = "TOKEN", conflicts_with = "file")]
    pub client_token: Option<String>,

    /// When a different schedule of that name exists: fail (exit 5), skip it, or replace it
    #[arg(long, default_value = "fail", value_name = "POLICY", value_enum)]
    pub on_conflict: OnConflictArg,

    /// Restart the clock: the due time counts from now even when the reminder exists; one due
    /// at another time is moved in one UpdateSchedule (status rescheduled). With --file, for
    /// every line
    #[arg(long)]
    pub restart: bool,

    /// More keys for the reminder's input, as a JSON object (after scheduled_event, user and
    /// product); with --file, for every line without its own detail
    #[arg(long, value_name = "JSON")]
    pub detail: Option<String>,

    /// Print the CreateSchedule request (the shape `aws scheduler create-schedule --cli-input-json` takes) and send nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub bulk: BulkArgs,
}

/// Put a cart event on the bus, as the shop's API does: an item added (the default), an item
/// removed, or a checkout
///
/// The detail is {"user": ..., "product": ...} (a checkout's {"user": ...}) followed by the keys
/// of --detail.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl put-event --user alice --product sku-1
  cartctl put-event --user alice --product sku-1 --detail '{\"quantity\": 2}' --bus shop
  cartctl put-event --kind remove --user alice --product sku-1
  cartctl put-event --kind checkout --user alice
  cartctl put-event --user alice --product sku-1 --dry-run
  id=$(cartctl put-event --user alice --product sku-1 -o json | jq -r .event_id)
  cartctl put-event --file carts.ndjson -o ndjson

Bulk files: NDJSON lines {\"kind\", \"user\", \"product\", \"detail\"} or a CSV with those columns;
--kind is the default of lines without one. Events go in PutEvents calls of up to 10 (under
256 KB); refused entries are sent again when the refusal is retryable, never an entry that was
accepted.")]
pub struct PutEventArgs {
    /// Which cart event: add, remove or checkout
    #[arg(long, value_name = "KIND", value_enum, default_value = "add")]
    pub kind: KindArg,

    /// The user whose cart it is
    #[arg(long, value_name = "ID", required_unless_present = "file")]
    pub user: Option<String>,

    /// The product added or removed (required for add and remove, refused for checkout)
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,

    /// More detail keys, as a JSON object
    #[arg(long, value_name = "JSON")]
    pub detail: Option<String>,

    #[command(flatten)]
    pub bus: BusArg,

    #[command(flatten)]
    pub shape: EventShapeArgs,

    #[command(flatten)]
    pub kinds: CartKindArgs,

    /// Print the PutEvents request (the shape `aws events put-events --cli-input-json` takes) and send nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub bulk: BulkArgs,
}

/// Run the consumer or the mailer against its queue, as their Lambda functions do
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl worker consumer --idle-timeout 30s
  cartctl worker mailer --mail-from shop@example.com -o ndjson")]
pub struct WorkerArgs {
    #[command(subcommand)]
    pub kind: WorkerKind,
}

/// Does it pay: carts, reminders, e-mails, checkouts recovered and their value, from the ledger
///
/// Reads the whole cart ledger (a paginated Scan of the attributes it counts: bounded memory,
/// and the read units it consumed are shown) and counts what happened since --since: carts
/// added, carts reminded, e-mails by stage, reminders held out, checkouts and how each was
/// attributed (recovered: a reminder went within the attribution window before it; recovered
/// held out; converted unreminded), the recovered orders' value, the recovery rate per customer
/// e-mailed and per stage, and with a holdout group (worker mailer --holdout) the uplift with
/// its 95 % interval. A read that fails midway exits 1 saying how far it got, and prints no
/// report.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl report
  cartctl report --since 7d -o json | jq .uplift
  cartctl report --html report.html")]
pub struct ReportArgs {
    /// Count what happened within this long before now [default: 30d]
    #[arg(long, value_name = "DURATION", default_value = "30d")]
    pub since: String,

    /// The cart ledger's DynamoDB table (setup writes ledger_table)
    #[arg(long, env = setting::LEDGER_TABLE.env, value_name = "TABLE")]
    pub ledger_table: Option<String>,

    /// Also write the report as one self-contained HTML page (inline SVG charts: the funnel,
    /// recoveries by day and by stage; nothing fetched from the network)
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,

    /// Items each Scan request reads at most (1 to 1000; DynamoDB stops a page at 1 MB anyway):
    /// smaller pages spread the read units of a provisioned table over more, smaller requests
    /// [default: up to 1 MB a page]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: Option<u16>,
}

/// Erase a customer: their cart ledger items and pending reminders, item by item
///
/// Removes what the system holds of one customer: every item of their partition of the cart
/// ledger (carts with their detail, the e-mails' claims, the cooldown) and every reminder still
/// scheduled for them in the group (every stage of every cart). Each is reported; running it
/// again finds nothing. It cannot take back e-mails already sent, nor what the shop keeps; the
/// functions' logs hold a hash of the user, never the id. Without --yes it asks on a terminal,
/// and elsewhere refuses (exit 2) before any request.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl forget --user alice --dry-run
  cartctl forget --user alice --yes
  cartctl forget --user alice --yes -o json")]
pub struct ForgetArgs {
    /// The customer's user id
    #[arg(long, value_name = "ID")]
    pub user: String,

    #[command(flatten)]
    pub group: GroupArg,

    /// The cart ledger's DynamoDB table (setup writes ledger_table)
    #[arg(long, env = setting::LEDGER_TABLE.env, value_name = "TABLE")]
    pub ledger_table: Option<String>,

    /// Erase without asking
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// List what would be erased, and erase nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Look up or change a customer's subscription to the cart reminders
///
/// Reads and writes the customer's contact on the account's SES contact list, under the
/// reminders' topic: the same record SES's one-click unsubscribe changes, and the consumer
/// records a cart event's consent on. `--user` finds the address the cart ledger holds for the
/// user (their carts' detail); `--email` names it. `get` says whether the mailer would e-mail
/// them under the consent regime.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl contacts get --user alice
  cartctl contacts unsubscribe --email alice@example.com
  cartctl contacts subscribe --user alice -o json

Exit 2 without --user or --email (nothing is sent); 4 when --user has no address held.")]
pub struct ContactsArgs {
    /// get, subscribe or unsubscribe
    #[arg(value_name = "ACTION", value_parser = ["get", "subscribe", "unsubscribe"])]
    pub action: String,

    /// The customer's user id: their address is read from the cart ledger
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "email",
        conflicts_with = "email"
    )]
    pub user: Option<String>,

    /// The customer's address
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,

    /// The account's contact list (setup writes contact_list)
    #[arg(long, env = setting::CONTACT_LIST.env, value_name = "NAME")]
    pub contact_list: Option<String>,

    /// The reminders' topic [default: cart-reminders]
    #[arg(long, env = setting::MAIL_TOPIC.env, value_name = "NAME")]
    pub topic: Option<String>,

    /// The consent regime the answer of `get` follows [default: implied]
    #[arg(long, env = setting::CONSENT.env, value_name = "REGIME")]
    pub consent: Option<String>,

    /// The cart ledger's DynamoDB table, for --user (setup writes ledger_table)
    #[arg(long, env = setting::LEDGER_TABLE.env, value_name = "TABLE")]
    pub ledger_table: Option<String>,
}

/// Which worker.
#[derive(Debug, Subcommand)]
pub enum WorkerKind {
    Consumer(ConsumerArgs),
    Mailer(MailerArgs),
}

/// The cart ledger a worker keeps its state in.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// The cart ledger's DynamoDB table (setup makes <prefix>-carts and writes ledger_table)
    #[arg(long, env = setting::LEDGER_TABLE.env, value_name = "TABLE")]
    pub ledger_table: Option<String>,

    /// How long the ledger keeps a cart after its last stage is due [default: 30d]
    #[arg(long, env = setting::RETENTION.env, value_name = "DURATION")]
    pub retention: Option<String>,
}

/// When a worker stops, and how many batches it keeps in flight.
#[derive(Debug, Args)]
pub struct PollArgs {
    /// Stop after this many messages (handled or failed)
    #[arg(long, value_name = "N")]
    pub max_messages: Option<u64>,

    /// Stop after this long without a message (1s or more)
    #[arg(long, value_name = "DURATION")]
    pub idle_timeout: Option<String>,

    /// Batches of up to 10 messages in flight at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// Where each record's CloudWatch Embedded Metric Format line goes, as the functions log
    /// it: off, stderr, or the CloudWatch agent's EMF listener (udp://127.0.0.1:25888,
    /// tcp://HOST:PORT)
    #[arg(long, value_name = "DEST", default_value = "off")]
    pub metrics: String,
}

/// Send each fired reminder as an e-mail with SES: long-poll the e-mail queue, as the mailer
/// Lambda does
///
/// A reminder becomes one e-mail from --mail-from to the reminder's `email` (--recipient-field),
/// else to the user when it is an address, with the subject, text and HTML of the template
/// (built in, or --template FILE). What cannot be sent (no address, an address SES refuses, a
/// template that does not render for it) fails alone and reaches the e-mail DLQ through SQS's
/// redrive; throttling and network failures are retried. A reminder this worker sent already
/// is not sent again when SQS delivers it twice. SIGINT or SIGTERM finishes what is in flight
/// and exits 130 or 143.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl worker mailer --mail-from shop@example.com
  cartctl worker mailer --template reminder.toml --recipient-field contact
  cartctl worker mailer --max-messages 10 --idle-timeout 10s -o ndjson
  cartctl worker mailer --print-template > reminder.toml

Exit 0 when every message was handled, 3 when some failed (each is reported, and left in the
queue for a retry).")]
pub struct MailerArgs {
    /// The mailer's queue, by name or URL (setup makes <prefix>-email and writes email_queue)
    #[arg(long, env = setting::EMAIL_QUEUE.env, value_name = "NAME|URL")]
    pub queue: Option<String>,

    #[command(flatten)]
    pub poll: PollArgs,

    /// The sender: an address with an SES identity, or "Name <address>" (setup --mail-from
    /// writes mail_from)
    #[arg(long, env = setting::MAIL_FROM.env, value_name = "ADDRESS")]
    pub mail_from: Option<String>,

    /// The reminder key that holds the customer's address [default: email]
    #[arg(long, env = setting::RECIPIENT_FIELD.env, value_name = "KEY")]
    pub recipient_field: Option<String>,

    /// The e-mail template: a TOML file with subject, text and html [default: built in]
    #[arg(long, env = setting::MAIL_TEMPLATE.env, value_name = "FILE")]
    pub template: Option<String>,

    /// Mailers sending at once on the account (this one included): each paces its sends to
    /// the account's SES send rate divided by this [default: 1]
    #[arg(long, env = setting::MAILER_CONCURRENCY.env, value_name = "N")]
    pub mailer_concurrency: Option<String>,

    /// At most one reminder e-mail per customer within this, across carts (0: no limit)
    /// [default: 24h]
    #[arg(long, env = setting::COOLDOWN.env, value_name = "DURATION")]
    pub cooldown: Option<String>,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// Who is e-mailed: implied (everyone but who unsubscribed: CAN-SPAM's opt-out) or
    /// required (only who consented: the EU's and UK's rules) [default: implied]
    #[arg(long, env = setting::CONSENT.env, value_name = "REGIME")]
    pub consent: Option<String>,

    /// The shop's postal address, shown in every e-mail (setup --postal-address writes it)
    #[arg(long, env = setting::MAIL_POSTAL_ADDRESS.env, value_name = "TEXT")]
    pub postal_address: Option<String>,

    /// The account's SES contact list, whose topic every reminder is sent under (setup
    /// writes contact_list)
    #[arg(long, env = setting::CONTACT_LIST.env, value_name = "NAME")]
    pub contact_list: Option<String>,

    /// The contact list's topic of cart reminders [default: cart-reminders]
    #[arg(long, env = setting::MAIL_TOPIC.env, value_name = "NAME")]
    pub topic: Option<String>,

    /// The SES configuration set reminders go through, whose events come back to the
    /// consumer (setup makes <prefix>-mail and writes configuration_set)
    #[arg(long, env = setting::CONFIGURATION_SET.env, value_name = "NAME")]
    pub configuration_set: Option<String>,

    /// Accept a template without {{ unsubscribe_url }} (only where the law allows it: the
    /// e-mails still carry SES's one-click unsubscribe headers)
    #[arg(long, env = setting::ALLOW_NO_UNSUBSCRIBE_LINK.env)]
    pub allow_no_unsubscribe_link: bool,

    /// The share of customers (0 to 100) in the holdout group: their reminders are counted,
    /// never e-mailed, so `cartctl report` can measure the uplift [default: 0]
    #[arg(long, env = setting::HOLDOUT_PERCENT.env, value_name = "PERCENT")]
    pub holdout: Option<String>,

    /// Print the built-in template and exit
    #[arg(long)]
    pub print_template: bool,
}

/// Turn the shop's cart events into reminders: long-poll the carts queue, as the consumer
/// Lambda does
///
/// An add schedules the cart's reminder due at the event's time + --remind-after (stages for a
/// list), carrying the event's other detail keys; the same add again is "unchanged", a newer
/// add moves it ("rescheduled"). A removal deletes the cart's reminders, a checkout all the
/// user's; an add older than either is dropped ("superseded"). Handled messages are deleted; a
/// message that fails (not a cart event, AWS unreachable) stays in the queue and comes back
/// after a backoff, until the queue's redrive policy moves it to its dead-letter queue.
/// SIGINT or SIGTERM finishes what is in flight and exits 130 or 143.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl worker consumer
  cartctl worker consumer --queue cartctl-shop-carts --remind-after 30m,4h,1d --quiet-hours 21:00-08:00
  cartctl worker consumer --max-messages 100 --idle-timeout 10s -o ndjson
  CARTCTL_TIMEZONE=Europe/Paris cartctl worker consumer &

Exit 0 when every message was handled, 3 when some failed (each is reported, and left in the
queue for a retry).")]
pub struct ConsumerArgs {
    /// The consumer's queue, by name or URL (setup makes <prefix>-carts and writes carts_queue)
    #[arg(long, env = setting::CARTS_QUEUE.env, value_name = "NAME|URL")]
    pub queue: Option<String>,

    #[command(flatten)]
    pub poll: PollArgs,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// Delay from the add-to-cart event to its reminder; a list (30m,4h,1d) makes stages
    /// [default: 1d]
    #[arg(long, env = setting::REMIND_AFTER.env, value_name = "DURATION[,...]")]
    pub remind_after: Option<String>,

    /// Never due in this daily window (HH:MM-HH:MM on the customer's clock: the event detail's
    /// timezone, else --timezone), such as 21:00-08:00
    #[arg(long, env = setting::QUIET_HOURS.env, value_name = "WINDOW")]
    pub quiet_hours: Option<String>,

    /// The customers' IANA time zone when an event's detail has no timezone [default: UTC]
    #[arg(long, env = setting::TIMEZONE.env, value_name = "IANA")]
    pub timezone: Option<String>,

    /// A checkout this long after a reminder counts as recovered by it (`cartctl report`)
    /// [default: 7d]
    #[arg(long, env = setting::ATTRIBUTION_WINDOW.env, value_name = "DURATION")]
    pub attribution_window: Option<String>,

    #[command(flatten)]
    pub group: GroupArg,

    #[command(flatten)]
    pub bus: BusArg,

    /// IAM role EventBridge Scheduler assumes to put the reminder
    #[arg(long, env = setting::SCHEDULER_ROLE_ARN.env, value_name = "ARN")]
    pub role_arn: Option<String>,

    /// SQS queue for reminders that could not be delivered
    #[arg(long, env = setting::DLQ_ARN.env, value_name = "ARN")]
    pub dlq_arn: Option<String>,

    #[command(flatten)]
    pub shape: EventShapeArgs,

    #[command(flatten)]
    pub kinds: CartKindArgs,
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

/// List reminders with their user, product and due time
///
/// ListSchedules gives only names, so each schedule is read with GetSchedule (--concurrency at
/// a time). By default only cartctl reminders are listed (a derived name and a reminder input);
/// --all lists every schedule of the group. Rows are sorted by due time.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl list
  cartctl list --user alice
  cartctl list --overdue -o json | jq -r '.[].name'
  cartctl list --due-before 2h --state enabled
  cartctl list -o ndjson --unsorted > reminders.ndjson")]
pub struct ListArgs {
    #[command(flatten)]
    pub group: GroupArg,

    /// Only this user's reminders (narrowed on the server by name prefix)
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// Only reminders of this product
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,

    #[command(flatten)]
    pub filters: DueFilterArgs,

    /// Also list schedules cartctl did not create
    #[arg(long)]
    pub all: bool,

    /// Show at most N rows (the N due first, or the first N read with --unsorted)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// GetSchedule calls in flight at once
    #[arg(long, value_name = "N", default_value_t = cartctl_aws::list::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,

    /// Print rows as they are read, unsorted, with bounded memory (with -o ndjson)
    #[arg(long)]
    pub unsorted: bool,
}

/// Delete reminders: by name, all of a user's, or all of the group's
///
/// --user and --all delete only cartctl reminders, never schedules cartctl did not create.
/// More than one deletion needs --yes when stdin is not a terminal; on a terminal, cartctl asks.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl delete cart-2bd806c97f0e-57156ade504c
  cartctl delete --user alice --yes
  cartctl delete --user alice --product sku-1
  cartctl delete --all --dry-run
  cartctl delete --all --overdue --yes
  cartctl delete --user alice --state disabled --due-before 2h
  cartctl delete --file checkouts.ndjson --yes -o ndjson
  jq -c '{user, product}' checkouts.json | cartctl delete --file - --format ndjson --yes
  cartctl delete --all --yes --group ci-run-42 -o json")]
#[command(group(clap::ArgGroup::new("which").required(true).args(["names", "user", "all", "file"])))]
pub struct DeleteArgs {
    /// Schedule names to delete
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Delete this user's reminders
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// With --user: only the reminder of this product
    #[arg(long, value_name = "ID", requires = "user")]
    pub product: Option<String>,

    /// Delete every cartctl reminder of the group
    #[arg(long)]
    pub all: bool,

    /// Delete what each line names (- for stdin): NDJSON {"name"} or {"user"[, "product"]}, or a
    /// CSV with those columns. Needs --yes (or --dry-run)
    #[arg(long, value_name = "PATH|-")]
    pub file: Option<String>,

    /// Format of --file [default: from the extension: .ndjson/.jsonl/.json or .csv]
    #[arg(long, value_name = "FORMAT", requires = "file", value_enum)]
    pub format: Option<FileFormat>,

    #[command(flatten)]
    pub filters: DueFilterArgs,

    #[command(flatten)]
    pub group: GroupArg,

    /// Print what would be deleted, and delete nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask; needed for more than one deletion when stdin is not a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// A named schedule that does not exist is not an error
    #[arg(long)]
    pub missing_ok: bool,

    /// Deletions in flight at once
    #[arg(long, value_name = "N", default_value_t = cartctl_aws::list::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

/// Stream events from the bus
///
/// EventBridge has no read API: for its own lifetime, tail creates an SQS queue (encrypted, a
/// policy admitting only this tail's rule) and a rule on the bus that targets it, and removes
/// both when it ends, whatever ends it. "listening on <bus>" goes to stderr once the target is
/// set. Ends with exit 0 after --max-events, 124 at --timeout, 130 on Ctrl-C, 143 on SIGTERM,
/// 129 on SIGHUP.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl tail
  cartctl tail --scheduled-only --user alice
  cartctl tail --source putToCartService -o ndjson | jq .detail
  cartctl tail --wait-ready --max-events 1 --timeout 2m -o json > reminder.json &
  cartctl tail --gc --older-than 1h")]
pub struct TailArgs {
    #[command(flatten)]
    pub bus: BusArg,

    /// Only events of this source
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Only events of this detail-type
    #[arg(long, value_name = "TEXT")]
    pub detail_type: Option<String>,

    /// Only events whose detail.user is this
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// Only events whose detail.product is this
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,

    /// Only reminders (detail.scheduled_event = "true")
    #[arg(long)]
    pub scheduled_only: bool,

    /// An EventBridge event pattern (JSON), combined with the flags above
    #[arg(long, value_name = "JSON")]
    pub pattern: Option<String>,

    /// Stop after N events (exit 0)
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,

    /// Stop after this long (exit 124), e.g. 30s, 5m
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Announce readiness only once a canary event has gone through the rule and queue
    #[arg(long)]
    pub wait_ready: bool,

    /// Show SES's events about the reminders instead (bounces, complaints, deliveries): SES
    /// publishes them to the default bus, for the configuration set setup made
    #[arg(long, conflicts_with_all = ["source", "detail_type", "user", "product", "scheduled_only", "pattern", "wait_ready"])]
    pub mail_events: bool,

    /// Remove the queues and rules of tails that were killed, instead of tailing
    #[arg(long, conflicts_with_all = ["source", "detail_type", "user", "product", "scheduled_only", "pattern", "max_events", "timeout", "wait_ready", "mail_events"])]
    pub gc: bool,

    /// With --gc: only what is older than this
    #[arg(long, value_name = "DURATION", default_value = "1h", requires = "gc")]
    pub older_than: String,
}

/// Create what the reminder flow needs in one region, idempotently
///
/// The event bus (unless default), the schedule group (unless default), the Scheduler execution
/// role (trusting scheduler.amazonaws.com for this account and group only; allowed
/// events:PutEvents on the bus and sqs:SendMessage on the reminder DLQ), the reminder DLQ, and two
/// routes, each a rule on the bus targeting an SQS queue with its own DLQ: the shop's cart events
/// to the consumer's queue, reminder events to the mailer's. Their visibility timeout outlasts
/// six function timeouts. With --mail-from, the sender's SES identity; with --functions, the
/// consumer and mailer Lambda functions (a role, a log group kept --log-retention days, an SQS
/// mapping each); with --api, the shop's HTTP API (with an access log). Every resource is tagged
/// cartctl:setup=<prefix>. A re-run changes nothing and says so. At the end it prints the
/// cartctl.toml that uses what it made.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl setup --bus shop --group carts
  cartctl setup --bus shop --group carts --dry-run
  cartctl setup --bus shop --group carts --write-config
  cartctl setup --bus shop --group carts --template > cartctl-stack.json
  cartctl setup --bus shop --group carts --api
  cartctl setup --bus shop --group carts --mail-from shop@example.com --functions target/lambda
  cartctl setup --bus shop --api --api-jwt-issuer https://issuer.example.com --api-jwt-audience shop-web
  cartctl setup --bus shop --group carts --teardown --yes")]
#[command(group(clap::ArgGroup::new("mode").args(["dry_run", "template", "teardown"])))]
pub struct SetupArgs {
    #[command(flatten)]
    pub bus: BusArg,

    #[command(flatten)]
    pub group: GroupArg,

    /// Source of reminder events, which the consumer's rule matches [default: putToCartService]
    #[arg(long, env = setting::SOURCE.env, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Detail-type of add-to-cart events (and reminders), which the carts rule matches
    /// [default: "item {product} added to Cart"]
    #[arg(long, env = setting::DETAIL_TYPE.env, value_name = "TEMPLATE")]
    pub detail_type: Option<String>,

    #[command(flatten)]
    pub kinds: CartKindArgs,

    /// Start of every resource name (letters, digits, - and _) [default: cartctl-<bus>]
    #[arg(long, value_name = "PREFIX")]
    pub name_prefix: Option<String>,

    /// Make (or find) the sender's SES email identity and write mail_from (an address: SES
    /// e-mails it a link to verify it); with it, the contact list, the suppression list and the
    /// configuration set (see Mail)
    #[arg(long, env = setting::MAIL_FROM.env, value_name = "ADDRESS")]
    pub mail_from: Option<String>,

    #[command(flatten)]
    pub mail: SetupMailArgs,

    #[command(flatten)]
    pub api: ApiArgs,

    /// Also deploy the consumer and mailer Lambda functions from DIR (scripts/build-lambdas'
    /// output: DIR/<arch>/{consumer,mailer}/bootstrap.zip, or DIR/{consumer,mailer}/bootstrap.zip),
    /// each with its own role and an SQS event source mapping; needs a sender (--mail-from or
    /// mail_from). With --template, DIR is not read: the code comes from S3 parameters
    #[arg(long, value_name = "DIR", num_args = 0..=1, help_heading = "Functions")]
    pub functions: Option<Option<std::path::PathBuf>>,

    /// The functions' architecture: arm64 (Graviton, the default) or x86_64
    #[arg(long, value_name = "ARCH", default_value = "arm64", value_parser = ["arm64", "x86_64"], help_heading = "Functions")]
    pub arch: String,

    /// Batches of the mailer function at once (its mapping's maximum concurrency, 2 to 1000):
    /// each paces its sends to the account's SES send rate divided by this
    #[arg(long, value_name = "N", default_value_t = i64::from(cartctl_core::blueprint::DEFAULT_MAILER_CONCURRENCY), help_heading = "Functions")]
    pub mailer_concurrency: i64,

    /// The share of customers (0 to 100) the mailer function holds out: their reminders are
    /// counted, never e-mailed, so `cartctl report` measures the uplift [default: 0]
    #[arg(long, env = setting::HOLDOUT_PERCENT.env, value_name = "PERCENT", help_heading = "Functions")]
    pub holdout: Option<String>,

    /// A checkout this long after a reminder counts as recovered by it (the consumer
    /// function's) [default: 7d]
    #[arg(long, env = setting::ATTRIBUTION_WINDOW.env, value_name = "DURATION", help_heading = "Functions")]
    pub attribution_window: Option<String>,

    /// Days the functions' logs and the API's access log are kept (a CloudWatch Logs
    /// retention: 1, 3, 5, 7, 14, 30, 60, 90 ... 3653)
    #[arg(long, value_name = "DAYS", default_value_t = cartctl_core::blueprint::DEFAULT_LOG_RETENTION_DAYS.to_string())]
    pub log_retention: String,

    /// With --teardown: keep the log groups setup made (the functions' and the API's)
    #[arg(long, requires = "teardown")]
    pub keep_logs: bool,

    /// Print what would be created or changed, and change nothing (reads only)
    #[arg(long)]
    pub dry_run: bool,

    /// Print the same resources as a CloudFormation template (JSON), and send nothing
    #[arg(long)]
    pub template: bool,

    /// Remove what setup made (only resources tagged as its own); needs --yes
    #[arg(long)]
    pub teardown: bool,

    /// Confirm --teardown (deleting the group deletes its schedules)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Also write the settings to this file (keys setup sets are replaced, others kept)
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "cartctl.toml")]
    pub write_config: Option<std::path::PathBuf>,
}

/// `setup`'s lawful-mail flags (with --mail-from).
#[derive(Debug, Args)]
pub struct SetupMailArgs {
    /// The shop's postal address, shown in every reminder e-mail (CAN-SPAM); required with
    /// --mail-from
    #[arg(long, env = setting::MAIL_POSTAL_ADDRESS.env, value_name = "TEXT", help_heading = "Mail")]
    pub postal_address: Option<String>,

    /// Who is e-mailed: implied (everyone but who unsubscribed: CAN-SPAM's opt-out, a shop's
    /// "anyone who abandons a checkout") or required (only who consented: the EU's and UK's
    /// rules). Sets the topic's default subscription [default: implied]
    #[arg(long, env = setting::CONSENT.env, value_name = "REGIME", help_heading = "Mail")]
    pub consent: Option<String>,

    /// The contact list's topic of cart reminders [default: cart-reminders]
    #[arg(long, env = setting::MAIL_TOPIC.env, value_name = "NAME", help_heading = "Mail")]
    pub topic: Option<String>,

    /// The topic's name on SES's unsubscribe page
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Cart reminders",
        help_heading = "Mail"
    )]
    pub topic_display_name: String,

    /// What the topic is about, on SES's unsubscribe page
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "E-mails about items you left in your cart",
        help_heading = "Mail"
    )]
    pub topic_description: String,

    /// The account's contact list [default: the one the account has, else <prefix>-contacts]
    #[arg(long, env = setting::CONTACT_LIST.env, value_name = "NAME", help_heading = "Mail")]
    pub contact_list: Option<String>,
}

/// `setup --api`: the shop's HTTP API.
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// Also make the shop's HTTP API <prefix>-api: POST /cart, /cart/remove and /cart/checkout
    /// put the body as a cart event on the bus (EventBridge-PutEvents integration); writes api_url
    #[arg(long, help_heading = "API")]
    pub api: bool,

    /// Who may call the API: iam (SigV4-signed, the default), jwt (with --api-jwt-issuer), or
    /// none (anyone: then anyone can make the shop e-mail any address)
    #[arg(long, value_name = "MODE", value_parser = ["iam", "jwt", "none"], requires = "api", help_heading = "API")]
    pub api_auth: Option<String>,

    /// The JWT issuer (https URL) the API accepts tokens of (implies --api-auth jwt)
    #[arg(long, value_name = "URL", requires = "api", help_heading = "API")]
    pub api_jwt_issuer: Option<String>,

    /// An audience (client id) the JWTs must name; repeat or separate with commas
    #[arg(
        long,
        value_name = "AUD",
        value_delimiter = ',',
        requires = "api_jwt_issuer",
        help_heading = "API"
    )]
    pub api_jwt_audience: Vec<String>,

    /// Requests a second the API's stage admits (steady rate)
    #[arg(long, value_name = "N", default_value_t = cartctl_core::blueprint::DEFAULT_API_RATE_LIMIT, help_heading = "API")]
    pub api_rate_limit: f64,

    /// Requests the API's stage admits at once (burst)
    #[arg(long, value_name = "N", default_value_t = cartctl_core::blueprint::DEFAULT_API_BURST_LIMIT, help_heading = "API")]
    pub api_burst_limit: i32,
}

/// Check the account's set-up: one line per check, with the fix when one fails
///
/// Credentials and region; the bus and the group exist; the role exists, trusts
/// scheduler.amazonaws.com (a warning without the confused-deputy conditions) and may put events
/// on the bus; the caller may pass it (asked of the policy simulator, skipped where it is not
/// offered); the DLQ, if any, is a standard queue the role may send to; enabled rules on the bus
/// deliver the shop's cart events to the consumer and reminders to the mailer (else they are
/// lost without a trace); the reminders already scheduled point at this bus and role. With the
/// system deployed: the API (routes, role, authorization, stage, access log), each function
/// (its queue's visibility timeout, mapping, state, settings, log group) and the sender's SES
/// identity and sandbox. Policies are read and evaluated locally. Exit 0 when nothing failed
/// (warnings included), 1 otherwise.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl doctor
  cartctl doctor --bus shop --group carts --role-arn arn:aws:iam::123456789012:role/cartctl-shop-scheduler
  cartctl doctor -o json | jq '.checks[] | select(.status == \"fail\")'")]
pub struct DoctorArgs {
    #[command(flatten)]
    pub bus: BusArg,

    #[command(flatten)]
    pub group: GroupArg,

    /// The role Scheduler assumes
    #[arg(long, env = setting::SCHEDULER_ROLE_ARN.env, value_name = "ARN")]
    pub role_arn: Option<String>,

    /// The reminders' dead-letter queue
    #[arg(long, env = setting::DLQ_ARN.env, value_name = "ARN")]
    pub dlq_arn: Option<String>,

    #[command(flatten)]
    pub shape: EventShapeArgs,

    /// The mailer's sender, whose SES identity is checked
    #[arg(long, env = setting::MAIL_FROM.env, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
}

/// The reminders that failed: seen without consuming them, put back without loss, purged
///
/// Scheduler sends a reminder it could not deliver (bus deleted, role broken, retries run out)
/// to the schedule's dead-letter queue, with the error in the message attributes; `fire` does
/// the same. The queue is --dlq-arn (env CARTCTL_DLQ_ARN, config dlq_arn).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl dlq list
  cartctl dlq list -o json | jq '.events[] | {user, error_code}'
  cartctl dlq redrive
  cartctl dlq redrive --user alice --limit 10
  cartctl dlq purge --yes")]
pub struct DlqArgs {
    #[command(subcommand)]
    pub command: DlqCommand,
}

/// `dlq` subcommands.
#[derive(Debug, Subcommand)]
pub enum DlqCommand {
    /// List the dead-letter events without consuming them (they are visible again at once)
    List(DlqListArgs),
    /// Put each failed reminder back on its bus; a message is deleted only once its event was
    /// accepted (at most duplicated when an answer is lost, and counted)
    Redrive(DlqRedriveArgs),
    /// Delete every message of the dead-letter queue
    Purge(DlqPurgeArgs),
}

/// The dead-letter queue flag.
#[derive(Debug, Args)]
pub struct DlqQueueArg {
    /// The reminders' dead-letter queue
    #[arg(long, env = setting::DLQ_ARN.env, value_name = "ARN")]
    pub dlq_arn: Option<String>,
}

/// `dlq list`.
#[derive(Debug, Args)]
pub struct DlqListArgs {
    #[command(flatten)]
    pub queue: DlqQueueArg,

    /// Read at most N messages
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// `dlq redrive`.
#[derive(Debug, Args)]
pub struct DlqRedriveArgs {
    #[command(flatten)]
    pub queue: DlqQueueArg,

    /// Redrive at most N messages
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Only this user's reminders (the others stay in the queue)
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// Put the events on this bus instead of the one each reminder failed on
    #[arg(long, value_name = "NAME|ARN")]
    pub bus: Option<String>,

    #[command(flatten)]
    pub shape: EventShapeArgs,
}

/// `dlq purge`.
#[derive(Debug, Args)]
pub struct DlqPurgeArgs {
    #[command(flatten)]
    pub queue: DlqQueueArg,

    /// Confirm: every message of the queue is deleted
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Whether an event matches an EventBridge pattern, offline; or which rules of a bus it matches
///
/// The pattern is evaluated by cartctl's own matcher, which answers as aws/event-ruler (the
/// library EventBridge matches with) does. Exit 0 when it matches, 1 when it does not, 2 when
/// the pattern or the event is invalid (with the reason). With --bus instead of --pattern, every
/// rule of the bus is listed with whether the event matches it, confirmed with EventBridge's
/// TestEventPattern when the event is a complete envelope; exit 0 when an enabled rule matches.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl match --pattern '{\"detail\": {\"scheduled_event\": [\"true\"]}}' --event @event.json
  cartctl match --pattern @pattern.json --event @- -o json < event.json
  cartctl match --bus shop --event @event.json      # why did my consumer not get this event?")]
pub struct MatchArgs {
    /// The pattern: JSON, or @FILE (@- reads stdin)
    #[arg(long, value_name = "JSON|@FILE", required_unless_present = "bus")]
    pub pattern: Option<String>,

    /// The event: JSON, or @FILE (@- reads stdin)
    #[arg(long, value_name = "JSON|@FILE")]
    pub event: String,

    /// Instead of --pattern: the rules of this bus (name or ARN)
    #[arg(long, value_name = "NAME|ARN", conflicts_with = "pattern")]
    pub bus: Option<String>,
}

/// What CloudWatch counted for the reminder flow, with a one-line verdict
///
/// Scheduler's metrics for the schedule group (AWS/Scheduler: invocation attempts, target
/// errors, throttles, dropped invocations, sent to and failed to be sent to the DLQ) and the
/// e-mail rule's (AWS/Events: invocations, failed invocations), summed over the window.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl stats
  cartctl stats --since 7d --group carts -o json | jq .verdict")]
pub struct StatsArgs {
    /// The window: from this long ago until now
    #[arg(long, value_name = "DURATION", default_value = "24h")]
    pub since: String,

    #[command(flatten)]
    pub group: GroupArg,

    #[command(flatten)]
    pub bus: BusArg,

    /// The e-mail rule [default: <prefix>-reminders, as `setup` names it]
    #[arg(long, value_name = "NAME", conflicts_with = "name_prefix")]
    pub rule: Option<String>,

    /// The name prefix `setup` was given, for the default rule [default: cartctl-<bus>]
    #[arg(long, value_name = "PREFIX")]
    pub name_prefix: Option<String>,
}

/// Publish a schedule's payload now, as EventBridge Scheduler would when it is due
///
/// For each schedule: read it, put its event on its target bus (its Source and DetailType, its
/// Input as detail, its ARN as the event's resource), then delete it if its
/// ActionAfterCompletion is DELETE (unless --keep). Emulators never fire schedules; this lets
/// the whole flow run locally and in CI.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl fire cart-2bd806c97f0e-57156ade504c
  cartctl fire --due
  cartctl fire --due --keep --group staging -o ndjson
  cartctl fire cart-2bd806c97f0e-57156ade504c --dry-run

Against AWS itself (no --endpoint-url or AWS_ENDPOINT_URL), --due needs --force: Scheduler fires
due schedules by itself. A DISABLED schedule is never fired without --force, as Scheduler never
fires one. The four <aws.scheduler.*> context attributes in a schedule's input are replaced as
Scheduler replaces them.")]
#[command(group(clap::ArgGroup::new("which").required(true).args(["names", "due"])))]
pub struct FireArgs {
    /// Schedule names to fire
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Fire every enabled schedule of the group whose at() time has passed
    #[arg(long, conflicts_with = "names")]
    pub due: bool,

    #[command(flatten)]
    pub group: GroupArg,

    /// Keep the schedules, even those that delete themselves after firing
    #[arg(long)]
    pub keep: bool,

    /// Fire DISABLED schedules too, and allow --due against AWS itself (where Scheduler fires
    /// due schedules by itself, so customers could get a reminder twice)
    #[arg(long)]
    pub force: bool,

    /// Print the PutEvents request of each schedule, and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Schedules fired at once
    #[arg(long, value_name = "N", default_value_t = cartctl_aws::list::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

/// Print a shell completion script
///
/// The scripts are also in the repository's completions/ directory.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl completions bash > ~/.local/share/bash-completion/completions/cartctl
  cartctl completions zsh > \"${fpath[1]}/_cartctl\"
  cartctl completions fish > ~/.config/fish/completions/cartctl.fish
  cartctl completions powershell >> $PROFILE
  cartctl completions elvish >> ~/.config/elvish/rc.elv")]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Print the manual page (roff), covering every subcommand
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl man | man -l -
  cartctl man > ~/.local/share/man/man1/cartctl.1")]
pub struct ManArgs {}

/// Show the resolved settings and where each came from
///
/// A flag wins over its environment variable, which wins over the config file (cartctl.toml in
/// the working directory, else $XDG_CONFIG_HOME/cartctl/config.toml), which wins over the
/// default. The file takes every setting's key, as this command lists them (`setup
/// --write-config` writes them).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  cartctl config
  cartctl config -o json | jq -r .settings.event_bus.value
  echo 'event_bus = \"shop\"' > cartctl.toml && cartctl config")]
pub struct ConfigArgs {}
