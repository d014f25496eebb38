//! The e-mail a fired reminder becomes: who sends it (`mail_from`), to whom (the reminder's
//! `email`, or the `recipient_field` setting, else the user id when it is an address), and
//! what it says (a template of a subject, a text body and an HTML body, rendered with
//! minijinja from the reminder's fields). Everything here is checked before the first
//! request: a malformed address, a template that does not parse or names an unknown variable.

mod address;
pub mod consent;
pub mod events;
pub mod template;

pub use address::{Address, Sender};
pub use consent::Consent;
pub use template::{KNOWN_VARIABLES, MailTemplate, Rendered};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::reminder::{Cart, Stage};
use crate::setting;

/// The reminder key that holds the customer's address unless `recipient_field` says another.
pub use crate::setting::DEFAULT_RECIPIENT_FIELD;

/// The mailer's settings, checked.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// Who sends (`mail_from`): an address, or `Name <address>`.
    pub from: Sender,
    /// The reminder key holding the customer's address.
    pub recipient_field: String,
    /// What the e-mail says.
    pub template: MailTemplate,
    /// Mailers sending at once on the account (`mailer_concurrency`): each paces itself to
    /// the account's send rate divided by this.
    pub concurrency: u32,
    /// The cart ledger's table (`ledger_table`).
    pub ledger_table: String,
    /// How long the ledger keeps a claim (`retention`).
    pub retention: std::time::Duration,
    /// The share of customers held out (`holdout_percent`): reminded, never e-mailed.
    pub holdout_percent: f64,
    /// At most one reminder e-mail per customer within this (`cooldown`; zero: no limit).
    pub cooldown: std::time::Duration,
    /// How the customers' subscriptions are kept and read.
    pub lists: MailLists,
    /// The shop's postal address (`mail_postal_address`), shown in every e-mail.
    pub postal_address: String,
}

/// Where the customers' subscriptions live and where the e-mails' events go: SES's list
/// management and configuration set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLists {
    /// The account's contact list (`contact_list`).
    pub contact_list: String,
    /// Its topic of cart reminders (`mail_topic`).
    pub topic: String,
    /// The consent regime (`consent`).
    pub consent: Consent,
    /// The configuration set the e-mails go through (`configuration_set`).
    pub configuration_set: String,
}

impl MailLists {
    /// Reads the settings; a missing list or configuration set names `setup`.
    pub fn resolve(get: &impl Fn(&setting::Setting) -> Option<String>) -> Result<MailLists> {
        let required = |s: &setting::Setting| {
            get(s).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                Error::invalid(
                    s.key,
                    "is not set",
                    "run cartctl setup --mail-from ADDRESS (it makes the contact list and the configuration set and writes both)",
                )
            })
        };
        let or_default = |s: &setting::Setting| {
            get(s)
                .or_else(|| s.default.map(str::to_owned))
                .unwrap_or_default()
        };
        Ok(MailLists {
            contact_list: required(&setting::CONTACT_LIST)?,
            topic: or_default(&setting::MAIL_TOPIC),
            consent: Consent::parse(setting::CONSENT.key, &or_default(&setting::CONSENT))?,
            configuration_set: required(&setting::CONFIGURATION_SET)?,
        })
    }
}

impl MailSettings {
    /// Reads the settings (`get` gives a setting's value; `read` reads the template file a
    /// `mail_template` setting names). Errors name their keys.
    pub fn resolve(
        get: impl Fn(&setting::Setting) -> Option<String>,
        read: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<MailSettings> {
        let from = get(&setting::MAIL_FROM).ok_or_else(|| {
            Error::invalid(
                setting::MAIL_FROM.key,
                "is not set",
                "give the sender's address (setup --mail-from ADDRESS makes its SES identity and writes mail_from)",
            )
        })?;
        let from = Sender::parse(setting::MAIL_FROM.key, &from)?;
        let recipient_field =
            get(&setting::RECIPIENT_FIELD).unwrap_or_else(|| DEFAULT_RECIPIENT_FIELD.to_owned());
        if recipient_field.trim().is_empty() || recipient_field.contains(char::is_whitespace) {
            return Err(Error::invalid(
                setting::RECIPIENT_FIELD.key,
                format!("`{recipient_field}` is not a key"),
                "give the reminder's key that holds the address, such as email",
            ));
        }
        let template = match get(&setting::MAIL_TEMPLATE) {
            None => MailTemplate::builtin(),
            Some(path) => {
                let text = read(&path).map_err(|e| {
                    Error::invalid(
                        setting::MAIL_TEMPLATE.key,
                        format!("cannot read {path}: {e}"),
                        "give a readable template file (cartctl worker mailer --print-template prints the built-in one)",
                    )
                })?;
                MailTemplate::parse(setting::MAIL_TEMPLATE.key, &text)?
            }
        };
        if get(&setting::ALLOW_NO_UNSUBSCRIBE_LINK).as_deref() != Some("true") {
            template.check_unsubscribe_link(setting::MAIL_TEMPLATE.key)?;
        }
        let postal_address = get(&setting::MAIL_POSTAL_ADDRESS)
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                Error::invalid(
                    setting::MAIL_POSTAL_ADDRESS.key,
                    "is not set: a commercial e-mail shows the sender's postal address",
                    "give the shop's postal address (setup --postal-address \"…\" writes it)",
                )
            })?;
        let concurrency = match get(&setting::MAILER_CONCURRENCY) {
            Some(text) => crate::config::parse_count(setting::MAILER_CONCURRENCY.key, &text)?,
            None => 1,
        };
        let duration = |s: &setting::Setting| {
            let text = get(s)
                .or_else(|| s.default.map(str::to_owned))
                .unwrap_or_default();
            crate::config::parse_duration_or_zero(s.key, &text)
        };
        Ok(MailSettings {
            from,
            recipient_field,
            template,
            concurrency,
            ledger_table: crate::consumer::ledger_table(get(&setting::LEDGER_TABLE))?,
            retention: duration(&setting::RETENTION)?,
            cooldown: duration(&setting::COOLDOWN)?,
            lists: MailLists::resolve(&get)?,
            postal_address,
            holdout_percent: match get(&setting::HOLDOUT_PERCENT) {
                Some(text) => crate::recovery::parse_percent(setting::HOLDOUT_PERCENT.key, &text)?,
                None => 0.0,
            },
        })
    }
}

