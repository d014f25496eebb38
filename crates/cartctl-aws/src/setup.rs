//! Applying a [`Blueprint`]: each resource read first, then created, updated to the blueprint,
//! or left unchanged; with `dry_run` only read. And tearing down what setup made.

use serde::Serialize;
use serde_json::Value;

use crate::sdk::rules::NewRule;
use crate::sdk::{Clients, events, iam, rules, scheduler, sqs};
use crate::session::Session;
use cartctl_core::blueprint::{
    Blueprint, RETENTION_SECS, ROLE_POLICY_NAME, SetupRequest, TAG_KEY, TARGET_ID,
};
use cartctl_core::error::Result;

/// What happened to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// It was made.
    Created,
    /// It existed and was brought in line with the blueprint.
    Updated,
    /// It existed as the blueprint has it.
    Unchanged,
    /// `--dry-run`: it would be made.
    WouldCreate,
    /// `--dry-run`: it would be changed.
    WouldUpdate,
    /// Teardown removed it.
    Deleted,
    /// Teardown found nothing to remove.
    Absent,
    /// Teardown left it: it is not tagged as this setup's.
    Kept,
}

impl Change {
    /// The spelling in text and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
            Change::WouldCreate => "would_create",
            Change::WouldUpdate => "would_update",
            Change::Deleted => "deleted",
            Change::Absent => "absent",
            Change::Kept => "kept",
        }
    }

    /// True if setup changed (or would change) something.
    pub fn is_change(self) -> bool {
        !matches!(self, Change::Unchanged | Change::Absent | Change::Kept)
    }
}

/// One resource of the blueprint and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provisioned {
    /// `event-bus`, `schedule-group`, `role`, `queue`, `rule`.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// What happened.
    pub change: Change,
}

/// Creates what is missing and updates what differs; `dry_run` sends no write. `each` sees
/// every resource as it is done.
pub async fn apply(
    clients: &Clients,
    bp: &Blueprint,
    dry_run: bool,
    mut each: impl FnMut(&Provisioned),
) -> Result<Vec<Provisioned>> {
    let mut done = Vec::new();
    let mut record = |p: Provisioned| {
        each(&p);
        done.push(p);
    };
    if bp.bus != "default" {
        record(ensure_bus(clients, bp, dry_run).await?);
    }
    if bp.group != "default" {
        record(ensure_group(clients, bp, dry_run).await?);
    }
    let sse = ("SqsManagedSseEnabled", "true".to_owned());
    let retention = ("MessageRetentionPeriod", RETENTION_SECS.to_string());
    let plain = [sse.clone(), retention.clone()];
    record(ensure_queue(clients, bp, &bp.reminder_dlq, &plain, dry_run).await?);
    record(ensure_role(clients, bp, dry_run).await?);
    record(ensure_queue(clients, bp, &bp.email_dlq, &plain, dry_run).await?);
    let email = [
        sse,
        retention,
        ("RedrivePolicy", bp.redrive_policy().to_string()),
        ("Policy", bp.email_queue_policy().to_string()),
    ];
    record(ensure_queue(clients, bp, &bp.email_queue, &email, dry_run).await?);
    record(ensure_rule(clients, bp, dry_run).await?);
    Ok(done)
}

fn pick(exists: bool, differs: bool, dry_run: bool) -> Change {
    match (exists, differs, dry_run) {
        (false, _, false) => Change::Created,
        (false, _, true) => Change::WouldCreate,
        (true, false, _) => Change::Unchanged,
        (true, true, false) => Change::Updated,
        (true, true, true) => Change::WouldUpdate,
    }
}

async fn ensure_bus(clients: &Clients, bp: &Blueprint, dry_run: bool) -> Result<Provisioned> {
    let existing = events::bus_exists(&clients.events, &bp.bus).await?;
    let change = pick(existing.is_some(), false, dry_run);
    let arn = match existing {
        Some(arn) => arn,
        None if dry_run => bp.bus_arn(),
        None => events::create_bus(&clients.events, &bp.bus, &bp.tags()).await?,
    };
    Ok(Provisioned {
        kind: "event-bus",
        name: bp.bus.clone(),
        arn,
        change,
    })
}

async fn ensure_group(clients: &Clients, bp: &Blueprint, dry_run: bool) -> Result<Provisioned> {
    let existing = scheduler::group_arn(&clients.scheduler, &bp.group).await?;
    let change = pick(existing.is_some(), false, dry_run);
    let arn = match existing {
        Some(arn) => arn,
        None if dry_run => bp.group_arn(),
        None => scheduler::create_group(&clients.scheduler, &bp.group, &bp.tags()).await?,
    };
    Ok(Provisioned {
        kind: "schedule-group",
        name: bp.group.clone(),
        arn,
        change,
    })
}

