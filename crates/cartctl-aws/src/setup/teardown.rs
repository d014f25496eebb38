//! Tearing down what setup made, newest first: only resources tagged [`TAG_KEY`] = the prefix;
//! an untagged resource of the same name is kept and reported.

use super::{Apply, Provisioned, removed};
use crate::retry::Retrier;
use crate::sdk::{Clients, events, iam, rules, scheduler, sqs};
use cartctl_core::blueprint::{Blueprint, TAG_KEY};
use cartctl_core::error::Result;

/// Removes what setup made, newest first: only resources tagged [`TAG_KEY`] = the prefix; an
/// untagged resource of the same name is kept and reported.
pub async fn teardown(
    clients: &Clients,
    retry: &Retrier,
    bp: &Blueprint,
    keep_logs: bool,
    mut each: impl FnMut(&Provisioned),
) -> Result<Vec<Provisioned>> {
    let a = Apply {
        clients,
        retry,
        bp,
        dry_run: false,
    };
    let mut done = Vec::new();
    let mut record = |p: Provisioned| {
        each(&p);
        done.push(p);
    };
    let functions = aws_sdk_lambda::Client::new(clients.config());
    let logs = aws_sdk_cloudwatchlogs::Client::new(clients.config());
    a.remove_functions(&functions, &logs, keep_logs, &mut record)
        .await?;
    let gw = aws_sdk_apigatewayv2::Client::new(clients.config());
    a.remove_api(&gw, &logs, keep_logs, &mut record).await?;
    record(a.remove_configuration_set().await?);
    let mail = bp.mail_events_route();
    record(a.remove_rule(&mail.bus, &mail.rule).await?);
    for route in bp.routes() {
        record(a.remove_rule(&route.bus, &route.rule).await?);
    }
    for route in bp.routes() {
        record(a.remove_queue(&route.queue).await?);
        record(a.remove_queue(&route.dlq).await?);
    }
    record(a.remove_queue(&bp.reminder_dlq).await?);
    record(a.remove_ledger().await?);
    record(a.remove_role(&bp.role).await?);
    if bp.group != "default" {
        record(a.remove_group().await?);
    }
    if bp.bus != "default" {
        record(a.remove_bus().await?);
    }
    Ok(done)
}

impl Apply<'_> {
    pub(super) async fn remove_rule(&self, bus: &str, name: &str) -> Result<Provisioned> {
        let (ev, bp, retry) = (&self.clients.events, self.bp, self.retry);
        let rule = retry.run(|_| rules::describe_rule(ev, bus, name)).await?;
        let Some(rule) = rule else {
            return Ok(removed("rule", name, bp.rule_arn_on(bus, name), None));
        };
        let tag = retry
            .run(|_| rules::tag_value(ev, &rule.arn, TAG_KEY))
            .await?;
        let ours = tag.as_deref() == Some(&bp.prefix);
        if ours {
            let ids: Vec<String> = retry
                .run(|_| rules::targets(ev, bus, name))
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            if !ids.is_empty() {
                retry
                    .run(|_| rules::remove_targets(ev, bus, name, ids.clone()))
                    .await?;
            }
            retry.run(|_| rules::delete_rule(ev, bus, name)).await?;
        }
        Ok(removed("rule", name, rule.arn, Some(ours)))
    }

    pub(super) async fn remove_queue(&self, name: &str) -> Result<Provisioned> {
        let (client, bp, retry) = (&self.clients.sqs, self.bp, self.retry);
        let Some(url) = retry.run(|_| sqs::queue_url(client, name)).await? else {
            return Ok(removed("queue", name, bp.queue_arn(name), None));
        };
        let tags = retry.run(|_| sqs::queue_tags(client, &url)).await?;
        let ours = tags.get(TAG_KEY) == Some(&bp.prefix);
        if ours {
            retry.run(|_| sqs::delete_queue(client, &url)).await?;
        }
        Ok(removed("queue", name, bp.queue_arn(name), Some(ours)))
    }

    pub(super) async fn remove_role(&self, name: &str) -> Result<Provisioned> {
        let (client, bp, retry) = (&self.clients.iam, self.bp, self.retry);
        let Some(role) = retry.run(|_| iam::get_role(client, name)).await? else {
            let arn = bp.arn("iam", "", &format!("role/{name}"));
            return Ok(removed("role", name, arn, None));
        };
        let ours = role
            .tags
            .iter()
            .any(|(k, v)| k == TAG_KEY && *v == bp.prefix);
        if ours {
            retry.run(|_| iam::delete_role(client, name)).await?;
        }
        Ok(removed("role", name, role.arn, Some(ours)))
    }

    pub(super) async fn remove_group(&self) -> Result<Provisioned> {
        let (sc, bp, retry) = (&self.clients.scheduler, self.bp, self.retry);
        let Some(arn) = retry.run(|_| scheduler::group_arn(sc, &bp.group)).await? else {
            return Ok(removed("schedule-group", &bp.group, bp.group_arn(), None));
        };
        let tag = retry
            .run(|_| scheduler::tag_value(sc, &arn, TAG_KEY))
            .await?;
        let ours = tag.as_deref() == Some(&bp.prefix);
        if ours {
            retry
                .run(|_| scheduler::delete_group(sc, &bp.group))
                .await?;
        }
        Ok(removed("schedule-group", &bp.group, arn, Some(ours)))
    }

    /// Removes the bus when it is setup's and no rule is left on it (DeleteEventBus needs every
    /// rule gone: one of another tool's is not setup's to remove, so the bus is kept).
    pub(super) async fn remove_bus(&self) -> Result<Provisioned> {
        let (ev, bp, retry) = (&self.clients.events, self.bp, self.retry);
        let Some(arn) = retry.run(|_| events::bus_exists(ev, &bp.bus)).await? else {
            return Ok(removed("event-bus", &bp.bus, bp.bus_arn(), None));
        };
        let tag = retry.run(|_| rules::tag_value(ev, &arn, TAG_KEY)).await?;
        if tag.as_deref() != Some(&bp.prefix) {
            return Ok(removed("event-bus", &bp.bus, arn, Some(false)));
        }
        let left: Vec<String> = retry
            .run(|_| rules::rules_on(ev, &bp.bus))
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect();
        if !left.is_empty() {
            let mut kept = removed("event-bus", &bp.bus, arn, Some(false));
            kept.note = Some(format!(
                "rules not made by setup are left on it ({}): delete them, then tear down again",
                left.join(", ")
            ));
            return Ok(kept);
        }
        retry.run(|_| events::delete_bus(ev, &bp.bus)).await?;
        Ok(removed("event-bus", &bp.bus, arn, Some(true)))
    }
}
