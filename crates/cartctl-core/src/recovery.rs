//! Does it pay: which checkouts the reminders recovered, the holdout group that measures the
//! uplift honestly, and the report's arithmetic. Pure: the consumer and the mailer read the
//! ledger and ask these; `cartctl report` tallies the ledger's items with [`Tally`].
//!
//! - **Holdout.** A customer is in the holdout group when a keyed SHA-256 of their user id
//!   falls in the first `holdout_percent` of the hash's range ([`is_held_out`]): the same
//!   customer always in the same group, the share exact up to sampling error, and the groups
//!   unpredictable without the key (the ledger table's name: one deployment's). Their reminders
//!   are scheduled and fired as anyone's; the mailer records them `held_out` instead of
//!   sending.
//! - **Attribution.** A checkout is `recovered` when the customer was e-mailed (or, held out,
//!   would have been) within the attribution window before it; else `converted_unreminded`
//!   ([`attribute`]). The order's value comes from the checkout's `detail.value` and
//!   `detail.currency` when they are well-formed ([`order_value`]).
//! - **Uplift.** The recovery rate of the e-mailed customers less the held-out customers',
//!   with a 95 % Wald interval for a difference of two proportions ([`uplift`]).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::ledger::{Attr, CART_PREFIX, CLAIM_PREFIX, CUSTOMER, Item, ORDER_PREFIX, PK, SK};
use serde::Serialize;
use serde_json::{Map, Value};

/// How long after a reminder a checkout counts as recovered by default (`attribution_window`).
pub const DEFAULT_ATTRIBUTION_WINDOW: Duration = Duration::from_secs(7 * 86_400);

/// What a checkout was, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The customer was e-mailed a reminder within the window before it.
    Recovered,
    /// The customer was held out from a reminder within the window before it.
    RecoveredHeldOut,
    /// No reminder (sent or held out) within the window before it.
    ConvertedUnreminded,
}

impl Outcome {
    /// The ledger's and the output's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Recovered => "recovered",
            Outcome::RecoveredHeldOut => "recovered_held_out",
            Outcome::ConvertedUnreminded => "converted_unreminded",
        }
    }

    /// From the ledger's word.
    pub fn parse(word: &str) -> Option<Outcome> {
        [
            Outcome::Recovered,
            Outcome::RecoveredHeldOut,
            Outcome::ConvertedUnreminded,
        ]
        .into_iter()
        .find(|o| o.as_str() == word)
    }
}

/// The last reminder the customer got (or, held out, would have got): when, its stage, and
/// whether it was held out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastReminder {
    /// When it was claimed.
    pub at: DateTime<Utc>,
    /// Its stage (1 for a single reminder).
    pub stage: u32,
    /// The customer is in the holdout group: no e-mail was sent.
    pub held_out: bool,
}

/// A checkout at `checkout`, given the customer's last reminder: recovered (with the stage
/// that went last) when that reminder came within `window` before it, else unreminded.
pub fn attribute(
    last: Option<LastReminder>,
    checkout: DateTime<Utc>,
    window: Duration,
) -> (Outcome, Option<u32>) {
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    match last {
        Some(r) if r.at <= checkout && checkout - r.at <= window => {
            let outcome = if r.held_out {
                Outcome::RecoveredHeldOut
            } else {
                Outcome::Recovered
            };
            (outcome, Some(r.stage))
        }
        _ => (Outcome::ConvertedUnreminded, None),
    }
}

/// An order's value, as the checkout's detail gives it: a decimal (`"49.90"` or `49.9`) and
/// the currency (three letters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderValue {
    /// The amount in hundredths of the currency's unit (cents), so sums are exact.
    pub cents: i64,
    /// The ISO 4217 code, upper case, if the detail named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// The value a checkout's `detail` carries: `Ok(None)` when it carries none; `Err(note)` when
