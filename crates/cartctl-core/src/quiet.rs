//! Quiet hours: a daily window (`21:00-08:00`) in which no reminder should reach a customer. A
//! due time inside it moves to the window's end, read on the customer's wall clock.
//!
//! Pure and DST-safe: the window is wall-clock time in a time zone; an end that a spring-forward
//! change skips is the first instant after the gap, and one that a fall-back change repeats is
//! its first occurrence.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};

/// A daily window of wall-clock time: `start` inclusive, `end` exclusive; it wraps past
/// midnight when `start` is later than `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    start: NaiveTime,
    end: NaiveTime,
}

impl QuietHours {
    /// Parses `HH:MM-HH:MM` (24-hour clock); `field` names the flag or key for errors.
    pub fn parse(field: &str, text: &str) -> Result<QuietHours> {
        let bad = |problem: String| {
            Error::invalid(
                field,
                problem,
                "write the window as HH:MM-HH:MM on a 24-hour clock, such as 21:00-08:00",
            )
        };
        let (start, end) = text
            .trim()
            .split_once('-')
            .ok_or_else(|| bad(format!("`{text}` is not a window of two times")))?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| bad(format!("`{}` in `{text}` is not a time HH:MM", t.trim())))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start == end {
            return Err(bad(format!(
                "`{text}` starts and ends at the same time, so it is empty or the whole day"
            )));
        }
        Ok(QuietHours { start, end })
    }

    /// Whether a wall-clock time is inside the window.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start < self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// `utc` moved out of the window as seen in `tz`: itself when outside, else the window's
    /// end (the same day's, or the next day's when the window wraps past midnight).
    pub fn defer(&self, utc: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local = utc.with_timezone(&tz).naive_local();
        if !self.contains(local.time()) {
            return utc;
        }
        let day = if local.time() < self.end {
            local.date()
        } else {
            local.date() + Duration::days(1)
        };
        first_instant_at_or_after(tz, day.and_time(self.end), utc)
    }
}

