//! Every setting of cartctl, declared once: its key (the config file's key, and the name the
//! library's errors give it), its environment variable, its flag, its default, its help line
//! and the kind of value it takes. The config file's keys, the environment the CLI and the
//! Lambda functions read, the flags' `env` and defaults, `cartctl config`'s origins and the
//! functions' environment are all derived from [`ALL`]; adding a setting is one entry here and
//! its use. [`crate::config`] resolves them, flag > environment > file > default, into typed
//! bundles. This module depends on nothing else of the crate: the defaults that other modules
//! use live here.

/// The source of cart events and reminders by default.
pub const DEFAULT_SOURCE: &str = "putToCartService";
/// The detail-type template of an add (and of its reminder) by default.
pub const DEFAULT_DETAIL_TYPE: &str = "item {product} added to Cart";
/// The detail-type template of an item removed from a cart by default.
pub const DEFAULT_REMOVED_DETAIL_TYPE: &str = "item {product} removed from Cart";
/// The detail-type template of a checkout by default.
pub const DEFAULT_CHECKOUT_DETAIL_TYPE: &str = "cart checked out";
/// The reminder key that holds the customer's address by default.
pub const DEFAULT_RECIPIENT_FIELD: &str = "email";
/// The contact list's topic of cart reminders by default.
pub const DEFAULT_MAIL_TOPIC: &str = "cart-reminders";

/// What a setting's value is, which says how it is checked ([`crate::config::check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An event bus: a name or an ARN.
    Bus,
    /// A schedule group's name.
    GroupName,
    /// An IAM role's ARN.
    RoleArn,
    /// An SQS queue's ARN.
    QueueArn,
    /// A queue: a name or a URL.
    QueueRef,
    /// An event source.
    Source,
    /// A detail-type template (`{user}`, `{product}`).
    DetailType,
    /// A duration, or a list of increasing ones (`30m,4h,1d`).
    Stages,
    /// A duration (`24h`, `30d`); `0` where it turns something off.
    Duration,
    /// A daily window `HH:MM-HH:MM`.
    QuietHours,
    /// An IANA time zone.
    Timezone,
    /// An e-mail sender: an address or `Name <address>`.
    Sender,
    /// A whole number from 1 to 1000.
    Count,
    /// A share from 0 to 100 (decimals allowed).
    Percent,
    /// One of a fixed list of words.
    OneOf(&'static [&'static str]),
    /// Any text (checked where it is used).
    Text,
}

/// A setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// Its key (`event_bus`): in a config file, and in the library's errors.
    pub key: &'static str,
    /// Its environment variable: `CARTCTL_` and the key in upper case.
    pub env: &'static str,
    /// The flag that sets it (`--bus`).
    pub flag: &'static str,
    /// Its default, if it has one.
    pub default: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
    /// What it takes.
    pub kind: Kind,
}

/// The environment variable of the setting `key`: `CARTCTL_` and the key in upper case.
pub fn env_var(key: &str) -> String {
    format!("CARTCTL_{}", key.to_ascii_uppercase())
}

/// The setting of `key`, if there is one.
pub fn by_key(key: &str) -> Option<&'static Setting> {
    ALL.iter().find(|s| s.key == key)
}

macro_rules! settings {
    ($($(#[$doc:meta])* $name:ident: $key:literal, $flag:literal, $default:expr, $kind:expr, $help:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: Setting = Setting {
                key: $key,
                env: concat!("CARTCTL_", stringify!($name)),
                flag: $flag,
                default: $default,
                help: $help,
                kind: $kind,
            };
        )*
        /// Every setting, in the order `cartctl config` shows them.
        pub const ALL: &[Setting] = &[$($name),*];
    };
}

