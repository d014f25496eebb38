//! Sending add-to-cart events with PutEvents, retrying the entries a 200 answer refused with a
//! retryable code and never resending an entry that was accepted.

use std::time::Duration;

use serde::Serialize;

use crate::aws::events::{self, EntryResult};
use crate::error::{AwsError, AwsErrorKind, Error, Result};
use crate::event::CartEvent;

/// Attempts per entry refused with a retryable code (ThrottlingException, InternalFailure).
pub const ENTRY_ATTEMPTS: u32 = 5;
/// First backoff between entry attempts; doubled each time, with jitter.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

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
    /// The cart's user.
    pub user: String,
    /// The cart's product.
    pub product: String,
}

impl EventOutcome {
    /// The outcome of `event` accepted under `event_id`.
    pub fn new(event: &CartEvent, event_id: String) -> Self {
        EventOutcome {
            event_id,
            bus: event.entry.event_bus_name.clone(),
            source: event.entry.source.clone(),
            detail_type: event.entry.detail_type.clone(),
            user: event.cart.user.clone(),
            product: event.cart.product.clone(),
        }
    }
}

/// A pseudo-random fraction in [0.5, 1.5) for backoff jitter.
pub(crate) fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    0.5 + f64::from(nanos % 1000) / 1000.0
}

/// The backoff before attempt `attempt` (1-based retries): 100 ms, 200 ms, 400 ms, … with jitter.
pub(crate) fn backoff(attempt: u32) -> Duration {
    FIRST_BACKOFF
        .mul_f64(f64::from(1u32 << attempt.min(6)) / 2.0)
        .mul_f64(jitter())
}

/// Sends up to 10 events in one PutEvents call, retrying refused entries with a retryable
/// code; returns one result per event, in order.
pub async fn send_batch(
    client: &aws_sdk_eventbridge::Client,
    batch: &[&CartEvent],
) -> Result<Vec<Result<EventOutcome, AwsError>>> {
    let mut results: Vec<Option<Result<EventOutcome, AwsError>>> = vec![None; batch.len()];
    let mut pending: Vec<usize> = (0..batch.len()).collect();
    let mut attempt = 0;
    while !pending.is_empty() {
        attempt += 1;
        let entries: Vec<_> = pending.iter().map(|&i| &batch[i].entry).collect();
        let answers = events::put_events(client, &entries).await?;
        let mut retry = Vec::new();
        for (&i, answer) in pending.iter().zip(answers) {
            match answer {
                EntryResult::Sent(id) => results[i] = Some(Ok(EventOutcome::new(batch[i], id))),
                failed if failed.is_retryable() && attempt < ENTRY_ATTEMPTS => retry.push(i),
                EntryResult::Failed { code, message } => {
                    let kind = if failed_is_throttle(&code) {
                        AwsErrorKind::Throttling
                    } else {
                        AwsErrorKind::Client
                    };
                    results[i] = Some(Err(AwsError {
                        operation: "PutEvents",
                        kind,
                        code,
                        message,
                        fix: String::new(),
                    }));
                }
            }
        }
        pending = retry;
        if !pending.is_empty() {
            tokio::time::sleep(backoff(attempt)).await;
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.expect("every entry has a result"))
        .collect())
}

fn failed_is_throttle(code: &str) -> bool {
    code == "ThrottlingException"
}

/// Sends one event; a refused entry is an error carrying the entry's code and message.
pub async fn send_event(
    client: &aws_sdk_eventbridge::Client,
    event: &CartEvent,
) -> Result<EventOutcome> {
    let mut results = send_batch(client, &[event]).await?;
    results.remove(0).map_err(Error::Aws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_jittered() {
        for attempt in 1..8 {
            let b = backoff(attempt);
            let base = FIRST_BACKOFF.mul_f64(f64::from(1u32 << attempt.min(6)) / 2.0);
            assert!(
                b >= base.mul_f64(0.5) && b < base.mul_f64(1.5),
                "{attempt}: {b:?}"
            );
        }
        assert!(backoff(6) <= Duration::from_secs(5));
    }
}