impl std::fmt::Display for QuietHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// The first instant, not before `not_before`, at which the wall clock of `tz` reads `local`
/// or, when a DST gap skips it, the first instant after the gap.
fn first_instant_at_or_after(
    tz: Tz,
    local: NaiveDateTime,
    not_before: DateTime<Utc>,
) -> DateTime<Utc> {
    let mut t = local;
    // Gaps are whole minutes and shorter than a day.
    for _ in 0..=24 * 60 {
        let found = match tz.from_local_datetime(&t) {
            LocalResult::Single(x) => Some(x.with_timezone(&Utc)),
            // The clock reads it twice: the first time that is not before `not_before`.
            LocalResult::Ambiguous(first, second) => {
                let first = first.with_timezone(&Utc);
                Some(if first >= not_before {
                    first
                } else {
                    second.with_timezone(&Utc)
                })
            }
            LocalResult::None => None,
        };
        if let Some(x) = found {
            return x.max(not_before);
        }
        t += Duration::minutes(1);
    }
    not_before
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> QuietHours {
        QuietHours::parse("--quiet-hours", text).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn tz(name: &str) -> Tz {
        name.parse().unwrap()
    }

    #[test]
    fn windows_parse_and_bad_ones_name_the_field() {
        assert_eq!(q("21:00-08:00").to_string(), "21:00-08:00");
        assert_eq!(q(" 12:30 - 13:45 ").to_string(), "12:30-13:45");
        for bad in [
            "",
            "21:00",
            "21-08",
            "25:00-08:00",
            "21:00-08:60",
            "08:00-08:00",
        ] {
            let e = QuietHours::parse("--quiet-hours", bad).unwrap_err();
            assert!(e.is_invalid(), "{bad}");
            assert!(e.to_string().starts_with("invalid --quiet-hours:"), "{e}");
            assert!(e.to_string().contains("HH:MM-HH:MM"), "{e}");
        }
    }

    #[test]
    fn a_wrapping_window_contains_the_night_and_not_the_day() {
        let w = q("21:00-08:00");
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        assert!(w.contains(t("21:00")));
        assert!(w.contains(t("23:59")));
        assert!(w.contains(t("00:00")));
        assert!(w.contains(t("07:59")));
        assert!(!w.contains(t("08:00")));
        assert!(!w.contains(t("20:59")));
        let day = q("12:00-14:00");
        assert!(day.contains(t("12:00")) && day.contains(t("13:59")));
        assert!(!day.contains(t("14:00")) && !day.contains(t("11:59")));
    }

    #[test]
    fn a_time_inside_moves_to_the_end_and_one_outside_stays() {
        let w = q("21:00-08:00");
        // Before midnight: the next morning.
        assert_eq!(
            w.defer(utc("2026-11-29T22:15:00Z"), Tz::UTC),
            utc("2026-11-30T08:00:00Z")
        );
        // After midnight: the same morning.
        assert_eq!(
            w.defer(utc("2026-11-30T03:00:00Z"), Tz::UTC),
            utc("2026-11-30T08:00:00Z")
        );
        let outside = utc("2026-11-30T12:00:00Z");
        assert_eq!(w.defer(outside, Tz::UTC), outside);
        // The end itself is outside.
        let end = utc("2026-11-30T08:00:00Z");
        assert_eq!(w.defer(end, Tz::UTC), end);
    }

    #[test]
    fn the_window_is_read_on_the_customers_clock() {
        let w = q("21:00-08:00");
        // 22:00 UTC is 17:00 in New York (outside) and 07:00 in Tokyo (inside).
        let t = utc("2026-11-29T22:00:00Z");
        assert_eq!(w.defer(t, tz("America/New_York")), t);
        assert_eq!(
            w.defer(t, tz("Asia/Tokyo")),
            utc("2026-11-29T23:00:00Z") // 08:00 JST
        );
    }

    #[test]
    fn across_dst_changes_the_end_is_the_local_end() {
        let w = q("21:00-08:00");
        let paris = tz("Europe/Paris");
        // Spring forward (2027-03-28, 02:00 -> 03:00): the night is an hour shorter, the end
        // is 08:00 CEST = 06:00 UTC.
        assert_eq!(
            w.defer(utc("2027-03-27T22:00:00Z"), paris), // 23:00 CET
            utc("2027-03-28T06:00:00Z")
        );
        // Fall back (2026-10-25, 03:00 -> 02:00): 08:00 CET = 07:00 UTC.
        assert_eq!(
            w.defer(utc("2026-10-24T21:00:00Z"), paris), // 23:00 CEST
            utc("2026-10-25T07:00:00Z")
        );
    }

    #[test]
    fn an_end_in_a_dst_gap_is_the_first_instant_after_it_and_a_repeated_one_its_first() {
        let ny = tz("America/New_York");
        // 2027-03-14: 02:00 EST jumps to 03:00 EDT, so 02:30 never happens; the window ends
        // when the clock passes it, at 03:00 EDT = 07:00 UTC.
        let w = q("01:00-02:30");
        assert_eq!(
            w.defer(utc("2027-03-14T06:30:00Z"), ny), // 01:30 EST
            utc("2027-03-14T07:00:00Z")
        );
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice; the window
        // ends the first time, 01:30 EDT = 05:30 UTC.
        let w = q("00:00-01:30");
        assert_eq!(
            w.defer(utc("2026-11-01T04:30:00Z"), ny), // 00:30 EDT
            utc("2026-11-01T05:30:00Z")
        );
        // During the repeated hour the clock is inside the window again; it ends when the
        // clock reads 01:30 the second time, 01:30 EST = 06:30 UTC (never earlier than asked).
        assert_eq!(
            w.defer(utc("2026-11-01T06:15:00Z"), ny), // 01:15 EST
            utc("2026-11-01T06:30:00Z")
        );
    }

    #[test]
    fn deferring_never_moves_a_time_earlier_and_lands_outside_the_window() {
        let zones = [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "Australia/Lord_Howe",
        ];
        let windows = [
            "21:00-08:00",
            "00:00-01:30",
            "01:00-02:30",
            "12:00-13:00",
            "23:30-00:30",
        ];
        for zone in zones {
            let z = tz(zone);
            for window in windows {
                let w = q(window);
                let mut t = utc("2026-10-20T00:00:00Z");
                while t < utc("2027-04-10T00:00:00Z") {
                    let moved = w.defer(t, z);
                    assert!(moved >= t, "{zone} {window} {t} -> {moved}");
                    let local = moved.with_timezone(&z).time();
                    assert!(
                        !w.contains(local),
                        "{zone} {window} {t} -> {moved} ({local})"
                    );
                    assert!(
                        moved - t <= Duration::hours(25),
                        "{zone} {window} {t} -> {moved}"
                    );
                    t += Duration::minutes(17);
                }
            }
        }
    }
}
