//! Pacing after throttling: one request rate for a whole session (every command's requests), unlimited until the service
//! first throttles, then adapted AIMD-style — cut by 15% when throttling answers pass a tenth of
//! the requests sent in the last second (at most once per half second, so one burst of refusals
//! counts once; a stray throttle among many successes does not slow everything down), and raised
//! by 8% a second while requests succeed. Every attempt of a [`crate::retry::Retrier`] waits for its turn here, so a
//! throttled run slows down as a whole instead of failing items, and settles just under the rate
//! the service admits.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The lowest rate the pace goes down to, in requests a second.
const MIN_RATE: f64 = 0.5;
/// Factor applied to the rate on a throttling answer.
const DECREASE: f64 = 0.85;
/// Relative increase of the rate per second of successful requests.
const INCREASE_PER_SECOND: f64 = 0.08;
/// The share of throttled requests (over the last second) that makes the rate go down.
const THROTTLED_SHARE: f64 = 0.1;
/// Throttling answers closer together than this count once.
const DECREASE_COOLDOWN: Duration = Duration::from_millis(500);
/// How many requests may go at once after a pause, in seconds' worth of the rate.
const BURST_SECONDS: f64 = 0.1;

#[derive(Debug)]
struct State {
    /// Requests a second; `None` until the first throttle.
    rate: Option<f64>,
    tokens: f64,
    last_refill: Option<Instant>,
    last_decrease: Option<Instant>,
    /// Request starts in the current measuring window, and the window's start.
    window_count: u32,
    window_start: Option<Instant>,
    /// Throttling answers in the current window, and in the previous one with its requests.
    window_throttles: u32,
    previous: (u32, u32),
    /// The send rate measured over the last full window.
    measured: f64,
    /// The rate it never goes above (a quota the service enforces before it throttles).
    ceiling: Option<f64>,
}

/// A session's request pace (see the module documentation); shared by handle, never global.
#[derive(Debug)]
pub struct Pace {
    state: Mutex<State>,
}

impl Default for Pace {
    fn default() -> Self {
        Pace::new()
    }
}

impl Pace {
    /// An unlimited pace.
    pub const fn new() -> Pace {
        Pace {
            state: Mutex::new(State {
                rate: None,
                tokens: 0.0,
                last_refill: None,
                last_decrease: None,
                window_count: 0,
                window_start: None,
                window_throttles: 0,
                previous: (0, 0),
                measured: 0.0,
                ceiling: None,
            }),
        }
    }

