//! A queue worker: long-polls an SQS queue with several pollers, hands each batch to a handler,
//! deletes exactly the messages it handled, and leaves the failed ones to come back later
//! (after a backoff that grows with their receive count, so the queue's redrive policy moves a
//! message that keeps failing to its dead-letter queue). What `cartctl worker` runs, and what
//! the Lambda event source mapping does on AWS. Each poller is a pipeline of three batches:
//! one received, one handled, one settled, so no batch waits for SQS round trips of another.
//!
//! It stops after `max_messages`, after the queue answered empty for `idle_timeout`, or when
//! told to: what is in flight is finished, and everything not received stays in the queue.
//! Idle means empty answers only: a receive that fails breaks the streak (and is counted), and
//! one whose answer was lost may have hidden messages for the queue's visibility timeout, so
//! the worker does not call the queue idle before they are visible again.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::future::{OptionFuture, join, join_all};
use tokio::sync::watch;

use crate::batch::Message;
use crate::sdk::sqs;
use crate::session::Session;
use cartctl_core::deadletter::ReceivedMessage;
use cartctl_core::error::Result;
use cartctl_core::limits::QueueRef;

/// How long a failed message stays hidden at most before it is tried again.
const MAX_BACKOFF_SECS: i32 = 300;
/// SQS's default visibility timeout, for a queue that does not say its own.
const DEFAULT_VISIBILITY_SECS: u64 = 30;

/// How a worker runs and when it stops.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The queue.
    pub queue: QueueRef,
    /// Stop after this many messages (handled or failed).
    pub max_messages: Option<u64>,
    /// Stop after this long without a message.
    pub idle_timeout: Option<Duration>,
    /// Batches in flight at once (receive calls in parallel).
    pub pollers: usize,
}

/// Why a worker stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// `max_messages` were done.
    MaxMessages,
    /// No message came for `idle_timeout`.
    Idle,
    /// It was told to stop.
    Told,
}

/// What a worker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerReport {
    /// Messages handled (and deleted).
    pub handled: u64,
    /// Messages that failed (left in the queue for a retry).
    pub failed: u64,
    /// Receive attempts that failed (and were retried).
    pub receive_failures: u64,
    /// Why it stopped.
    pub stopped: Stopped,
}

/// When a worker may call its queue idle: after an unbroken streak of empty answers as long
/// as the idle timeout, and not before messages a lost receive may have hidden are visible
/// again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdleClock {
    /// When the first poll of the current streak of empty answers began.
    empty_since: Option<Instant>,
    /// Until when a receive whose answer was lost may keep messages hidden.
    hidden_until: Option<Instant>,
}

impl IdleClock {
    /// A poll that began at `started` answered empty. It counts only if it began after the
    /// messages a lost receive hid were visible again.
    pub fn empty(&mut self, started: Instant) {
        if self.hidden_until.is_some_and(|h| started < h) {
            return;
        }
        self.empty_since.get_or_insert(started);
    }

    /// A poll brought messages: the streak is over.
    pub fn messages(&mut self) {
        self.empty_since = None;
    }

    /// A receive failed at `now`; `lost` if its answer was lost (SQS may have handed it
    /// messages, hidden for `visibility`).
    pub fn failed(&mut self, now: Instant, lost: bool, visibility: Duration) {
        self.empty_since = None;
        if lost {
            let until = now + visibility;
            self.hidden_until = Some(self.hidden_until.map_or(until, |h| h.max(until)));
        }
    }

    /// How long the next poll may wait at `now` for `idle` (at most `max`); `None`: idle.
    pub fn wait(&self, now: Instant, idle: Duration, max: Duration) -> Option<Duration> {
        let idle_left = self.empty_since.map_or(idle, |t| {
            idle.saturating_sub(now.saturating_duration_since(t))
        });
        let hidden_left = self
            .hidden_until
            .map_or(Duration::ZERO, |h| h.saturating_duration_since(now));
        let left = idle_left.max(hidden_left);
        (!left.is_zero()).then(|| left.min(max))
    }
}