/// `value` is not a decimal (or `currency` not three letters), which is noted, not trusted.
pub fn order_value(detail: &Map<String, Value>) -> Result<Option<OrderValue>, String> {
    let Some(value) = detail.get("value") else {
        return Ok(None);
    };
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        other => {
            return Err(format!(
                "detail.value {other} is not a decimal: not counted"
            ));
        }
    };
    let cents = cents_of(&text)
        .ok_or_else(|| format!("detail.value `{text}` is not a decimal: not counted"))?;
    let currency = match detail.get("currency") {
        None => None,
        Some(Value::String(c)) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(other) => {
            return Err(format!(
                "detail.currency {other} is not a three-letter code: the value is not counted"
            ));
        }
    };
    Ok(Some(OrderValue { cents, currency }))
}

/// `49.90` → 4990: a non-negative decimal with at most two places (more are refused rather
/// than rounded, and so is an exponent).
fn cents_of(text: &str) -> Option<i64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || digits(frac)) || frac.len() > 2 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// Whether `user` is in the holdout group of `percent` (0 to 100) under `key`.
pub fn is_held_out(key: &str, user: &str, percent: f64) -> bool {
    if percent <= 0.0 {
        return false;
    }
    // The hash's first 64 bits, uniform on [0, 2^64): below the share's threshold is held out.
    let threshold = (percent / 100.0 * 18_446_744_073_709_551_616.0) as u128;
    u128::from(holdout_score(key, user)) < threshold
}

/// The keyed hash deciding the group: SHA-256 of the key, a zero byte and the user id.
fn holdout_score(key: &str, user: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update([0u8]);
    h.update(user.as_bytes());
    let d = h.finalize();
    u64::from_be_bytes(d[..8].try_into().expect("eight bytes"))
}

/// `holdout_percent`: a share from 0 to 100 (decimals allowed).
pub fn parse_percent(field: &str, text: &str) -> crate::error::Result<f64> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(crate::error::Error::invalid(
            field,
            format!("`{text}` is not a percentage from 0 to 100"),
            "give a share such as 10 (a tenth of the customers get no e-mail)",
        )),
    }
}

/// A difference of two proportions, with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Uplift {
    /// The e-mailed group's rate less the held-out group's.
    pub difference: f64,
    /// The interval's lower end.
    pub low: f64,
    /// The interval's upper end.
    pub high: f64,
    /// Whether the interval leaves out zero.
    pub significant: bool,
}

/// The uplift of `hits_a` in `n_a` over `hits_b` in `n_b`, with the Wald interval
/// `d ± 1.96·√(pa(1−pa)/na + pb(1−pb)/nb)` (clipped to [-1, 1]); `None` when a group is empty.
pub fn uplift(hits_a: u64, n_a: u64, hits_b: u64, n_b: u64) -> Option<Uplift> {
    if n_a == 0 || n_b == 0 {
        return None;
    }
    let (pa, pb) = (hits_a as f64 / n_a as f64, hits_b as f64 / n_b as f64);
    let se = (pa * (1.0 - pa) / n_a as f64 + pb * (1.0 - pb) / n_b as f64).sqrt();
    let d = pa - pb;
    // A difference of proportions lies in [-1, 1]; so does its interval.
    let half = 1.959_963_984_540_054 * se;
    let (low, high) = ((d - half).max(-1.0), (d + half).min(1.0));
    Some(Uplift {
        difference: d,
        low,
        high,
        significant: low > 0.0 || high < 0.0,
    })
}

/// The report's counts, tallied item by item from a read of the whole ledger (memory bounded
/// by the number of reminded carts, a 64-bit hash each, not by the items read).
#[derive(Debug, Clone)]
pub struct Tally {
    since: i64,
    carts: u64,
    reminded: HashSet<u64>,
    emails: BTreeMap<u32, u64>,
    held_out: u64,
    customers_emailed: u64,
    customers_held_out: u64,
    outcomes: BTreeMap<&'static str, u64>,
    recovered_by_stage: BTreeMap<u32, u64>,
    recovered_by_day: BTreeMap<String, u64>,
    value: BTreeMap<String, i64>,
    /// Items read.
    pub items: u64,
}

