//! Adaptive concurrency: how many requests a session keeps in flight, found by itself.
//!
//! A TCP-like controller over the number of requests in flight (not over the rate, which
//! [`crate::pace`] governs): it starts at [`INITIAL`], grows by one per completed request while
//! below its threshold (slow start: it doubles every round trip), then by one per round trip
//! (`1/limit` per completion), and shrinks multiplicatively when the service throttles (once per
//! round trip, [`DECREASE`]) or when latency climbs far above the best seen (requests queue
//! somewhere: [`QUEUEING_FACTOR`]). It never exceeds the cap (`--concurrency`), and grows only
//! while the limit is actually used, so an idle or input-bound run does not inflate it. With
//! `fixed`, the limit is the cap and never moves (cartctl's behaviour before adaptation).
//!
//! Every attempt of every operation of a session takes a permit ([`crate::retry::Retrier`] and
//! the PutEvents path), so one controller governs creates, reads, deletes and PutEvents alike.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// The limit a session starts at (the fixed concurrency cartctl used before).
pub const INITIAL: f64 = 16.0;
/// The default cap.
pub const DEFAULT_CAP: usize = 256;
/// Factor applied to the limit when the service throttles.
pub const DECREASE: f64 = 0.7;
/// Latency this many times the best seen means requests queue: the limit shrinks.
pub const QUEUEING_FACTOR: f64 = 4.0;
/// Factor applied to the limit when latency shows queueing.
const QUEUEING_DECREASE: f64 = 0.9;
/// The best latency is forgotten after this long, so a slower network is learnt.
const BASELINE_WINDOW: Duration = Duration::from_secs(10);
/// Latency below this never left the process and is not measured.
const MIN_INFORMATIVE_LATENCY: Duration = Duration::from_millis(1);
/// Latency must also exceed the best seen by this much to count as queueing (so a fast
/// network's jitter does not).
const QUEUEING_MARGIN: Duration = Duration::from_millis(50);
/// How often `-v` logs the controller's state.
const REPORT_EVERY: Duration = Duration::from_secs(1);
/// The limit grows only when at least this share of it is in flight.
const USED_SHARE: f64 = 0.8;

/// How a request ended, for the controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered (success or an error that is not a throttle).
    Done,
    /// Throttled by the service.
    Throttled,
    /// Never answered (network): tells nothing about the service's capacity.
    Dropped,
}

#[derive(Debug)]
struct State {
    limit: f64,
    threshold: f64,
    in_flight: usize,
    baseline: Option<Duration>,
    window_best: Option<Duration>,
    window_start: Option<Instant>,
    last_decrease: Option<Instant>,
    /// Counts since the last report: completions, throttles.
    completed: u64,
    throttled: u64,
    cap: usize,
    fixed: bool,
    last_report: Option<Instant>,
}

/// A snapshot, for `-v` logs and progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    /// The current limit.
    pub limit: usize,
    /// Requests in flight.
    pub in_flight: usize,
    /// Requests completed since the last report.
    pub completed: u64,
    /// Of which throttled.
    pub throttled: u64,
}

/// A session's concurrency controller (see the module documentation).
#[derive(Debug)]
pub struct Limiter {
    state: Mutex<State>,
    freed: Notify,
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter::new(DEFAULT_CAP, false)
    }
}

impl Limiter {
    /// An adaptive limiter capped at `cap`, or a fixed one at `cap`.
    pub fn new(cap: usize, fixed: bool) -> Limiter {
        let cap = cap.max(1);
        let start = if fixed {
            cap as f64
        } else {
            INITIAL.min(cap as f64)
        };
        Limiter {
            state: Mutex::new(State {
                limit: start,
                threshold: cap as f64,
                in_flight: 0,
                baseline: None,
                window_best: None,
                window_start: None,
                last_decrease: None,
                completed: 0,
                throttled: 0,
                cap,
                fixed,
                last_report: None,
            }),
            freed: Notify::new(),
        }
    }

