//! `setup`: applying a [`Blueprint`]: each resource read first, then created, updated to the
//! blueprint, or left unchanged; with `dry_run` only read. And tearing down what setup made.
//!
//! What is not setup's is kept: a queue policy or a role's trust policy is merged by statement
//! id (another sender's statement stays), and teardown removes only what is tagged as setup's.
//! AWS's eventual consistency is waited out, within bounds: a queue name reserved for 60 s
//! after its deletion, a dead-letter queue made a moment ago, a schedule group still
//! `DELETING` (see `docs/AWS-FIDELITY.md`).

mod api;
mod functions;
mod ledger;
mod logs;
mod mail;
mod queue;
mod teardown;

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::retry::Retrier;
use crate::sdk::rules::NewRule;
use crate::sdk::{Clients, events, iam, rules, scheduler, ses};
use crate::session::Session;
pub use api::ApiApplied;
use cartctl_core::blueprint::{
    ApiSpec, Blueprint, FunctionsSpec, QUEUE_VISIBILITY_SECS, RETENTION_SECS, RoleSpec, Route,
    SetupRequest,
};
use cartctl_core::error::{Error, Result};
use cartctl_core::policy::merge_by_sid;
pub use functions::{Zips, code_sha256};
pub use mail::{MailApplied, MailSpec};
use queue::VISIBILITY;
pub use queue::queue_changes;
pub use teardown::teardown;

/// How long setup waits for a schedule group of its name to finish being deleted.
const GROUP_DELETION_WAIT: Duration = Duration::from_secs(90);
/// How often it looks while it waits.
const GROUP_DELETION_POLL: Duration = Duration::from_secs(2);

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
    /// Teardown left it: it is not tagged as this setup's, or something else still uses it.
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
    /// Why, when it is not plain (a bus kept because rules are left on it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Provisioned {
    fn new(kind: &'static str, name: &str, arn: String, change: Change) -> Provisioned {
        Provisioned {
            kind,
            name: name.to_owned(),
            arn,
            change,
            note: None,
        }
    }
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

/// One run of setup: the clients, the retries every call goes through, the blueprint.
struct Apply<'a> {
    clients: &'a Clients,
    retry: &'a Retrier,
    bp: &'a Blueprint,
    dry_run: bool,
}

/// Creates what is missing and updates what differs; `dry_run` sends no write. `each` sees
/// every resource as it is done.
pub async fn apply(
    clients: &Clients,
    retry: &Retrier,
    bp: &Blueprint,
    dry_run: bool,
    mut each: impl FnMut(&Provisioned),
) -> Result<Vec<Provisioned>> {
    let a = Apply {
        clients,
        retry,
        bp,
        dry_run,
    };
    let mut done = Vec::new();
    let mut record = |p: Provisioned| {
        each(&p);
        done.push(p);
    };
    if bp.bus != "default" {
        record(a.ensure_bus().await?);
    }
    if bp.group != "default" {
        record(a.ensure_group().await?);
    }
    let sse = ("SqsManagedSseEnabled", "true".to_owned());
    let retention = ("MessageRetentionPeriod", RETENTION_SECS.to_string());
    let plain = [sse.clone(), retention.clone()];
    record(a.ensure_queue(&bp.reminder_dlq, &plain).await?);
    record(a.ensure_ledger().await?);
    record(a.ensure_role(&bp.scheduler_role()).await?);
    for route in bp.routes() {
        record(a.ensure_queue(&route.dlq, &plain).await?);
        let target = [
            sse.clone(),
            retention.clone(),
            ("RedrivePolicy", bp.route_redrive_policy(&route).to_string()),
            ("Policy", bp.route_queue_policy(&route).to_string()),
            // A function (or a worker) consumes it: see QUEUE_VISIBILITY_SECS.
            (VISIBILITY, QUEUE_VISIBILITY_SECS.to_string()),
        ];
        record(a.ensure_queue(&route.queue, &target).await?);
        record(a.ensure_rule(&route).await?);
    }
    Ok(done)
}

