//! Sending events with PutEvents, one path for every command: entries a 200 answer refused with a retryable code
//! are sent again (never an entry that was accepted), and a call that failed as a whole is
//! retried with backoff. Delivery is at least once: a call whose answer was lost may have been
//! applied, and retrying it can put an event twice.

use serde::Serialize;

use crate::bulk::{self, BulkOptions, LineOutcome};
use crate::retry::Retrier;
use crate::sdk::events::{self, EntryResult};
use crate::session::Session;
use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};
use cartctl_core::event::CartEvent;
use cartctl_core::event::EventSettings;
use cartctl_core::lines::{LineDefaults, NumberedLine};
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

/// The entries of one [`put_entries`] call, as its attempts go: each one's answer so far, and
/// which are still to be sent.
struct Deliveries {
    results: Vec<Option<Result<String, AwsError>>>,
    /// An entry's last refusal while it is still pending.
    refused: Vec<Option<AwsError>>,
    maybe_applied: Vec<bool>,
    attempts: Vec<u32>,
    pending: Vec<usize>,
}

impl Deliveries {
    fn new(n: usize) -> Self {
        Deliveries {
            results: vec![None; n],
            refused: vec![None; n],
            maybe_applied: vec![false; n],
            attempts: vec![0; n],
            pending: (0..n).collect(),
        }
    }

    /// Takes one call's answer for the pending entries. An error means some are to be sent
    /// again: a throttle when one was throttled (the call counts as throttled), else the first
    /// refusal, or the call's own error.
    fn answered(&mut self, answer: Result<Vec<EntryResult>>) -> Result<()> {
        let answers = match answer {
            Ok(answers) => answers,
            Err(e) => {
                // A refused connection or a throttle applied nothing; anything else may have.
                let lost = !matches!(&e, Error::Aws(a) if matches!(a.kind, AwsErrorKind::Throttling | AwsErrorKind::Unreachable));
                for &i in &self.pending {
                    self.maybe_applied[i] |= lost;
                    // The call's failure is now each entry's last.
                    self.refused[i] = None;
                }
                return Err(e);
            }
        };
        let mut again = Vec::new();
        for (i, answer) in std::mem::take(&mut self.pending).into_iter().zip(answers) {
            match answer {
                EntryResult::Sent(id) => self.results[i] = Some(Ok(id)),
                EntryResult::Failed(e) if e.is_retryable() => {
                    self.refused[i] = Some(e);
                    again.push(i);
                }
                EntryResult::Failed(e) => self.results[i] = Some(Err(e)),
            }
        }
        self.pending = again;
        let refusals: Vec<&AwsError> = self
            .pending
            .iter()
            .filter_map(|&i| self.refused[i].as_ref())
            .collect();
        let throttle = refusals.iter().find(|e| e.kind == AwsErrorKind::Throttling);
        match throttle.or(refusals.first()) {
            Some(e) => Err(Error::Aws((*e).clone())),
            None => Ok(()),
        }
    }

    /// Every entry's delivery; those still pending fail with their last refusal, or with
    /// `stopped` (the call's error, or the deadline).
    fn finish(mut self, stopped: Option<Error>) -> Vec<EntryDelivery> {
        if let Some(e) = stopped {
            // The deadline may have cut a call short that had been applied.
            let cut_short = crate::retry::may_have_applied(&e);
            let timed_out = matches!(e, Error::TimedOut(_));
            let e = as_aws_error(e);
            for i in std::mem::take(&mut self.pending) {
                self.maybe_applied[i] |= cut_short;
                let refused = self.refused[i].take().filter(|_| !timed_out);
                self.results[i] = Some(Err(refused.unwrap_or_else(|| e.clone())));
            }
        }
        self.results
            .into_iter()
            .zip(self.maybe_applied)
            .zip(self.attempts)
            .map(|((r, dup), attempts)| EntryDelivery {
                result: r.expect("every entry has a result"),
                maybe_duplicated: dup,
                attempts,
            })
            .collect()
    }
}

