//! Listening to a bus: EventBridge has no read API, so a [`Tail`] creates, for its own lifetime,
//! an SQS queue and a rule on the bus that targets it, then long-polls the queue.
//!
//! The queue is encrypted (SQS-managed keys), keeps messages for an hour only, and its policy lets
//! only `events.amazonaws.com` send, and only for this tail's rule (`aws:SourceArn`). Both are
//! tagged with their creation time, so [`collect_garbage`] can remove what a killed tail left
//! behind. [`TailResources`] records each resource as it is created, so [`Tail::close`] removes
//! exactly what exists, however the tail ends (an error, a signal, a dropped future).
//!
//! The pure parts (pattern, canary, policy, names) are in [`cartctl_core::tail_pattern`]; the
//! AWS calls in [`crate::sdk::sqs`] and [`crate::sdk::rules`].

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use cartctl_core::arn::parse_arn;
use cartctl_core::bus::BusRef;
use cartctl_core::error::{Error, Result};
use cartctl_core::tail_pattern::{
    self, CREATED_AT_TAG, RESOURCE_PREFIX, RETENTION_SECS, TARGET_ID, canary_entry, is_canary,
    queue_policy, rule_arn_for, rule_pattern,
};

use crate::put_event;
use crate::retry::Retrier;
use crate::sdk::rules::{self, NewRule};
use crate::sdk::sqs::{self, NewQueue};
use crate::sdk::{Clients, events, gone_ok};
use crate::session::Session;

/// How often a tail waiting for readiness publishes its canary until it comes back.
const CANARY_EVERY: Duration = Duration::from_secs(2);
/// The longest wait [`Tail::next_batch`] takes (SQS's longest long poll).
const MAX_POLL: Duration = sqs::MAX_WAIT;

/// What a tail has created so far; cleanup removes exactly these.
#[derive(Debug, Clone, Default)]
pub struct TailResources {
    /// The tail's id.
    pub id: String,
    /// The bus, as EventBridge calls take it (name or ARN).
    pub bus: String,
    /// The queue's URL, once created.
    pub queue_url: Option<String>,
    /// The queue's ARN, once known.
    pub queue_arn: Option<String>,
    /// The rule's name, once created.
    pub rule: Option<String>,
    /// The rule's ARN, once created.
    pub rule_arn: Option<String>,
    /// True once the target is set.
    pub target: bool,
}

impl TailResources {
    /// The shared name of the queue and the rule.
    pub fn name(&self) -> String {
        format!("{RESOURCE_PREFIX}{}", self.id)
    }
}

/// What a tail listens to.
#[derive(Debug, Clone)]
pub struct TailSpec {
    /// The bus.
    pub bus: BusRef,
    /// The events to show, as an event pattern (see [`tail_pattern::TailFilter::pattern`]).
    pub filter: serde_json::Map<String, Value>,
    /// Publish a canary until it comes back, to tell when the rule delivers.
    pub wait_ready: bool,
}

/// One long poll's worth of events.
#[derive(Debug, Default)]
struct TailBatch {
    /// Events, in the order the queue gave them (the canary left out).
    events: Vec<Value>,
    /// True the first time the canary came back: the rule delivers from now on.
    ready: bool,
}

/// When a tail ends by itself: after `max_events` events, or at `deadline` (then
/// [`Error::TimedOut`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct TailLimits {
    /// Stop after this many events.
    pub max_events: Option<u64>,
    /// Stop, timed out, at this instant.
    pub deadline: Option<Instant>,
}

impl TailLimits {
    fn timed_out(&self, seen: u64) -> Error {
        Error::TimedOut(match self.max_events {
            Some(m) => format!("timed out after {seen} of {m} events"),
            None => format!("timed out after {seen} events"),
        })
    }
}

