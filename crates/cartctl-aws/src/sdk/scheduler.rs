//! EventBridge Scheduler calls: the request shapes of [`cartctl_core::shapes`] turned into SDK calls,
//! and stored schedules turned back into those shapes.

use aws_sdk_scheduler::Client;
use aws_sdk_scheduler::types as sdk;
use chrono::{DateTime, Utc};

use super::aws_err;
use cartctl_core::error::{Error, Result};
use cartctl_core::reminder::StoredSchedule;
use cartctl_core::shapes::{
    ActionAfterCompletion, CreateScheduleRequest, DeadLetterConfig, EventBridgeParameters,
    FlexibleMode, FlexibleTimeWindow, RetryPolicy, ScheduleDefinition, ScheduleState, Target,
};

/// The group every account has.
pub const DEFAULT_GROUP: &str = "default";

fn sdk_state(s: ScheduleState) -> sdk::ScheduleState {
    match s {
        ScheduleState::Enabled => sdk::ScheduleState::Enabled,
        ScheduleState::Disabled => sdk::ScheduleState::Disabled,
    }
}

fn sdk_action(a: ActionAfterCompletion) -> sdk::ActionAfterCompletion {
    match a {
        ActionAfterCompletion::None => sdk::ActionAfterCompletion::None,
        ActionAfterCompletion::Delete => sdk::ActionAfterCompletion::Delete,
    }
}

fn sdk_window(w: &FlexibleTimeWindow) -> sdk::FlexibleTimeWindow {
    sdk::FlexibleTimeWindow::builder()
        .mode(match w.mode {
            FlexibleMode::Off => sdk::FlexibleTimeWindowMode::Off,
            FlexibleMode::Flexible => sdk::FlexibleTimeWindowMode::Flexible,
        })
        .set_maximum_window_in_minutes(w.maximum_window_in_minutes.map(|m| m as i32))
        .build()
        .expect("mode is set")
}

fn sdk_target(t: &Target) -> sdk::Target {
    sdk::Target::builder()
        .arn(&t.arn)
        .role_arn(&t.role_arn)
        .input(&t.input)
        .event_bridge_parameters(
            sdk::EventBridgeParameters::builder()
                .detail_type(&t.event_bridge_parameters.detail_type)
                .source(&t.event_bridge_parameters.source)
                .build()
                .expect("detail type and source are set"),
        )
        .set_retry_policy(t.retry_policy.as_ref().map(|r| {
            sdk::RetryPolicy::builder()
                .set_maximum_event_age_in_seconds(r.maximum_event_age_in_seconds.map(|v| v as i32))
                .set_maximum_retry_attempts(r.maximum_retry_attempts.map(|v| v as i32))
                .build()
        }))
        .set_dead_letter_config(
            t.dead_letter_config
                .as_ref()
                .map(|d| sdk::DeadLetterConfig::builder().arn(&d.arn).build()),
        )
        .build()
        .expect("arn and role are set")
}

/// Sets every field of a CreateSchedule or UpdateSchedule builder from the request (the two
/// builders are distinct types with the same setters).
macro_rules! with_request {
    ($builder:expr, $req:expr) => {{
        let req: &CreateScheduleRequest = $req;
        let d = &req.definition;
        $builder
            .name(&req.name)
            .group_name(&req.group_name)
            .schedule_expression(&d.schedule_expression)
            .schedule_expression_timezone(&d.schedule_expression_timezone)
            .set_description(d.description.clone())
            .state(sdk_state(d.state))
            .flexible_time_window(sdk_window(&d.flexible_time_window))
            .target(sdk_target(&d.target))
            .action_after_completion(sdk_action(d.action_after_completion))
            .client_token(&req.client_token)
    }};
}

/// One attempt, no SDK retry: cartctl retries writes itself, so that it knows when an answer
/// was lost (and the write may have been applied). Adaptive pacing still applies.
fn single_attempt() -> aws_sdk_scheduler::config::Builder {
    aws_sdk_scheduler::config::Builder::default().retry_config(super::write_retry_config())
}

/// CreateSchedule; returns the new schedule's ARN.
pub async fn create(client: &Client, req: &CreateScheduleRequest) -> Result<String> {
    let out = with_request!(client.create_schedule(), req)
        .customize()
        .config_override(single_attempt())
        .send()
        .await
        .map_err(aws_err("CreateSchedule"))?;
    Ok(out.schedule_arn().to_owned())
}

