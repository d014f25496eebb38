//! The JSON log line of one record a consumer or a mailer handled, in a Lambda function's log
//! or from a worker: event id, kind, a hash of the user (never the user id or the address),
//! outcome and duration, for CloudWatch Logs Insights; the same line is a CloudWatch Embedded
//! Metric Format document (namespace `cartctl`, dimensions kind × outcome: records, reminders
//! scheduled and cancelled, e-mails by outcome, checkouts recovered), so a metric costs no API
//! call.

use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::consumer::Handled;
use crate::mailer::Mailed;
use cartctl_core::error::Result;
use cartctl_core::metrics::{self, Metric};
use cartctl_core::reminder::ReminderName;

/// One record's outcome, for the function's log.
pub struct Outcome<T> {
    /// The record's SQS message id.
    pub message_id: String,
    /// What the function did, or why it failed.
    pub result: Result<T>,
    /// How long it took.
    pub took: Duration,
}

impl<T> Outcome<T> {
    /// What became of the record `message`, from its timed handling.
    pub fn of(message: &crate::batch::Message, timed: crate::batch::Timed<T>) -> Self {
        Outcome {
            message_id: message.id.clone(),
            result: timed.result,
            took: timed.took,
        }
    }
}

/// What a record's log line says of what it became: the event, its kind, whose (as a hash)
/// and the outcome.
pub trait LogFields {
    /// The event's id.
    fn event_id(&self) -> &str;
    /// add, remove, checkout, reminder.
    fn kind(&self) -> String;
    /// The user, hashed before it is written.
    fn user(&self) -> &str;
    /// What became of it (created, sent, …).
    fn outcome(&self) -> String;
    /// The metrics it adds to the line besides the record's count.
    fn metrics(&self) -> Vec<Metric> {
        Vec::new()
    }
}

/// A serde enum's spelling (`"created"`).
fn spelled(v: impl Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl LogFields for Handled {
    fn event_id(&self) -> &str {
        &self.event_id
    }
    fn kind(&self) -> String {
        spelled(self.kind)
    }
    fn user(&self) -> &str {
        &self.user
    }
    fn outcome(&self) -> String {
        spelled(self.status)
    }
    fn metrics(&self) -> Vec<Metric> {
        use crate::schedule::ScheduleStatus;
        let count = |name, n: usize| Metric {
            name,
            value: n as f64,
            unit: "Count",
        };
        let scheduled = self
            .reminders
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    ScheduleStatus::Created
                        | ScheduleStatus::Replaced
                        | ScheduleStatus::Rescheduled
                )
            })
            .count();
        let mut m = vec![
            count("reminders_scheduled", scheduled),
            count("reminders_cancelled", self.deleted.unwrap_or(0) as usize),
        ];
        if let Some(a) = self.attribution {
            m.push(count(
                "recovered",
                usize::from(a == cartctl_core::recovery::Outcome::Recovered),
            ));
            m.push(count(
                "recovered_held_out",
                usize::from(a == cartctl_core::recovery::Outcome::RecoveredHeldOut),
            ));
        }
        m
    }
}

impl LogFields for Mailed {
    fn event_id(&self) -> &str {
        &self.event_id
    }
    fn kind(&self) -> String {
        "reminder".into()
    }
    fn user(&self) -> &str {
        &self.user
    }
    fn outcome(&self) -> String {
        spelled(self.status)
    }
}

/// The JSON log line of one record: the fields Logs Insights filters on, no personal data.
/// `request_id` is the Lambda invocation's (a worker has none).
pub fn log_line<T: LogFields>(
    request_id: Option<&str>,
    o: &Outcome<T>,
    at: chrono::DateTime<chrono::Utc>,
) -> Value {
    let mut line = json!({
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "messageId": o.message_id,
        "durationMs": o.took.as_millis() as u64,
    });
    if let Some(id) = request_id {
        line["requestId"] = json!(id);
    }
    match &o.result {
        Ok(h) => {
            line["level"] = json!("INFO");
            line["message"] = json!("record handled");
            line["eventId"] = json!(h.event_id());
            line["kind"] = json!(h.kind());
            line["userHash"] = json!(ReminderName::user_hash(h.user()));
            line["outcome"] = json!(h.outcome());
            metrics::embed(&mut line, at.timestamp_millis(), &h.metrics());
        }
        Err(e) => {
            line["level"] = json!("WARN");
            line["message"] = json!("record failed: SQS gives it back");
            line["outcome"] = json!("failed");
            line["kind"] = json!("unknown");
            line["error"] = json!(e.one_line());
            metrics::embed(&mut line, at.timestamp_millis(), &[]);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartctl_core::error::Error;

    #[test]
    fn a_log_line_names_the_record_without_personal_data() {
        let ok = Outcome {
            message_id: "m-1".into(),
            result: Ok(Mailed {
                event_id: "e-1".into(),
                user: "alice@example.com".into(),
                product: "sku-1".into(),
                stage: Some(2),
                to: "alice@example.com".into(),
                subject: "Your cart".into(),
                status: crate::mailer::Mailing::Sent,
                reason: None,
                message_id: Some("ses-1".into()),
            }),
            took: Duration::from_millis(42),
        };
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let line = log_line(Some("req-1"), &ok, at);
        assert_eq!(line["eventId"], "e-1");
        assert_eq!(line["outcome"], "sent");
        assert_eq!(line["kind"], "reminder");
        assert_eq!(line["durationMs"], 42);
        assert_eq!(line["level"], "INFO");
        assert_eq!(
            line["userHash"],
            ReminderName::user_hash("alice@example.com")
        );
        assert_eq!(line["timestamp"], "2026-12-07T10:00:00.000Z");
        assert!(!line.to_string().contains("alice"), "{line}");
        // The line is an EMF metric too: records by kind and outcome.
        assert_eq!(line["_aws"]["CloudWatchMetrics"][0]["Namespace"], "cartctl");
        assert_eq!(line["records"], 1);
        let failed = Outcome::<Mailed> {
            message_id: "m-2".into(),
            result: Err(Error::TimedOut("slow".into())),
            took: Duration::ZERO,
        };
        let line = log_line(None, &failed, at);
        assert!(line.get("requestId").is_none(), "{line}");
        assert_eq!(
            (line["outcome"].as_str(), line["level"].as_str()),
            (Some("failed"), Some("WARN"))
        );
    }
}