/// Two attribute values are the same: as JSON when both are JSON (policies), else as text.
fn same_value(have: &str, want: &str) -> bool {
    match (
        serde_json::from_str::<Value>(have),
        serde_json::from_str::<Value>(want),
    ) {
        (Ok(a), Ok(b)) if a.is_object() => a == b,
        _ => have == want,
    }
}

async fn ensure_queue(
    clients: &Clients,
    bp: &Blueprint,
    name: &str,
    want: &[(&str, String)],
    dry_run: bool,
) -> Result<Provisioned> {
    let url = sqs::queue_url(&clients.sqs, name).await?;
    let differing: Vec<(&str, String)> = match &url {
        None => Vec::new(),
        Some(url) => {
            let have = sqs::attributes(&clients.sqs, url).await?;
            want.iter()
                .filter(|(k, v)| !have.get(*k).is_some_and(|h| same_value(h, v)))
                .cloned()
                .collect()
        }
    };
    let change = pick(url.is_some(), !differing.is_empty(), dry_run);
    if !dry_run {
        match &url {
            None => {
                sqs::create_with(&clients.sqs, name, want, &bp.tags()).await?;
            }
            Some(url) if !differing.is_empty() => {
                sqs::set_attributes(&clients.sqs, url, &differing).await?;
            }
            Some(_) => {}
        }
    }
    Ok(Provisioned {
        kind: "queue",
        name: name.to_owned(),
        arn: bp.queue_arn(name),
        change,
    })
}

async fn ensure_role(clients: &Clients, bp: &Blueprint, dry_run: bool) -> Result<Provisioned> {
    let role = iam::get_role(&clients.iam, &bp.role).await?;
    let (trust, policy) = (bp.trust_policy(), bp.role_policy());
    let (trust_differs, policy_differs) = match &role {
        None => (true, true),
        Some(r) => {
            let inline = iam::inline_policy(&clients.iam, &bp.role, ROLE_POLICY_NAME).await?;
            (r.trust != trust, inline.as_ref() != Some(&policy))
        }
    };
    let change = pick(role.is_some(), trust_differs || policy_differs, dry_run);
    let mut arn = role
        .as_ref()
        .map_or_else(|| bp.role_arn(), |r| r.arn.clone());
    if !dry_run {
        if role.is_none() {
            let description = format!("EventBridge Scheduler puts cart reminders ({})", bp.prefix);
            arn =
                iam::create_role(&clients.iam, &bp.role, &trust, &description, &bp.tags()).await?;
        } else if trust_differs {
            iam::update_trust(&clients.iam, &bp.role, &trust).await?;
        }
        if policy_differs {
            iam::put_inline_policy(&clients.iam, &bp.role, ROLE_POLICY_NAME, &policy).await?;
        }
    }
    Ok(Provisioned {
        kind: "role",
        name: bp.role.clone(),
        arn,
        change,
    })
}

async fn ensure_rule(clients: &Clients, bp: &Blueprint, dry_run: bool) -> Result<Provisioned> {
    let ev = &clients.events;
    let pattern = bp.rule_pattern();
    let queue_arn = bp.queue_arn(&bp.email_queue);
    let existing = rules::describe_rule(ev, &bp.bus, &bp.rule).await?;
    let (rule_differs, target_missing) = match &existing {
        None => (true, true),
        Some(r) => {
            let same_pattern = r
                .pattern
                .as_deref()
                .is_some_and(|p| same_value(p, &pattern.to_string()));
            let targets = rules::targets(ev, &bp.bus, &bp.rule).await?;
            let has_target = targets
                .iter()
                .any(|(id, arn)| id == TARGET_ID && *arn == queue_arn);
            (!(same_pattern && r.enabled), !has_target)
        }
    };
    let change = pick(existing.is_some(), rule_differs || target_missing, dry_run);
    let mut arn = existing
        .as_ref()
        .map_or_else(|| bp.rule_arn(), |r| r.arn.clone());
    if !dry_run {
        if rule_differs {
            let text = pattern.to_string();
            let rule = NewRule {
                name: &bp.rule,
                bus: &bp.bus,
                pattern: &text,
                description: "cart reminders to the e-mail queue (cartctl setup)",
                tags: &bp.tags(),
            };
            arn = rules::put_rule(ev, &rule).await?.unwrap_or(arn);
        }
        if target_missing {
            rules::put_target(ev, &bp.bus, &bp.rule, TARGET_ID, &queue_arn).await?;
        }
    }
    Ok(Provisioned {
        kind: "rule",
        name: bp.rule.clone(),
        arn,
        change,
    })
}

/// Removes what setup made, newest first: only resources tagged [`TAG_KEY`] = the prefix; an
/// untagged resource of the same name is kept and reported.
pub async fn teardown(
    clients: &Clients,
    bp: &Blueprint,
    mut each: impl FnMut(&Provisioned),
) -> Result<Vec<Provisioned>> {
    let mut done = Vec::new();
    let mut record = |p: Provisioned| {
        each(&p);
        done.push(p);
    };
    record(remove_rule(clients, bp).await?);
    for name in [&bp.email_queue, &bp.email_dlq, &bp.reminder_dlq] {
        record(remove_queue(clients, bp, name).await?);
    }
    record(remove_role(clients, bp).await?);
    if bp.group != "default" {
        record(remove_group(clients, bp).await?);
    }
    if bp.bus != "default" {
        record(remove_bus(clients, bp).await?);
    }
    Ok(done)
}

