//! Item-level retries on top of the SDK's own: a request that still fails with a retryable
//! error (throttling, a 5xx, a lost connection) is tried again after a backoff with jitter.
//! Throttling slows an item down without using up its attempts, up to a generous bound; an
//! endpoint that cannot be reached at all is tried only a few times.
//!
//! Writes (CreateSchedule, UpdateSchedule, DeleteSchedule, PutEvents, SendEmail, the ledger's
//! UpdateItem and TransactWriteItems) are sent with a single SDK
//! attempt and retried only here, so [`Attempts::maybe_applied`] knows when an earlier attempt
//! may have been applied though its answer was lost.
//!
//! Work with a deadline (a Lambda invocation's) runs with a retrier [`Retrier::until`] it: every
//! attempt, every wait for a slot or the pace, and every backoff ends by then, so the caller can
//! answer before the deadline with what is done and what is not.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::limiter::{Limiter, Outcome};
use crate::pace::Pace;
use cartctl_core::error::{AwsErrorKind, Error, Result};

/// Default attempts per item for retryable errors other than throttling.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;
/// Attempts when the endpoint cannot be reached at all (nothing was sent).
const UNREACHABLE_ATTEMPTS: u32 = 3;
/// Throttled attempts allowed per allowed attempt.
const THROTTLES_PER_ATTEMPT: u32 = 10;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(20);
/// How long an item waits, at most, for a change AWS has not settled yet: IAM propagates a new
/// role in seconds, SQS reserves a deleted queue's name for 60 s.
pub const MAX_SETTLING: Duration = Duration::from_secs(70);
/// The wait between attempts while a change settles.
const SETTLING_BACKOFF: Duration = Duration::from_secs(2);

/// `fut`'s output, or `None` when `deadline` comes first.
async fn until<F: Future>(deadline: Option<tokio::time::Instant>, fut: F) -> Option<F::Output> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d, fut).await.ok(),
        None => Some(fut.await),
    }
}

/// What a deadline's error says of a request that may have been applied.
const MAY_HAVE_APPLIED: &str = "; it may have been applied";

/// The error of a request the deadline cut short: `last` is the failure before it, if any.
fn out_of_time(last: Option<&Error>, maybe_applied: bool) -> Error {
    let before = last.map_or(String::new(), |e| format!(" (last: {})", e.one_line()));
    let applied = if maybe_applied { MAY_HAVE_APPLIED } else { "" };
    Error::TimedOut(format!(
        "the deadline came before a request was done{before}{applied}"
    ))
}

/// How hard to try one item.
#[derive(Debug, Clone, Copy)]
pub struct RetryLimits {
    /// Attempts for retryable errors other than throttling, the first included.
    pub max_attempts: u32,
    /// At most this many attempts of any kind, throttled ones included (a schedule's retry
    /// policy counts every retry).
    pub hard_cap: Option<u32>,
}

impl Default for RetryLimits {
    fn default() -> Self {
        RetryLimits {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            hard_cap: None,
        }
    }
}

/// What happened on earlier attempts of an item.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attempts {
    /// Attempts made so far.
    pub made: u32,
    /// True if an earlier attempt failed in a way that may have been applied (the answer was
    /// lost: a network error, a timeout, a 5xx).
    pub maybe_applied: bool,
}

/// A pseudo-random fraction in [0.5, 1.5), for jitter.
pub fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    );
    0.5 + (h.finish() % 10_000) as f64 / 10_000.0
}

/// Backoff before retry number `retry` (1-based): 200 ms doubling to at most 20 s, with jitter.
pub fn backoff(retry: u32) -> Duration {
    let base = FIRST_BACKOFF.saturating_mul(1u32 << retry.saturating_sub(1).min(10));
    base.min(MAX_BACKOFF).mul_f64(jitter())
}

/// What an item may still spend on retries: attempts for errors that may have been applied,
/// a few for an unreachable endpoint, ten times as many for throttling (which also slows the
/// process-wide pace down).
#[derive(Debug)]
pub struct RetryBudget<'a> {
    policy: RetryLimits,
    pace: &'a Pace,
    failures: u32,
    throttles: u32,
    settling_since: Option<Instant>,
}

impl<'a> RetryBudget<'a> {
    /// A full budget; throttles slow `pace` down.
    pub fn new(policy: RetryLimits, pace: &'a Pace) -> Self {
        RetryBudget {
            policy,
            pace,
            failures: 0,
            throttles: 0,
            settling_since: None,
        }
    }