impl Apply<'_> {
    async fn ensure_bus(&self) -> Result<Provisioned> {
        let (ev, bp) = (&self.clients.events, self.bp);
        let existing = self.retry.run(|_| events::bus_exists(ev, &bp.bus)).await?;
        let change = pick(existing.is_some(), false, self.dry_run);
        let arn = match existing {
            Some(arn) => arn,
            None if self.dry_run => bp.bus_arn(),
            None => {
                let tags = bp.tags();
                self.retry
                    .run(|_| events::create_bus(ev, &bp.bus, &tags))
                    .await?
            }
        };
        Ok(Provisioned::new("event-bus", &bp.bus, arn, change))
    }

    async fn ensure_group(&self) -> Result<Provisioned> {
        let (sc, bp) = (&self.clients.scheduler, self.bp);
        let mut existing = self.retry.run(|_| scheduler::group(sc, &bp.group)).await?;
        if existing.as_ref().is_some_and(|g| g.deleting) && !self.dry_run {
            existing = self.wait_for_group_deletion().await?;
        }
        let existing = existing.filter(|g| !g.deleting);
        let change = pick(existing.is_some(), false, self.dry_run);
        let arn = match existing {
            Some(g) => g.arn,
            None if self.dry_run => bp.group_arn(),
            None => {
                let tags = bp.tags();
                self.retry
                    .run(|_| scheduler::create_group(sc, &bp.group, &tags))
                    .await?
            }
        };
        Ok(Provisioned::new("schedule-group", &bp.group, arn, change))
    }

    /// Waits (bounded) until a group of the blueprint's name that is being deleted is gone:
    /// until then its name cannot be used.
    async fn wait_for_group_deletion(&self) -> Result<Option<scheduler::Group>> {
        let (sc, group) = (&self.clients.scheduler, &self.bp.group);
        let started = Instant::now();
        loop {
            let found = self.retry.run(|_| scheduler::group(sc, group)).await?;
            if !found.as_ref().is_some_and(|g| g.deleting) {
                return Ok(found);
            }
            if started.elapsed() > GROUP_DELETION_WAIT {
                return Err(Error::Conflict {
                    what: format!(
                        "schedule group `{group}` is still being deleted after {}s",
                        GROUP_DELETION_WAIT.as_secs()
                    ),
                    fix: "wait until its schedules are gone, then run setup again".into(),
                });
            }
            tokio::time::sleep(GROUP_DELETION_POLL).await;
        }
    }

    /// A role as `spec` has it: made, or its trust (merged by statement id: another tool's
    /// statements are kept) and inline policy brought in line.
    async fn ensure_role(&self, spec: &RoleSpec) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.iam, self.bp);
        let role = self
            .retry
            .run(|_| iam::get_role(client, &spec.name))
            .await?;
        let trust = merge_by_sid(role.as_ref().map(|r| &r.trust), &spec.trust);
        let (trust_differs, policy_differs) = match &role {
            None => (true, true),
            Some(r) => {
                let inline = self
                    .retry
                    .run(|_| iam::inline_policy(client, &spec.name, spec.policy_name))
                    .await?;
                (r.trust != trust, inline.as_ref() != Some(&spec.policy))
            }
        };
        let change = pick(
            role.is_some(),
            trust_differs || policy_differs,
            self.dry_run,
        );
        let mut arn = role.as_ref().map_or_else(
            || bp.arn("iam", "", &format!("role/{}", spec.name)),
            |r| r.arn.clone(),
        );
        if !self.dry_run {
            if role.is_none() {
                let tags = bp.tags();
                arn = self
                    .retry
                    .run(|_| iam::create_role(client, &spec.name, &trust, &spec.description, &tags))
                    .await?;
            } else if trust_differs {
                self.retry
                    .run(|_| iam::update_trust(client, &spec.name, &trust))
                    .await?;
            }
            if policy_differs {
                self.retry
                    .run(|_| {
                        iam::put_inline_policy(client, &spec.name, spec.policy_name, &spec.policy)
                    })
                    .await?;
            }
        }
        Ok(Provisioned::new("role", &spec.name, arn, change))
    }

    async fn ensure_rule(&self, route: &Route) -> Result<Provisioned> {
        let (ev, bp) = (&self.clients.events, self.bp);
        let pattern = &route.pattern;
        let queue_arn = bp.queue_arn(&route.queue);
        let existing = self
            .retry
            .run(|_| rules::describe_rule(ev, &route.bus, &route.rule))
            .await?;
        let (rule_differs, target_missing) = match &existing {
            None => (true, true),
            Some(r) => {
                let same_pattern = r
                    .pattern
                    .as_deref()
                    .is_some_and(|p| same_value(p, &pattern.to_string()));
                let targets = self
                    .retry
                    .run(|_| rules::targets(ev, &route.bus, &route.rule))
                    .await?;
                let has_target = targets
                    .iter()
                    .any(|(id, arn)| id == route.target_id && *arn == queue_arn);
                (!(same_pattern && r.enabled), !has_target)
            }
        };
        let change = pick(
            existing.is_some(),
            rule_differs || target_missing,
            self.dry_run,
        );
        let mut arn = existing.as_ref().map_or_else(
            || bp.rule_arn_on(&route.bus, &route.rule),
            |r| r.arn.clone(),
        );
        if !self.dry_run {
            if rule_differs {
                let text = pattern.to_string();
                let tags = bp.tags();
                let rule = NewRule {
                    name: &route.rule,
                    bus: &route.bus,
                    pattern: &text,
                    description: route.description,
                    tags: &tags,
                };
                arn = self
                    .retry
                    .run(|_| rules::put_rule(ev, &rule))
                    .await?
                    .unwrap_or(arn);
            }
            if target_missing {
                self.retry
                    .run(|_| {
                        rules::put_target(ev, &route.bus, &route.rule, route.target_id, &queue_arn)
                    })
                    .await?;
            }
        }
        Ok(Provisioned::new("rule", &route.rule, arn, change))
    }
}

