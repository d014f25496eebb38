//! Sending events with PutEvents, one path for every command: entries a 200 answer refused with a retryable code
//! are sent again (never an entry that was accepted), and a call that failed as a whole is
//! retried with backoff. Delivery is at least once: a call whose answer was lost may have been
//! applied, and retrying it can put an event twice.

use serde::Serialize;

use crate::bulk::input::NumberedLine;
use crate::bulk::{self, BulkOptions, LineDefaults, LineOutcome};
use crate::retry::Retrier;
use crate::sdk::events::{self, EntryResult};
use crate::session::Session;
use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};
use cartctl_core::event::CartEvent;
use cartctl_core::event::EventSettings;
use cartctl_core::shapes::PutEventsEntry;
use tokio::sync::mpsc;

/// The result of `put-event` for one event, in the shape of the JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventOutcome {
    /// The id EventBridge gave the event.
    pub event_id: String,
    /// The bus, as given.
    pub bus: String,
    /// The event Source.
    pub source: String,
    /// The event DetailType.
    pub detail_type: String,
    /// add, remove or checkout.
    pub kind: cartctl_core::event::CartEventKind,
    /// The cart's user.
    pub user: String,
    /// The cart's product (none for a checkout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

impl EventOutcome {
    /// The outcome of `event` accepted under `event_id`.
    pub fn new(event: &CartEvent, event_id: String) -> Self {
        EventOutcome {
            event_id,
            bus: event.entry.event_bus_name.clone(),
            source: event.entry.source.clone(),
            detail_type: event.entry.detail_type.clone(),
            kind: event.kind,
            user: event.user.clone(),
            product: event.product.clone(),
        }
    }
}

/// What happened to one event of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryOutcome {
    /// Accepted (with its id), or refused.
    pub result: Result<EventOutcome, AwsError>,
    /// True if it may have been put more than once (a call carrying it lost its answer).
    pub maybe_duplicated: bool,
}

/// What PutEvents finally said of one entry, after every retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDelivery {
    /// Accepted (with its event id), or refused.
    pub result: Result<String, AwsError>,
    /// True if it may have been put more than once (a call carrying it lost its answer).
    pub maybe_duplicated: bool,
    /// The calls that carried it (1 when the first was answered).
    pub attempts: u32,
}

/// What a PutEvents answer tells the concurrency controller: one throttled entry makes the
/// call count as throttled.
fn limiter_outcome(answer: &Result<Vec<EntryResult>>) -> crate::limiter::Outcome {
    use crate::limiter::Outcome;
    match answer {
        Ok(answers) => {
            let throttled = answers
                .iter()
                .any(|a| matches!(a, EntryResult::Failed(e) if e.kind == AwsErrorKind::Throttling));
            if throttled {
                Outcome::Throttled
            } else {
                Outcome::Done
            }
        }
        Err(e) => crate::retry::outcome_of_error(e),
    }
}

