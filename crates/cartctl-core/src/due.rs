//! When a reminder is due: `--in DURATION` or `--at TIME` (+ `--timezone`) turned into the
//! one-time schedule expression `at(YYYY-MM-DDTHH:MM:SS)` and its `ScheduleExpressionTimezone`.
//!
//! Pure: the current time is a parameter, so every edge (DST gaps and overlaps, leap days, year
//! ends, the 10-year horizon) is unit-tested.

use std::time::Duration;

use chrono::{DateTime, LocalResult, Months, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::quiet::QuietHours;

/// How far ahead a reminder may be due.
pub const MAX_YEARS_AHEAD: u32 = 10;

/// How far the due time of an existing schedule created with `--in D` may drift from its
/// last modification time + D and still count as the same reminder (clock skew, retries).
pub const RELATIVE_MATCH_TOLERANCE: Duration = Duration::from_secs(300);

const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
];

/// The user's request for a due time, before it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueSpec<'a> {
    /// `--in 1d`: a humantime duration from now.
    In(&'a str),
    /// `--at 2026-12-24T18:00`: RFC 3339 with an offset, or a local time in the time zone.
    At(&'a str),
}

/// The least lead a new reminder may have: Scheduler fires one-time schedules with one-minute
/// precision, so a time closer than that may pass before the schedule exists.
pub const MIN_LEAD: Duration = Duration::from_secs(60);

/// The least lead left before each attempt to send a reminder (the lead shrinks while a
/// request is retried or paced).
pub const MIN_LEAD_AT_SEND: Duration = Duration::from_secs(30);

/// A checked due time: at least [`MIN_LEAD`] in the future, at most 10 years ahead, second precision, and
/// unambiguous in its time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    utc: DateTime<Utc>,
    tz: Tz,
    relative: Option<Duration>,
}

impl Due {
    /// Resolves `spec` in `timezone` (default UTC) relative to `now`.
    ///
    /// `fields` names the flags (or file columns) for error messages: `(in, at, timezone)`.
    pub fn resolve(
        spec: DueSpec<'_>,
        timezone: Option<&str>,
        now: DateTime<Utc>,
        fields: (&str, &str, &str),
    ) -> Result<Due> {
        let (in_field, at_field, tz_field) = fields;
        let tz = match timezone {
            Some(name) => parse_timezone(tz_field, name)?,
            None => Tz::UTC,
        };
        let (utc, relative, field) = match spec {
            DueSpec::In(text) => {
                let d = parse_duration(in_field, text)?;
                let delta = chrono::Duration::from_std(d).map_err(|_| too_far(in_field, text))?;
                let utc = now
                    .checked_add_signed(delta)
                    .ok_or_else(|| too_far(in_field, text))?;
                (utc, Some(d), in_field)
            }
            DueSpec::At(text) => (parse_at((at_field, tz_field), text, tz)?, None, at_field),
        };
        // at() has whole seconds: a relative time rounds up (never earlier than asked), an
        // absolute one down (the second it names).
        let utc = match (relative, utc.nanosecond()) {
            (Some(_), n) if n > 0 => {
                utc.with_nanosecond(0).unwrap_or(utc) + chrono::Duration::seconds(1)
            }
            _ => utc.with_nanosecond(0).unwrap_or(utc),
        };
        let text = match spec {
            DueSpec::In(t) | DueSpec::At(t) => t,
        };
        if utc <= now || relative.is_some_and(|d| d.is_zero()) {
            return Err(Error::invalid(
                field,
                format!(
                    "`{text}` is {}, not in the future",
                    utc.format("%Y-%m-%dT%H:%M:%SZ")
                ),
                "give a later time (the reminder must be due after now)",
            ));
        }
        if utc < now + chrono::Duration::from_std(MIN_LEAD).expect("small") {
            return Err(Error::invalid(
                field,
                format!(
                    "`{text}` is {}, less than {} from now; Scheduler fires one-time schedules with one-minute precision",
                    format_utc(utc),
                    humantime::format_duration(MIN_LEAD)
                ),
                format!("give a time at least a minute ahead ({in_field} 1m or later)"),
            ));
        }
        let horizon = now
            .checked_add_months(Months::new(12 * MAX_YEARS_AHEAD))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if utc > horizon {
            return Err(too_far(field, text));
        }
        let local = utc.with_timezone(&tz).naive_local();
        if let LocalResult::Ambiguous(_, _) = tz.from_local_datetime(&local) {
            return Err(Error::invalid(
                field,
                format!(
                    "{} happens twice in {} (clocks go back), so at() would be ambiguous",
                    local.format("%Y-%m-%dT%H:%M:%S"),
                    tz.name()
                ),
                format!("pick a time outside the daylight-saving change, or use {tz_field} UTC"),
            ));
        }
        Ok(Due { utc, tz, relative })
    }

