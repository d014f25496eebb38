//! What SES tells of the reminders it sent: the email sending events a configuration set
//! publishes to EventBridge (source `aws.ses`; the detail is SES's event record: `eventType`,
//! `mail` with the message's tags, and `bounce`, `complaint`… by type). The mailer tags each
//! e-mail with the customer's ledger hash ([`TAG_CUSTOMER`]), so an event finds the customer
//! without their address.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::{Error, Result};

/// The source SES's events carry.
pub const SES_SOURCE: &str = "aws.ses";
/// The tag holding the customer's ledger hash (never their id or address).
pub const TAG_CUSTOMER: &str = "customer";
/// The tag holding the reminder's stage.
pub const TAG_STAGE: &str = "stage";
/// The tag holding a hash of the reminder's claim (which e-mail of which cart).
pub const TAG_REMINDER: &str = "reminder";
/// The tag SES adds naming the configuration set.
pub const TAG_CONFIGURATION_SET: &str = "ses:configuration-set";

/// The EventBridge detail-types of the events a configuration set sends for the event types
/// setup asks for (`BOUNCE`, `COMPLAINT`, `DELIVERY`, `REJECT`, `RENDERING_FAILURE`,
/// `SUBSCRIPTION`).
pub const DETAIL_TYPES: [&str; 6] = [
    "Email Bounced",
    "Email Complaint Received",
    "Email Delivered",
    "Email Rejected",
    "Email Rendering Failed",
    "Email Subscribed",
];

/// The event types setup asks the configuration set to publish (SES's `EventType`).
pub const EVENT_TYPES: [&str; 6] = [
    "BOUNCE",
    "COMPLAINT",
    "DELIVERY",
    "REJECT",
    "RENDERING_FAILURE",
    "SUBSCRIPTION",
];

/// What an event says happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailEventKind {
    /// A bounce: `permanent` for a hard one (the address does not exist), which marks the
    /// customer; a transient one does not.
    Bounce {
        /// SES's `bounceType` was `Permanent`.
        permanent: bool,
    },
    /// The recipient marked it as spam.
    Complaint,
    /// Delivered to the recipient's server.
    Delivery,
    /// Another type (`Reject`, `Rendering Failure`, `Subscription`, …), by SES's name.
    Other(String),
}

/// One email sending event, as the consumer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailEvent {
    /// The EventBridge event's id.
    pub id: String,
    /// What happened.
    pub kind: MailEventKind,
    /// When SES says it happened (the envelope's `time`).
    pub time: DateTime<Utc>,
    /// The customer's ledger hash, from the e-mail's tag (none: not one of cartctl's).
    pub customer: Option<String>,
    /// SES's message id.
    pub message_id: String,
}

impl MailEventKind {
    /// True if the customer is never e-mailed again after it.
    pub fn marks_undeliverable(&self) -> Option<&'static str> {
        match self {
            MailEventKind::Bounce { permanent: true } => Some("bounce"),
            MailEventKind::Complaint => Some("complaint"),
            _ => None,
        }
    }

    /// A short word for reports.
    pub fn word(&self) -> String {
        match self {
            MailEventKind::Bounce { permanent: true } => "bounce".into(),
            MailEventKind::Bounce { permanent: false } => "transient bounce".into(),
            MailEventKind::Complaint => "complaint".into(),
            MailEventKind::Delivery => "delivery".into(),
            MailEventKind::Other(t) => t.to_lowercase(),
        }
    }
}

/// True if an envelope is an SES event (its source is `aws.ses`).
pub fn is_mail_event(envelope: &Value) -> bool {
    envelope.get("source").and_then(Value::as_str) == Some(SES_SOURCE)
}

