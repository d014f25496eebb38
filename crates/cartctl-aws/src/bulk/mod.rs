//! Bulk mode: many reminders or events from lines the CLI reads (an NDJSON or CSV file, or
//! stdin) and the core parses ([`cartctl_core::lines`]), sent with bounded memory and bounded
//! concurrency, each line reported on its own.
//!
//! A line that is invalid is reported with its number and reason and never sent; the other
//! lines go on. Sends are retried item by item ([`crate::retry`]); reminders are idempotent per name,
//! so re-running a file, even after a run was killed half way, ends with one schedule per line.

use std::collections::BTreeMap;

use chrono::Utc;
use futures::StreamExt;
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::put_event::{self, EventOutcome};
use crate::retry::Retrier;
use crate::schedule::{self, OnConflict, ScheduleOutcome};
use cartctl_core::batch::PutEventsBatcher;
use cartctl_core::error::{Error, Result};
use cartctl_core::event::{CartEvent, EventSettings};
use cartctl_core::lines::{LineDefaults, NumberedLine, RawLine};
use cartctl_core::reminder::{Reminder, ReminderSettings};
use cartctl_core::shapes::{CreateScheduleRequest, PutEventsRequest};

/// Default number of schedules sent at once.
pub const DEFAULT_SCHEDULE_CONCURRENCY: usize = 16;
/// Default number of PutEvents calls (of up to 10 events) in flight at once.
pub const DEFAULT_EVENT_CONCURRENCY: usize = 16;
/// The largest `--concurrency`.
pub const MAX_CONCURRENCY: usize = 256;

/// How a bulk run sends.
#[derive(Debug, Clone, Copy)]
pub struct BulkOptions<'a> {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Item-level retries and the session's pace.
    pub retry: &'a Retrier,
}

/// Checks a concurrency cap.
pub fn check_concurrency(value: usize) -> Result<usize> {
    if (1..=MAX_CONCURRENCY).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            "concurrency",
            format!("{value} is out of range"),
            format!("give 1 to {MAX_CONCURRENCY}"),
        ))
    }
}

/// Why a line was not done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineFailure {
    /// The message, as it would be printed.
    pub error: String,
    /// True if the line was invalid (and so was never sent).
    #[serde(skip)]
    pub invalid: bool,
    /// The line's user, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The line's product, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

impl LineFailure {
    fn new(error: &Error, invalid: bool, raw: Option<&RawLine>) -> Self {
        LineFailure {
            error: error.one_line(),
            invalid,
            user: raw.and_then(|r| r.user.clone()),
            product: raw.and_then(|r| r.product.clone()),
        }
    }
}

/// What became of one input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOutcome<T> {
    /// The line's 1-based number in the input.
    pub line: u64,
    /// The result, or why there is none.
    pub result: std::result::Result<T, LineFailure>,
}

impl<T: Serialize> LineOutcome<T> {
    /// One NDJSON object: `line`, then the result's fields (with `status`), or `status: failed`
    /// and `error`. `default_status` is used when the result has no status of its own.
    pub fn to_json(&self, default_status: &str) -> Value {
        let mut m = Map::new();
        m.insert("line".into(), Value::from(self.line));
        match &self.result {
            Ok(v) => {
                if let Ok(Value::Object(fields)) = serde_json::to_value(v) {
                    m.extend(fields);
                }
                m.entry("status")
                    .or_insert_with(|| Value::from(default_status));
            }
            Err(f) => {
                if let Ok(Value::Object(fields)) = serde_json::to_value(f) {
                    for (k, v) in fields {
                        if k != "error" {
                            m.insert(k, v);
                        }
                    }
                }
                m.insert("status".into(), Value::from("failed"));
                m.insert("error".into(), Value::from(f.error.clone()));
            }
        }
        Value::Object(m)
    }
}

/// Counts of a bulk run, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkSummary {
    /// Lines read (blank lines excepted).
    pub lines: u64,
    /// Lines done, by status (`created`, `unchanged`, `sent`, …).
    pub done: BTreeMap<String, u64>,
    /// Lines that were invalid (never sent).
    pub invalid: u64,
    /// Lines whose send failed.
    pub failed: u64,
    /// Events that may have been put twice (a call carrying them lost its answer).
    pub maybe_duplicated: u64,
}

impl BulkSummary {
    /// Counts one outcome under `status` when it succeeded.
    pub fn count<T>(&mut self, outcome: &LineOutcome<T>, status: &str) {
        self.lines += 1;
        match &outcome.result {
            Ok(_) => *self.done.entry(status.to_owned()).or_default() += 1,
            Err(f) if f.invalid => self.invalid += 1,
            Err(_) => self.failed += 1,
        }
    }

