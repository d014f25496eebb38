//! Scheduler's dead-letter events: what Scheduler sends to a schedule's dead-letter queue when
//! it cannot invoke the target, as `fire` writes it and as `dlq` reads it back.
//!
//! The message body is the target's input as Scheduler passed it (context attributes
//! substituted); the message attributes, all of type String, are those the Scheduler user guide
//! lists under "Retrieve the dead-letter event" ([`ATTRIBUTES`]). `RETRY_ATTEMPTS` counts the
//! retries made within the schedule's retry policy, and `EXHAUSTED_RETRY_CONDITION` says which
//! limit of the policy ran out (`MaximumRetryAttempts` or `MaximumEventAgeInSeconds`); it is
//! absent for an error that is never retried (a missing bus, a denied permission). A
//! schedule of the default group has the ARN `…:schedule/<name>`, with no group.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{AwsError, AwsErrorKind};
use crate::reminder::Cart;

/// The message attributes of a Scheduler dead-letter event, in one place.
pub const ATTRIBUTES: [&str; 9] = [
    "ERROR_CODE",
    "ERROR_MESSAGE",
    "EXECUTION_ID",
    "EXHAUSTED_RETRY_CONDITION",
    "IS_PAYLOAD_TRUNCATED",
    "RETRY_ATTEMPTS",
    "SCHEDULED_TIME",
    "SCHEDULE_ARN",
    "TARGET_ARN",
];

/// A dead-letter event to send: its body and its attributes (name, value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterMessage {
    /// The target's input, as Scheduler passed it.
    pub body: String,
    /// The attributes, in [`ATTRIBUTES`] order (`EXHAUSTED_RETRY_CONDITION` only when retries
    /// ran out).
    pub attributes: Vec<(&'static str, String)>,
}

/// The limits of a target's retry policy, as Scheduler applies them (its defaults when the
/// schedule sets none: 185 retries, 24 hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryLimits {
    /// MaximumRetryAttempts.
    pub max_retries: u32,
    /// MaximumEventAgeInSeconds.
    pub max_age_secs: u32,
}

impl RetryLimits {
    /// The limits of a policy that may leave either unset.
    pub fn of(max_retries: Option<u32>, max_age_secs: Option<u32>) -> RetryLimits {
        RetryLimits {
            max_retries: max_retries.unwrap_or(185),
            max_age_secs: max_age_secs.unwrap_or(86_400),
        }
    }

    /// Which limit stopped the retries of an invocation retried `retries` times when the event
    /// was `age_secs` old; `None` if neither did (the retries stopped for another reason).
    pub fn exhausted(&self, retries: u32, age_secs: u64) -> Option<&'static str> {
        if retries >= self.max_retries {
            Some("MaximumRetryAttempts")
        } else if age_secs >= u64::from(self.max_age_secs) {
            Some("MaximumEventAgeInSeconds")
        } else {
            None
        }
    }
}

/// What Scheduler knew when the invocation failed.
#[derive(Debug, Clone)]
pub struct FailedInvocation<'a> {
    /// The schedule's ARN.
    pub schedule_arn: &'a str,
    /// The target's ARN (the bus).
    pub target_arn: &'a str,
    /// The input sent to the target.
    pub input: &'a str,
    /// The invocation's execution id.
    pub execution_id: &'a str,
    /// When the schedule was due.
    pub scheduled_time: DateTime<Utc>,
    /// Retries made after the first attempt.
    pub retries: u32,
    /// The retry policy's limit that ran out, if one did.
    pub exhausted: Option<&'static str>,
}

/// True if Scheduler would send the invocation to the dead-letter queue after this error: the
/// target answered and refused for good, or kept failing until the retries ran out. A request
/// that never reached the service (no network, no credentials) is not the target's failure.
pub fn dead_letters(e: &AwsError) -> bool {
    !matches!(
        e.kind,
        AwsErrorKind::Network
            | AwsErrorKind::Unreachable
            | AwsErrorKind::Credentials
            | AwsErrorKind::Config
    )
}