fn number(item: &Item, name: &str) -> Option<i64> {
    match item.get(name) {
        Some(Attr::N(n)) => Some(*n),
        _ => None,
    }
}

fn word<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    match item.get(name) {
        Some(Attr::S(s)) => Some(s),
        _ => None,
    }
}

impl Tally {
    /// A tally of what happened since `since`.
    pub fn new(since: DateTime<Utc>) -> Tally {
        Tally {
            since: since.timestamp(),
            carts: 0,
            reminded: HashSet::new(),
            emails: BTreeMap::new(),
            held_out: 0,
            customers_emailed: 0,
            customers_held_out: 0,
            outcomes: BTreeMap::new(),
            recovered_by_stage: BTreeMap::new(),
            recovered_by_day: BTreeMap::new(),
            value: BTreeMap::new(),
            items: 0,
        }
    }

    /// Counts one item of the ledger (the attributes [`REPORT_ATTRIBUTES`] names).
    pub fn add(&mut self, item: &Item) {
        self.items += 1;
        let (Some(pk), Some(sk)) = (word(item, PK), word(item, SK)) else {
            return;
        };
        let recent = |name: &str| number(item, name).is_some_and(|t| t >= self.since);
        if sk.starts_with(CART_PREFIX) {
            self.carts += u64::from(recent("added_at"));
        } else if let Some(rest) = sk.strip_prefix(CLAIM_PREFIX) {
            if !recent("claimed_at") {
                return;
            }
            let mut parts = rest.split('#');
            let product = parts.next().unwrap_or_default();
            let stage = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
            self.reminded.insert(cart_hash(pk, product));
            match word(item, "state") {
                Some("sent") => *self.emails.entry(stage).or_default() += 1,
                Some("held_out") => self.held_out += 1,
                _ => {}
            }
        } else if sk == CUSTOMER && recent("last_mail_at") {
            if number(item, "last_mail_held") == Some(1) {
                self.customers_held_out += 1;
            } else {
                self.customers_emailed += 1;
            }
        } else if sk.starts_with(ORDER_PREFIX) && recent("checkout_at") {
            let Some(outcome) = word(item, "outcome").and_then(Outcome::parse) else {
                return;
            };
            *self.outcomes.entry(outcome.as_str()).or_default() += 1;
            if outcome == Outcome::Recovered {
                let stage = number(item, "stage").and_then(|s| u32::try_from(s).ok());
                *self
                    .recovered_by_stage
                    .entry(stage.unwrap_or(1))
                    .or_default() += 1;
                let at = number(item, "checkout_at").and_then(|t| DateTime::from_timestamp(t, 0));
                if let Some(at) = at {
                    let day = at.format("%Y-%m-%d").to_string();
                    *self.recovered_by_day.entry(day).or_default() += 1;
                }
                if let Some(cents) = number(item, "value_cents") {
                    let currency = word(item, "currency").unwrap_or_default().to_owned();
                    *self.value.entry(currency).or_default() += cents;
                }
            }
        }
    }

    /// The report of what was counted.
    pub fn report(&self) -> Report {
        let count = |o: Outcome| self.outcomes.get(o.as_str()).copied().unwrap_or_default();
        let (recovered, held) = (count(Outcome::Recovered), count(Outcome::RecoveredHeldOut));
        let rate = |hits: u64, n: u64| (n > 0).then(|| hits as f64 / n as f64);
        let by_stage = self
            .emails
            .iter()
            .map(|(&stage, &emails)| {
                let rec = self
                    .recovered_by_stage
                    .get(&stage)
                    .copied()
                    .unwrap_or_default();
                StageLine {
                    stage,
                    emails,
                    recovered: rec,
                    rate: rate(rec, emails),
                }
            })
            .collect();
        let up = uplift(
            recovered,
            self.customers_emailed,
            held,
            self.customers_held_out,
        );
        Report {
            since: crate::due::format_utc(
                DateTime::from_timestamp(self.since, 0).unwrap_or_default(),
            ),
            carts: self.carts,
            carts_reminded: self.reminded.len() as u64,
            emails: self.emails.values().sum(),
            held_out: self.held_out,
            checkouts: self.outcomes.values().sum(),
            recovered,
            recovered_held_out: held,
            converted_unreminded: count(Outcome::ConvertedUnreminded),
            recovered_value: self
                .value
                .iter()
                .map(|(c, cents)| Amount {
                    currency: c.clone(),
                    amount: format!("{}.{:02}", cents / 100, cents % 100),
                })
                .collect(),
            customers_emailed: self.customers_emailed,
            customers_held_out: self.customers_held_out,
            recovery_rate: rate(recovered, self.customers_emailed),
            held_out_recovery_rate: rate(held, self.customers_held_out),
            by_stage,
            by_day: self
                .recovered_by_day
                .iter()
                .map(|(d, n)| DayLine {
                    day: d.clone(),
                    recovered: *n,
                })
                .collect(),
            verdict: verdict(up, self.customers_emailed, self.customers_held_out),
            uplift: up,
        }
    }
}