    /// The run's error, if any line failed: exit code 3.
    pub fn into_result(self) -> Result<BulkSummary> {
        let failed = self.invalid + self.failed;
        if failed > 0 {
            Err(Error::Partial {
                failed,
                total: self.lines,
                noun: "lines",
            })
        } else {
            Ok(self)
        }
    }
}

/// What turns a line into a reminder: the flag defaults, the checked settings and the bus.
#[derive(Debug, Clone, Copy)]
pub struct ReminderLines<'a> {
    /// Flags every line inherits.
    pub defaults: &'a LineDefaults,
    /// Settings shared by every reminder.
    pub settings: &'a ReminderSettings,
    /// The target bus ARN.
    pub bus_arn: &'a str,
}

impl ReminderLines<'_> {
    fn reminder(&self, raw: &RawLine) -> Result<Reminder> {
        self.defaults
            .reminder(raw, self.settings, self.bus_arn, Utc::now())
    }
}

/// Schedules the reminder of every line, `concurrency` at a time; `sink` gets each line's
/// outcome as it completes.
pub async fn schedule_lines(
    rx: mpsc::Receiver<NumberedLine>,
    lines_to: ReminderLines<'_>,
    client: &aws_sdk_scheduler::Client,
    on_conflict: OnConflict,
    options: BulkOptions<'_>,
    sink: impl FnMut(LineOutcome<ScheduleOutcome>),
) {
    let send = |reminder: Reminder| async move {
        options
            .retry
            .run(|attempts| schedule::send_reminder(client, &reminder, on_conflict, attempts))
            .await
    };
    each_line(
        rx,
        options.concurrency,
        |r| lines_to.reminder(r),
        send,
        sink,
    )
    .await;
}

/// Turns every line into its work item with `check` and does it with `work`, `concurrency`
/// lines at a time; `sink` gets each line's outcome (an invalid line is never worked on).
pub(crate) async fn each_line<W, T, Fut>(
    rx: mpsc::Receiver<NumberedLine>,
    concurrency: usize,
    check: impl Fn(&RawLine) -> Result<W> + Copy,
    work: impl Fn(W) -> Fut + Copy,
    mut sink: impl FnMut(LineOutcome<T>),
) where
    Fut: std::future::Future<Output = Result<T>>,
{
    stream_of(rx)
        .map(|(line, raw)| async move {
            let (raw, item) = match checked(line, raw, check) {
                Ok(ok) => ok,
                Err(invalid) => return invalid,
            };
            match work(item).await {
                Ok(o) => LineOutcome {
                    line,
                    result: Ok(o),
                },
                Err(e) => failed(line, &e, false, Some(&raw)),
            }
        })
        .buffer_unordered(concurrency)
        .for_each(|o| {
            sink(o);
            futures::future::ready(())
        })
        .await;
}

/// Checks every line and hands out the CreateSchedule request of each valid one (`--dry-run`).
pub async fn plan_schedule_lines(
    mut rx: mpsc::Receiver<NumberedLine>,
    lines_to: ReminderLines<'_>,
    mut sink: impl FnMut(LineOutcome<CreateScheduleRequest>),
) {
    while let Some((line, raw)) = rx.recv().await {
        let outcome = match checked(line, raw, |r| lines_to.reminder(r)) {
            Ok((_, reminder)) => LineOutcome {
                line,
                result: Ok(reminder.request),
            },
            Err(invalid) => invalid,
        };
        sink(outcome);
    }
}

/// A line read and turned into what it asks for by `make`; an unreadable or invalid line becomes
/// its failed outcome, naming what the line holds.
fn checked<T, U>(
    line: u64,
    raw: Result<RawLine>,
    make: impl FnOnce(&RawLine) -> Result<T>,
) -> std::result::Result<(RawLine, T), LineOutcome<U>> {
    let raw = raw.map_err(|e| failed(line, &e, true, None))?;
    match make(&raw) {
        Ok(item) => Ok((raw, item)),
        Err(e) => Err(failed(line, &e, true, Some(&raw))),
    }
}

pub(crate) fn failed<T>(
    line: u64,
    e: &Error,
    invalid: bool,
    raw: Option<&RawLine>,
) -> LineOutcome<T> {
    LineOutcome {
        line,
        result: Err(LineFailure::new(e, invalid, raw)),
    }
}