/// A resource teardown looked at: deleted when it was setup's (`Some(true)`), kept when it
/// was not (`Some(false)`), absent (`None`).
fn removed(kind: &'static str, name: &str, arn: String, found: Option<bool>) -> Provisioned {
    let change = match found {
        None => Change::Absent,
        Some(true) => Change::Deleted,
        Some(false) => Change::Kept,
    };
    Provisioned::new(kind, name, arn, change)
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
        apply(self.clients().await?, self.retrier(), bp, dry_run, each).await
    }

    /// The shop's HTTP API (`setup --api`), after [`Session::setup`] made the bus it puts
    /// events on; `each` sees every part as it is done.
    pub async fn setup_api(
        &self,
        bp: &Blueprint,
        spec: &ApiSpec,
        dry_run: bool,
        mut each: impl FnMut(&Provisioned),
    ) -> Result<(Vec<Provisioned>, ApiApplied)> {
        let clients = self.clients().await?;
        let a = Apply {
            clients,
            retry: self.retrier(),
            bp,
            dry_run,
        };
        let gw = aws_sdk_apigatewayv2::Client::new(clients.config());
        let logs = aws_sdk_cloudwatchlogs::Client::new(clients.config());
        let mut done = Vec::new();
        let mut record = |p: Provisioned| {
            each(&p);
            done.push(p);
        };
        let applied = a.ensure_api(&gw, &logs, spec, &mut record).await?;
        Ok((done, applied))
    }

    /// The consumer and mailer functions (`setup --functions`), after [`Session::setup`] made
    /// their queues; `each` sees every part as it is done.
    pub async fn setup_functions(
        &self,
        bp: &Blueprint,
        spec: &FunctionsSpec,
        zips: &Zips,
        dry_run: bool,
        mut each: impl FnMut(&Provisioned),
    ) -> Result<Vec<Provisioned>> {
        let clients = self.clients().await?;
        let a = Apply {
            clients,
            retry: self.retrier(),
            bp,
            dry_run,
        };
        let client = aws_sdk_lambda::Client::new(clients.config());
        let logs = aws_sdk_cloudwatchlogs::Client::new(clients.config());
        let mut done = Vec::new();
        let mut record = |p: Provisioned| {
            each(&p);
            done.push(p);
        };
        a.ensure_functions(&client, &logs, spec, zips, &mut record)
            .await?;
        Ok(done)
    }

    /// The sender's SES email identity (`setup --mail-from`): found (the address's, or its
    /// domain's), else made (`dry_run`: reads only); SES e-mails a new address a link to
    /// verify it, and the note says so. Teardown leaves identities: they are often shared.
    pub async fn ensure_sender(
        &self,
        bp: &Blueprint,
        sender: &cartctl_core::mail::Sender,
        dry_run: bool,
    ) -> Result<Provisioned> {
        let client = &self.clients().await?.ses;
        let address = sender.address.as_str();
        let arn = |name: &str| {
            format!(
                "arn:{}:ses:{}:{}:identity/{name}",
                bp.partition, bp.region, bp.account
            )
        };
        let found = self
            .retrier()
            .run(|_| ses::covering(client, &sender.address))
            .await?;
        if let Some((name, found)) = found {
            let mut p = Provisioned::new("email-identity", &name, arn(&name), Change::Unchanged);
            if !found.can_send() {
                p.note = Some(format!(
                    "not verified yet ({}): open the link SES e-mailed to {name}",
                    found.status.as_deref().unwrap_or("pending")
                ));
            }
            return Ok(p);
        }
        let change = pick(false, true, dry_run);
        if !dry_run {
            let tags = bp.tags();
            self.retrier()
                .run(|_| ses::create_identity(client, address, &tags))
                .await?;
        }
        let mut p = Provisioned::new("email-identity", address, arn(address), change);
        p.note = Some(format!(
            "SES e-mails {address} a link: open it to verify the sender"
        ));
        Ok(p)
    }

    /// Removes what `setup` made for the blueprint (only resources tagged as its own); its
    /// log groups too unless `keep_logs`.
    pub async fn teardown(
        &self,
        bp: &Blueprint,
        keep_logs: bool,
        each: impl FnMut(&Provisioned),
    ) -> Result<Vec<Provisioned>> {
        teardown(self.clients().await?, self.retrier(), bp, keep_logs, each).await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn turning_sse_sqs_on_clears_a_kms_key() {
        let want = [("SqsManagedSseEnabled", "true".to_owned())];
        let have = attrs(&[("KmsMasterKeyId", "alias/aws/sqs")]);
        assert_eq!(
            queue_changes(&have, &want),
            [
                ("KmsMasterKeyId", String::new()),
                ("SqsManagedSseEnabled", "true".to_owned())
            ]
        );
        // Even when the queue says SSE-SQS is on beside the key.
        let have = attrs(&[("KmsMasterKeyId", "k"), ("SqsManagedSseEnabled", "true")]);
        assert_eq!(queue_changes(&have, &want).len(), 2);
        let have = attrs(&[("SqsManagedSseEnabled", "true")]);
        assert!(queue_changes(&have, &want).is_empty());
    }

    #[test]
    fn a_visibility_timeout_is_raised_never_lowered() {
        let want = [(VISIBILITY, "151".to_owned())];
        assert_eq!(
            queue_changes(&attrs(&[(VISIBILITY, "30")]), &want),
            [(VISIBILITY, "151".to_owned())]
        );
        assert!(queue_changes(&attrs(&[(VISIBILITY, "151")]), &want).is_empty());
        assert!(queue_changes(&attrs(&[(VISIBILITY, "900")]), &want).is_empty());
        assert_eq!(queue_changes(&attrs(&[]), &want).len(), 1);
    }

    #[test]
    fn a_queue_policy_is_merged_not_replaced() {
        let theirs = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Backups","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"q"}]}"#;
        let ours = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReminderRule","Effect":"Allow","Action":"sqs:SendMessage","Resource":"q"}]}"#;
        let have = attrs(&[("Policy", theirs)]);
        let changes = queue_changes(&have, &[("Policy", ours.to_owned())]);
        let set: Value = serde_json::from_str(&changes[0].1).unwrap();
        let sids: Vec<_> = set["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap())
            .collect();
        assert_eq!(sids, ["Backups", "ReminderRule"]);
        // Once merged, nothing changes.
        let have = attrs(&[("Policy", &changes[0].1)]);
        assert!(queue_changes(&have, &[("Policy", ours.to_owned())]).is_empty());
    }
}