/// UpdateSchedule with the full definition (fields left out would be reset) and a ClientToken of
/// its own (a create's token would be answered with the create's result); returns the ARN.
pub async fn update(
    client: &Client,
    req: &CreateScheduleRequest,
    client_token: &str,
) -> Result<String> {
    let out = with_request!(client.update_schedule(), req)
        .client_token(client_token)
        .customize()
        .config_override(single_attempt())
        .send()
        .await
        .map_err(aws_err("UpdateSchedule"))?;
    Ok(out.schedule_arn().to_owned())
}

/// GetSchedule, in the request's shape.
pub async fn get(client: &Client, group: &str, name: &str) -> Result<StoredSchedule> {
    let out = client
        .get_schedule()
        .group_name(group)
        .name(name)
        .send()
        .await
        .map_err(aws_err("GetSchedule"))?;
    Ok(stored_schedule(&out, group, name))
}

/// One page of ListSchedules: the names, and the token of the next page.
#[derive(Debug, Clone, Default)]
pub struct SchedulePage {
    /// Schedule names on this page.
    pub names: Vec<String>,
    /// The next page's token, if there is one.
    pub next_token: Option<String>,
}

/// One ListSchedules page of a group, narrowed by name prefix and state.
pub async fn list_page(
    client: &Client,
    group: &str,
    name_prefix: Option<&str>,
    state: Option<ScheduleState>,
    token: Option<&str>,
    page_size: i32,
) -> Result<SchedulePage> {
    let out = client
        .list_schedules()
        .group_name(group)
        .set_name_prefix(name_prefix.map(str::to_owned))
        .set_state(state.map(sdk_state))
        .set_next_token(token.map(str::to_owned))
        .max_results(page_size)
        .send()
        .await
        .map_err(aws_err("ListSchedules"))?;
    Ok(SchedulePage {
        names: out
            .schedules()
            .iter()
            .filter_map(|s| s.name().map(str::to_owned))
            .collect(),
        next_token: out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
    })
}

/// DeleteSchedule.
pub async fn delete(
    client: &Client,
    group: &str,
    name: &str,
    client_token: Option<&str>,
) -> Result<()> {
    client
        .delete_schedule()
        .group_name(group)
        .name(name)
        .set_client_token(client_token.map(str::to_owned))
        .customize()
        .config_override(single_attempt())
        .send()
        .await
        .map_err(aws_err("DeleteSchedule"))?;
    Ok(())
}

/// Fails with exit code 4 unless the schedule group exists (the default group always does).
///
/// Creating a schedule in a missing group is an error AWS reports late and some emulators
/// report as an opaque HTTP 500; asking first gives a clear message.
pub async fn ensure_group(client: &Client, group: &str) -> Result<()> {
    if group == DEFAULT_GROUP {
        return Ok(());
    }
    match client.get_schedule_group().name(group).send().await {
        Ok(out) if out.state() == Some(&sdk::ScheduleGroupState::Deleting) => {
            Err(Error::NotFound {
                what: format!("schedule group `{group}` is being deleted"),
                fix: "wait until it is gone, then create it again, or use another group".into(),
            })
        }
        Ok(_) => Ok(()),
        Err(e) => match aws_err("GetScheduleGroup")(e) {
            e if e.is_not_found() => Err(Error::NotFound {
                what: format!("schedule group `{group}` does not exist"),
                fix: format!(
                    "create it with `aws scheduler create-schedule-group --name {group}`, or use the default group"
                ),
            }),
            other => Err(other),
        },
    }
}

fn to_chrono(t: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    let t = t?;
    DateTime::<Utc>::from_timestamp(t.secs(), t.subsec_nanos())
}

/// The definition fields cartctl does not set, present on a stored schedule.
fn extra_fields(
    out: &aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput,
) -> Vec<&'static str> {
    let mut extra = Vec::new();
    if out.kms_key_arn().is_some_and(|k| !k.is_empty()) {
        extra.push("KMS key");
    }
    if out.start_date().is_some() {
        extra.push("start date");
    }
    if out.end_date().is_some() {
        extra.push("end date");
    }
    if let Some(t) = out.target()
        && (t.ecs_parameters().is_some()
            || t.kinesis_parameters().is_some()
            || t.sage_maker_pipeline_parameters().is_some()
            || t.sqs_parameters().is_some())
    {
        extra.push("target parameters");
    }
    extra
}