/// A tail: [`Tail::listen`] (it opens the tail, then polls), then [`Tail::close`] (always,
/// however it ended).
pub struct Tail<'s> {
    retry: &'s Retrier,
    clients: &'s Clients,
    spec: TailSpec,
    resources: TailResources,
    waiting_for_canary: bool,
    last_canary: Option<Instant>,
}

impl Session {
    /// A tail of `spec` that has created nothing yet; [`Tail::listen`] creates its queue and rule.
    pub async fn tail(&self, spec: TailSpec) -> Result<Tail<'_>> {
        let resources = TailResources {
            id: tail_pattern::new_tail_id(),
            bus: spec.bus.as_str().to_owned(),
            ..TailResources::default()
        };
        Ok(Tail {
            retry: self.retrier(),
            clients: self.clients().await?,
            waiting_for_canary: spec.wait_ready,
            spec,
            resources,
            last_canary: None,
        })
    }

    /// Removes the queues and rules of tails created before `cutoff` (`tail --gc`).
    pub async fn collect_tail_garbage(&self, cutoff: DateTime<Utc>) -> Result<GcReport> {
        collect_garbage(self.clients().await?, cutoff).await
    }
}

impl Tail<'_> {
    /// The tail's id (the canary carries it).
    pub fn id(&self) -> &str {
        &self.resources.id
    }

    /// The shared name of its queue and rule.
    pub fn name(&self) -> String {
        self.resources.name()
    }

    /// The bus, as given.
    pub fn bus(&self) -> &str {
        self.spec.bus.as_str()
    }

    /// Opens the tail and hands over its events one by one until `limits` end it (or `event`
    /// fails, whose error ends it). `ready` is called once the tail listens: when it is open,
    /// or with `wait_ready` when the canary came back.
    pub async fn listen(
        &mut self,
        limits: TailLimits,
        mut ready: impl FnMut(),
        mut event: impl FnMut(&Value) -> Result<()>,
    ) -> Result<()> {
        self.open().await?;
        if !self.spec.wait_ready {
            ready();
        }
        let mut seen = 0u64;
        loop {
            let mut wait = MAX_POLL;
            if let Some(d) = limits.deadline {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(limits.timed_out(seen));
                }
                wait = wait.min(left);
            }
            // Only the --timeout ends a poll early, and then the tail ends too.
            let batch = match limits.deadline {
                Some(d) => match tokio::time::timeout_at(d.into(), self.next_batch(wait)).await {
                    Ok(r) => r?,
                    Err(_) => return Err(limits.timed_out(seen)),
                },
                None => self.next_batch(wait).await?,
            };
            if batch.ready {
                ready();
            }
            for envelope in &batch.events {
                event(envelope)?;
                seen += 1;
                if limits.max_events.is_some_and(|m| seen >= m) {
                    return Ok(());
                }
            }
        }
    }

    /// Creates the queue, the rule and the target, recording each as it is created.
    async fn open(&mut self) -> Result<()> {
        let bus_arn = events::resolve_bus_arn(&self.clients.events, &self.spec.bus).await?;
        let name = self.resources.name();
        let rule_arn = rule_arn_for(&bus_arn, &name).ok_or_else(|| {
            let problem = format!("`{bus_arn}` is not an event bus ARN");
            Error::invalid(
                cartctl_core::setting::EVENT_BUS.key,
                problem,
                "give a bus name or ARN",
            )
        })?;
        let queue_arn_guess = parse_arn(&bus_arn)
            .map(|a| format!("arn:{}:sqs:{}:{}:{name}", a.partition, a.region, a.account))
            .unwrap_or_default();
        let created_at = cartctl_core::due::format_utc(Utc::now());
        let tags = [
            (CREATED_AT_TAG, created_at.as_str()),
            ("created-by", "cartctl tail"),
        ];
        self.create_queue(&name, &queue_arn_guess, &rule_arn, &tags)
            .await?;
        self.create_rule(&name, &created_at, &tags, &rule_arn)
            .await?;
        let (queue_arn, actual_rule_arn) = self.arns();
        if actual_rule_arn != rule_arn || queue_arn != queue_arn_guess {
            let url = self.queue_url();
            let policy = queue_policy(&queue_arn, &actual_rule_arn);
            sqs::set_policy(&self.clients.sqs, url, &policy).await?;
        }
        let bus = &self.resources.bus;
        rules::put_target(&self.clients.events, bus, &name, TARGET_ID, &queue_arn).await?;
        self.resources.target = true;
        Ok(())
    }

    async fn create_queue(
        &mut self,
        name: &str,
        queue_arn_guess: &str,
        rule_arn: &str,
        tags: &[(&str, &str)],
    ) -> Result<()> {
        let policy = queue_policy(queue_arn_guess, rule_arn);
        let queue = NewQueue {
            name,
            policy: &policy,
            retention_secs: RETENTION_SECS,
            tags,
        };
        let url = sqs::create_queue(&self.clients.sqs, &queue).await?;
        self.resources.queue_url = Some(url.clone());
        let arn = sqs::queue_arn(&self.clients.sqs, &url).await?;
        self.resources.queue_arn = Some(arn.unwrap_or_else(|| queue_arn_guess.to_owned()));
        Ok(())
    }

    async fn create_rule(
        &mut self,
        name: &str,
        created_at: &str,
        tags: &[(&str, &str)],
        expected_arn: &str,
    ) -> Result<()> {
        let description = format!(
            "cartctl tail {}, created {created_at}; removed when the tail ends",
            self.resources.id
        );
        let canary = self.spec.wait_ready.then_some(self.resources.id.as_str());
        let pattern = rule_pattern(&self.spec.filter, canary);
        let rule = NewRule {
            name,
            bus: &self.resources.bus,
            pattern: &pattern,
            description: &description,
            tags,
        };
        let arn = rules::put_rule(&self.clients.events, &rule).await?;
        self.resources.rule = Some(name.to_owned());
        self.resources.rule_arn = Some(arn.unwrap_or_else(|| expected_arn.to_owned()));
        Ok(())
    }

    fn arns(&self) -> (String, String) {
        let r = &self.resources;
        let queue = r.queue_arn.clone().unwrap_or_default();
        (queue, r.rule_arn.clone().unwrap_or_default())
    }

    fn queue_url(&self) -> &str {
        self.resources.queue_url.as_deref().unwrap_or_default()
    }

    /// Waits up to `wait` (at most 20 s; 2 s while waiting for the canary) for events, deletes
    /// what it received from the queue, and returns it. The poll always runs to its end: dropping
    /// it early would leave AWS holding a poll whose messages then stay invisible.
    async fn next_batch(&mut self, wait: Duration) -> Result<TailBatch> {
        let mut wait = wait.min(MAX_POLL);
        if self.waiting_for_canary {
            self.send_canary_if_due().await?;
            wait = wait.min(CANARY_EVERY);
        }
        let (sqs, url) = (&self.clients.sqs, self.queue_url());
        let secs = Duration::from_secs(wait.as_secs_f64().ceil() as u64);
        let received = self.retry.run(|_| sqs::receive(sqs, url, secs)).await?;
        let receipts: Vec<String> = received.iter().map(|(_, r)| r.clone()).collect();
        sqs::delete_received(sqs, url, &receipts).await?;
        let mut batch = TailBatch::default();
        for (envelope, _) in received {
            if is_canary(&envelope, self.id()) {
                batch.ready |= std::mem::take(&mut self.waiting_for_canary);
            } else {
                batch.events.push(envelope);
            }
        }
        Ok(batch)
    }

    async fn send_canary_if_due(&mut self) -> Result<()> {
        if self.last_canary.is_some_and(|t| t.elapsed() < CANARY_EVERY) {
            return Ok(());
        }
        let canary = canary_entry(self.spec.bus.as_str(), self.id());
        let sent = put_event::put_entries(&self.clients.events, &[&canary], self.retry).await;
        if let Some(Err(e)) = sent.into_iter().next().map(|d| d.result) {
            return Err(Error::Aws(e));
        }
        self.last_canary = Some(Instant::now());
        Ok(())
    }

    /// Removes the target, the rule and the queue, whichever exist (one already gone is fine).
    /// Returns one line for each resource that could not be removed, naming what is left and
    /// why (a tail's garbage collection removes it later).
    pub async fn close(&self) -> Vec<String> {
        let (events, r) = (&self.clients.events, &self.resources);
        let mut left = Vec::new();
        if let Some(rule) = &r.rule {
            left.extend(remove_rule(events, &r.bus, rule, r.target).await);
        }
        if let Some(url) = &r.queue_url
            && let Err(e) = gone_ok(sqs::delete_queue(&self.clients.sqs, url).await)
        {
            left.push(format!("queue {url} ({e})"));
        }
        left
    }
}

