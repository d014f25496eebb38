//! The flags of the commands that set up and look after the account: `setup`, `doctor`, `dlq`,
//! `stats`, and the tool's own (`completions`, `man`, `config`).

use super::*;

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
