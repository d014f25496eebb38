//! The settings every front end of cartctl shares (the CLI, the Lambda functions), by their
//! keys: the key is a setting's name in a config file and in errors the library reports about
//! it, and `CARTCTL_<KEY>` is its environment variable. A front end shows a key its own way:
//! the CLI as its flag, a Lambda as its variable.

use crate::reminder::{DEFAULT_DETAIL_TYPE, DEFAULT_SOURCE};

/// A shared setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// Its key (`event_bus`).
    pub key: &'static str,
    /// Its default, if it has one.
    pub default: Option<&'static str>,
}

impl Setting {
    /// Its environment variable: `CARTCTL_` and the key in upper case.
    pub fn env_var(&self) -> String {
        env_var(self.key)
    }
}

/// The environment variable of the setting `key`.
pub fn env_var(key: &str) -> String {
    format!("CARTCTL_{}", key.to_ascii_uppercase())
}

/// The event bus (a name or an ARN).
pub const EVENT_BUS: Setting = Setting {
    key: "event_bus",
    default: Some("default"),
};
/// The schedule group.
pub const SCHEDULE_GROUP: Setting = Setting {
    key: "schedule_group",
    default: Some("default"),
};
/// The role Scheduler assumes to put the reminder.
pub const SCHEDULER_ROLE_ARN: Setting = Setting {
    key: "scheduler_role_arn",
    default: None,
};
/// The reminders' dead-letter queue.
pub const DLQ_ARN: Setting = Setting {
    key: "dlq_arn",
    default: None,
};
/// The source of cart events and reminders.
pub const SOURCE: Setting = Setting {
    key: "source",
    default: Some(DEFAULT_SOURCE),
};
/// The detail-type template of add-to-cart events and reminders.
pub const DETAIL_TYPE: Setting = Setting {
    key: "detail_type",
    default: Some(DEFAULT_DETAIL_TYPE),
};

/// The detail-type template of an item removed from a cart.
pub const REMOVED_DETAIL_TYPE: Setting = Setting {
    key: "removed_detail_type",
    default: Some(crate::event::DEFAULT_REMOVED_DETAIL_TYPE),
};
/// The detail-type template of a checked-out cart.
pub const CHECKOUT_DETAIL_TYPE: Setting = Setting {
    key: "checkout_detail_type",
    default: Some(crate::event::DEFAULT_CHECKOUT_DETAIL_TYPE),
};
/// The consumer's delay from an add-to-cart event to its reminder: a duration, or a list of
/// them for stages (`30m,4h,1d`).
pub const REMIND_AFTER: Setting = Setting {
    key: "remind_after",
    default: Some("1d"),
};
/// Quiet hours no reminder falls in (`21:00-08:00`).
pub const QUIET_HOURS: Setting = Setting {
    key: "quiet_hours",
    default: None,
};
/// The customers' time zone when an event names none.
pub const TIMEZONE: Setting = Setting {
    key: "timezone",
    default: Some("UTC"),
};
/// The consumer's queue (a name or a URL).
pub const CARTS_QUEUE: Setting = Setting {
    key: "carts_queue",
    default: None,
};
/// The mailer's queue (a name or a URL): the e-mail queue fired reminders reach.
pub const EMAIL_QUEUE: Setting = Setting {
    key: "email_queue",
    default: None,
};
/// The e-mail's sender: an address with an SES identity, or `Name <address>`.
pub const MAIL_FROM: Setting = Setting {
    key: "mail_from",
    default: None,
};
/// The reminder key holding the customer's address.
pub const RECIPIENT_FIELD: Setting = Setting {
    key: "recipient_field",
    default: Some(crate::mail::DEFAULT_RECIPIENT_FIELD),
};
/// The e-mail template file (TOML: subject, text, html); the built-in one when unset.
pub const MAIL_TEMPLATE: Setting = Setting {
    key: "mail_template",
    default: None,
};
/// Batches of the mailer at once (its mapping's `MaximumConcurrency`): each mailer paces its
/// sends to the account's send rate divided by this.
pub const MAILER_CONCURRENCY: Setting = Setting {
    key: "mailer_concurrency",
    default: Some("1"),
};
/// The shop's API (`setup --api` writes it): the base URL its routes answer under.
pub const API_URL: Setting = Setting {
    key: "api_url",
    default: None,
};

/// Every shared setting.
pub const ALL: [Setting; 18] = [
    EVENT_BUS,
    SCHEDULE_GROUP,
    SCHEDULER_ROLE_ARN,
    DLQ_ARN,
    SOURCE,
    DETAIL_TYPE,
    REMOVED_DETAIL_TYPE,
    CHECKOUT_DETAIL_TYPE,
    REMIND_AFTER,
    QUIET_HOURS,
    TIMEZONE,
    CARTS_QUEUE,
    EMAIL_QUEUE,
    MAIL_FROM,
    RECIPIENT_FIELD,
    MAIL_TEMPLATE,
    MAILER_CONCURRENCY,
    API_URL,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_the_keys_in_upper_case() {
        assert_eq!(SCHEDULER_ROLE_ARN.env_var(), "CARTCTL_SCHEDULER_ROLE_ARN");
        assert_eq!(EVENT_BUS.env_var(), "CARTCTL_EVENT_BUS");
        let keys: std::collections::BTreeSet<_> = ALL.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), ALL.len(), "keys are unique");
    }
}