/// The one PutEvents path of cartctl (`put-event`, `fire`, the `tail` canary): sends up to 10
/// entries (under 256 KB in all), sends again the entries a 200 answer refused with a retryable
/// code (never one that was accepted), retries a call that failed as a whole (an unreachable
/// endpoint a few times), and paces throttled calls, all in [`Retrier::run`]'s one attempt
/// loop (its budget, pace, concurrency controller and deadline). Returns one delivery per
/// entry, in order.
pub async fn put_entries(
    client: &aws_sdk_eventbridge::Client,
    entries: &[&PutEventsEntry],
    retry: &Retrier,
) -> Vec<EntryDelivery> {
    let state = std::cell::RefCell::new(Deliveries::new(entries.len()));
    let sent = retry
        .run(|_| async {
            let batch: Vec<_> = {
                let mut s = state.borrow_mut();
                let pending = s.pending.clone();
                for &i in &pending {
                    s.attempts[i] += 1;
                }
                pending.iter().map(|&i| entries[i]).collect()
            };
            let answer = events::put_events(client, &batch).await;
            state.borrow_mut().answered(answer)
        })
        .await;
    state.into_inner().finish(sent.err())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(kind: AwsErrorKind, code: &str) -> AwsError {
        AwsError {
            operation: "PutEvents",
            kind,
            code: code.into(),
            message: code.into(),
            fix: String::new(),
        }
    }

    #[test]
    fn only_the_refused_entries_are_sent_again_and_a_throttle_speaks_for_the_call() {
        let mut d = Deliveries::new(3);
        let again = d
            .answered(Ok(vec![
                EntryResult::Failed(refusal(AwsErrorKind::ServerError, "InternalFailure")),
                EntryResult::Sent("id-1".into()),
                EntryResult::Failed(refusal(AwsErrorKind::Throttling, "ThrottlingException")),
            ]))
            .unwrap_err();
        assert!(
            matches!(&again, Error::Aws(e) if e.kind == AwsErrorKind::Throttling),
            "{again}"
        );
        assert_eq!(d.pending, [0, 2]);
        d.answered(Ok(vec![
            EntryResult::Sent("id-0".into()),
            EntryResult::Failed(refusal(AwsErrorKind::Client, "MalformedDetail")),
        ]))
        .unwrap();
        let out = d.finish(None);
        assert_eq!(out[0].result, Ok("id-0".to_owned()));
        assert_eq!(out[1].result, Ok("id-1".to_owned()));
        assert_eq!(out[2].result.as_ref().unwrap_err().code, "MalformedDetail");
        assert!(out.iter().all(|d| !d.maybe_duplicated));
    }

    #[test]
    fn a_lost_answer_marks_its_entries_and_the_last_failure_is_each_ones_error() {
        let mut d = Deliveries::new(2);
        d.answered(Ok(vec![
            EntryResult::Sent("id-0".into()),
            EntryResult::Failed(refusal(AwsErrorKind::ServerError, "InternalFailure")),
        ]))
        .unwrap_err();
        let lost = || Error::Aws(refusal(AwsErrorKind::Network, "dispatch failure"));
        d.answered(Err(lost())).unwrap_err();
        let out = d.finish(Some(lost()));
        assert_eq!(out[0].result, Ok("id-0".to_owned()));
        assert!(!out[0].maybe_duplicated);
        assert_eq!(out[1].result.as_ref().unwrap_err().code, "dispatch failure");
        assert!(out[1].maybe_duplicated);
        // A throttled call applied nothing.
        let mut d = Deliveries::new(1);
        let throttled = || Error::Aws(refusal(AwsErrorKind::Throttling, "ThrottlingException"));
        d.answered(Err(throttled())).unwrap_err();
        assert!(!d.finish(Some(throttled()))[0].maybe_duplicated);
    }

    #[test]
    fn the_deadline_fails_what_is_pending_as_timed_out() {
        let mut d = Deliveries::new(1);
        d.answered(Ok(vec![EntryResult::Failed(refusal(
            AwsErrorKind::ServerError,
            "InternalFailure",
        ))]))
        .unwrap_err();
        let out = d.finish(Some(Error::TimedOut(
            "the deadline came before a request was done; it may have been applied".into(),
        )));
        let e = out[0].result.as_ref().unwrap_err();
        assert!(e.message.contains("deadline"), "{e:?}");
        assert!(out[0].maybe_duplicated);
    }
}