/// A stored schedule's target, in cartctl's shape.
fn stored_target(target: Option<&sdk::Target>) -> Target {
    let eb = target.and_then(|t| t.event_bridge_parameters());
    Target {
        arn: target.map(|t| t.arn().to_owned()).unwrap_or_default(),
        role_arn: target.map(|t| t.role_arn().to_owned()).unwrap_or_default(),
        input: target
            .and_then(|t| t.input())
            .unwrap_or_default()
            .to_owned(),
        event_bridge_parameters: EventBridgeParameters {
            detail_type: eb.map(|p| p.detail_type().to_owned()).unwrap_or_default(),
            source: eb.map(|p| p.source().to_owned()).unwrap_or_default(),
        },
        retry_policy: target.and_then(|t| t.retry_policy()).map(|r| RetryPolicy {
            maximum_event_age_in_seconds: r.maximum_event_age_in_seconds().map(|v| v as u32),
            maximum_retry_attempts: r.maximum_retry_attempts().map(|v| v as u32),
        }),
        dead_letter_config: target
            .and_then(|t| t.dead_letter_config())
            .and_then(|d| d.arn())
            .map(|arn| DeadLetterConfig {
                arn: arn.to_owned(),
            }),
    }
}

/// A GetSchedule answer in the request's shape, with the API's defaults where it left a field out.
pub fn stored_schedule(
    out: &aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput,
    group: &str,
    name: &str,
) -> StoredSchedule {
    let extra_fields = extra_fields(out);
    let target = out.target();
    let definition = ScheduleDefinition {
        schedule_expression: out.schedule_expression().unwrap_or_default().to_owned(),
        schedule_expression_timezone: out
            .schedule_expression_timezone()
            .unwrap_or("UTC")
            .to_owned(),
        description: out.description().map(str::to_owned),
        state: match out.state() {
            Some(sdk::ScheduleState::Disabled) => ScheduleState::Disabled,
            _ => ScheduleState::Enabled,
        },
        flexible_time_window: match out.flexible_time_window() {
            Some(w) if w.mode() == &sdk::FlexibleTimeWindowMode::Flexible => FlexibleTimeWindow {
                mode: FlexibleMode::Flexible,
                maximum_window_in_minutes: w.maximum_window_in_minutes().map(|m| m as u32),
            },
            _ => FlexibleTimeWindow {
                mode: FlexibleMode::Off,
                maximum_window_in_minutes: None,
            },
        },
        target: stored_target(target),
        action_after_completion: match out.action_after_completion() {
            Some(sdk::ActionAfterCompletion::Delete) => ActionAfterCompletion::Delete,
            _ => ActionAfterCompletion::None,
        },
    };
    StoredSchedule {
        arn: out.arn().unwrap_or_default().to_owned(),
        name: out.name().unwrap_or(name).to_owned(),
        group: out.group_name().unwrap_or(group).to_owned(),
        definition,
        last_modified: to_chrono(out.last_modification_date()).or(to_chrono(out.creation_date())),
        extra_fields,
    }
}

/// A schedule group as GetScheduleGroup describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its ARN.
    pub arn: String,
    /// True while it is being deleted (state DELETING): it is not there any more, but its name
    /// cannot be used again yet.
    pub deleting: bool,
}

/// GetScheduleGroup; `None` if there is no such group.
pub async fn group(client: &Client, group: &str) -> Result<Option<Group>> {
    let out = client.get_schedule_group().name(group).send().await;
    let out = super::found(out.map_err(aws_err("GetScheduleGroup")))?;
    Ok(out.map(|o| Group {
        arn: o.arn().unwrap_or_default().to_owned(),
        deleting: o.state() == Some(&sdk::ScheduleGroupState::Deleting),
    }))
}

/// The ARN of a schedule group that is there (not being deleted).
pub async fn group_arn(client: &Client, name: &str) -> Result<Option<String>> {
    Ok(group(client, name)
        .await?
        .filter(|g| !g.deleting)
        .map(|g| g.arn))
}

/// CreateScheduleGroup with tags; returns its ARN.
pub async fn create_group(client: &Client, group: &str, tags: &[(&str, &str)]) -> Result<String> {
    let mut req = client.create_schedule_group().name(group);
    for (k, v) in tags {
        let tag = sdk::Tag::builder().key(*k).value(*v).build();
        req = req.tags(tag.expect("key and value are set"));
    }
    let out = req.send().await.map_err(aws_err("CreateScheduleGroup"))?;
    Ok(out.schedule_group_arn().to_owned())
}

/// DeleteScheduleGroup (which deletes its schedules too).
pub async fn delete_group(client: &Client, group: &str) -> Result<()> {
    client
        .delete_schedule_group()
        .name(group)
        .send()
        .await
        .map_err(aws_err("DeleteScheduleGroup"))?;
    Ok(())
}

/// The value of the tag `key` of a Scheduler resource, if it has one.
pub async fn tag_value(client: &Client, arn: &str, key: &str) -> Result<Option<String>> {
    let out = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws_err("ListTagsForResource"))?;
    let tag = out.tags().iter().find(|t| t.key() == key);
    Ok(tag.map(|t| t.value().to_owned()))
}