    /// A due time at the instant `utc` (to the second, rounded up), expressed in `tz` unless
    /// that wall-clock time happens twice there, then in UTC (so it is never ambiguous). The
    /// same checks as [`Due::resolve`]: at least [`MIN_LEAD`] ahead of `now`, within the
    /// horizon; `field` names the value for errors.
    pub fn from_instant(
        utc: DateTime<Utc>,
        tz: Tz,
        now: DateTime<Utc>,
        field: &str,
    ) -> Result<Due> {
        let utc = match utc.nanosecond() {
            0 => utc,
            _ => utc.with_nanosecond(0).unwrap_or(utc) + chrono::Duration::seconds(1),
        };
        if utc < now + chrono::Duration::from_std(MIN_LEAD).expect("small") {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is not at least {} from now",
                    format_utc(utc),
                    humantime::format_duration(MIN_LEAD)
                ),
                "give a later time",
            ));
        }
        let horizon = now
            .checked_add_months(Months::new(12 * MAX_YEARS_AHEAD))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if utc > horizon {
            return Err(too_far(field, &format_utc(utc)));
        }
        Ok(Due {
            utc,
            tz: unambiguous_zone(utc, tz),
            relative: None,
        })
    }

    /// This due time moved out of `quiet` hours, read on the clock of its own time zone (see
    /// [`QuietHours::defer`]). A moved time is no longer relative to when it was asked for;
    /// one that falls twice on that clock is expressed in UTC.
    pub fn deferred(self, quiet: &QuietHours) -> Due {
        let moved = quiet.defer(self.utc, self.tz);
        if moved == self.utc {
            return self;
        }
        Due {
            utc: moved,
            tz: unambiguous_zone(moved, self.tz),
            relative: None,
        }
    }

    /// The same instant expressed in `tz` (UTC when that wall-clock time happens twice there).
    pub fn in_timezone(self, tz: Tz) -> Due {
        Due {
            tz: unambiguous_zone(self.utc, tz),
            ..self
        }
    }

    /// Checks, before an attempt to send it, that the due time is still at least
    /// [`MIN_LEAD_AT_SEND`] ahead of `now`: retries and pacing take time, and a schedule sent
    /// too close to (or past) its time would fire late or not at all.
    pub fn check_still_ahead(&self, now: DateTime<Utc>) -> Result<()> {
        let lead = (self.utc - now).to_std().unwrap_or_default();
        if lead < MIN_LEAD_AT_SEND {
            return Err(Error::invalid(
                "due time",
                format!(
                    "{} is only {}s away by the time the reminder could be sent (retries and pacing took the rest)",
                    self.rfc3339(),
                    lead.as_secs()
                ),
                "schedule it again with a later time",
            ));
        }
        Ok(())
    }

    /// Reads a stored one-time schedule back: `at(YYYY-MM-DDTHH:MM:SS)` in `timezone`.
    ///
    /// Returns `None` for anything that is not a one-time `at()` expression in a known zone.
    pub fn from_expression(expression: &str, timezone: Option<&str>) -> Option<Due> {
        let inner = expression.trim().strip_prefix("at(")?.strip_suffix(')')?;
        let local = NaiveDateTime::parse_from_str(inner, "%Y-%m-%dT%H:%M:%S").ok()?;
        let tz: Tz = timezone.unwrap_or("UTC").parse().ok()?;
        let utc = tz
            .from_local_datetime(&local)
            .earliest()?
            .with_timezone(&Utc);
        Some(Due {
            utc,
            tz,
            relative: None,
        })
    }

    /// The schedule expression, `at(YYYY-MM-DDTHH:MM:SS)` in the schedule's time zone.
    pub fn expression(&self) -> String {
        format!(
            "at({})",
            self.utc.with_timezone(&self.tz).format("%Y-%m-%dT%H:%M:%S")
        )
    }

    /// The IANA name of the schedule's time zone (`UTC`, `Europe/Paris`).
    pub fn timezone(&self) -> &'static str {
        self.tz.name()
    }

    /// The due instant.
    pub fn utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// The duration this due time was given as (`--in`), if it was relative.
    pub fn relative(&self) -> Option<Duration> {
        self.relative
    }

    /// The due instant as RFC 3339 UTC (`2026-11-30T08:00:00Z`), the form JSON output uses.
    pub fn rfc3339(&self) -> String {
        format_utc(self.utc)
    }
}