    /// Records a failed attempt with a retryable error of `kind`: the backoff to wait before
    /// the next attempt, or `None` when the budget is spent.
    pub fn after_failure(&mut self, kind: AwsErrorKind) -> Option<Duration> {
        let max = self.policy.max_attempts.max(1);
        let made = self.failures + self.throttles + 1;
        if self.policy.hard_cap.is_some_and(|cap| made >= cap) {
            return None;
        }
        if kind == AwsErrorKind::Settling {
            // Waiting is the fix: a bounded time, not a number of attempts.
            let since = *self.settling_since.get_or_insert_with(Instant::now);
            return (since.elapsed() < MAX_SETTLING).then(|| SETTLING_BACKOFF.mul_f64(jitter()));
        }
        let spent = match kind {
            AwsErrorKind::Unreachable => {
                self.failures += 1;
                self.failures >= UNREACHABLE_ATTEMPTS.min(max)
            }
            AwsErrorKind::Throttling => {
                self.pace.on_throttle(std::time::Instant::now());
                self.throttles += 1;
                self.throttles >= max * THROTTLES_PER_ATTEMPT
            }
            _ => {
                self.failures += 1;
                self.failures >= max
            }
        };
        (!spent).then(|| backoff(self.failures + self.throttles))
    }
}

/// How a session retries: the limits per item and the pace every attempt waits for. Cloning
/// shares the pace.
#[derive(Debug, Clone, Default)]
pub struct Retrier {
    limits: RetryLimits,
    pace: Arc<Pace>,
    limiter: Arc<Limiter>,
    /// When every request must be done by, if ever.
    deadline: Option<tokio::time::Instant>,
    /// Stop at the first failure that may have been applied (a send that must not repeat).
    unrepeatable: bool,
}

impl Retrier {
    /// A retrier with `limits` and a pace of its own.
    pub fn new(limits: RetryLimits) -> Self {
        Retrier {
            limits,
            pace: Arc::new(Pace::new()),
            limiter: Arc::new(Limiter::default()),
            deadline: None,
            unrepeatable: false,
        }
    }

    /// The deadline every request of this retrier ends by, if it has one.
    pub fn deadline(&self) -> Option<tokio::time::Instant> {
        self.deadline
    }

    /// This retrier for a request that must never be applied twice (an e-mail: SES's
    /// SendEmail has no idempotency key): it is retried only after failures that certainly
    /// applied nothing (throttling, a refusal, an endpoint not reached); a failure that may
    /// have been applied (a lost answer, a 5xx) is returned at once ([`may_have_applied`]).
    pub fn unrepeatable(&self) -> Retrier {
        Retrier {
            unrepeatable: true,
            ..self.clone()
        }
    }

    /// This retrier (sharing its pace and concurrency controller) with every request bounded
    /// by `deadline`: an attempt still running then is given up (it may have been applied),
    /// and no wait or backoff reaches past it.
    pub fn until(&self, deadline: tokio::time::Instant) -> Retrier {
        Retrier {
            deadline: Some(deadline),
            ..self.clone()
        }
    }

    /// The limits per item.
    pub fn limits(&self) -> RetryLimits {
        self.limits
    }

    /// The pace every attempt waits for.
    pub fn pace(&self) -> &Pace {
        &self.pace
    }

    /// The concurrency controller every attempt takes a slot of.
    pub fn limiter(&self) -> &Limiter {
        &self.limiter
    }

    /// This retrier with at most `max_attempts` attempts per item (a schedule's retry policy
    /// may allow fewer than the session's limits), sharing its pace and concurrency controller.
    pub fn capped(&self, max_attempts: u32) -> Retrier {
        let max_attempts = max_attempts.max(1);
        Retrier {
            limits: RetryLimits {
                max_attempts: self.limits.max_attempts.min(max_attempts),
                hard_cap: Some(max_attempts),
            },
            pace: self.pace.clone(),
            limiter: self.limiter.clone(),
            deadline: self.deadline,
            unrepeatable: self.unrepeatable,
        }
    }