    /// Sets the cap and the mode (`--concurrency N`, `--fixed`), restarting from [`INITIAL`]
    /// (or the cap when fixed).
    pub fn configure(&self, cap: usize, fixed: bool) {
        let cap = cap.max(1);
        let mut s = self.lock();
        s.cap = cap;
        s.fixed = fixed;
        s.limit = if fixed {
            cap as f64
        } else {
            INITIAL.min(cap as f64)
        };
        s.threshold = cap as f64;
        drop(s);
        self.freed.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cap.
    pub fn cap(&self) -> usize {
        self.lock().cap
    }

    /// The current limit.
    pub fn limit(&self) -> usize {
        (self.lock().limit.floor() as usize).max(1)
    }

    /// Takes a slot if one is free.
    pub fn try_acquire(&self) -> bool {
        let mut s = self.lock();
        if s.in_flight < (s.limit.floor() as usize).max(1) {
            s.in_flight += 1;
            true
        } else {
            false
        }
    }

    /// Waits for a slot; the caller must call [`Limiter::release`] when the request ends.
    pub async fn acquire(&self) {
        loop {
            let freed = self.freed.notified();
            if self.try_acquire() {
                return;
            }
            freed.await;
        }
    }

    /// A request ended after `latency`: frees its slot and adapts the limit.
    pub fn release(&self, outcome: Outcome, latency: Duration, now: Instant) {
        {
            let mut s = self.lock();
            let used = s.in_flight as f64 >= s.limit.floor() * USED_SHARE;
            s.in_flight = s.in_flight.saturating_sub(1);
            s.completed += 1;
            if outcome == Outcome::Throttled {
                s.throttled += 1;
            }
            if !s.fixed {
                let cap = s.cap as f64;
                adapt(&mut s, outcome, latency, now, used, cap);
            }
            if s.last_report
                .is_none_or(|t| now.duration_since(t) >= REPORT_EVERY)
            {
                let elapsed = s
                    .last_report
                    .map_or(1.0, |t| now.duration_since(t).as_secs_f64());
                tracing::debug!(
                    concurrency = (s.limit.floor() as usize).max(1),
                    in_flight = s.in_flight,
                    rate = format!("{:.0}/s", s.completed as f64 / elapsed.max(0.001)),
                    throttled = format!(
                        "{:.1}%",
                        100.0 * s.throttled as f64 / (s.completed.max(1)) as f64
                    ),
                    baseline_ms = s.baseline.map_or(0, |b| b.as_millis() as u64),
                    "concurrency controller"
                );
                s.last_report = Some(now);
                s.completed = 0;
                s.throttled = 0;
            }
        }
        self.freed.notify_waiters();
    }

    /// The state now, and the counts since the last `-v` report.
    pub fn snapshot(&self) -> Snapshot {
        let s = self.lock();
        Snapshot {
            limit: (s.limit.floor() as usize).max(1),
            in_flight: s.in_flight,
            completed: s.completed,
            throttled: s.throttled,
        }
    }
}

fn adapt(s: &mut State, outcome: Outcome, latency: Duration, now: Instant, used: bool, cap: f64) {
    // Once per round trip: a burst of refusals caused by one limit counts once.
    let round_trip = s.baseline.unwrap_or(latency).max(Duration::from_millis(50));
    let recently_cut = s
        .last_decrease
        .is_some_and(|t| now.duration_since(t) < round_trip);
    // An answer in under a millisecond never left the process (a cached or local answer): it
    // says nothing about the service.
    if latency < MIN_INFORMATIVE_LATENCY && outcome == Outcome::Done {
        return;
    }
    match outcome {
        Outcome::Dropped => {}
        Outcome::Throttled => {
            if !recently_cut {
                s.limit = (s.limit * DECREASE).max(1.0);
                s.threshold = s.limit;
                s.last_decrease = Some(now);
            }
        }
        Outcome::Done => {
            let window = s.window_start.get_or_insert(now);
            if now.duration_since(*window) > BASELINE_WINDOW {
                s.baseline = s.window_best.or(s.baseline);
                s.window_best = None;
                s.window_start = Some(now);
            }
            s.window_best = Some(s.window_best.map_or(latency, |b| b.min(latency)));
            let best = *s.baseline.get_or_insert(latency);
            if latency < best {
                s.baseline = Some(latency);
            }
            let queueing = latency.as_secs_f64() > best.as_secs_f64() * QUEUEING_FACTOR
                && latency > best + QUEUEING_MARGIN;
            if queueing {
                if !recently_cut {
                    s.limit = (s.limit * QUEUEING_DECREASE).max(1.0);
                    s.threshold = s.limit;
                    s.last_decrease = Some(now);
                }
            } else if used {
                s.limit += if s.limit < s.threshold {
                    1.0
                } else {
                    1.0 / s.limit
                };
            }
        }
    }
    s.limit = s.limit.min(cap);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Now, on tokio's clock (paused in these tests).
    fn now() -> Instant {
        tokio::time::Instant::now().into_std()
    }

    /// A simulated service: `latency` per request (plus up to `noise`), admitting `quota`
    /// requests a second (a token bucket; the rest are throttled after the same latency).
    struct Service {
        latency: Duration,
        noise: Duration,
        quota: f64,
        tokens: Mutex<(f64, Instant)>,
        served: AtomicU64,
        throttled: AtomicU64,
    }

    impl Service {
        fn new(latency_ms: u64, noise_ms: u64, quota: f64) -> Arc<Service> {
            Arc::new(Service {
                latency: Duration::from_millis(latency_ms),
                noise: Duration::from_millis(noise_ms),
                quota,
                tokens: Mutex::new((quota / 10.0, now())),
                served: AtomicU64::new(0),
                throttled: AtomicU64::new(0),
            })
        }

        async fn call(&self, n: u64) -> Outcome {
            let jitter = if self.noise.is_zero() {
                Duration::ZERO
            } else {
                Duration::from_millis((n * 7919) % (self.noise.as_millis() as u64 + 1))
            };
            tokio::time::sleep(self.latency / 2).await;
            let admitted = {
                let mut t = self.tokens.lock().unwrap();
                let at = now();
                let refill = at.duration_since(t.1).as_secs_f64() * self.quota;
                t.0 = (t.0 + refill).min(self.quota / 10.0);
                t.1 = at;
                if t.0 >= 1.0 {
                    t.0 -= 1.0;
                    true
                } else {
                    false
                }
            };
            tokio::time::sleep(self.latency / 2 + jitter).await;
            if admitted {
                self.served.fetch_add(1, Ordering::Relaxed);
                Outcome::Done
            } else {
                self.throttled.fetch_add(1, Ordering::Relaxed);
                Outcome::Throttled
            }
        }
    }

    /// Runs `n` requests (a throttled one is sent again) through `limiter` against `service`,
    /// `offered` at most at once; returns the wall time.
    async fn run(limiter: Arc<Limiter>, service: Arc<Service>, n: u64, offered: usize) -> Duration {
        let started = tokio::time::Instant::now();
        let next = Arc::new(AtomicU64::new(0));
        let mut workers = Vec::new();
        for _ in 0..offered {
            let (limiter, service, next) = (limiter.clone(), service.clone(), next.clone());
            workers.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return;
                    }
                    loop {
                        limiter.acquire().await;
                        let t = now();
                        let outcome = service.call(i).await;
                        limiter.release(outcome, now().duration_since(t), now());
                        if outcome == Outcome::Done {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }));
        }
        for w in workers {
            w.await.unwrap();
        }
        started.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn reaches_the_quota_at_100ms_and_does_not_collapse_with_a_high_cap() {
        for cap in [DEFAULT_CAP, 1024] {
            let service = Service::new(100, 10, 300.0);
            let limiter = Arc::new(Limiter::new(cap, false));
            let wall = run(limiter.clone(), service.clone(), 3000, 512).await;
            let rate = 3000.0 / wall.as_secs_f64();
            let throttled = service.throttled.load(Ordering::Relaxed);
            assert!(
                rate >= 0.9 * 300.0,
                "cap {cap}: {rate:.0}/s of 300 ({throttled} throttled)"
            );
            assert!(
                throttled < 600,
                "cap {cap}: {throttled} throttles for 3000 requests"
            );
            assert!(limiter.limit() <= cap);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn grows_past_the_old_fixed_16_when_the_service_has_room() {
        // 30 ms, no quota: 16 in flight would make 533/s; the limiter must do better.
        let service = Service::new(30, 3, 1e9);
        let limiter = Arc::new(Limiter::new(DEFAULT_CAP, false));
        let wall = run(limiter.clone(), service, 5000, 256).await;
        let rate = 5000.0 / wall.as_secs_f64();
        assert!(rate > 1.5 * 16.0 / 0.030, "{rate:.0}/s");
        assert!(limiter.limit() > 16);
    }

    #[tokio::test(start_paused = true)]
    async fn fixed_never_moves_and_idle_runs_do_not_inflate() {
        let service = Service::new(50, 0, 1e9);
        let fixed = Arc::new(Limiter::new(16, true));
        run(fixed.clone(), service.clone(), 500, 64).await;
        assert_eq!(fixed.limit(), 16);
        // Offered 4 at a time: the limit is never used, so it stays at its start.
        let adaptive = Arc::new(Limiter::new(DEFAULT_CAP, false));
        run(adaptive.clone(), service, 500, 4).await;
        assert_eq!(adaptive.limit(), INITIAL as usize);
    }

    #[test]
    fn throttles_cut_once_per_round_trip_and_latency_spikes_shrink() {
        let l = Limiter::new(DEFAULT_CAP, false);
        let t0 = Instant::now();
        for _ in 0..16 {
            assert!(l.try_acquire());
        }
        l.release(Outcome::Throttled, Duration::from_millis(100), t0);
        l.release(
            Outcome::Throttled,
            Duration::from_millis(100),
            t0 + Duration::from_millis(10),
        );
        assert_eq!(l.limit(), 11, "16 × 0.7, once");
        l.release(
            Outcome::Done,
            Duration::from_millis(100),
            t0 + Duration::from_millis(20),
        );
        l.release(
            Outcome::Done,
            Duration::from_millis(900),
            t0 + Duration::from_secs(1),
        );
        assert!(
            l.limit() < 11,
            "queueing latency shrinks the limit: {}",
            l.limit()
        );
    }
}