/// `tz`, unless the wall-clock time of `utc` happens twice there (an at() expression in it
/// would be ambiguous): then UTC.
fn unambiguous_zone(utc: DateTime<Utc>, tz: Tz) -> Tz {
    let local = utc.with_timezone(&tz).naive_local();
    match tz.from_local_datetime(&local) {
        LocalResult::Single(_) => tz,
        _ => Tz::UTC,
    }
}

/// Formats an instant as RFC 3339 UTC with second precision.
pub fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Says how far `t` is from `now`, the way people say it: `in 23h`, `3m ago`, `in 1d 2h`.
pub fn humanize_from(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (t - now).num_seconds();
    let abs = secs.unsigned_abs();
    let parts: [(u64, &str); 4] = [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")];
    let mut out = Vec::new();
    let mut rest = abs;
    for (unit, label) in parts {
        if rest >= unit {
            out.push(format!("{}{label}", rest / unit));
            rest %= unit;
        }
        if out.len() == 2 || (!out.is_empty() && unit == 3600 && abs >= 86_400 * 10) {
            break;
        }
    }
    if out.is_empty() {
        return "now".into();
    }
    let span = out.join(" ");
    if secs >= 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// Parses a humantime duration (`90m`, `1h 30m`, `2d`), naming the field on failure.
pub fn parse_duration(field: &str, value: &str) -> Result<std::time::Duration> {
    humantime::parse_duration(value.trim()).map_err(|e| {
        Error::invalid(
            field,
            format!("`{value}` is not a duration ({e})"),
            "write it like 90s, 15m, 1h 30m or 1d",
        )
    })
}

/// Parses an IANA time zone name, suggesting the right spelling for a case mistake.
pub fn parse_timezone(field: &str, name: &str) -> Result<Tz> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    let fix = match chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
    {
        Some(tz) => format!("did you mean {}?", tz.name()),
        None => "use an IANA name such as UTC, Europe/Paris or America/New_York".into(),
    };
    Err(Error::invalid(
        field,
        format!("unknown time zone `{name}`"),
        fix,
    ))
}

fn parse_at(fields: (&str, &str), text: &str, tz: Tz) -> Result<DateTime<Utc>> {
    let (field, tz_field) = fields;
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!("`{text}` is not a date and time"),
                format!("write RFC 3339 with an offset (2026-12-24T18:00:00+01:00) or a local time (2026-12-24T18:00) read in {tz_field}"),
            )
        })?;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(_, _) => Err(Error::invalid(
            field,
            format!(
                "{} happens twice in {} (clocks go back), so it is ambiguous",
                local.format("%Y-%m-%dT%H:%M:%S"),
                tz.name()
            ),
            "pick a time outside the daylight-saving change, or give an RFC 3339 time with an offset",
        )),
        LocalResult::None => Err(Error::invalid(
            field,
            format!(
                "{} does not exist in {} (clocks skip it)",
                local.format("%Y-%m-%dT%H:%M:%S"),
                tz.name()
            ),
            "pick a time outside the daylight-saving change",
        )),
    }
}