/// A fired reminder, as the mailer receives it: the event's id and the reminder's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct FiredReminder {
    /// The EventBridge event's id (the same when SQS delivers it again).
    pub event_id: String,
    /// The cart.
    pub cart: Cart,
    /// Its stage, if it has several.
    pub stage: Option<Stage>,
    /// Every other key of the reminder (what the add-to-cart event carried).
    pub detail: Map<String, Value>,
}

impl FiredReminder {
    /// Its stage's number: 1 for a reminder without stages.
    pub fn stage_number(&self) -> u32 {
        self.stage.map_or(1, |s| s.number)
    }

    /// Reads a message body: the EventBridge event a reminder put on the bus, whose detail
    /// is the reminder's Input.
    pub fn parse(body: &str) -> Result<FiredReminder> {
        let not = |why: &str| {
            Error::invalid(
                "message",
                format!("is not a fired reminder: {why}"),
                "the e-mail queue takes the reminders the e-mail rule matches (detail.scheduled_event = \"true\")",
            )
        };
        let envelope: Value = serde_json::from_str(body).map_err(|_| not("not JSON"))?;
        let event_id = envelope
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| not("no event id"))?
            .to_owned();
        let detail = envelope
            .get("detail")
            .filter(|d| d.is_object())
            .ok_or_else(|| not("no detail object"))?;
        let (cart, extras) = Cart::parse_reminder_input(&detail.to_string())
            .ok_or_else(|| not("its detail has no scheduled_event, user and product"))?;
        Ok(FiredReminder {
            event_id,
            cart,
            stage: extras.stage,
            detail: extras.detail,
        })
    }

    /// The time of the add that made it, for a consumer's reminder (`added_at`); a reminder
    /// made by hand has none.
    pub fn added_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let t = self.detail.get(crate::consumer::ADDED_AT)?.as_str()?;
        Some(
            chrono::DateTime::parse_from_rfc3339(t)
                .ok()?
                .with_timezone(&chrono::Utc),
        )
    }

    /// The customer's address: the detail's `field`, else the user id when it is one.
    pub fn recipient(&self, field: &str) -> Result<Address> {
        match self.detail.get(field) {
            Some(Value::String(s)) => Address::parse(&format!("detail.{field}"), s),
            Some(other) => Err(Error::invalid(
                format!("detail.{field}"),
                format!("is {other}, not an address"),
                "put the customer's address in the add-to-cart event as a string",
            )),
            None => Address::parse("user", &self.cart.user).map_err(|_| {
                Error::invalid(
                    format!("detail.{field}"),
                    format!(
                        "is missing, and the user `{}` is not an address",
                        self.cart.user
                    ),
                    format!(
                        "put the customer's address in the add-to-cart event (--detail '{{\"{field}\":\"…\"}}')"
                    ),
                )
            }),
        }
    }

    /// The template's variables.
    pub fn context(&self, to: &Address, postal_address: &str) -> Value {
        let (stage, stages) = self.stage.map_or((1, 1), |s| (s.number, s.total));
        serde_json::json!({
            "user": self.cart.user,
            "product": self.cart.product,
            "stage": stage,
            "stages": stages,
            "to": to.as_str(),
            "detail": self.detail,
            "unsubscribe_url": template::UNSUBSCRIBE_PLACEHOLDER,
            "postal_address": postal_address,
        })
    }
}

#[cfg(test)]
mod tests;
