//! `fire`: publish a schedule's payload now, as EventBridge Scheduler would when it is due.
//! Emulators never fire schedules, and nobody wants to wait a day in staging.
//!
//! For a schedule whose target is an event bus, Scheduler calls PutEvents on that bus with the
//! target's Source and DetailType, the Input as Detail, and the schedule's ARN as the event's
//! resource; then, if its ActionAfterCompletion is DELETE, deletes the schedule. What Scheduler
//! would send, and what it fires at all, is decided in `cartctl_core::invocation`; this module
//! reads the schedules, sends, and deletes.

use chrono::Utc;
use serde::Serialize;

use futures::StreamExt;

use crate::retry::Retrier;
use crate::sdk::{Clients, scheduler, sqs};
use crate::session::Session;
use cartctl_core::deadletter;
use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};
use cartctl_core::invocation::{Invocation, check_fireable, event_for, retry_limits};
use cartctl_core::reminder::StoredSchedule;
use cartctl_core::reminder::query::ReminderQuery;
use cartctl_core::shapes::{ActionAfterCompletion, PutEventsEntry, ScheduleState};

/// The result of firing one schedule, in the shape of the JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FireOutcome {
    /// Schedule name.
    pub name: String,
    /// Schedule group.
    pub group: String,
    /// The id EventBridge gave the event.
    pub event_id: String,
    /// The target bus ARN.
    pub bus: String,
    /// The event Source.
    pub source: String,
    /// The event DetailType.
    pub detail_type: String,
    /// The cart's user (none for a schedule cartctl did not create).
    pub user: Option<String>,
    /// The cart's product.
    pub product: Option<String>,
    /// True if the schedule was deleted after firing (ActionAfterCompletion DELETE).
    pub deleted: bool,
}

/// What `fire` will do with one schedule (also what `--dry-run` prints).
#[derive(Debug, Clone, Serialize)]
pub struct FirePlan {
    /// Schedule name.
    pub name: String,
    /// The PutEvents entry.
    pub entry: PutEventsEntry,
    /// True if the schedule will be deleted after firing.
    pub delete_after: bool,
    /// The cart, when it is a cartctl reminder.
    #[serde(skip)]
    pub stored: StoredSchedule,
    /// The invocation (its execution id and scheduled time, for a dead-letter event).
    #[serde(skip)]
    pub invocation: Invocation,
}

/// Reads a schedule and plans its firing. A DISABLED schedule is refused unless `force`:
/// Scheduler never fires one.
pub async fn plan(
    client: &aws_sdk_scheduler::Client,
    group: &str,
    name: &str,
    keep: bool,
    force: bool,
    retry: &Retrier,
) -> Result<FirePlan> {
    let stored = match retry.run(|_| scheduler::get(client, group, name)).await {
        Ok(s) => s,
        Err(e) if e.is_not_found() => {
            return Err(Error::NotFound {
                what: format!("no schedule named `{name}` in group `{group}`"),
                fix: "check the schedule's name and group".into(),
            });
        }
        Err(e) => return Err(e),
    };
    check_fireable(&stored, force)?;
    let invocation = Invocation::first(&stored, Utc::now());
    let entry = event_for(&stored, &invocation)?;
    Ok(FirePlan {
        name: stored.name.clone(),
        entry,
        delete_after: !keep
            && stored.definition.action_after_completion == ActionAfterCompletion::Delete,
        stored,
        invocation,
    })
}

/// Puts the event, then deletes the schedule if the plan says so. When the put fails for good
/// and the schedule has a dead-letter queue, the dead-letter event goes there as Scheduler
/// sends it, the schedule stays, and the error says so.
pub async fn fire(clients: &Clients, plan: &FirePlan, retry: &Retrier) -> Result<FireOutcome> {
    let scheduler_client = &clients.scheduler;
    // The one PutEvents path: a refused entry (throttled, failed) is sent again, as for
    // put-event, but no more often than the schedule's retry policy lets Scheduler; a lost
    // answer may put the reminder twice (at least once, as Scheduler).
    let limits = retry_limits(&plan.stored);
    let put_retry = retry.capped(limits.max_retries.saturating_add(1));
    let delivery = crate::put_event::put_entries(&clients.events, &[&plan.entry], &put_retry)
        .await
        .remove(0);
    let event_id = match delivery.result {
        Ok(id) => id,
        Err(e) => {
            let retries = delivery.attempts.saturating_sub(1);
            let age = (Utc::now() - plan.invocation.scheduled_time)
                .num_seconds()
                .max(0) as u64;
            let tried = Tried {
                retries,
                exhausted: limits.exhausted(retries, age),
            };
            return Err(dead_letter(&clients.sqs, plan, e, tried, retry).await);
        }
    };
    let group = plan.stored.group.clone();
    if plan.delete_after {
        let gone = crate::delete::delete_one(scheduler_client, &group, &plan.name, retry).await;
        if let crate::delete::DeleteResult::Failed(e) = gone {
            return Err(Error::Aws(AwsError {
                operation: "DeleteSchedule",
                kind: AwsErrorKind::Client,
                code: "DeleteFailed".into(),
                message: format!("fired event {event_id}, but could not delete the schedule: {e}"),
                fix: format!("delete schedule {} of group {group}", plan.name),
            }));
        }
    }
    let cart = plan.stored.cart();
    Ok(FireOutcome {
        name: plan.name.clone(),
        group,
        event_id,
        bus: plan.entry.event_bus_name.clone(),
        source: plan.entry.source.clone(),
        detail_type: plan.entry.detail_type.clone(),
        user: cart.as_ref().map(|c| c.user.clone()),
        product: cart.map(|c| c.product),
        deleted: plan.delete_after,
    })
}

