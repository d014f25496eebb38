//! The flags of the commands on events and reminders: `schedule`, `put-event`, `list`,
//! `delete`, `tail`, `match`, `fire`.

use super::*;

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
