//! Requests in the JSON shape of the AWS APIs: what `--dry-run` prints, and what
//! `aws scheduler create-schedule --cli-input-json` and `aws events put-events --cli-input-json`
//! accept. The AWS layer turns the same values into SDK calls, so what is printed is what is sent.

use serde::{Deserialize, Serialize};

/// `State` of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScheduleState {
    /// The schedule fires.
    Enabled,
    /// The schedule is kept but does not fire.
    Disabled,
}

impl ScheduleState {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleState::Enabled => "ENABLED",
            ScheduleState::Disabled => "DISABLED",
        }
    }
}

/// `ActionAfterCompletion` of a one-time schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActionAfterCompletion {
    /// Keep the schedule after it fired.
    None,
    /// Delete the schedule after it fired.
    Delete,
}

impl ActionAfterCompletion {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionAfterCompletion::None => "NONE",
            ActionAfterCompletion::Delete => "DELETE",
        }
    }
}

/// `FlexibleTimeWindow.Mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlexibleMode {
    /// Fire at the exact time.
    Off,
    /// Fire within a window after the time.
    Flexible,
}

/// `FlexibleTimeWindow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlexibleTimeWindow {
    /// OFF or FLEXIBLE.
    pub mode: FlexibleMode,
    /// The window, with FLEXIBLE.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maximum_window_in_minutes: Option<u32>,
}

/// `Target.EventBridgeParameters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventBridgeParameters {
    /// The DetailType of the event the schedule puts.
    pub detail_type: String,
    /// The Source of the event the schedule puts.
    pub source: String,
}

/// `Target.RetryPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RetryPolicy {
    /// How long Scheduler keeps trying, in seconds.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maximum_event_age_in_seconds: Option<u32>,
    /// How many times Scheduler retries.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maximum_retry_attempts: Option<u32>,
}

/// `Target.DeadLetterConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeadLetterConfig {
    /// The SQS queue ARN.
    pub arn: String,
}

/// `Target` of a schedule whose target is an event bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Target {
    /// The event bus ARN.
    pub arn: String,
    /// The role Scheduler assumes to put the event.
    pub role_arn: String,
    /// The event detail, a JSON text.
    pub input: String,
    /// Source and DetailType of the event.
    pub event_bridge_parameters: EventBridgeParameters,
    /// Retries of the delivery.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retry_policy: Option<RetryPolicy>,
    /// Where undeliverable events go.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dead_letter_config: Option<DeadLetterConfig>,
}

/// The definition of a schedule: everything CreateSchedule and UpdateSchedule send but the
/// name, the group and the client token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScheduleDefinition {
    /// `at(YYYY-MM-DDTHH:MM:SS)`.
    pub schedule_expression: String,
    /// The IANA zone the expression is read in.
    pub schedule_expression_timezone: String,
    /// A free text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// ENABLED or DISABLED.
    pub state: ScheduleState,
    /// OFF, or a window.
    pub flexible_time_window: FlexibleTimeWindow,
    /// The event bus target.
    pub target: Target,
    /// DELETE or NONE.
    pub action_after_completion: ActionAfterCompletion,
}

/// A CreateSchedule (or UpdateSchedule) request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateScheduleRequest {
    /// The schedule name.
    pub name: String,
    /// The schedule group.
    pub group_name: String,
    /// Everything else.
    #[serde(flatten)]
    pub definition: ScheduleDefinition,
    /// Makes a retried create idempotent.
    pub client_token: String,
}

/// One entry of a PutEvents request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventsEntry {
    /// The event source.
    pub source: String,
    /// The event detail-type.
    pub detail_type: String,
    /// The event detail, a JSON object as text.
    pub detail: String,
    /// The bus name or ARN.
    pub event_bus_name: String,
    /// Resources the event is about.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub resources: Vec<String>,
}

impl PutEventsEntry {
    /// The size EventBridge counts against the 256 KB limit: the UTF-8 bytes of Source,
    /// DetailType, Detail and each resource.
    pub fn size(&self) -> usize {
        self.source.len()
            + self.detail_type.len()
            + self.detail.len()
            + self.resources.iter().map(String::len).sum::<usize>()
    }
}

/// A PutEvents request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEventsRequest {
    /// At most 10 entries, under 256 KB in all.
    pub entries: Vec<PutEventsEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_events_entry_size_counts_utf8_bytes() {
        let e = PutEventsEntry {
            source: "src".into(),
            detail_type: "dt".into(),
            detail: r#"{"u":"é"}"#.into(),
            event_bus_name: "a-long-bus-name-that-does-not-count".into(),
            resources: vec!["r1".into()],
        };
        assert_eq!(e.size(), 3 + 2 + 10 + 2);
    }

    #[test]
    fn create_request_serializes_in_api_shape() {
        let req = CreateScheduleRequest {
            name: "n".into(),
            group_name: "g".into(),
            definition: ScheduleDefinition {
                schedule_expression: "at(2026-11-30T08:00:00)".into(),
                schedule_expression_timezone: "UTC".into(),
                description: None,
                state: ScheduleState::Enabled,
                flexible_time_window: FlexibleTimeWindow {
                    mode: FlexibleMode::Off,
                    maximum_window_in_minutes: None,
                },
                target: Target {
                    arn: "bus".into(),
                    role_arn: "role".into(),
                    input: "{}".into(),
                    event_bridge_parameters: EventBridgeParameters {
                        detail_type: "dt".into(),
                        source: "s".into(),
                    },
                    retry_policy: None,
                    dead_letter_config: None,
                },
                action_after_completion: ActionAfterCompletion::Delete,
            },
            client_token: "t".into(),
        };
        let v = serde_json::to_value(&req).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "Name": "n", "GroupName": "g",
                "ScheduleExpression": "at(2026-11-30T08:00:00)",
                "ScheduleExpressionTimezone": "UTC",
                "State": "ENABLED",
                "FlexibleTimeWindow": {"Mode": "OFF"},
                "Target": {"Arn": "bus", "RoleArn": "role", "Input": "{}",
                           "EventBridgeParameters": {"DetailType": "dt", "Source": "s"}},
                "ActionAfterCompletion": "DELETE",
                "ClientToken": "t"
            })
        );
        let back: CreateScheduleRequest = serde_json::from_value(v).unwrap();
        assert_eq!(back, req);
    }
}