/// The retries a failed fire made, and the policy's limit that stopped them, if one did.
struct Tried {
    retries: u32,
    exhausted: Option<&'static str>,
}

/// Sends the dead-letter event of a failed invocation to the schedule's DLQ, if it has one and
/// Scheduler would; returns the error to report, saying where the dead letter went.
async fn dead_letter(
    sqs: &aws_sdk_sqs::Client,
    plan: &FirePlan,
    mut error: AwsError,
    tried: Tried,
    retry: &Retrier,
) -> Error {
    let Some(dlq) = &plan.stored.definition.target.dead_letter_config else {
        return Error::Aws(error);
    };
    if !deadletter::dead_letters(&error) {
        return Error::Aws(error);
    }
    let failed = deadletter::FailedInvocation {
        schedule_arn: &plan.stored.arn,
        target_arn: &plan.entry.event_bus_name,
        input: &plan.entry.detail,
        execution_id: &plan.invocation.execution_id,
        scheduled_time: plan.invocation.scheduled_time,
        retries: tried.retries,
        exhausted: tried.exhausted,
    };
    let message = deadletter::message(&failed, &error);
    let sent = retry
        .run(|_| async {
            let url = sqs::url_of_arn(sqs, &dlq.arn).await?;
            sqs::send_dead_letter(sqs, &url, &message).await
        })
        .await;
    match sent {
        Ok(()) => {
            error.message = format!(
                "{}; the dead-letter event went to {} and the schedule was kept",
                error.message, dlq.arn
            );
            error.fix = "fix the target, then redrive the dead letters".into();
        }
        Err(e) => {
            error.message = format!(
                "{}; and the dead-letter event could not be sent to {}: {}",
                error.message,
                dlq.arn,
                e.one_line()
            );
        }
    }
    Error::Aws(error)
}

/// Which schedules `fire` fires.
#[derive(Debug, Clone)]
pub enum FireTargets {
    /// These names, in this order.
    Names(Vec<String>),
    /// Every enabled schedule of the group due by now, cartctl's or not (Scheduler fires all).
    Due,
}

/// A `fire` request.
#[derive(Debug, Clone)]
pub struct FireRequest {
    /// The schedule group.
    pub group: String,
    /// Which schedules.
    pub targets: FireTargets,
    /// Keep the schedules even when their ActionAfterCompletion is DELETE.
    pub keep: bool,
    /// Fire DISABLED schedules too.
    pub force: bool,
    /// Plan only: read the schedules, send nothing.
    pub dry_run: bool,
    /// Schedules handled at once.
    pub concurrency: usize,
}

/// What became of one schedule `fire` was asked to fire.
#[derive(Debug)]
pub enum Fired {
    /// `--dry-run`: what would be sent.
    Planned(Box<FirePlan>),
    /// Sent (and deleted if its definition says so).
    Done(FireOutcome),
}

impl Session {
    /// The names `fire` works on: the given ones, or every due enabled schedule of the group.
    pub async fn fire_names(&self, req: &FireRequest) -> Result<Vec<String>> {
        self.check_group(&req.group).await?;
        Ok(match &req.targets {
            FireTargets::Names(names) => names.clone(),
            FireTargets::Due => {
                let query = ReminderQuery {
                    group: req.group.clone(),
                    due_before: Some(chrono::Utc::now()),
                    state: Some(ScheduleState::Enabled),
                    include_foreign: true,
                    ..ReminderQuery::default()
                };
                self.reminders_sorted(&query, req.concurrency)
                    .await?
                    .into_iter()
                    .map(|r| r.name)
                    .collect()
            }
        })
    }

    /// Fires (or plans) each of `names`, `req.concurrency` at a time; `each` gets every
    /// schedule's result in the order of `names`.
    pub async fn fire(
        &self,
        req: &FireRequest,
        names: Vec<String>,
        mut each: impl FnMut(String, Result<Fired>) -> Result<()>,
    ) -> Result<()> {
        let clients = self.clients().await?;
        let mut results = futures::stream::iter(names)
            .map(|name| async move {
                let result = self.fire_one(clients, req, &name).await;
                (name, result)
            })
            .buffered(req.concurrency);
        while let Some((name, result)) = results.next().await {
            each(name, result)?;
        }
        Ok(())
    }

    async fn fire_one(&self, clients: &Clients, req: &FireRequest, name: &str) -> Result<Fired> {
        let (keep, force) = (req.keep, req.force);
        let plan = plan(
            &clients.scheduler,
            &req.group,
            name,
            keep,
            force,
            self.retrier(),
        );
        let plan = plan.await?;
        if req.dry_run {
            return Ok(Fired::Planned(Box::new(plan)));
        }
        fire(clients, &plan, self.retrier()).await.map(Fired::Done)
    }
}