/// Removes a tail's rule (and first its target, when it has one); what is left, and why.
async fn remove_rule(
    client: &aws_sdk_eventbridge::Client,
    bus: &str,
    rule: &str,
    has_target: bool,
) -> Vec<String> {
    let mut left = Vec::new();
    let removed = match has_target {
        true => gone_ok(rules::remove_targets(client, bus, rule, vec![TARGET_ID.into()]).await),
        false => Ok(()),
    };
    match removed {
        Err(e) => left.push(format!("the target of rule {rule} on bus {bus} ({e})")),
        Ok(()) => {
            if let Err(e) = gone_ok(rules::delete_rule(client, bus, rule).await) {
                left.push(format!("rule {rule} on bus {bus} ({e})"));
            }
        }
    }
    if !left.is_empty() {
        left.push(format!(
            "(`aws events delete-rule --force --name {rule} --event-bus-name {bus}` removes the rule too)"
        ));
    }
    left
}

/// What `tail --gc` removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcReport {
    /// Rules removed, as `bus/rule`.
    pub rules: Vec<String>,
    /// Queues removed, by URL.
    pub queues: Vec<String>,
    /// What could not be removed, and why.
    pub failed: Vec<String>,
}

fn created_before(tag: Option<&str>, cutoff: DateTime<Utc>) -> bool {
    let created = tag.and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    // A resource without the tag is not one of ours.
    created.is_some_and(|c| c.with_timezone(&Utc) <= cutoff)
}

