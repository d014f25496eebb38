//! `dlq`: the reminders' dead-letter queue — listed without consuming it, redriven onto the bus
//! without losing a message, purged.
//!
//! Messages are received in batches and kept invisible while the run lasts (so one run sees
//! each message once), then every message the run did not delete is made visible again at
//! once. Redrive deletes a message only after EventBridge accepted its event: a lost answer
//! may put a reminder twice (counted), never lose one. Messages that are not Scheduler
//! dead-letter events are reported and left in place.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::put_event;
use crate::retry::Retrier;
use crate::sdk::{Clients, scheduler, sqs};
use crate::session::Session;
use cartctl_core::deadletter::{DeadLetterEvent, ReceivedMessage};
use cartctl_core::error::Result;
use cartctl_core::reminder::{Cart, DetailTypeTemplate};
use cartctl_core::shapes::PutEventsEntry;

/// How long a received message stays hidden while a run lasts.
const HOLD_SECS: i32 = 30;
/// How long a run waits for messages it cannot see (in flight elsewhere) before it ends.
const IDLE_CAP: Duration = Duration::from_secs(HOLD_SECS as u64 + 15);
/// How long a receive waits for a message before the queue counts as drained.
const DRAIN_WAIT: Duration = Duration::from_secs(1);

/// A message that is not a Scheduler dead-letter event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignMessage {
    /// Its id.
    pub message_id: String,
    /// The start of its body.
    pub body: String,
}

impl ForeignMessage {
    fn of(m: &ReceivedMessage) -> ForeignMessage {
        ForeignMessage {
            message_id: m.message_id.clone(),
            body: m.body.chars().take(120).collect(),
        }
    }
}

/// What `dlq list` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Listing {
    /// The dead-letter events.
    pub events: Vec<DeadLetterEvent>,
    /// The other messages.
    pub foreign: Vec<ForeignMessage>,
}

/// Receives the queue's messages once each (up to `limit`) and hands each new batch to `take`,
/// which returns the (id, receipt) of the messages it keeps in the queue. Returns the receipts
/// to make visible again.
///
/// The run ends when a receive brings nothing new and the queue holds no more messages than
/// those kept: a message hidden by a receive whose answer was lost comes back after
/// [`HOLD_SECS`] and is taken then. Another reader's in-flight messages are waited for at most
/// [`IDLE_CAP`].
async fn drain(
    clients: &Clients,
    url: &str,
    limit: Option<usize>,
    retry: &Retrier,
    mut take: impl AsyncFnMut(Vec<ReceivedMessage>) -> Result<Vec<(String, String)>>,
) -> Result<Vec<String>> {
    let mut seen = HashSet::new();
    let mut kept = HashSet::new();
    let mut held = Vec::new();
    let mut count = 0usize;
    let mut idle_since = Instant::now();
    while limit.is_none_or(|l| count < l) {
        let batch = retry
            .run(|_| sqs::receive_full(&clients.sqs, url, DRAIN_WAIT, HOLD_SECS))
            .await?;
        let mut fresh = Vec::new();
        for m in batch {
            if seen.contains(&m.message_id) || limit.is_some_and(|l| count >= l) {
                held.push(m.receipt);
            } else {
                seen.insert(m.message_id.clone());
                count += 1;
                fresh.push(m);
            }
        }
        if fresh.is_empty() {
            let total = retry.run(|_| sqs::depth(&clients.sqs, url)).await?;
            if total <= kept.len() as u64 || idle_since.elapsed() > IDLE_CAP {
                break;
            }
            tokio::time::sleep(DRAIN_WAIT).await;
            continue;
        }
        idle_since = Instant::now();
        for (id, receipt) in take(fresh).await? {
            kept.insert(id);
            held.push(receipt);
        }
    }
    Ok(held)
}

/// Makes the held messages visible again, ten at a time.
async fn release_all(clients: &Clients, url: &str, held: &[String], retry: &Retrier) -> Result<()> {
    for chunk in held.chunks(10) {
        retry
            .run(|_| sqs::release(&clients.sqs, url, chunk))
            .await?;
    }
    Ok(())
}

