//! What EventBridge Scheduler does when a schedule with an event-bus target is due, as its
//! user guide says: the invocation (the context attributes it substitutes in the Input), the
//! PutEvents entry it sends (the target's Source and DetailType, the Input as Detail, the
//! schedule's ARN as the resource), its retry policy, and which schedules it fires at all (never
//! a DISABLED one). `cartctl fire` runs these with the AWS library.

use chrono::{DateTime, Utc};

use crate::arn::parse_arn;
use crate::deadletter;
use crate::error::{Error, Result};
use crate::limits;
use crate::reminder::StoredSchedule;
use crate::shapes::{PutEventsEntry, ScheduleState};

/// The context attributes Scheduler replaces in a target's Input when it invokes it (Scheduler
/// user guide, "Adding context attributes").
/// Each starts with [`crate::reminder::CONTEXT_ATTRIBUTE_PREFIX`].
pub const CONTEXT_ATTRIBUTES: [&str; 4] = [
    "<aws.scheduler.schedule-arn>",
    "<aws.scheduler.scheduled-time>",
    "<aws.scheduler.execution-id>",
    "<aws.scheduler.attempt-number>",
];

/// One invocation of a schedule's target: what Scheduler substitutes for the context
/// attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The time the schedule was due (its `at()` time; for other expressions, the time fired).
    pub scheduled_time: DateTime<Utc>,
    /// The invocation's execution id ([`crate::ids::execution_id`]).
    pub execution_id: String,
    /// The attempt number, from 1.
    pub attempt: u32,
}

impl Invocation {
    /// The first attempt of firing `stored` now, with a fresh execution id.
    pub fn first(stored: &StoredSchedule, now: DateTime<Utc>) -> Invocation {
        Invocation {
            scheduled_time: stored.due().map_or(now, |d| d.utc()),
            execution_id: crate::ids::execution_id(),
            attempt: 1,
        }
    }

    /// `input` with the four context attributes replaced, as Scheduler does anywhere in it.
    pub fn substitute(&self, input: &str, schedule_arn: &str) -> String {
        let time = self.scheduled_time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let attempt = self.attempt.to_string();
        let values = [schedule_arn, &time, &self.execution_id, &attempt];
        CONTEXT_ATTRIBUTES
            .iter()
            .zip(values)
            .fold(input.to_owned(), |text, (key, value)| {
                text.replace(key, value)
            })
    }
}

/// The PutEvents entry Scheduler would send for `stored` in `invocation`; an error unless its
/// target is an event bus with EventBridge parameters.
pub fn event_for(stored: &StoredSchedule, invocation: &Invocation) -> Result<PutEventsEntry> {
    let t = &stored.definition.target;
    let is_bus = parse_arn(&t.arn)
        .is_some_and(|a| a.service == "events" && a.resource.starts_with("event-bus/"));
    if !is_bus || t.event_bridge_parameters.source.is_empty() {
        return Err(Error::invalid(
            "NAME",
            format!(
                "schedule `{}` targets {}, not an event bus",
                stored.name,
                if t.arn.is_empty() { "nothing" } else { &t.arn }
            ),
            "fire puts events on event buses only; invoke other targets with their own tools",
        ));
    }
    let entry = PutEventsEntry {
        source: t.event_bridge_parameters.source.clone(),
        detail_type: t.event_bridge_parameters.detail_type.clone(),
        detail: if t.input.is_empty() {
            "{}".into()
        } else {
            invocation.substitute(&t.input, &stored.arn)
        },
        event_bus_name: t.arn.clone(),
        resources: vec![stored.arn.clone()],
    };
    if entry.size() >= limits::PUT_EVENTS_MAX_BYTES {
        return Err(Error::invalid(
            "NAME",
            format!(
                "schedule `{}` has an input too large for one event",
                stored.name
            ),
            "shorten the schedule's input",
        ));
    }
    Ok(entry)
}

/// Refuses a DISABLED schedule unless `force`: Scheduler never fires a disabled schedule, so
/// firing one would send a reminder that would otherwise never be sent.
pub fn check_fireable(stored: &StoredSchedule, force: bool) -> Result<()> {
    if stored.definition.state == ScheduleState::Disabled && !force {
        return Err(Error::invalid(
            "state",
            format!(
                "schedule `{}` is DISABLED, and Scheduler never fires a disabled schedule",
                stored.name
            ),
            "enable it first, or force the fire",
        ));
    }
    Ok(())
}