/// The attributes a report reads of each item.
pub const REPORT_ATTRIBUTES: &[&str] = &[
    PK,
    SK,
    "added_at",
    "claimed_at",
    "state",
    "last_mail_at",
    "last_mail_held",
    "checkout_at",
    "outcome",
    "stage",
    "value_cents",
    "currency",
];

fn cart_hash(pk: &str, product: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (pk, product).hash(&mut h);
    h.finish()
}

/// The plain sentence under the numbers.
fn verdict(up: Option<Uplift>, emailed: u64, held: u64) -> String {
    let pct = |x: f64| format!("{:+.1}", x * 100.0);
    match up {
        None if held == 0 => "no holdout group yet (--holdout): the recoveries are attributed, the uplift cannot be measured".into(),
        None => "no customer was e-mailed yet: nothing to compare".into(),
        Some(u) if u.significant => format!(
            "reminders changed recovery by {} points (95 % CI {} to {}; {emailed} e-mailed, {held} held out)",
            pct(u.difference), pct(u.low), pct(u.high)
        ),
        Some(u) => format!(
            "the difference ({} points) is not significant yet: the 95 % CI {} to {} includes zero ({emailed} e-mailed, {held} held out)",
            pct(u.difference), pct(u.low), pct(u.high)
        ),
    }
}

/// `cartctl report`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// What it counts from (RFC 3339).
    pub since: String,
    /// Carts added.
    pub carts: u64,
    /// Carts with a reminder that fired (e-mailed or held out).
    pub carts_reminded: u64,
    /// Reminder e-mails sent.
    pub emails: u64,
    /// Reminders held out.
    pub held_out: u64,
    /// Checkouts.
    pub checkouts: u64,
    /// Checkouts after a reminder e-mail, within the window.
    pub recovered: u64,
    /// Checkouts after a held-out reminder, within the window.
    pub recovered_held_out: u64,
    /// Checkouts with no reminder before them.
    pub converted_unreminded: u64,
    /// The recovered orders' value, by currency (`""`: none given).
    pub recovered_value: Vec<Amount>,
    /// Customers e-mailed.
    pub customers_emailed: u64,
    /// Customers held out.
    pub customers_held_out: u64,
    /// Recovered checkouts per customer e-mailed.
    pub recovery_rate: Option<f64>,
    /// Recovered checkouts per customer held out.
    pub held_out_recovery_rate: Option<f64>,
    /// E-mails and recoveries by stage.
    pub by_stage: Vec<StageLine>,
    /// Recoveries by day (UTC).
    pub by_day: Vec<DayLine>,
    /// The e-mailed rate less the held-out rate, with its interval.
    pub uplift: Option<Uplift>,
    /// What the numbers say, in a sentence.
    pub verdict: String,
}

/// An amount of a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// ISO 4217, or empty.
    pub currency: String,
    /// A decimal with two places.
    pub amount: String,
}

/// One stage's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageLine {
    /// The stage.
    pub stage: u32,
    /// E-mails sent at it.
    pub emails: u64,
    /// Checkouts it recovered (it went last).
    pub recovered: u64,
    /// Recovered per e-mail.
    pub rate: Option<f64>,
}