/// Lists the dead-letter queue `dlq_arn` without consuming it.
pub async fn list(
    clients: &Clients,
    dlq_arn: &str,
    limit: Option<usize>,
    retry: &Retrier,
) -> Result<Listing> {
    let url = retry
        .run(|_| sqs::url_of_arn(&clients.sqs, dlq_arn))
        .await?;
    let mut listing = Listing::default();
    let held = drain(
        clients,
        &url,
        limit,
        retry,
        async |batch: Vec<ReceivedMessage>| {
            let mut keep = Vec::new();
            for m in batch {
                match DeadLetterEvent::parse(&m) {
                    Some(e) => listing.events.push(e),
                    None => listing.foreign.push(ForeignMessage::of(&m)),
                }
                keep.push((m.message_id, m.receipt));
            }
            Ok(keep)
        },
    )
    .await?;
    release_all(clients, &url, &held, retry).await?;
    Ok(listing)
}

/// What to redrive, and where.
#[derive(Debug, Clone)]
pub struct RedriveRequest {
    /// The dead-letter queue.
    pub dlq_arn: String,
    /// Only this user's reminders.
    pub user: Option<String>,
    /// At most this many messages.
    pub limit: Option<usize>,
    /// Put the events on this bus instead of the one each failed on.
    pub bus: Option<String>,
    /// The source, when the schedule no longer exists to say.
    pub source: String,
    /// The detail-type template, when the schedule no longer exists to say.
    pub detail_type: String,
}

/// One redriven reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redriven {
    /// The schedule it came from.
    pub name: String,
    /// The reminder's user.
    pub user: Option<String>,
    /// The reminder's product.
    pub product: Option<String>,
    /// The bus it was put on.
    pub bus: String,
    /// The event id EventBridge gave it.
    pub event_id: String,
}

/// A reminder that could not be put back (left in the queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotRedriven {
    /// The schedule it came from.
    pub name: String,
    /// Why.
    pub error: String,
}

/// The result of `dlq redrive`, in the shape of its JSON output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RedriveReport {
    /// Put back on the bus and deleted from the queue.
    pub redriven: Vec<Redriven>,
    /// Left in the queue: the put failed.
    pub failed: Vec<NotRedriven>,
    /// Left in the queue: another user's (with `--user`).
    pub skipped: u64,
    /// Left in the queue: not Scheduler dead-letter events.
    pub foreign: Vec<ForeignMessage>,
    /// Events that may have been put twice (a PutEvents answer was lost).
    pub maybe_duplicated: u64,
    /// Redriven, but SQS refused to delete the message: it stays, and a later redrive puts it
    /// again (a duplicate, never a loss).
    pub not_deleted: u64,
}

/// The event a dead-letter event stands for: the schedule's source and detail-type (or the
/// configured ones when the schedule is gone), its input as detail, its ARN as resource.
async fn event_of(
    clients: &Clients,
    e: &DeadLetterEvent,
    req: &RedriveRequest,
    retry: &Retrier,
) -> Result<PutEventsEntry> {
    let stored = retry
        .run(|_| scheduler::get(&clients.scheduler, &e.group, &e.name))
        .await;
    let (source, detail_type) = match stored {
        Ok(s) => {
            let p = &s.definition.target.event_bridge_parameters;
            (p.source.clone(), p.detail_type.clone())
        }
        Err(err) if err.is_not_found() => {
            let cart = Cart {
                user: e.user.clone().unwrap_or_default(),
                product: e.product.clone().unwrap_or_default(),
            };
            let rendered = DetailTypeTemplate::new(&req.detail_type)
                .render(&cart, cartctl_core::setting::DETAIL_TYPE.key)?;
            (req.source.clone(), rendered)
        }
        Err(err) => return Err(err),
    };
    Ok(PutEventsEntry {
        source,
        detail_type,
        detail: e.body.clone(),
        event_bus_name: req.bus.clone().unwrap_or_else(|| e.target_arn.clone()),
        resources: vec![e.schedule_arn.clone()],
    })
}