    /// A full budget for one item.
    pub fn budget(&self) -> RetryBudget<'_> {
        RetryBudget::new(self.limits, &self.pace)
    }

    /// Runs `op` until it succeeds, fails with a non-retryable error, or runs out of attempts.
    /// `op` is told about earlier attempts, so it can recognise its own lost writes.
    pub async fn run<T, F, Fut>(&self, mut op: F) -> Result<T>
    where
        F: FnMut(Attempts) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut state = Attempts::default();
        let mut budget = self.budget();
        let deadline = self.deadline;
        let mut last: Option<Error> = None;
        loop {
            let ready = until(deadline, async {
                self.limiter.acquire().await;
                self.pace.acquire().await;
            });
            if ready.await.is_none() {
                return Err(out_of_time(last.as_ref(), state.maybe_applied));
            }
            let started = Instant::now();
            let Some(result) = until(deadline, op(state)).await else {
                self.limiter
                    .release(Outcome::Dropped, started.elapsed(), Instant::now());
                return Err(out_of_time(last.as_ref(), true));
            };
            self.limiter
                .release(outcome_of(&result), started.elapsed(), Instant::now());
            state.made += 1;
            let err = match result {
                Ok(v) => {
                    self.pace.on_success();
                    return Ok(v);
                }
                Err(e) => e,
            };
            let kind = match &err {
                Error::Aws(a) if a.is_retryable() || a.kind == AwsErrorKind::Unreachable => a.kind,
                _ => return Err(err),
            };
            // A refusal (throttle, concurrent change, a change not settled yet) or an
            // unreachable endpoint applied nothing.
            if !matches!(
                kind,
                AwsErrorKind::Unreachable
                    | AwsErrorKind::Throttling
                    | AwsErrorKind::ConcurrentChange
                    | AwsErrorKind::Settling
            ) {
                state.maybe_applied = true;
                if self.unrepeatable {
                    return Err(err);
                }
            }
            let Some(wait) = budget.after_failure(kind) else {
                return Err(settled_too_long(err));
            };
            if deadline.is_some_and(|d| tokio::time::Instant::now() + wait >= d) {
                return Err(out_of_time(Some(&err), state.maybe_applied));
            }
            tracing::debug!(attempt = state.made, error = %err, "retrying");
            last = Some(err);
            tokio::time::sleep(wait).await;
        }
    }
}

/// Whether a failed request may have been applied: its answer was lost (a reset, a timeout,
/// a deadline cutting it short) or was a 5xx; a throttle, a refusal or an endpoint never
/// reached applied nothing.
pub fn may_have_applied(e: &Error) -> bool {
    match e {
        Error::Aws(a) => matches!(a.kind, AwsErrorKind::Network | AwsErrorKind::ServerError),
        Error::TimedOut(why) => why.contains(MAY_HAVE_APPLIED),
        _ => false,
    }
}

/// A change that never settled: the error says how long cartctl waited.
fn settled_too_long(err: Error) -> Error {
    match err {
        Error::Aws(mut a) if a.kind == AwsErrorKind::Settling => {
            a.fix = format!(
                "AWS was still settling a recent change after {}s: if the resource was made or deleted just now, run again in a minute; else check it (a role must trust scheduler.amazonaws.com)",
                MAX_SETTLING.as_secs()
            );
            Error::Aws(a)
        }
        other => other,
    }
}

/// What an attempt's result tells the concurrency controller.
pub fn outcome_of<T>(result: &Result<T>) -> Outcome {
    result
        .as_ref()
        .err()
        .map_or(Outcome::Done, outcome_of_error)
}