fn removed(kind: &'static str, name: &str, arn: String, found: Option<bool>) -> Provisioned {
    Provisioned {
        kind,
        name: name.to_owned(),
        arn,
        change: match found {
            None => Change::Absent,
            Some(true) => Change::Deleted,
            Some(false) => Change::Kept,
        },
    }
}

async fn remove_rule(clients: &Clients, bp: &Blueprint) -> Result<Provisioned> {
    let ev = &clients.events;
    let Some(rule) = rules::describe_rule(ev, &bp.bus, &bp.rule).await? else {
        return Ok(removed("rule", &bp.rule, bp.rule_arn(), None));
    };
    let ours = rules::tag_value(ev, &rule.arn, TAG_KEY).await?.as_deref() == Some(&bp.prefix);
    if ours {
        let ids: Vec<String> = rules::targets(ev, &bp.bus, &bp.rule)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if !ids.is_empty() {
            rules::remove_targets(ev, &bp.bus, &bp.rule, ids).await?;
        }
        rules::delete_rule(ev, &bp.bus, &bp.rule).await?;
    }
    Ok(removed("rule", &bp.rule, rule.arn, Some(ours)))
}

async fn remove_queue(clients: &Clients, bp: &Blueprint, name: &str) -> Result<Provisioned> {
    let Some(url) = sqs::queue_url(&clients.sqs, name).await? else {
        return Ok(removed("queue", name, bp.queue_arn(name), None));
    };
    let tags = sqs::queue_tags(&clients.sqs, &url).await?;
    let ours = tags.get(TAG_KEY) == Some(&bp.prefix);
    if ours {
        sqs::delete_queue(&clients.sqs, &url).await?;
    }
    Ok(removed("queue", name, bp.queue_arn(name), Some(ours)))
}

async fn remove_role(clients: &Clients, bp: &Blueprint) -> Result<Provisioned> {
    let Some(role) = iam::get_role(&clients.iam, &bp.role).await? else {
        return Ok(removed("role", &bp.role, bp.role_arn(), None));
    };
    let ours = role
        .tags
        .iter()
        .any(|(k, v)| k == TAG_KEY && *v == bp.prefix);
    if ours {
        iam::delete_role(&clients.iam, &bp.role).await?;
    }
    Ok(removed("role", &bp.role, role.arn, Some(ours)))
}

async fn remove_group(clients: &Clients, bp: &Blueprint) -> Result<Provisioned> {
    let sc = &clients.scheduler;
    let Some(arn) = scheduler::group_arn(sc, &bp.group).await? else {
        return Ok(removed("schedule-group", &bp.group, bp.group_arn(), None));
    };
    let ours = scheduler::tag_value(sc, &arn, TAG_KEY).await?.as_deref() == Some(&bp.prefix);
    if ours {
        scheduler::delete_group(sc, &bp.group).await?;
    }
    Ok(removed("schedule-group", &bp.group, arn, Some(ours)))
}

async fn remove_bus(clients: &Clients, bp: &Blueprint) -> Result<Provisioned> {
    let ev = &clients.events;
    let Some(arn) = events::bus_exists(ev, &bp.bus).await? else {
        return Ok(removed("event-bus", &bp.bus, bp.bus_arn(), None));
    };
    let ours = rules::tag_value(ev, &arn, TAG_KEY).await?.as_deref() == Some(&bp.prefix);
    if ours {
        events::delete_bus(ev, &bp.bus).await?;
    }
    Ok(removed("event-bus", &bp.bus, arn, Some(ours)))
}

impl Session {
    /// The blueprint of `setup` for the caller's account and the session's region.
    pub async fn blueprint(&self, req: &SetupRequest) -> Result<Blueprint> {
        let caller = self.caller().await?;
        Blueprint::new(req, &caller.account, &self.region().await?)
    }

    /// Creates or updates what the blueprint lists (`dry_run`: reads only); `each` sees every
    /// resource as it is done.
    pub async fn setup(
        &self,
        bp: &Blueprint,
        dry_run: bool,
        each: impl FnMut(&Provisioned),
    ) -> Result<Vec<Provisioned>> {
        apply(self.clients().await?, bp, dry_run, each).await
    }

    /// Removes what `setup` made for the blueprint (only resources tagged as its own).
    pub async fn teardown(
        &self,
        bp: &Blueprint,
        each: impl FnMut(&Provisioned),
    ) -> Result<Vec<Provisioned>> {
        teardown(self.clients().await?, bp, each).await
    }
}