/// The dead-letter event of an invocation that failed with `error`.
pub fn message(inv: &FailedInvocation<'_>, error: &AwsError) -> DeadLetterMessage {
    let retried = error.is_retryable();
    let mut attributes = Vec::with_capacity(ATTRIBUTES.len());
    for name in ATTRIBUTES {
        let value = match name {
            "ERROR_CODE" => error.code.clone(),
            "ERROR_MESSAGE" => error.message.clone(),
            "EXECUTION_ID" => inv.execution_id.to_owned(),
            "EXHAUSTED_RETRY_CONDITION" => match inv.exhausted.filter(|_| retried) {
                Some(condition) => condition.to_owned(),
                None => continue,
            },
            "IS_PAYLOAD_TRUNCATED" => "false".to_owned(),
            "RETRY_ATTEMPTS" => if retried { inv.retries } else { 0 }.to_string(),
            "SCHEDULED_TIME" => inv.scheduled_time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "SCHEDULE_ARN" => inv.schedule_arn.to_owned(),
            "TARGET_ARN" => inv.target_arn.to_owned(),
            _ => unreachable!("every attribute is listed"),
        };
        if !value.is_empty() {
            attributes.push((name, value));
        }
    }
    DeadLetterMessage {
        body: inv.input.to_owned(),
        attributes,
    }
}

/// A dead-letter event read back from the queue, in the shape of `dlq list`'s JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadLetterEvent {
    /// The SQS message id.
    pub message_id: String,
    /// The schedule's ARN.
    pub schedule_arn: String,
    /// The schedule's group and name (from the ARN).
    pub group: String,
    /// The schedule's name.
    pub name: String,
    /// The target (bus) ARN.
    pub target_arn: String,
    /// The reminder's user, when the body is a cartctl reminder.
    pub user: Option<String>,
    /// The reminder's product.
    pub product: Option<String>,
    /// The target's error code.
    pub error_code: String,
    /// The target's error message.
    pub error_message: String,
    /// Retries made before giving up.
    pub retry_attempts: u32,
    /// `MaximumRetryAttempts` or `MaximumEventAgeInSeconds` when the retries ran out.
    pub exhausted_retry_condition: Option<String>,
    /// When the schedule was due.
    pub scheduled_time: String,
    /// True if Scheduler cut the body (`IS_PAYLOAD_TRUNCATED`): it is not the reminder's whole
    /// input, so it is never put back on the bus.
    pub payload_truncated: bool,
    /// How many times the message was received (SQS's ApproximateReceiveCount).
    pub receive_count: u32,
    /// The body: the input the target was to get.
    #[serde(skip)]
    pub body: String,
    /// The receipt handle of this receipt.
    #[serde(skip)]
    pub receipt: String,
}

/// A message as SQS returned it: id, receipt, body, message attributes (String values) and
/// system attributes.
#[derive(Debug, Clone, Default)]
pub struct ReceivedMessage {
    /// The message id.
    pub message_id: String,
    /// The receipt handle.
    pub receipt: String,
    /// The body.
    pub body: String,
    /// Message attributes with a string value.
    pub attributes: Vec<(String, String)>,
    /// ApproximateReceiveCount.
    pub receive_count: u32,
}