/// The retry policy of a schedule's target, with Scheduler's defaults.
pub fn retry_limits(stored: &StoredSchedule) -> deadletter::RetryLimits {
    let policy = stored.definition.target.retry_policy.as_ref();
    deadletter::RetryLimits::of(
        policy.and_then(|p| p.maximum_retry_attempts),
        policy.and_then(|p| p.maximum_event_age_in_seconds),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::{
        ActionAfterCompletion, EventBridgeParameters, FlexibleMode, FlexibleTimeWindow,
        ScheduleDefinition, Target,
    };

    fn invocation() -> Invocation {
        Invocation {
            scheduled_time: "2030-01-01T00:00:00Z".parse().unwrap(),
            execution_id: "d32c5kddcf5bb8c3".into(),
            attempt: 1,
        }
    }

    fn stored(target_arn: &str, action: ActionAfterCompletion) -> StoredSchedule {
        StoredSchedule {
            arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/n".into(),
            name: "n".into(),
            group: "default".into(),
            definition: ScheduleDefinition {
                schedule_expression: "at(2030-01-01T00:00:00)".into(),
                schedule_expression_timezone: "UTC".into(),
                description: None,
                state: ScheduleState::Enabled,
                flexible_time_window: FlexibleTimeWindow {
                    mode: FlexibleMode::Off,
                    maximum_window_in_minutes: None,
                },
                target: Target {
                    arn: target_arn.into(),
                    role_arn: "r".into(),
                    input: r#"{"scheduled_event":"true","user":"a","product":"p"}"#.into(),
                    event_bridge_parameters: EventBridgeParameters {
                        detail_type: "item p added to Cart".into(),
                        source: "putToCartService".into(),
                    },
                    retry_policy: None,
                    dead_letter_config: None,
                },
                action_after_completion: action,
            },
            last_modified: None,
            extra_fields: vec![],
        }
    }

    #[test]
    fn the_event_is_what_scheduler_puts() {
        let bus = "arn:aws:events:us-east-1:123456789012:event-bus/shop";
        let e = event_for(&stored(bus, ActionAfterCompletion::Delete), &invocation()).unwrap();
        assert_eq!(e.event_bus_name, bus);
        assert_eq!(e.source, "putToCartService");
        assert_eq!(e.detail_type, "item p added to Cart");
        assert_eq!(
            e.detail,
            r#"{"scheduled_event":"true","user":"a","product":"p"}"#
        );
        assert_eq!(
            e.resources,
            vec!["arn:aws:scheduler:us-east-1:123456789012:schedule/default/n".to_owned()]
        );
    }

    #[test]
    fn only_bus_targets_can_be_fired() {
        let e = event_for(
            &stored(
                "arn:aws:sqs:us-east-1:123456789012:q",
                ActionAfterCompletion::Delete,
            ),
            &invocation(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not an event bus"), "{e}");
        assert!(e.is_invalid());
        assert!(
            event_for(
                &stored(
                    "arn:aws:events:us-east-1:123456789012:rule/x",
                    ActionAfterCompletion::None
                ),
                &invocation()
            )
            .is_err()
        );
    }

    #[test]
    fn context_attributes_are_substituted_as_scheduler_does() {
        let bus = "arn:aws:events:us-east-1:123456789012:event-bus/shop";
        let mut s = stored(bus, ActionAfterCompletion::Delete);
        s.definition.target.input = r#"{"a":"<aws.scheduler.schedule-arn>","t":"<aws.scheduler.scheduled-time>","x":"<aws.scheduler.execution-id>","n":"<aws.scheduler.attempt-number>","again":"<aws.scheduler.attempt-number>"}"#.into();
        // The scheduled time is the schedule's own at() time, in UTC with a Z.
        let inv = Invocation::first(&s, "2031-05-05T05:05:05Z".parse().unwrap());
        assert_eq!(inv.scheduled_time.to_rfc3339(), "2030-01-01T00:00:00+00:00");
        let e = event_for(&s, &inv).unwrap();
        let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
        assert_eq!(detail["a"], s.arn.as_str());
        assert_eq!(detail["t"], "2030-01-01T00:00:00Z");
        assert_eq!(detail["x"], inv.execution_id.as_str());
        assert_eq!(detail["n"], "1");
        assert_eq!(detail["again"], "1");
        assert!(!e.detail.contains("<aws.scheduler."));
    }

    #[test]
    fn disabled_schedules_need_force() {
        let bus = "arn:aws:events:us-east-1:123456789012:event-bus/shop";
        let mut s = stored(bus, ActionAfterCompletion::Delete);
        assert!(check_fireable(&s, false).is_ok());
        s.definition.state = ScheduleState::Disabled;
        let e = check_fireable(&s, false).unwrap_err();
        assert!(e.to_string().contains("DISABLED"), "{e}");
        assert!(e.to_string().starts_with("invalid state:"), "{e}");
        assert!(e.to_string().contains("force"), "{e}");
        assert!(check_fireable(&s, true).is_ok());
    }
}
