//! The one entry point to AWS: a [`Session`] owns the service clients (connected on first use),
//! the retry limits and the pace every request waits for, and offers one method per operation
//! of the reminder flow. Commands, the consumer Lambda and tests build typed requests, make one
//! session call, and get data back; nothing here prints.
//!
//! Every method checks what it needs first (the schedule group exists, the bus resolves) with
//! the same retries as the operation itself, so a caller never repeats that preamble.

use futures::{Stream, StreamExt, TryStreamExt};
use tokio::sync::{OnceCell, mpsc};

use crate::aws::{AwsSettings, Clients, events, iam, scheduler};
use crate::bulk::input::NumberedLine;
use crate::bulk::{self, BulkOptions, LineDefaults, LineOutcome, ReminderLines};
use crate::bus::BusRef;
use crate::dlq;
use crate::doctor::{self, Check, DoctorRequest};
use crate::error::Result;
use crate::event::{CartEvent, EventSettings};
use crate::invocation::{self, FireOutcome, FirePlan};
use crate::provision::apply::Provisioned;
use crate::provision::{self, Blueprint, SetupRequest};
use crate::publish::{self, EntryDelivery, EventOutcome};
use crate::query::{self, ReminderQuery, ReminderRow};
use crate::reminder::Reminder;
use crate::removal::{self, DeleteReport, DeleteResult, LineDeletion};
use crate::retry::{Retrier, RetryLimits};
use crate::shapes::{PutEventsEntry, ScheduleState};
use crate::upsert::{self, OnConflict, ScheduleOutcome};

/// A listener told each secret (secret key, session token) of the credentials once they are
/// loaded, so a log writer can mask them whatever their source.
type SecretListener = Box<dyn Fn(&str) + Send + Sync>;