settings! {
    /// The event bus (a name or an ARN).
    EVENT_BUS: "event_bus", "--bus", Some("default"), Kind::Bus, "the event bus (a name or an ARN)";
    /// The schedule group.
    SCHEDULE_GROUP: "schedule_group", "--group", Some("default"), Kind::GroupName, "the schedule group";
    /// The role Scheduler assumes to put the reminder.
    SCHEDULER_ROLE_ARN: "scheduler_role_arn", "--role-arn", None, Kind::RoleArn, "the role Scheduler assumes to put reminders";
    /// The reminders' dead-letter queue.
    DLQ_ARN: "dlq_arn", "--dlq-arn", None, Kind::QueueArn, "the reminders' dead-letter queue";
    /// The source of cart events and reminders.
    SOURCE: "source", "--source", Some(DEFAULT_SOURCE), Kind::Source, "the source of cart events and reminders";
    /// The detail-type template of add-to-cart events and reminders.
    DETAIL_TYPE: "detail_type", "--detail-type", Some(DEFAULT_DETAIL_TYPE), Kind::DetailType, "the detail-type of an add (and of its reminder)";
    /// The detail-type template of an item removed from a cart.
    REMOVED_DETAIL_TYPE: "removed_detail_type", "--removed-detail-type", Some(DEFAULT_REMOVED_DETAIL_TYPE), Kind::DetailType, "the detail-type of an item removed from a cart";
    /// The detail-type template of a checked-out cart.
    CHECKOUT_DETAIL_TYPE: "checkout_detail_type", "--checkout-detail-type", Some(DEFAULT_CHECKOUT_DETAIL_TYPE), Kind::DetailType, "the detail-type of a checkout";
    /// The consumer's delay from an add to its reminder: a duration, or stages (`30m,4h,1d`).
    REMIND_AFTER: "remind_after", "--remind-after", Some("1d"), Kind::Stages, "the consumer's delay from an add to its reminder (or stages: 30m,4h,1d)";
    /// Quiet hours no reminder falls in (`21:00-08:00`).
    QUIET_HOURS: "quiet_hours", "--quiet-hours", None, Kind::QuietHours, "a daily window no reminder falls in (21:00-08:00)";
    /// The customers' time zone when an event names none.
    TIMEZONE: "timezone", "--timezone", Some("UTC"), Kind::Timezone, "the customers' time zone when an event names none";
    /// The consumer's queue (a name or a URL).
    CARTS_QUEUE: "carts_queue", "--queue", None, Kind::QueueRef, "the consumer's queue (worker consumer --queue)";
    /// The mailer's queue (a name or a URL): the e-mail queue fired reminders reach.
    EMAIL_QUEUE: "email_queue", "--queue", None, Kind::QueueRef, "the mailer's queue (worker mailer --queue)";
    /// The e-mail's sender: an address with an SES identity, or `Name <address>`.
    MAIL_FROM: "mail_from", "--mail-from", None, Kind::Sender, "the e-mail's sender: an address with an SES identity, or Name <address>";
    /// The reminder key holding the customer's address.
    RECIPIENT_FIELD: "recipient_field", "--recipient-field", Some(DEFAULT_RECIPIENT_FIELD), Kind::Text, "the reminder key holding the customer's address";
    /// The e-mail template file (TOML: subject, text, html); the built-in one when unset.
    MAIL_TEMPLATE: "mail_template", "--template", None, Kind::Text, "the e-mail template file (TOML: subject, text, html)";
    /// Mailers sending at once on the account: each paces to the send rate divided by this.
    MAILER_CONCURRENCY: "mailer_concurrency", "--mailer-concurrency", Some("1"), Kind::Count, "mailers sending at once: each paces to the account's rate divided by this";
    /// The cart ledger: the DynamoDB table the consumer and the mailer keep their state in.
    LEDGER_TABLE: "ledger_table", "--ledger-table", None, Kind::Text, "the cart ledger's DynamoDB table (setup makes <prefix>-carts)";
    /// How long the ledger keeps an item after its last use (a cart after its last stage).
    RETENTION: "retention", "--retention", Some("30d"), Kind::Duration, "how long the ledger keeps a cart after its last stage is due";
    /// At most one reminder e-mail per customer within this, across carts (`0`: no limit).
    COOLDOWN: "cooldown", "--cooldown", Some("24h"), Kind::Duration, "at most one reminder e-mail per customer within this (0: no limit)";
    /// The account's SES contact list (one per account): setup makes or adopts it.
    CONTACT_LIST: "contact_list", "--contact-list", None, Kind::Text, "the account's SES contact list (setup makes or adopts it)";
    /// The contact list's topic the reminders are sent under (the customer's subscription).
    MAIL_TOPIC: "mail_topic", "--topic", Some(DEFAULT_MAIL_TOPIC), Kind::Text, "the contact list's topic reminders are sent under";
    /// Who may be e-mailed: `implied` (all but who unsubscribed) or `required` (who consented).
    CONSENT: "consent", "--consent", Some("implied"), Kind::OneOf(&["implied", "required"]), "who is e-mailed: implied (all but who unsubscribed) or required (who consented)";
    /// The shop's postal address, shown in every reminder e-mail (CAN-SPAM).
    MAIL_POSTAL_ADDRESS: "mail_postal_address", "--postal-address", None, Kind::Text, "the shop's postal address, shown in every reminder e-mail";
    /// The SES configuration set reminders are sent through (its events come back).
    CONFIGURATION_SET: "configuration_set", "--configuration-set", None, Kind::Text, "the SES configuration set reminders go through (setup makes <prefix>-mail)";
    /// A shop template may leave out the unsubscribe link (only where the law allows it).
    ALLOW_NO_UNSUBSCRIBE_LINK: "allow_no_unsubscribe_link", "--allow-no-unsubscribe-link", Some("false"), Kind::OneOf(&["true", "false"]), "accept a template without unsubscribe_url";
    /// The share of customers who get no e-mail (the holdout group, which measures the uplift).
    HOLDOUT_PERCENT: "holdout_percent", "--holdout", Some("0"), Kind::Percent, "the share of customers (0 to 100) held out: reminded, never e-mailed";
    /// How long after a reminder a checkout counts as recovered by it.
    ATTRIBUTION_WINDOW: "attribution_window", "--attribution-window", Some("7d"), Kind::Duration, "a checkout this long after a reminder counts as recovered";
    /// The shop's API (`setup --api` writes it): the base URL its routes answer under.
    API_URL: "api_url", "setup --api", None, Kind::Text, "the shop's API (setup --api writes it)";
    /// How cartctl prints: text for people, json or ndjson for scripts.
    OUTPUT: "output", "--output", Some("text"), Kind::OneOf(&["text", "json", "ndjson"]), "how cartctl prints: text, json or ndjson";
}