impl MailEvent {
    /// Reads an EventBridge envelope of an SES email sending event.
    pub fn parse(envelope: &Value) -> Result<MailEvent> {
        let bad = |why: &str| {
            Error::invalid(
                "message",
                format!("is not an SES email sending event: {why}"),
                "the mail-events rule delivers SES's events as EventBridge sends them",
            )
        };
        let id = envelope
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no event id"))?
            .to_owned();
        let time = envelope
            .get("time")
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .ok_or_else(|| bad("no time"))?
            .with_timezone(&Utc);
        let detail = envelope
            .get("detail")
            .filter(|d| d.is_object())
            .ok_or_else(|| bad("no detail object"))?;
        let event_type = detail
            .get("eventType")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no detail.eventType"))?;
        let kind = match event_type {
            "Bounce" => MailEventKind::Bounce {
                permanent: detail.pointer("/bounce/bounceType").and_then(Value::as_str)
                    == Some("Permanent"),
            },
            "Complaint" => MailEventKind::Complaint,
            "Delivery" => MailEventKind::Delivery,
            other => MailEventKind::Other(other.to_owned()),
        };
        let tag = |name: &str| {
            detail
                .pointer("/mail/tags")
                .and_then(|t| t.get(name))
                .and_then(Value::as_array)
                .and_then(|v| v.first())
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Ok(MailEvent {
            id,
            kind,
            time,
            customer: tag(TAG_CUSTOMER),
            message_id: detail
                .pointer("/mail/messageId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        })
    }
}

/// A tag's value as SES takes it: ASCII letters, digits, `_` and `-`, under 256 characters.
pub fn tag_value(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(255)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// SES's documented Bounce record (the SES Developer Guide's example of event data),
    /// in the EventBridge envelope SES sends it in, with cartctl's tags.
    fn bounce(bounce_type: &str) -> Value {
        json!({
            "version": "0", "id": "e-1", "detail-type": "Email Bounced", "source": "aws.ses",
            "account": "123456789012", "time": "2017-08-05T00:41:02Z", "region": "us-east-1",
            "resources": ["arn:aws:ses:us-east-1:123456789012:configuration-set/ConfigSet"],
            "detail": {
                "eventType": "Bounce",
                "bounce": {
                    "bounceType": bounce_type, "bounceSubType": "General",
                    "bouncedRecipients": [{"emailAddress": "recipient@example.com", "action": "failed", "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
                    "timestamp": "2017-08-05T00:41:02.669Z",
                    "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                    "reportingMTA": "dsn; mta.example.com"
                },
                "mail": {
                    "timestamp": "2017-08-05T00:40:02.012Z",
                    "source": "Sender Name <sender@example.com>",
                    "messageId": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
                    "destination": ["recipient@example.com"],
                    "tags": {"ses:configuration-set": ["ConfigSet"], "customer": ["abc"], "stage": ["1"]}
                }
            }
        })
    }

    #[test]
    fn a_hard_bounce_marks_the_customer_a_soft_one_does_not() {
        let e = MailEvent::parse(&bounce("Permanent")).unwrap();
        assert_eq!(e.kind, MailEventKind::Bounce { permanent: true });
        assert_eq!(e.customer.as_deref(), Some("abc"));
        assert!(e.message_id.starts_with("EXAMPLE7c191be45"));
        assert_eq!(e.kind.marks_undeliverable(), Some("bounce"));
        let soft = MailEvent::parse(&bounce("Transient")).unwrap();
        assert_eq!(soft.kind.marks_undeliverable(), None);
        assert!(is_mail_event(&bounce("Permanent")));
    }

    #[test]
    fn complaints_mark_deliveries_do_not_and_strangers_are_refused() {
        let mut c = bounce("Permanent");
        c["detail"]["eventType"] = json!("Complaint");
        assert_eq!(
            MailEvent::parse(&c).unwrap().kind.marks_undeliverable(),
            Some("complaint")
        );
        c["detail"]["eventType"] = json!("Delivery");
        assert_eq!(
            MailEvent::parse(&c).unwrap().kind.marks_undeliverable(),
            None
        );
        c["detail"]["mail"]["tags"] = json!({});
        assert_eq!(MailEvent::parse(&c).unwrap().customer, None);
        let e = MailEvent::parse(&json!({"source": "aws.ses"})).unwrap_err();
        assert!(e.is_invalid());
    }

    #[test]
    fn tag_values_keep_to_what_ses_accepts() {
        assert_eq!(tag_value("sku 1/ä"), "sku_1__");
        assert_eq!(tag_value(&"x".repeat(300)).len(), 255);
    }
}