/// The backoff of a message that failed on its `receive_count`-th receive: 1, 2, 4, … seconds,
/// at most [`MAX_BACKOFF_SECS`]; none after its last receive (`max_receives`, the queue's
/// redrive policy), so the next receive moves it to the dead-letter queue at once.
pub fn backoff_secs(receive_count: u32, max_receives: Option<u32>) -> i32 {
    if max_receives.is_some_and(|max| receive_count >= max) {
        return 0;
    }
    let exp = receive_count.saturating_sub(1).min(16);
    (1i32 << exp).min(MAX_BACKOFF_SECS)
}

/// The `maxReceiveCount` of a queue's redrive policy, if it has one.
pub fn max_receives(attributes: &std::collections::HashMap<String, String>) -> Option<u32> {
    let policy: serde_json::Value = serde_json::from_str(attributes.get("RedrivePolicy")?).ok()?;
    match &policy["maxReceiveCount"] {
        serde_json::Value::Number(n) => n.as_u64().map(|n| n as u32),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// What the pollers share.
struct Shared<'a, S> {
    url: String,
    max_receives: Option<u32>,
    /// The queue's visibility timeout: how long a message handed out stays hidden.
    visibility: Duration,
    claimed: AtomicU64,
    handled: AtomicU64,
    failed: AtomicU64,
    receive_failures: AtomicU64,
    idle: std::sync::Mutex<IdleClock>,
    stop: watch::Sender<Option<Stopped>>,
    sink: RefCell<S>,
    options: &'a WorkerOptions,
}

impl<S> Shared<'_, S> {
    /// Reserves up to 10 messages under `max_messages`; 0 when the worker is done.
    fn claim(&self) -> u64 {
        let Some(max) = self.options.max_messages else {
            return 10;
        };
        let mut current = self.claimed.load(Ordering::SeqCst);
        loop {
            let want = max.saturating_sub(current).min(10);
            if want == 0 {
                return 0;
            }
            match self.claimed.compare_exchange(
                current,
                current + want,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return want,
                Err(now) => current = now,
            }
        }
    }

    /// Tells every poller to stop, for the first reason given.
    fn stop_because(&self, why: Stopped) {
        self.stop.send_if_modified(|s| {
            s.get_or_insert(why);
            true
        });
    }

    fn unclaim(&self, n: u64) {
        if self.options.max_messages.is_some() {
            self.claimed.fetch_sub(n, Ordering::SeqCst);
        }
    }

    /// How long a receive may wait: 20 s, or what is left before the queue counts as idle;
    /// `None` when it is.
    fn wait(&self) -> Option<Duration> {
        let Some(idle) = self.options.idle_timeout else {
            return Some(sqs::MAX_WAIT);
        };
        self.clock().wait(Instant::now(), idle, sqs::MAX_WAIT)
    }

    fn clock(&self) -> std::sync::MutexGuard<'_, IdleClock> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A receive attempt failed: counted, and the idle clock told.
    fn receive_failed(&self, e: &cartctl_core::error::Error) {
        use cartctl_core::error::{AwsErrorKind, Error};
        self.receive_failures.fetch_add(1, Ordering::SeqCst);
        let lost = matches!(e, Error::Aws(a) if matches!(a.kind, AwsErrorKind::Network | AwsErrorKind::ServerError));
        self.clock().failed(Instant::now(), lost, self.visibility);
    }
}