/// Clients, retries and pace for one run (see the module documentation).
pub struct Session {
    aws: AwsSettings,
    retry: Retrier,
    clients: OnceCell<Clients>,
    on_secret: Option<SecretListener>,
    /// Groups already found to exist, so each is checked once per session.
    groups_seen: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("aws", &self.aws)
            .field("retry", &self.retry)
            .field("connected", &self.clients.initialized())
            .finish()
    }
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
    /// A session for `aws`, retrying each item within `limits`; nothing is connected yet.
    pub fn new(aws: AwsSettings, limits: RetryLimits) -> Session {
        Session {
            aws,
            retry: Retrier::new(limits),
            clients: OnceCell::new(),
            on_secret: None,
            groups_seen: Default::default(),
        }
    }

    /// Tells `listener` every secret of the credentials once they are loaded.
    pub fn on_secret(mut self, listener: impl Fn(&str) + Send + Sync + 'static) -> Session {
        self.on_secret = Some(Box::new(listener));
        self
    }

    /// Where the session connects.
    pub fn aws(&self) -> &AwsSettings {
        &self.aws
    }

    /// Sets the concurrency controller every request of the session goes through: adaptive up
    /// to `cap`, or fixed at `cap`.
    pub fn set_concurrency(&self, cap: usize, fixed: bool) {
        self.retry.limiter().configure(cap, fixed);
    }

    /// The retries and pace every operation of this session shares.
    pub fn retrier(&self) -> &Retrier {
        &self.retry
    }

    /// The clients, connected on first use.
    pub async fn clients(&self) -> Result<&Clients> {
        self.clients
            .get_or_try_init(|| async {
                let clients = Clients::connect(&self.aws).await?;
                if let Some(listener) = &self.on_secret {
                    for secret in clients.secrets().await {
                        listener(&secret);
                    }
                }
                Ok(clients)
            })
            .await
    }

    /// The ARN of `bus` (a name is looked up with DescribeEventBus).
    pub async fn bus_arn(&self, bus: &BusRef) -> Result<String> {
        let events = &self.clients().await?.events;
        self.retry
            .run(|_| events::resolve_bus_arn(events, bus))
            .await
    }

    /// Connects now (loads the configuration and credentials), so a caller can fail before it
    /// starts its output.
    pub async fn connect(&self) -> Result<()> {
        self.clients().await.map(|_| ())
    }

    /// Fails with "not found" (exit 4) when `group` does not exist, so a misspelt group is not
    /// taken for an empty one. Asks the service once per group and session.
    pub async fn check_group(&self, group: &str) -> Result<()> {
        let seen = |g: &str| {
            let set = self.groups_seen.lock().unwrap_or_else(|e| e.into_inner());
            set.contains(g)
        };
        if seen(group) {
            return Ok(());
        }
        let client = &self.clients().await?.scheduler;
        self.retry
            .run(|_| scheduler::ensure_group(client, group))
            .await?;
        let mut set = self.groups_seen.lock().unwrap_or_else(|e| e.into_inner());
        set.insert(group.to_owned());
        Ok(())
    }

    /// Creates one reminder's schedule, resolving a name conflict by `on_conflict`.
    pub async fn schedule(
        &self,
        reminder: &Reminder,
        on_conflict: OnConflict,
    ) -> Result<ScheduleOutcome> {
        self.check_group(&reminder.request.group_name).await?;
        let client = &self.clients().await?.scheduler;
        self.retry
            .run(|attempts| upsert::send_reminder(client, reminder, on_conflict, attempts))
            .await
    }

    /// Schedules the reminder of every line, `concurrency` at a time; `sink` gets each line's
    /// outcome as it completes.
    pub async fn schedule_lines(
        &self,
        lines: mpsc::Receiver<NumberedLine>,
        lines_to: ReminderLines<'_>,
        on_conflict: OnConflict,
        concurrency: usize,
        sink: impl FnMut(LineOutcome<ScheduleOutcome>),
    ) -> Result<()> {
        self.check_group(&lines_to.settings.group).await?;
        let client = &self.clients().await?.scheduler;
        let options = BulkOptions {
            concurrency,
            retry: &self.retry,
        };
        bulk::schedule_lines(lines, lines_to, client, on_conflict, options, sink).await;
        Ok(())
    }

    /// Puts one add-to-cart event; a refused entry is an error with the entry's code.
    pub async fn put_event(&self, event: &CartEvent) -> Result<EventOutcome> {
        let client = &self.clients().await?.events;
        publish::send_event(client, event, &self.retry).await
    }

    /// Puts raw entries (at most 10, under 256 KB) through the one PutEvents path.
    pub async fn put_entries(&self, entries: &[&PutEventsEntry]) -> Result<Vec<EntryDelivery>> {
        let client = &self.clients().await?.events;
        Ok(publish::put_entries(client, entries, &self.retry).await)
    }

    /// Puts the event of every line in PutEvents calls of up to 10, `concurrency` calls at a
    /// time; `sink` gets each line's outcome and whether it may have been put twice.
    pub async fn put_event_lines(
        &self,
        lines: mpsc::Receiver<NumberedLine>,
        defaults: &LineDefaults,
        settings: &EventSettings,
        concurrency: usize,
        sink: impl FnMut(LineOutcome<EventOutcome>, bool),
    ) -> Result<()> {
        let client = &self.clients().await?.events;
        let options = BulkOptions {
            concurrency,
            retry: &self.retry,
        };
        bulk::put_event_lines(lines, defaults, settings, client, options, sink).await;
        Ok(())
    }

    /// The reminders `query` matches, as a stream in the order their reads complete (every
    /// ListSchedules page, then GetSchedule `concurrency` at a time).
    pub async fn reminders<'a>(
        &'a self,
        query: &'a ReminderQuery,
        concurrency: usize,
    ) -> Result<impl Stream<Item = Result<ReminderRow>> + 'a> {
        self.check_group(&query.group).await?;
        let client = &self.clients().await?.scheduler;
        Ok(query::list_reminders(
            client,
            query,
            concurrency,
            &self.retry,
        ))
    }

    /// The reminders `query` matches, sorted by due time, then name.
    pub async fn reminders_sorted(
        &self,
        query: &ReminderQuery,
        concurrency: usize,
    ) -> Result<Vec<ReminderRow>> {
        let mut rows: Vec<_> = self
            .reminders(query, concurrency)
            .await?
            .try_collect()
            .await?;
        query::sort_rows(&mut rows);
        Ok(rows)
    }

    /// Deletes the named schedules of `group`, `concurrency` at a time; `each` sees every
    /// result as it comes.
    pub async fn delete(
        &self,
        group: &str,
        names: Vec<String>,
        concurrency: usize,
        each: impl FnMut(&str, &DeleteResult),
    ) -> Result<DeleteReport> {
        let client = &self.clients().await?.scheduler;
        Ok(removal::delete_all(client, group, names, concurrency, &self.retry, each).await)
    }

    /// Deletes what every line of a `delete --file` names (`dry_run`: only finds it),
    /// `concurrency` lines at a time; `sink` gets each line's outcome as it completes.
    pub async fn delete_lines(
        &self,
        lines: mpsc::Receiver<NumberedLine>,
        group: &str,
        dry_run: bool,
        concurrency: usize,
        sink: impl FnMut(LineOutcome<LineDeletion>),
    ) -> Result<()> {
        self.check_group(group).await?;
        let client = &self.clients().await?.scheduler;
        let options = BulkOptions {
            concurrency,
            retry: &self.retry,
        };
        removal::delete_lines(lines, client, group, dry_run, options, sink).await;
        Ok(())
    }

    /// Who is calling, and in which account (GetCallerIdentity).
    pub async fn caller(&self) -> Result<iam::Caller> {
        let clients = self.clients().await?;
        self.retry.run(|_| iam::caller(&clients.sts)).await
    }

    /// The region the clients call.
    pub async fn region(&self) -> Result<String> {
        let clients = self.clients().await?;
        Ok(clients
            .config()
            .region()
            .map(|r| r.to_string())
            .unwrap_or_default())
    }

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
        provision::apply::apply(self.clients().await?, bp, dry_run, each).await
    }

    /// Runs `doctor`'s checks; `each` sees each as it completes.
    pub async fn doctor(
        &self,
        req: &DoctorRequest,
        each: impl FnMut(&Check),
    ) -> Result<Vec<Check>> {
        let clients = self.clients().await?;
        Ok(doctor::diagnose(clients, req, &self.retry, each).await)
    }

    /// The dead-letter queue's messages, without consuming them.
    pub async fn dlq_list(&self, dlq_arn: &str, limit: Option<usize>) -> Result<dlq::Listing> {
        dlq::list(self.clients().await?, dlq_arn, limit, &self.retry).await
    }

    /// Puts the dead-lettered reminders back on their bus.
    pub async fn dlq_redrive(&self, req: &dlq::RedriveRequest) -> Result<dlq::RedriveReport> {
        dlq::redrive(self.clients().await?, req, &self.retry).await
    }

    /// Empties the dead-letter queue.
    pub async fn dlq_purge(&self, dlq_arn: &str) -> Result<()> {
        dlq::purge(self.clients().await?, dlq_arn, &self.retry).await
    }

    /// CloudWatch's counts for the reminder flow, with a verdict.
    pub async fn stats(&self, req: &crate::stats::StatsRequest) -> Result<crate::stats::Stats> {
        crate::stats::stats(self.clients().await?, req, &self.retry).await
    }

    /// Removes what `setup` made for the blueprint (only resources tagged as its own).
    pub async fn teardown(
        &self,
        bp: &Blueprint,
        each: impl FnMut(&Provisioned),
    ) -> Result<Vec<Provisioned>> {
        provision::apply::teardown(self.clients().await?, bp, each).await
    }

    /// Removes the queues and rules of tails created before `cutoff` (`tail --gc`).
    pub async fn collect_tail_garbage(
        &self,
        cutoff: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::listener::GcReport> {
        crate::listener::collect_garbage(self.clients().await?, cutoff).await
    }

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
        let plan = invocation::plan(
            &clients.scheduler,
            &req.group,
            name,
            keep,
            force,
            &self.retry,
        );
        let plan = plan.await?;
        if req.dry_run {
            return Ok(Fired::Planned(Box::new(plan)));
        }
        invocation::fire(clients, &plan, &self.retry)
            .await
            .map(Fired::Done)
    }
}