fn too_far(field: &str, text: &str) -> Error {
    Error::invalid(
        field,
        format!("`{text}` is more than {MAX_YEARS_AHEAD} years ahead"),
        "give a due time within the next 10 years",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: (&str, &str, &str) = ("--in", "--at", "--timezone");

    fn now() -> DateTime<Utc> {
        "2026-11-29T07:56:52.250Z".parse().unwrap()
    }

    fn at(text: &str, tz: Option<&str>) -> Result<Due> {
        Due::resolve(DueSpec::At(text), tz, now(), F)
    }

    fn inn(text: &str, tz: Option<&str>) -> Result<Due> {
        Due::resolve(DueSpec::In(text), tz, now(), F)
    }

    #[test]
    fn in_one_day_is_utc_rounded_up_to_the_second() {
        let due = inn("1d", None).unwrap();
        assert_eq!(due.expression(), "at(2026-11-30T07:56:53)");
        assert_eq!(due.timezone(), "UTC");
        assert_eq!(due.rfc3339(), "2026-11-30T07:56:53Z");
        assert_eq!(due.relative(), Some(Duration::from_secs(86_400)));
    }

    #[test]
    fn in_accepts_humantime_forms() {
        assert_eq!(
            inn("1h 30m", None).unwrap().expression(),
            "at(2026-11-29T09:26:53)"
        );
        assert_eq!(
            inn("90m", None).unwrap().expression(),
            "at(2026-11-29T09:26:53)"
        );
    }

    #[test]
    fn in_with_timezone_expresses_local_time() {
        let due = inn("1d", Some("Europe/Paris")).unwrap();
        assert_eq!(due.expression(), "at(2026-11-30T08:56:53)");
        assert_eq!(due.timezone(), "Europe/Paris");
        assert_eq!(due.rfc3339(), "2026-11-30T07:56:53Z");
    }

    #[test]
    fn not_in_the_future_is_refused() {
        for bad in ["0s", "0"] {
            let e = inn(bad, None).unwrap_err();
            assert!(e.to_string().contains("not in the future"), "{e}");
            assert!(e.is_invalid());
        }
        assert!(at("2026-11-29T07:56:52Z", None).is_err());
        assert!(at("2026-11-29T07:56:52.999Z", None).is_err());
        assert!(at("2020-01-01T00:00", None).is_err());
    }

    #[test]
    fn less_than_a_minute_ahead_is_refused() {
        // A fraction of a second rounds up to the next second, so --in 1m is a minute or more.
        assert_eq!(inn("1m", None).unwrap().rfc3339(), "2026-11-29T07:57:53Z");
        for bad in ["500ms", "30s", "59s"] {
            let e = inn(bad, None).unwrap_err();
            assert!(e.to_string().contains("one-minute precision"), "{e}");
            assert!(e.is_invalid());
        }
        assert!(at("2026-11-29T07:57:52Z", None).is_err());
        assert!(at("2026-11-29T07:57:53Z", None).is_ok());
    }

    #[test]
    fn the_lead_is_checked_again_before_sending() {
        let due = inn("1m", None).unwrap();
        assert!(due.check_still_ahead(now()).is_ok());
        let later = now() + chrono::Duration::seconds(29);
        assert!(due.check_still_ahead(later).is_ok());
        let too_late = now() + chrono::Duration::seconds(31);
        let e = due.check_still_ahead(too_late).unwrap_err();
        assert!(e.to_string().contains("away by the time"), "{e}");
        let past = now() + chrono::Duration::seconds(120);
        assert!(due.check_still_ahead(past).is_err());
    }

    #[test]
    fn ten_year_horizon() {
        assert!(at("2036-11-29T07:56:52Z", None).is_ok());
        let e = at("2036-11-29T07:56:53Z", None).unwrap_err();
        assert!(e.to_string().contains("10 years"), "{e}");
        assert!(inn("3652d", None).is_ok());
        assert!(inn("3654d", None).is_err());
        assert!(inn("100000000y", None).is_err());
    }

    #[test]
    fn rfc3339_with_offset_is_converted_to_utc() {
        let due = at("2026-12-24T18:00:00+01:00", None).unwrap();
        assert_eq!(due.expression(), "at(2026-12-24T17:00:00)");
        assert_eq!(due.timezone(), "UTC");
        let due = at("2026-12-24T18:00:00.75+01:00", None).unwrap();
        assert_eq!(due.expression(), "at(2026-12-24T17:00:00)");
    }

    #[test]
    fn rfc3339_with_timezone_is_expressed_in_that_zone() {
        let due = at("2026-12-24T17:00:00Z", Some("America/New_York")).unwrap();
        assert_eq!(due.expression(), "at(2026-12-24T12:00:00)");
        assert_eq!(due.timezone(), "America/New_York");
    }

    #[test]
    fn local_time_is_read_in_the_timezone() {
        let due = at("2026-12-24T18:00", Some("Europe/Paris")).unwrap();
        assert_eq!(due.expression(), "at(2026-12-24T18:00:00)");
        assert_eq!(due.rfc3339(), "2026-12-24T17:00:00Z");
        let due = at("2026-12-24 18:00:30", None).unwrap();
        assert_eq!(due.expression(), "at(2026-12-24T18:00:30)");
    }

    #[test]
    fn dst_gap_is_refused() {
        // Europe/Paris skips 02:00–03:00 on 2027-03-28.
        let e = at("2027-03-28T02:30", Some("Europe/Paris")).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        assert!(at("2027-03-28T03:30", Some("Europe/Paris")).is_ok());
        // America/New_York skips 02:00–03:00 on 2027-03-14.
        assert!(at("2027-03-14T02:15", Some("America/New_York")).is_err());
    }

    #[test]
    fn dst_overlap_is_refused() {
        // Europe/Paris repeats 02:00–03:00 on 2027-10-31.
        let e = at("2027-10-31T02:30", Some("Europe/Paris")).unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
        // An instant that lands in the repeated hour cannot be written as at() either.
        let e = at("2027-10-31T00:30:00Z", Some("Europe/Paris")).unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
        assert!(at("2027-10-31T03:30", Some("Europe/Paris")).is_ok());
    }

    #[test]
    fn leap_day_and_year_end() {
        assert_eq!(
            at("2028-02-29T09:00", None).unwrap().expression(),
            "at(2028-02-29T09:00:00)"
        );
        assert!(at("2027-02-29T09:00", None).is_err());
        let due = at("2026-12-31T23:30", Some("Asia/Tokyo")).unwrap();
        assert_eq!(due.rfc3339(), "2026-12-31T14:30:00Z");
        let due = at("2027-01-01T00:30:00+01:00", None).unwrap();
        assert_eq!(due.expression(), "at(2026-12-31T23:30:00)");
    }

    #[test]
    fn bad_text_and_zones() {
        assert!(at("tomorrow", None).is_err());
        assert!(at("2026-13-01T00:00", None).is_err());
        assert!(inn("soon", None).is_err());
        assert!(inn("-1d", None).is_err());
        let e = at("2026-12-24T18:00", Some("Europe/Pari")).unwrap_err();
        assert!(e.to_string().starts_with("invalid --timezone"), "{e}");
        let e = parse_timezone("--timezone", "europe/paris").unwrap_err();
        assert!(e.to_string().contains("did you mean Europe/Paris"), "{e}");
    }

    #[test]
    fn expressions_read_back() {
        let due = Due::from_expression("at(2026-12-24T18:00:00)", Some("Europe/Paris")).unwrap();
        assert_eq!(due.rfc3339(), "2026-12-24T17:00:00Z");
        assert_eq!(due.expression(), "at(2026-12-24T18:00:00)");
        assert!(Due::from_expression("rate(5 minutes)", None).is_none());
        assert!(Due::from_expression("cron(0 12 * * ? *)", None).is_none());
        assert!(Due::from_expression("at(2026-12-24T18:00:00)", Some("Mars/Base")).is_none());
    }

    #[test]
    fn humanized_spans() {
        let n = now();
        let s = |secs: i64| humanize_from(n + chrono::Duration::seconds(secs), n);
        assert_eq!(s(0), "now");
        assert_eq!(s(45), "in 45s");
        assert_eq!(s(-180), "3m ago");
        assert_eq!(s(23 * 3600), "in 23h");
        assert_eq!(s(86_400 + 2 * 3600 + 5), "in 1d 2h");
        assert_eq!(s(3600 + 60 + 1), "in 1h 1m");
    }

    #[test]
    fn instants_become_due_times_and_quiet_hours_move_them() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let t: DateTime<Utc> = "2026-11-30T21:30:00.2Z".parse().unwrap();
        let due = Due::from_instant(t, paris, now(), "time").unwrap();
        assert_eq!(due.rfc3339(), "2026-11-30T21:30:01Z");
        assert_eq!(due.expression(), "at(2026-11-30T22:30:01)");
        assert_eq!(due.relative(), None);
        let quiet = QuietHours::parse("q", "21:00-08:00").unwrap();
        let moved = due.deferred(&quiet);
        assert_eq!(moved.expression(), "at(2026-12-01T08:00:00)");
        assert_eq!(moved.timezone(), "Europe/Paris");
        // Too soon, or a time repeated by a DST change (expressed in UTC instead).
        let e = Due::from_instant(now(), Tz::UTC, now(), "time").unwrap_err();
        assert!(e.to_string().starts_with("invalid time:"), "{e}");
        let repeated: DateTime<Utc> = "2027-10-31T00:30:00Z".parse().unwrap(); // 02:30 CEST
        let due = Due::from_instant(repeated, paris, now(), "time").unwrap();
        assert_eq!(due.timezone(), "UTC");
        assert_eq!(due.expression(), "at(2027-10-31T00:30:00)");
        // A relative due time stays relative when quiet hours leave it alone.
        let noon = inn("1d", None).unwrap();
        let lunch = QuietHours::parse("q", "12:00-13:00").unwrap();
        assert_eq!(noon.clone().deferred(&lunch), noon);
    }
}