impl DeadLetterEvent {
    /// Reads a Scheduler dead-letter event; `None` for any other message (no `SCHEDULE_ARN`).
    pub fn parse(m: &ReceivedMessage) -> Option<DeadLetterEvent> {
        let get = |k: &str| {
            m.attributes
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.clone())
        };
        let schedule_arn = get("SCHEDULE_ARN")?;
        let path = schedule_arn.split_once(":schedule/")?.1;
        // `…:schedule/<name>` is a schedule of the default group (as AWS's own example has it).
        let (group, name) = path.split_once('/').unwrap_or(("default", path));
        let cart = Cart::from_reminder_input(&m.body);
        Some(DeadLetterEvent {
            message_id: m.message_id.clone(),
            group: group.to_owned(),
            name: name.to_owned(),
            target_arn: get("TARGET_ARN").unwrap_or_default(),
            user: cart.as_ref().map(|c| c.user.clone()),
            product: cart.map(|c| c.product),
            error_code: get("ERROR_CODE").unwrap_or_default(),
            error_message: get("ERROR_MESSAGE").unwrap_or_default(),
            retry_attempts: get("RETRY_ATTEMPTS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            exhausted_retry_condition: get("EXHAUSTED_RETRY_CONDITION"),
            scheduled_time: get("SCHEDULED_TIME").unwrap_or_default(),
            payload_truncated: get("IS_PAYLOAD_TRUNCATED").is_some_and(|v| v == "true"),
            receive_count: m.receive_count,
            schedule_arn,
            body: m.body.clone(),
            receipt: m.receipt.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: AwsErrorKind, code: &str) -> AwsError {
        AwsError {
            operation: "PutEvents",
            kind,
            code: code.into(),
            message: "Event bus shop does not exist.".into(),
            fix: String::new(),
        }
    }

    fn invocation() -> FailedInvocation<'static> {
        FailedInvocation {
            schedule_arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/carts/cart-a-b",
            target_arn: "arn:aws:events:us-east-1:123456789012:event-bus/shop",
            input: r#"{"scheduled_event":"true","user":"alice","product":"sku-1"}"#,
            execution_id: "x-1",
            scheduled_time: "2030-01-01T00:00:00Z".parse().unwrap(),
            retries: 3,
            exhausted: Some("MaximumRetryAttempts"),
        }
    }

    #[test]
    fn a_missing_bus_is_dead_lettered_at_once_without_a_retry_condition() {
        let e = error(AwsErrorKind::NotFound, "ResourceNotFoundException");
        assert!(dead_letters(&e));
        let m = message(&invocation(), &e);
        let names: Vec<&str> = m.attributes.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "ERROR_CODE",
                "ERROR_MESSAGE",
                "EXECUTION_ID",
                "IS_PAYLOAD_TRUNCATED",
                "RETRY_ATTEMPTS",
                "SCHEDULED_TIME",
                "SCHEDULE_ARN",
                "TARGET_ARN"
            ]
        );
        assert!(m.attributes.contains(&("RETRY_ATTEMPTS", "0".into())));
        assert!(
            m.attributes
                .contains(&("SCHEDULED_TIME", "2030-01-01T00:00:00Z".into()))
        );
        assert_eq!(m.body, invocation().input);
    }

    #[test]
    fn exhausted_retries_say_so_and_network_failures_are_not_the_targets() {
        let m = message(
            &invocation(),
            &error(AwsErrorKind::Throttling, "ThrottlingException"),
        );
        assert!(
            m.attributes
                .contains(&("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts".into()))
        );
        assert!(m.attributes.contains(&("RETRY_ATTEMPTS", "3".into())));
        assert!(!dead_letters(&error(AwsErrorKind::Network, "Timeout")));
        assert!(!dead_letters(&error(
            AwsErrorKind::Credentials,
            "NoCredentials"
        )));
    }

    #[test]
    fn the_retry_policy_says_which_limit_ran_out() {
        let limits = RetryLimits::of(Some(3), None);
        assert_eq!(limits.exhausted(3, 10), Some("MaximumRetryAttempts"));
        assert_eq!(
            limits.exhausted(1, 86_400),
            Some("MaximumEventAgeInSeconds")
        );
        assert_eq!(limits.exhausted(1, 10), None);
        assert_eq!(RetryLimits::of(None, None).max_retries, 185);
        let once = RetryLimits::of(Some(0), Some(60));
        assert_eq!(once.exhausted(0, 0), Some("MaximumRetryAttempts"));
        // Given up before the policy ran out: no condition is claimed.
        let inv = FailedInvocation {
            exhausted: None,
            ..invocation()
        };
        let m = message(&inv, &error(AwsErrorKind::ServerError, "InternalException"));
        assert!(
            !m.attributes
                .iter()
                .any(|(n, _)| *n == "EXHAUSTED_RETRY_CONDITION")
        );
        assert!(m.attributes.contains(&("RETRY_ATTEMPTS", "3".into())));
    }

    #[test]
    fn a_schedule_of_the_default_group_has_no_group_in_its_arn() {
        let received = ReceivedMessage {
            attributes: vec![
                (
                    "SCHEDULE_ARN".into(),
                    "arn:aws:scheduler:us-west-2:123456789012:schedule/DLQ-test".into(),
                ),
                ("IS_PAYLOAD_TRUNCATED".into(), "true".into()),
            ],
            ..ReceivedMessage::default()
        };
        let e = DeadLetterEvent::parse(&received).unwrap();
        assert_eq!((e.group.as_str(), e.name.as_str()), ("default", "DLQ-test"));
        assert!(e.payload_truncated);
    }

    #[test]
    fn dead_letter_events_read_back_and_foreign_messages_do_not() {
        let m = message(
            &invocation(),
            &error(AwsErrorKind::NotFound, "ResourceNotFoundException"),
        );
        let received = ReceivedMessage {
            message_id: "m-1".into(),
            receipt: "r-1".into(),
            body: m.body.clone(),
            attributes: m
                .attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            receive_count: 2,
        };
        let e = DeadLetterEvent::parse(&received).unwrap();
        assert_eq!((e.group.as_str(), e.name.as_str()), ("carts", "cart-a-b"));
        assert_eq!(e.user.as_deref(), Some("alice"));
        assert_eq!(e.error_code, "ResourceNotFoundException");
        assert_eq!(e.retry_attempts, 0);
        assert_eq!(e.receive_count, 2);
        let foreign = ReceivedMessage {
            body: "hello".into(),
            ..ReceivedMessage::default()
        };
        assert!(DeadLetterEvent::parse(&foreign).is_none());
    }
}