/// What a failed attempt tells the concurrency controller: a throttle, an answer never
/// received (which says nothing about the service), or an answer.
pub fn outcome_of_error(e: &Error) -> Outcome {
    match e {
        Error::Aws(a) if a.kind == AwsErrorKind::Throttling => Outcome::Throttled,
        Error::Aws(a) if matches!(a.kind, AwsErrorKind::Network | AwsErrorKind::Unreachable) => {
            Outcome::Dropped
        }
        _ => Outcome::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartctl_core::error::AwsError;

    fn aws(kind: AwsErrorKind) -> Error {
        Error::Aws(AwsError {
            operation: "Op",
            kind,
            code: "C".into(),
            message: String::new(),
            fix: String::new(),
        })
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        for retry in 1..15 {
            let b = backoff(retry);
            let base = FIRST_BACKOFF
                .saturating_mul(1 << (retry - 1).min(10))
                .min(MAX_BACKOFF);
            assert!(
                b >= base.mul_f64(0.5) && b < base.mul_f64(1.5),
                "{retry}: {b:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_retryable_errors_until_success() {
        let mut calls = 0;
        let out = Retrier::new(RetryLimits {
            max_attempts: 3,
            hard_cap: None,
        })
        .run(|a| {
            calls += 1;
            let made = a.made;
            async move {
                if made < 2 {
                    Err(aws(AwsErrorKind::Network))
                } else {
                    Ok(a.maybe_applied)
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(calls, 3);
        assert!(out, "a network error may have been applied");
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_attempts() {
        let mut calls = 0;
        let r: Result<()> = Retrier::new(RetryLimits {
            max_attempts: 3,
            hard_cap: None,
        })
        .run(|_| {
            calls += 1;
            async { Err(aws(AwsErrorKind::ServerError)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_does_not_use_up_attempts() {
        let mut calls = 0;
        let r = Retrier::new(RetryLimits {
            max_attempts: 2,
            hard_cap: None,
        })
        .run(|a| {
            calls += 1;
            async move {
                if a.made < 12 {
                    Err(aws(AwsErrorKind::Throttling))
                } else {
                    Ok(a.maybe_applied)
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(calls, 13);
        assert!(!r, "a throttled request was not applied");
    }

    #[tokio::test(start_paused = true)]
    async fn a_deadline_bounds_every_attempt_and_backoff() {
        let t0 = tokio::time::Instant::now();
        let deadline = t0 + Duration::from_secs(3);
        // An answer that would take 10 s is given up at the deadline, as maybe applied.
        let slow = Retrier::default()
            .until(deadline)
            .run(|_| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                Ok(())
            })
            .await;
        assert_eq!(t0.elapsed(), Duration::from_secs(3));
        let e = slow.unwrap_err();
        assert!(e.to_string().contains("may have been applied"), "{e}");
        // Refused again and again: retried while there is time, no backoff past the deadline.
        for kind in [AwsErrorKind::Throttling, AwsErrorKind::Settling] {
            let t1 = tokio::time::Instant::now();
            let mut calls = 0;
            let refused: Result<()> = Retrier::default()
                .until(t1 + Duration::from_secs(3))
                .run(|_| {
                    calls += 1;
                    async move { Err(aws(kind)) }
                })
                .await;
            assert!(t1.elapsed() <= Duration::from_secs(3), "{:?}", t1.elapsed());
            assert!(calls >= 1, "{kind:?}");
            let e = refused.unwrap_err();
            assert!(
                e.to_string().contains("deadline") && !e.to_string().contains("may have been"),
                "{e}"
            );
        }
        let t2 = tokio::time::Instant::now();
        let mut calls = 0;
        let failing: Result<()> = Retrier::default()
            .until(t2 + Duration::from_secs(3))
            .run(|_| {
                calls += 1;
                async { Err(aws(AwsErrorKind::ServerError)) }
            })
            .await;
        assert!(t2.elapsed() < Duration::from_secs(3), "{:?}", t2.elapsed());
        assert!(calls > 2, "retried while there was time: {calls}");
        assert!(failing.unwrap_err().to_string().contains("deadline"));
        // Without a deadline, nothing changes.
        let plain: Result<u32> = Retrier::default().run(|_| async { Ok(7) }).await;
        assert_eq!(plain.unwrap(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unrepeatable_request_stops_at_a_failure_that_may_have_been_applied() {
        for (kind, retried) in [
            (AwsErrorKind::Network, false),
            (AwsErrorKind::ServerError, false),
            (AwsErrorKind::Throttling, true),
            (AwsErrorKind::Unreachable, true),
        ] {
            let mut calls = 0;
            let r: Result<u32> = Retrier::default()
                .unrepeatable()
                .run(|a| {
                    calls += 1;
                    let first = a.made == 0;
                    async move { if first { Err(aws(kind)) } else { Ok(1) } }
                })
                .await;
            assert_eq!(r.is_ok(), retried, "{kind:?}");
            assert_eq!(calls, if retried { 2 } else { 1 }, "{kind:?}");
            if let Err(e) = r {
                assert!(may_have_applied(&e), "{kind:?}");
            }
        }
        assert!(!may_have_applied(&aws(AwsErrorKind::Client)));
        assert!(may_have_applied(&out_of_time(None, true)));
        assert!(!may_have_applied(&out_of_time(None, false)));
    }

    #[tokio::test(start_paused = true)]
    async fn other_errors_are_not_retried() {
        let mut calls = 0;
        let r: Result<()> = Retrier::new(RetryLimits::default())
            .run(|_| {
                calls += 1;
                async { Err(aws(AwsErrorKind::Client)) }
            })
            .await;
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
