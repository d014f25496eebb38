//! The flags of the commands that run the flow and read its ledger: `worker consumer|mailer`,
//! `report`, `forget`, `contacts`.

use super::*;

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