/// The one PutEvents path of cartctl (`put-event`, `fire`, the `tail` canary): sends up to 10
/// entries (under 256 KB in all), sends again the entries a 200 answer refused with a retryable
/// code (never one that was accepted), retries a call that failed as a whole (an unreachable
/// endpoint a few times), and paces throttled calls. Returns one delivery per entry, in order.
pub async fn put_entries(
    client: &aws_sdk_eventbridge::Client,
    entries: &[&PutEventsEntry],
    retry: &Retrier,
) -> Vec<EntryDelivery> {
    let mut results: Vec<Option<Result<String, AwsError>>> = vec![None; entries.len()];
    let mut maybe_applied = vec![false; entries.len()];
    let mut attempts = vec![0u32; entries.len()];
    let mut pending: Vec<usize> = (0..entries.len()).collect();
    let mut budget = retry.budget();
    while !pending.is_empty() {
        let sent: Vec<_> = pending.iter().map(|&i| entries[i]).collect();
        for &i in &pending {
            attempts[i] += 1;
        }
        let mut again: Vec<(usize, AwsError)> = Vec::new();
        retry.limiter().acquire().await;
        retry.pace().acquire().await;
        let started = std::time::Instant::now();
        let answer = events::put_events(client, &sent).await;
        let outcome = limiter_outcome(&answer);
        retry
            .limiter()
            .release(outcome, started.elapsed(), std::time::Instant::now());
        match answer {
            Ok(answers) => {
                for (&i, answer) in pending.iter().zip(answers) {
                    match answer {
                        EntryResult::Sent(id) => results[i] = Some(Ok(id)),
                        EntryResult::Failed(e) if e.is_retryable() => again.push((i, e)),
                        EntryResult::Failed(e) => results[i] = Some(Err(e)),
                    }
                }
            }
            Err(Error::Aws(e)) if e.is_retryable() || e.kind == AwsErrorKind::Unreachable => {
                // A refused connection or a throttle applied nothing; anything else may have.
                let lost_answer =
                    !matches!(e.kind, AwsErrorKind::Throttling | AwsErrorKind::Unreachable);
                for &i in &pending {
                    maybe_applied[i] |= lost_answer;
                    again.push((i, e.clone()));
                }
            }
            Err(e) => {
                let e = as_aws_error(e);
                for &i in &pending {
                    results[i] = Some(Err(e.clone()));
                }
            }
        }
        if again.is_empty() {
            retry.pace().on_success();
            break;
        }
        // One throttled entry makes the whole call count as throttled.
        let kind = again
            .iter()
            .map(|(_, e)| e.kind)
            .find(|k| *k == AwsErrorKind::Throttling)
            .unwrap_or(again[0].1.kind);
        let Some(wait) = budget.after_failure(kind) else {
            for (i, e) in again {
                results[i] = Some(Err(e));
            }
            break;
        };
        pending = again.into_iter().map(|(i, _)| i).collect();
        tokio::time::sleep(wait).await;
    }
    results
        .into_iter()
        .zip(maybe_applied)
        .zip(attempts)
        .map(|((r, dup), attempts)| EntryDelivery {
            result: r.expect("every entry has a result"),
            maybe_duplicated: dup,
            attempts,
        })
        .collect()
}

/// Sends up to 10 add-to-cart events through [`put_entries`]; returns one outcome per event,
/// in order.
pub async fn send_batch(
    client: &aws_sdk_eventbridge::Client,
    batch: &[&CartEvent],
    retry: &Retrier,
) -> Vec<EntryOutcome> {
    let entries: Vec<_> = batch.iter().map(|e| &e.entry).collect();
    put_entries(client, &entries, retry)
        .await
        .into_iter()
        .zip(batch)
        .map(|(d, event)| EntryOutcome {
            result: d.result.map(|id| EventOutcome::new(event, id)),
            maybe_duplicated: d.maybe_duplicated,
        })
        .collect()
}

fn as_aws_error(e: Error) -> AwsError {
    match e {
        Error::Aws(a) => a,
        other => AwsError {
            operation: "PutEvents",
            kind: AwsErrorKind::Network,
            code: "Error".into(),
            message: other.to_string(),
            fix: String::new(),
        },
    }
}

/// Sends one event; a refused entry is an error carrying the entry's code and message.
pub async fn send_event(
    client: &aws_sdk_eventbridge::Client,
    event: &CartEvent,
    retry: &Retrier,
) -> Result<EventOutcome> {
    let mut results = send_batch(client, &[event], retry).await;
    results.remove(0).result.map_err(Error::Aws)
}

impl Session {
    /// Puts one add-to-cart event; a refused entry is an error with the entry's code.
    pub async fn put_event(&self, event: &CartEvent) -> Result<EventOutcome> {
        let client = &self.clients().await?.events;
        send_event(client, event, self.retrier()).await
    }

    /// Puts raw entries (at most 10, under 256 KB) through the one PutEvents path.
    pub async fn put_entries(&self, entries: &[&PutEventsEntry]) -> Result<Vec<EntryDelivery>> {
        let client = &self.clients().await?.events;
        Ok(put_entries(client, entries, self.retrier()).await)
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
            retry: self.retrier(),
        };
        bulk::put_event_lines(lines, defaults, settings, client, options, sink).await;
        Ok(())
    }
}