/// Puts the event of every line, packed into PutEvents calls of at most 10 entries and under
/// 256 KB, `concurrency` calls at a time; `sink` gets each line's outcome as it completes.
pub async fn put_event_lines(
    rx: mpsc::Receiver<NumberedLine>,
    defaults: &LineDefaults,
    settings: &EventSettings,
    client: &aws_sdk_eventbridge::Client,
    options: BulkOptions<'_>,
    mut sink: impl FnMut(LineOutcome<EventOutcome>, bool),
) {
    type Batch = Vec<(u64, CartEvent)>;
    let (batch_tx, batch_rx) = mpsc::channel::<Batch>(options.concurrency);
    let (out_tx, mut out_rx) = mpsc::channel::<(LineOutcome<EventOutcome>, bool)>(1024);

    let produce = batch_lines(rx, defaults, settings, batch_tx, out_tx.clone());
    let results_tx = out_tx.clone();
    let send = async move {
        stream_of(batch_rx)
            .map(|batch: Batch| async move {
                let refs: Vec<&CartEvent> = batch.iter().map(|(_, e)| e).collect();
                let results = put_event::send_batch(client, &refs, options.retry).await;
                batch
                    .iter()
                    .zip(results)
                    .map(|((line, event), r)| {
                        let outcome = LineOutcome {
                            line: *line,
                            result: r.result.map_err(|e| LineFailure {
                                error: e.one_line(),
                                invalid: false,
                                user: Some(event.user.clone()),
                                product: event.product.clone(),
                            }),
                        };
                        (outcome, r.maybe_duplicated)
                    })
                    .collect::<Vec<_>>()
            })
            .buffer_unordered(options.concurrency)
            .for_each(|results| {
                let tx = results_tx.clone();
                async move {
                    for r in results {
                        let _ = tx.send(r).await;
                    }
                }
            })
            .await;
    };
    // The channel closes when the producer and the senders are done.
    drop(out_tx);
    let drain = async {
        while let Some((o, dup)) = out_rx.recv().await {
            sink(o, dup);
        }
    };
    futures::join!(produce, send, drain);
}

/// Reads lines and packs their events into batches for `batch_tx`; invalid lines go to
/// `invalid_tx` at once. A batch is sent as soon as nothing more is waiting, so a slow input
/// does not hold events back.
async fn batch_lines(
    mut rx: mpsc::Receiver<NumberedLine>,
    defaults: &LineDefaults,
    settings: &EventSettings,
    batch_tx: mpsc::Sender<Vec<(u64, CartEvent)>>,
    invalid_tx: mpsc::Sender<(LineOutcome<EventOutcome>, bool)>,
) {
    let mut batcher = PutEventsBatcher::default();
    loop {
        let next = match rx.try_recv() {
            Ok(l) => Some(l),
            Err(mpsc::error::TryRecvError::Empty) => {
                // Nothing waiting: send what is collected instead of holding it back.
                if let Some(b) = batcher.take()
                    && batch_tx.send(b).await.is_err()
                {
                    return;
                }
                rx.recv().await
            }
            Err(mpsc::error::TryRecvError::Disconnected) => None,
        };
        let Some((line, raw)) = next else { break };
        match checked(line, raw, |r| defaults.event(r, settings)).map(|(_, event)| event) {
            Err(outcome) => {
                if invalid_tx.send((outcome, false)).await.is_err() {
                    return;
                }
            }
            Ok(event) => {
                let size = event.entry.size();
                if let Some(b) = batcher.push((line, event), size)
                    && batch_tx.send(b).await.is_err()
                {
                    return;
                }
            }
        }
    }
    if let Some(b) = batcher.take() {
        let _ = batch_tx.send(b).await;
    }
}

/// Turns a channel into a stream.
fn stream_of<T: Send + 'static>(rx: mpsc::Receiver<T>) -> impl futures::Stream<Item = T> {
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|l| (l, rx)) })
}

/// Checks every line and hands out the PutEvents requests, batched as they would be sent
/// (`--dry-run`); invalid lines go to `invalid`.
pub async fn plan_put_event_lines(
    mut rx: mpsc::Receiver<NumberedLine>,
    defaults: &LineDefaults,
    settings: &EventSettings,
    mut request: impl FnMut(PutEventsRequest),
    mut invalid: impl FnMut(LineOutcome<EventOutcome>),
) {
    let mut batcher = PutEventsBatcher::default();
    let to_request = |b: Vec<CartEvent>| PutEventsRequest {
        entries: b.into_iter().map(|e| e.entry).collect(),
    };
    while let Some((line, raw)) = rx.recv().await {
        match checked(line, raw, |r| defaults.event(r, settings)).map(|(_, event)| event) {
            Ok(e) => {
                let size = e.entry.size();
                if let Some(b) = batcher.push(e, size) {
                    request(to_request(b));
                }
            }
            Err(outcome) => invalid(outcome),
        }
    }
    if let Some(b) = batcher.take() {
        request(to_request(b));
    }
}