/// Removes tail rules (on every bus) and queues created before `cutoff`.
async fn collect_garbage(clients: &Clients, cutoff: DateTime<Utc>) -> Result<GcReport> {
    let mut report = GcReport::default();
    let events = &clients.events;
    for bus in rules::bus_names(events).await? {
        for (rule, arn) in rules::rules_named(events, &bus, RESOURCE_PREFIX).await? {
            let tag = rules::tag_value(events, &arn, CREATED_AT_TAG).await?;
            if !created_before(tag.as_deref(), cutoff) {
                continue;
            }
            let ids = rules::target_ids(events, &bus, &rule).await?;
            let removed = async {
                if !ids.is_empty() {
                    rules::remove_targets(events, &bus, &rule, ids).await?;
                }
                rules::delete_rule(events, &bus, &rule).await
            };
            match removed.await {
                Ok(()) => report.rules.push(format!("{bus}/{rule}")),
                Err(e) => report.failed.push(format!("rule {rule} on bus {bus}: {e}")),
            }
        }
    }
    for url in sqs::queues_named(&clients.sqs, RESOURCE_PREFIX).await? {
        let tags = sqs::queue_tags(&clients.sqs, &url).await?;
        if !created_before(tags.get(CREATED_AT_TAG).map(String::as_str), cutoff) {
            continue;
        }
        match sqs::delete_queue(&clients.sqs, &url).await {
            Ok(()) => report.queues.push(url),
            Err(e) => report.failed.push(format!("queue {url}: {e}")),
        }
    }
    Ok(report)
}