/// One day's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayLine {
    /// The day (UTC).
    pub day: String,
    /// Checkouts recovered that day.
    pub recovered: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_600_000 + s, 0).unwrap()
    }

    #[test]
    fn a_checkout_is_recovered_only_inside_the_window_after_a_reminder() {
        let week = Duration::from_secs(7 * 86_400);
        let mailed = |at, held_out| {
            Some(LastReminder {
                at: t(at),
                stage: 2,
                held_out,
            })
        };
        assert_eq!(
            attribute(mailed(0, false), t(3600), week),
            (Outcome::Recovered, Some(2))
        );
        assert_eq!(
            attribute(mailed(0, true), t(3600), week),
            (Outcome::RecoveredHeldOut, Some(2))
        );
        // Outside the window, before the reminder, or never reminded: not recovered.
        for last in [mailed(0, false), None] {
            assert_eq!(
                attribute(last, t(8 * 86_400), week).0,
                Outcome::ConvertedUnreminded
            );
        }
        assert_eq!(
            attribute(mailed(100, false), t(50), week).0,
            Outcome::ConvertedUnreminded
        );
        // The window's end is inside it.
        assert_eq!(
            attribute(mailed(0, false), t(7 * 86_400), week).0,
            Outcome::Recovered
        );
    }

    #[test]
    fn an_order_value_is_a_decimal_or_it_is_noted_and_not_counted() {
        let v = |d: Value| order_value(d.as_object().unwrap());
        assert_eq!(v(json!({})), Ok(None));
        assert_eq!(
            v(json!({"value": "49.90", "currency": "eur"})),
            Ok(Some(OrderValue {
                cents: 4990,
                currency: Some("EUR".into())
            }))
        );
        assert_eq!(v(json!({"value": 12.5})).unwrap().unwrap().cents, 1250);
        assert_eq!(v(json!({"value": 7})).unwrap().unwrap().cents, 700);
        for bad in [
            json!({"value": "12,50"}),
            json!({"value": "-3"}),
            json!({"value": "1e3"}),
            json!({"value": "0.125"}),
            json!({"value": true}),
            json!({"value": "ten"}),
            json!({"value": "10", "currency": "euro"}),
        ] {
            let e = v(bad.clone()).unwrap_err();
            assert!(e.contains("detail."), "{bad}: {e}");
        }
    }

    #[test]
    fn the_holdout_is_stable_keyed_and_exact_within_sampling_error_over_100000_ids() {
        let n = 100_000u32;
        for percent in [10.0, 50.0, 2.5] {
            let held = (0..n)
                .filter(|i| is_held_out("shop-carts", &format!("user-{i}"), percent))
                .count() as f64;
            let p = percent / 100.0;
            let expected = p * f64::from(n);
            let sd = (f64::from(n) * p * (1.0 - p)).sqrt();
            assert!(
                (held - expected).abs() < 4.0 * sd,
                "{percent} %: {held} held out, {expected} ± {sd} expected"
            );
        }
        // The same customer is always in the same group; none at 0 %, all at 100 %.
        let groups = |key: &str| -> Vec<bool> {
            (0..200)
                .map(|i| is_held_out(key, &format!("u{i}"), 30.0))
                .collect()
        };
        assert_eq!(groups("k"), groups("k"));
        // Another key draws other groups.
        assert_ne!(groups("k"), groups("other"));
        assert!((0..1000).all(|i| !is_held_out("k", &format!("u{i}"), 0.0)));
        assert!((0..1000).all(|i| is_held_out("k", &format!("u{i}"), 100.0)));
    }

    #[test]
    fn a_tally_counts_each_kind_of_item_since_its_start() {
        let item = |pairs: &[(&str, Attr)]| -> Item {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect()
        };
        let s = |v: &str| Attr::S(v.into());
        let n = |v: i64| Attr::N(v);
        let since = t(0);
        let mut tally = Tally::new(since);
        let now = since.timestamp() + 100;
        for it in [
            item(&[(PK, s("C#a")), (SK, s("CART#p1")), ("added_at", n(now))]),
            item(&[(PK, s("C#a")), (SK, s("CART#p2")), ("added_at", n(now))]),
            item(&[
                (PK, s("C#a")),
                (SK, s("CART#old")),
                ("added_at", n(now - 1000)),
            ]),
            item(&[
                (PK, s("C#a")),
                (SK, s("MAIL#p1#1#9")),
                ("claimed_at", n(now)),
                ("state", s("sent")),
            ]),
            item(&[
                (PK, s("C#a")),
                (SK, s("MAIL#p1#2#9")),
                ("claimed_at", n(now)),
                ("state", s("sent")),
            ]),
            item(&[
                (PK, s("C#b")),
                (SK, s("MAIL#p1#1#9")),
                ("claimed_at", n(now)),
                ("state", s("held_out")),
            ]),
            item(&[
                (PK, s("C#a")),
                (SK, s("CUSTOMER")),
                ("last_mail_at", n(now)),
                ("last_mail_held", n(0)),
            ]),
            item(&[
                (PK, s("C#b")),
                (SK, s("CUSTOMER")),
                ("last_mail_at", n(now)),
                ("last_mail_held", n(1)),
            ]),
            item(&[
                (PK, s("C#a")),
                (SK, s("ORDER#1")),
                ("checkout_at", n(now)),
                ("outcome", s("recovered")),
                ("stage", n(2)),
                ("value_cents", n(4990)),
                ("currency", s("EUR")),
            ]),
            item(&[
                (PK, s("C#c")),
                (SK, s("ORDER#1")),
                ("checkout_at", n(now)),
                ("outcome", s("converted_unreminded")),
            ]),
        ] {
            tally.add(&it);
        }
        let r = tally.report();
        assert_eq!(
            (r.carts, r.carts_reminded, r.emails, r.held_out),
            (2, 2, 2, 1)
        );
        assert_eq!(
            (r.checkouts, r.recovered, r.converted_unreminded),
            (2, 1, 1)
        );
        assert_eq!((r.customers_emailed, r.customers_held_out), (1, 1));
        assert_eq!(
            r.recovered_value,
            vec![Amount {
                currency: "EUR".into(),
                amount: "49.90".into()
            }]
        );
        assert_eq!(
            r.by_stage[1],
            StageLine {
                stage: 2,
                emails: 1,
                recovered: 1,
                rate: Some(1.0)
            }
        );
        assert_eq!(r.recovery_rate, Some(1.0));
        assert_eq!(tally.items, 10);
    }

    #[test]
    fn percentages_outside_0_to_100_are_refused() {
        assert_eq!(parse_percent("--holdout", "12.5").unwrap(), 12.5);
        for bad in ["-1", "101", "ten", ""] {
            assert!(parse_percent("--holdout", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_uplift_interval_matches_the_textbook_wald_interval() {
        // Newcombe (1998), "Interval estimation for the difference between independent
        // proportions", Statistics in Medicine 17, example (a): 56/70 − 48/80, Wald method:
        // 0.2000 (0.0575, 0.3425).
        let u = uplift(56, 70, 48, 80).unwrap();
        assert!((u.difference - 0.2).abs() < 1e-9, "{u:?}");
        assert!((u.low - 0.0575).abs() < 5e-5, "{u:?}");
        assert!((u.high - 0.3425).abs() < 5e-5, "{u:?}");
        assert!(u.significant);
        // Example (b): 9/10 − 3/10, Wald 0.6000 (0.2605, 0.9395).
        let u = uplift(9, 10, 3, 10).unwrap();
        assert!(
            (u.low - 0.2605).abs() < 5e-5 && (u.high - 0.9395).abs() < 5e-5,
            "{u:?}"
        );
        // A difference within the noise is not significant; an empty group has no interval.
        assert!(!uplift(11, 100, 10, 100).unwrap().significant);
        assert_eq!(uplift(1, 0, 1, 10), None);
    }
}