/// Puts each dead-lettered reminder back on its bus and deletes its message once accepted.
pub async fn redrive(
    clients: &Clients,
    req: &RedriveRequest,
    retry: &Retrier,
) -> Result<RedriveReport> {
    let url = retry
        .run(|_| sqs::url_of_arn(&clients.sqs, &req.dlq_arn))
        .await?;
    let mut report = RedriveReport::default();
    let held = drain(
        clients,
        &url,
        req.limit,
        retry,
        async |batch: Vec<ReceivedMessage>| {
            redrive_batch(clients, &url, req, retry, batch, &mut report).await
        },
    )
    .await?;
    release_all(clients, &url, &held, retry).await?;
    Ok(report)
}

/// Redrives one received batch; returns the (id, receipt) of the messages left in the queue.
async fn redrive_batch(
    clients: &Clients,
    url: &str,
    req: &RedriveRequest,
    retry: &Retrier,
    batch: Vec<ReceivedMessage>,
    report: &mut RedriveReport,
) -> Result<Vec<(String, String)>> {
    let mut keep = Vec::new();
    let mut todo = Vec::new();
    for m in batch {
        match DeadLetterEvent::parse(&m) {
            None => {
                report.foreign.push(ForeignMessage::of(&m));
                keep.push((m.message_id, m.receipt));
            }
            Some(e) if req.user.is_some() && e.user != req.user => {
                report.skipped += 1;
                keep.push((m.message_id, m.receipt));
            }
            // Scheduler cut the body: putting it back would send a reminder that is not the
            // one that failed.
            Some(e) if e.payload_truncated => {
                report.failed.push(NotRedriven {
                    name: e.name.clone(),
                    error: "its payload was truncated (IS_PAYLOAD_TRUNCATED): the body is not the whole reminder, so it stays in the queue; schedule the reminder again".into(),
                });
                keep.push((e.message_id, e.receipt));
            }
            Some(e) => match event_of(clients, &e, req, retry).await {
                Ok(entry) => todo.push((e, entry)),
                Err(err) => {
                    report.failed.push(NotRedriven {
                        name: e.name.clone(),
                        error: err.one_line(),
                    });
                    keep.push((e.message_id, e.receipt));
                }
            },
        }
    }
    let entries: Vec<&PutEventsEntry> = todo.iter().map(|(_, entry)| entry).collect();
    let deliveries = put_event::put_entries(&clients.events, &entries, retry).await;
    let mut done = Vec::new();
    for ((e, entry), d) in todo.iter().zip(deliveries) {
        report.maybe_duplicated += u64::from(d.maybe_duplicated);
        match d.result {
            Ok(event_id) => {
                done.push(e.receipt.clone());
                report.redriven.push(Redriven {
                    name: e.name.clone(),
                    user: e.user.clone(),
                    product: e.product.clone(),
                    bus: entry.event_bus_name.clone(),
                    event_id,
                });
            }
            Err(err) => {
                report.failed.push(NotRedriven {
                    name: e.name.clone(),
                    error: err.one_line(),
                });
                keep.push((e.message_id.clone(), e.receipt.clone()));
            }
        }
    }
    report.not_deleted += retry
        .run(|_| sqs::delete_received(&clients.sqs, url, &done))
        .await? as u64;
    Ok(keep)
}

/// Empties the dead-letter queue (PurgeQueue).
pub async fn purge(clients: &Clients, dlq_arn: &str, retry: &Retrier) -> Result<()> {
    let url = retry
        .run(|_| sqs::url_of_arn(&clients.sqs, dlq_arn))
        .await?;
    retry.run(|_| sqs::purge(&clients.sqs, &url)).await
}

impl Session {
    /// The dead-letter queue's messages, without consuming them.
    pub async fn dlq_list(&self, dlq_arn: &str, limit: Option<usize>) -> Result<Listing> {
        list(self.clients().await?, dlq_arn, limit, self.retrier()).await
    }

    /// Puts the dead-lettered reminders back on their bus.
    pub async fn dlq_redrive(&self, req: &RedriveRequest) -> Result<RedriveReport> {
        redrive(self.clients().await?, req, self.retrier()).await
    }

    /// Empties the dead-letter queue.
    pub async fn dlq_purge(&self, dlq_arn: &str) -> Result<()> {
        purge(self.clients().await?, dlq_arn, self.retrier()).await
    }
}