impl Session {
    /// Runs a worker on `options.queue` until it stops (see the module documentation).
    /// `handle` gets each batch and answers one result per message; `sink` sees each message
    /// with its result. Setting `stop` to true stops the worker.
    pub async fn work<T, E, H, Fut>(
        &self,
        options: &WorkerOptions,
        handle: H,
        sink: impl FnMut(&Message, &std::result::Result<T, E>),
        mut stop: watch::Receiver<bool>,
    ) -> Result<WorkerReport>
    where
        H: Fn(Vec<Message>) -> Fut,
        Fut: Future<Output = Vec<std::result::Result<T, E>>>,
    {
        let clients = self.clients().await?;
        let url = match &options.queue {
            QueueRef::Url(u) => u.clone(),
            QueueRef::Name(n) => self
                .retrier()
                .run(|_| sqs::queue_url(&clients.sqs, n))
                .await?
                .ok_or_else(|| cartctl_core::error::Error::NotFound {
                    what: format!("queue `{n}`"),
                    fix: "give the consumer's queue (setup makes <prefix>-carts), or its URL"
                        .into(),
                })?,
        };
        let attributes = self
            .retrier()
            .run(|_| sqs::attributes(&clients.sqs, &url))
            .await?;
        let (stop_tx, stop_rx) = watch::channel(None);
        let visibility = attributes
            .get("VisibilityTimeout")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_VISIBILITY_SECS);
        let shared = Shared {
            max_receives: max_receives(&attributes),
            url,
            visibility: Duration::from_secs(visibility),
            claimed: AtomicU64::new(0),
            handled: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            receive_failures: AtomicU64::new(0),
            idle: std::sync::Mutex::new(IdleClock::default()),
            stop: stop_tx,
            sink: RefCell::new(sink),
            options,
        };
        // Passes the caller's stop on to the pollers; it never ends the select itself, so
        // what is in flight is finished.
        let told = async {
            while stop.changed().await.is_ok() {
                if *stop.borrow() {
                    shared.stop.send_replace(Some(Stopped::Told));
                    break;
                }
            }
            std::future::pending::<Vec<Result<()>>>().await
        };
        let pollers = join_all((0..options.pollers.max(1)).map(|_| {
            let mut stop = stop_rx.clone();
            let shared = &shared;
            let handle = &handle;
            async move { self.poll(shared, handle, &mut stop).await }
        }));
        let results = tokio::select! {
            r = pollers => r,
            r = told => r,
        };
        results.into_iter().collect::<Result<Vec<()>>>()?;
        let stopped = (*stop_rx.borrow()).unwrap_or(Stopped::MaxMessages);
        Ok(WorkerReport {
            handled: shared.handled.load(Ordering::SeqCst),
            failed: shared.failed.load(Ordering::SeqCst),
            receive_failures: shared.receive_failures.load(Ordering::SeqCst),
            stopped,
        })
    }

    /// One poller: receive, handle, delete the handled, back off the failed; until stopped.
    async fn poll<T, E, H, Fut, S>(
        &self,
        shared: &Shared<'_, S>,
        handle: &H,
        stop: &mut watch::Receiver<Option<Stopped>>,
    ) -> Result<()>
    where
        H: Fn(Vec<Message>) -> Fut,
        Fut: Future<Output = Vec<std::result::Result<T, E>>>,
        S: FnMut(&Message, &std::result::Result<T, E>),
    {
        let client = &self.clients().await?.sqs;
        // Three batches at once, each at its own step: the next one received while this one is
        // handled and the one before settled (its deletes). Settling waits for a handling at
        // most, never for a long poll, and the receiver runs one batch ahead at most.
        let (ahead, mut batches) = tokio::sync::mpsc::channel::<Vec<ReceivedMessage>>(1);
        let receiving = async move {
            loop {
                let Ok(slot) = ahead.reserve().await else {
                    return Ok(()); // the handler stopped on an error: it says which
                };
                match self.receive(client, shared, stop).await? {
                    Some(batch) if batch.is_empty() => {}
                    // The handler stopped on an error while this batch came: given back.
                    Some(batch) if ahead.is_closed() => {
                        let receipts: Vec<String> =
                            batch.iter().map(|m| m.receipt.clone()).collect();
                        let _ = sqs::release(client, &shared.url, &receipts).await;
                        return Ok(());
                    }
                    Some(batch) => slot.send(batch),
                    None => return Ok(()),
                }
            }
        };
        let settle = |(received, messages, results): (
            Vec<ReceivedMessage>,
            Vec<Message>,
            Vec<_>,
        )| async move {
            self.settle(client, shared, &received, &messages, &results)
                .await
        };
        // It owns the receiving end: when it stops on an error, the receiver sees the channel
        // closed and stops too (it would otherwise wait for room forever).
        let handling = async move {
            let mut settling = None;
            loop {
                let batch = match batches.try_recv() {
                    Ok(batch) => batch,
                    Err(_) => {
                        // Nothing waiting: settle what was handled before waiting.
                        if let Some(previous) = settling.take() {
                            previous.await?;
                        }
                        match batches.recv().await {
                            Some(batch) => batch,
                            None => return Ok(()),
                        }
                    }
                };
                let messages: Vec<Message> = batch
                    .iter()
                    .map(|m| Message {
                        id: m.message_id.clone(),
                        body: m.body.clone(),
                    })
                    .collect();
                let previous: OptionFuture<_> = settling.take().into();
                let (results, settled) = join(handle(messages.clone()), previous).await;
                settled.transpose()?;
                settling = Some(settle((batch, messages, results)));
            }
        };
        let (received, handled) = join(receiving, handling).await;
        handled.and(received)
    }

    /// The next batch, as many messages as the worker may still take; `None` when it is done.
    async fn receive<S>(
        &self,
        client: &aws_sdk_sqs::Client,
        shared: &Shared<'_, S>,
        stop: &mut watch::Receiver<Option<Stopped>>,
    ) -> Result<Option<Vec<ReceivedMessage>>> {
        if stop.borrow().is_some() {
            return Ok(None);
        }
        let want = shared.claim();
        if want == 0 {
            let done = shared.handled.load(Ordering::SeqCst) + shared.failed.load(Ordering::SeqCst);
            if shared.options.max_messages.is_some_and(|max| done >= max) {
                shared.stop_because(Stopped::MaxMessages);
                return Ok(None);
            }
            // What is left is claimed by pollers in flight: wait until they are done with it.
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(50)) => return Ok(Some(Vec::new())),
                _ = stop.changed() => return Ok(None),
            }
        }
        let Some(wait) = shared.wait() else {
            shared.unclaim(want);
            shared.stop_because(Stopped::Idle);
            return Ok(None);
        };
        let wait = Duration::from_secs(wait.as_secs_f64().ceil() as u64);
        // A receive in flight is never dropped: SQS would still hand its messages to the closed
        // connection, and they would stay hidden for the visibility timeout. After a stop, what
        // it brings is made visible again at once, unhandled.
        let started = Instant::now();
        let received = self
            .retrier()
            .run(|_| async {
                let r = sqs::receive_some(client, &shared.url, wait, None, want as i32).await;
                if let Err(e) = &r {
                    shared.receive_failed(e);
                }
                r
            })
            .await?;
        if received.is_empty() {
            shared.clock().empty(started);
        } else {
            shared.clock().messages();
        }
        // After a stop for idleness, what a poll still in flight brings is handled: the queue
        // was not empty after all. After any other stop it is given back.
        let stopped = *stop.borrow();
        if stopped.is_some() && (stopped != Some(Stopped::Idle) || received.is_empty()) {
            shared.unclaim(want);
            let receipts: Vec<String> = received.iter().map(|m| m.receipt.clone()).collect();
            self.retrier()
                .run(|_| sqs::release(client, &shared.url, &receipts))
                .await?;
            return Ok(None);
        }
        shared.unclaim(want - received.len() as u64);
        Ok(Some(received))
    }

    /// Reports each message's result, deletes the handled and backs off the failed.
    async fn settle<T, E, S>(
        &self,
        client: &aws_sdk_sqs::Client,
        shared: &Shared<'_, S>,
        received: &[ReceivedMessage],
        messages: &[Message],
        results: &[std::result::Result<T, E>],
    ) -> Result<()>
    where
        S: FnMut(&Message, &std::result::Result<T, E>),
    {
        let mut done = Vec::new();
        let mut later = Vec::new();
        for ((m, r), msg) in received.iter().zip(results).zip(messages) {
            (shared.sink.borrow_mut())(msg, r);
            match r {
                Ok(_) => done.push(m.receipt.clone()),
                Err(_) => {
                    // Never longer than the queue would hide it anyway.
                    let cap = i32::try_from(shared.visibility.as_secs()).unwrap_or(i32::MAX);
                    let backoff = backoff_secs(m.receive_count, shared.max_receives).min(cap);
                    later.push((m.receipt.clone(), backoff));
                }
            }
        }
        shared
            .handled
            .fetch_add(done.len() as u64, Ordering::SeqCst);
        shared
            .failed
            .fetch_add(later.len() as u64, Ordering::SeqCst);
        let refused = self
            .retrier()
            .run(|_| sqs::delete_received(client, &shared.url, &done))
            .await?;
        if refused > 0 {
            tracing::warn!(
                refused,
                "SQS refused to delete handled messages; they will come again (and be found unchanged)"
            );
        }
        // A failed backoff only means the message comes back at the queue's own timeout.
        if let Err(e) = self
            .retrier()
            .run(|_| sqs::retry_later(client, &shared.url, &later))
            .await
        {
            tracing::warn!(error = %e, "could not shorten the failed messages' visibility");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes_and_ends_at_the_last_receive() {
        assert_eq!(
            (1..=6).map(|n| backoff_secs(n, None)).collect::<Vec<_>>(),
            [1, 2, 4, 8, 16, 32]
        );
        assert_eq!(backoff_secs(0, None), 1);
        assert_eq!(backoff_secs(40, None), 300);
        assert_eq!(
            (1..=6)
                .map(|n| backoff_secs(n, Some(5)))
                .collect::<Vec<_>>(),
            [1, 2, 4, 8, 0, 0]
        );
    }

    #[test]
    fn idle_means_empty_answers_for_that_long_and_nothing_hidden() {
        let t0 = Instant::now();
        let idle = Duration::from_secs(8);
        let max = Duration::from_secs(20);
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut c = IdleClock::default();
        // Nothing known yet: a poll may wait the whole idle timeout.
        assert_eq!(c.wait(at(0), idle, max), Some(idle));
        // Empty since 0 s: at 8 s the queue is idle.
        c.empty(at(0));
        assert_eq!(c.wait(at(5), idle, max), Some(Duration::from_secs(3)));
        assert_eq!(c.wait(at(8), idle, max), None);
        // A failed receive breaks the streak: failing receives are never idle.
        c.failed(at(8), false, Duration::from_secs(151));
        assert_eq!(c.wait(at(9), idle, max), Some(idle));
        c.empty(at(9));
        c.failed(at(12), false, Duration::from_secs(151));
        c.empty(at(13));
        assert_eq!(c.wait(at(20), idle, max), Some(Duration::from_secs(1)));
        // A receive whose answer was lost may hide messages for the visibility timeout: the
        // queue is idle only after empty answers of polls begun once they are visible again.
        let mut lost = IdleClock::default();
        lost.failed(at(0), true, Duration::from_secs(30));
        lost.empty(at(1));
        assert_eq!(lost.wait(at(10), idle, max), Some(Duration::from_secs(20)));
        assert_eq!(lost.wait(at(25), idle, max), Some(idle));
        assert_eq!(lost.wait(at(30), idle, max), Some(idle));
        lost.empty(at(29));
        assert_eq!(lost.wait(at(40), idle, max), Some(idle), "began before");
        lost.empty(at(31));
        assert_eq!(lost.wait(at(35), idle, max), Some(Duration::from_secs(4)));
        assert_eq!(lost.wait(at(39), idle, max), None);
        // Messages end a streak.
        let mut busy = IdleClock::default();
        busy.empty(at(0));
        busy.messages();
        assert_eq!(busy.wait(at(30), idle, max), Some(idle));
    }

    #[test]
    fn the_redrive_policy_gives_the_last_receive() {
        let attrs = |p: &str| [("RedrivePolicy".to_owned(), p.to_owned())].into();
        assert_eq!(
            max_receives(&attrs(
                r#"{"deadLetterTargetArn":"arn:x","maxReceiveCount":5}"#
            )),
            Some(5)
        );
        assert_eq!(
            max_receives(&attrs(
                r#"{"deadLetterTargetArn":"arn:x","maxReceiveCount":"3"}"#
            )),
            Some(3)
        );
        assert_eq!(max_receives(&Default::default()), None);
    }
}