    /// A pace held at `rate` requests a second at most from the start (the account's SES send
    /// rate, say: a quota known before any throttle); throttling still slows it down, and
    /// successes raise it back to `rate`, never above. The first request goes at once.
    pub fn limited(rate: f64) -> Pace {
        let pace = Pace::new();
        {
            let mut s = pace.lock();
            s.rate = Some(rate.max(MIN_RATE));
            s.ceiling = Some(rate.max(MIN_RATE));
            s.tokens = 1.0;
        }
        pace
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current rate limit, if throttling has set one.
    pub fn rate(&self) -> Option<f64> {
        self.lock().rate
    }

    /// How long to wait before sending now (zero: go), taking the turn if it is free.
    pub fn try_acquire(&self, now: Instant) -> Duration {
        let mut s = self.lock();
        let window = s.window_start.get_or_insert(now);
        let elapsed = now.duration_since(*window).as_secs_f64();
        if elapsed >= 1.0 {
            s.measured = f64::from(s.window_count) / elapsed;
            s.previous = (s.window_count, s.window_throttles);
            s.window_count = 0;
            s.window_throttles = 0;
            s.window_start = Some(now);
        }
        let Some(rate) = s.rate else {
            s.window_count += 1;
            return Duration::ZERO;
        };
        let last = s.last_refill.unwrap_or(now);
        let burst = (rate * BURST_SECONDS).max(1.0);
        s.tokens = (s.tokens + now.duration_since(last).as_secs_f64() * rate).min(burst);
        s.last_refill = Some(now);
        if s.tokens >= 1.0 {
            s.tokens -= 1.0;
            s.window_count += 1;
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - s.tokens) / rate)
        }
    }

    /// Waits for this request's turn.
    pub async fn acquire(&self) {
        loop {
            let wait = self.try_acquire(Instant::now());
            if wait.is_zero() {
                return;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// The service throttled a request: slow down.
    pub fn on_throttle(&self, now: Instant) {
        let mut s = self.lock();
        s.window_throttles += 1;
        if s.last_decrease
            .is_some_and(|t| now.duration_since(t) < DECREASE_COOLDOWN)
        {
            return;
        }
        let sent = s.window_count + s.previous.0;
        let throttled = s.window_throttles + s.previous.1;
        if f64::from(throttled) < THROTTLED_SHARE * f64::from(sent.max(1)) {
            return;
        }
        let base = match s.rate {
            Some(r) => r,
            // First throttle: start from the rate actually sent (this window's, if the last
            // one is not measured yet).
            None => {
                let partial = s
                    .window_start
                    .map(|w| {
                        f64::from(s.window_count) / now.duration_since(w).as_secs_f64().max(0.1)
                    })
                    .unwrap_or(0.0);
                s.measured.max(partial).max(MIN_RATE)
            }
        };
        s.rate = Some((base * DECREASE).max(MIN_RATE));
        s.tokens = s.tokens.min(1.0);
        s.last_refill.get_or_insert(now);
        s.last_decrease = Some(now);
    }

    /// A request succeeded: probe upwards.
    pub fn on_success(&self) {
        let mut s = self.lock();
        if let Some(r) = s.rate {
            // r successes a second raise the rate by INCREASE_PER_SECOND of itself a second.
            s.rate = Some((r + INCREASE_PER_SECOND).min(s.ceiling.unwrap_or(f64::INFINITY)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_pace_spaces_requests_from_the_first_and_never_rises_above_its_rate() {
        let g = Pace::limited(10.0);
        let t0 = Instant::now();
        // The first goes at once; the next waits a tenth of a second.
        assert!(g.try_acquire(t0).is_zero());
        let wait = g.try_acquire(t0);
        assert!(
            (Duration::from_millis(99)..=Duration::from_millis(101)).contains(&wait),
            "{wait:?}"
        );
        // Over two seconds, twenty requests go, not more.
        let mut sent = 1;
        let mut t = t0;
        while t < t0 + Duration::from_secs(2) {
            t += Duration::from_millis(5);
            if g.try_acquire(t).is_zero() {
                sent += 1;
            }
        }
        assert!((20..=22).contains(&sent), "{sent}");
        for _ in 0..1000 {
            g.on_success();
        }
        assert_eq!(g.rate(), Some(10.0));
        // Throttling still slows it down.
        for _ in 0..10 {
            g.on_throttle(t);
        }
        assert!(g.rate().unwrap() < 10.0);
    }

    #[test]
    fn unlimited_until_the_first_throttle() {
        let g = Pace::new();
        let t0 = Instant::now();
        for _ in 0..1000 {
            assert!(g.try_acquire(t0).is_zero());
        }
        assert_eq!(g.rate(), None);
    }

    #[test]
    fn a_throttle_sets_a_rate_below_what_was_sent_and_paces() {
        let g = Pace::new();
        let t0 = Instant::now();
        // 100 requests in the first second, then a throttle.
        for i in 0..100 {
            assert!(g.try_acquire(t0 + Duration::from_millis(i * 10)).is_zero());
        }
        let t1 = t0 + Duration::from_millis(1000);
        g.try_acquire(t1);
        // A tenth of the requests throttled: that is throttling.
        for _ in 0..11 {
            g.on_throttle(t1);
        }
        let rate = g.rate().unwrap();
        assert!((80.0..=90.0).contains(&rate), "{rate}");
        // Now requests are spaced at about 1/rate.
        let mut sent = 0;
        let mut t = t1;
        while t < t1 + Duration::from_secs(2) {
            if g.try_acquire(t).is_zero() {
                sent += 1;
            }
            t += Duration::from_millis(1);
        }
        assert!((150..=190).contains(&sent), "{sent} in 2 s at {rate}/s");
    }

    #[test]
    fn throttles_in_a_burst_count_once_and_successes_raise_the_rate() {
        let g = Pace::new();
        let t0 = Instant::now();
        for _ in 0..50 {
            g.try_acquire(t0);
        }
        let t1 = t0 + Duration::from_secs(1);
        g.try_acquire(t1);
        for _ in 0..6 {
            g.on_throttle(t1);
        }
        let r1 = g.rate().unwrap();
        g.on_throttle(t1 + Duration::from_millis(100));
        assert_eq!(g.rate().unwrap(), r1, "a burst counts once");
        g.on_throttle(t1 + Duration::from_millis(600));
        let r2 = g.rate().unwrap();
        assert!((r2 - r1 * DECREASE).abs() < 1e-9);
        for _ in 0..100 {
            g.on_success();
        }
        assert!((g.rate().unwrap() - (r2 + 8.0)).abs() < 1e-9);
    }

    #[test]
    fn a_stray_throttle_among_many_successes_does_not_slow_down() {
        let g = Pace::new();
        let t0 = Instant::now();
        for i in 0..100 {
            g.try_acquire(t0 + Duration::from_millis(i * 10));
        }
        let t1 = t0 + Duration::from_secs(1);
        for i in 0..100 {
            g.try_acquire(t1 + Duration::from_millis(i * 5));
        }
        g.on_throttle(t1 + Duration::from_millis(500));
        assert_eq!(g.rate(), None, "1 throttle in 200 requests");
        for _ in 0..30 {
            g.on_throttle(t1 + Duration::from_millis(600));
        }
        assert!(g.rate().is_some(), "31 in 200 is throttling");
    }

    #[test]
    fn the_rate_never_drops_below_the_floor() {
        let g = Pace::new();
        let mut t = Instant::now();
        for _ in 0..100 {
            t += Duration::from_secs(1);
            g.on_throttle(t);
        }
        assert_eq!(g.rate(), Some(MIN_RATE));
    }
}
