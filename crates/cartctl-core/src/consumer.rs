//! The consumer's pure half: an SQS message body (the EventBridge event envelope the carts rule
//! delivers) read as a cart event, and the due times of its reminder. What an event does to a
//! cart is decided on the cart ledger ([`crate::ledger`]).
//!
//! Ordering. A standard queue keeps no order and retries reorder, so every decision compares
//! the events' own `time`, never their arrival:
//! - an add is recorded on its cart in the ledger only if no later add, removal or checkout
//!   is recorded there (a conditional write), and only then are its reminders placed;
//! - a reminder carries the time of the add that made it (`added_at` in its Input); it
//!   replaces a reminder only when it is newer, so a late add never moves a reminder back;
//! - a removal or a checkout is recorded on the cart (or the customer) at its time, and
//!   deletes the reminders made by adds not later than itself.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use crate::due::{Due, MIN_LEAD, parse_duration, parse_timezone};
use crate::error::{Error, Result};
use crate::event::{CartEventKind, DetailTypes};
use crate::quiet::QuietHours;
use crate::reminder::{MAX_STAGES, ReminderSettings};
use crate::setting;

/// The key of a reminder's Input that holds the time of the add that made it.
pub const ADDED_AT: &str = "added_at";

/// The consumer's settings, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumerSettings {
    /// The source of the shop's cart events.
    pub source: String,
    /// The detail-types of the three kinds.
    pub detail_types: DetailTypes,
    /// The delay of each stage after the add (one for a single reminder), increasing.
    pub remind_after: Vec<Duration>,
    /// Quiet hours, read on the customer's clock.
    pub quiet_hours: Option<QuietHours>,
    /// The customers' time zone when an event's detail names none.
    pub timezone: Tz,
}

impl ConsumerSettings {
    /// Checks the raw values; errors name their keys (see [`crate::setting`]).
    pub fn parse(
        source: &str,
        detail_types: DetailTypes,
        remind_after: &str,
        quiet_hours: Option<&str>,
        timezone: &str,
    ) -> Result<ConsumerSettings> {
        crate::limits::check_source(setting::SOURCE.key, source)?;
        Ok(ConsumerSettings {
            source: source.to_owned(),
            detail_types,
            remind_after: parse_stages(setting::REMIND_AFTER.key, remind_after)?,
            quiet_hours: quiet_hours
                .filter(|q| !q.trim().is_empty())
                .map(|q| QuietHours::parse(setting::QUIET_HOURS.key, q))
                .transpose()?,
            timezone: parse_timezone(setting::TIMEZONE.key, timezone)?,
        })
    }
}

/// Everything the consumer reads from its settings, checked: what the Lambda function resolves
/// once per container from its `CARTCTL_*` variables.
#[derive(Debug, Clone)]
pub struct ConsumerConfig {
    /// What turns events into reminders.
    pub settings: ConsumerSettings,
    /// The reminders' schedule settings.
    pub reminders: ReminderSettings,
    /// The bus reminders go to (`event_bus`).
    pub bus: crate::bus::BusRef,
    /// The cart ledger's table (`ledger_table`).
    pub ledger_table: String,
    /// How long the ledger keeps a cart after its last stage is due (`retention`).
    pub retention: Duration,
    /// A checkout this long after a reminder counts as recovered (`attribution_window`).
    pub attribution_window: Duration,
    /// Where a cart event's consent is recorded: the contact list and topic, once setup made
    /// them (`contact_list`, `mail_topic`), and the detail's key of the address.
    pub consent: Option<ConsentRecording>,
}

/// Where the consumer records the consent a cart event carries (`detail.marketing_consent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecording {
    /// The account's contact list.
    pub contact_list: String,
    /// Its topic of cart reminders.
    pub topic: String,
    /// The detail's key holding the customer's address (`recipient_field`).
    pub recipient_field: String,
}

/// `ledger_table`, which a consumer and a mailer cannot run without (they never act unchecked).
pub fn ledger_table(value: Option<String>) -> Result<String> {
    value.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        Error::invalid(
            setting::LEDGER_TABLE.key,
            "is not set",
            "give the cart ledger's table (cartctl setup makes <prefix>-carts and writes ledger_table)",
        )
    })
}

impl ConsumerConfig {
    /// Resolves every setting the consumer uses with `get` (a setting's value, if set),
    /// else its default. Errors name the setting's key.
    pub fn resolve(get: impl Fn(&setting::Setting) -> Option<String>) -> Result<ConsumerConfig> {
        let value = |s: &setting::Setting| get(s).or_else(|| s.default.map(str::to_owned));
        let have = |s: &setting::Setting| value(s).unwrap_or_default();
        let source = have(&setting::SOURCE);
        let add = have(&setting::DETAIL_TYPE);
        let detail_types = DetailTypes::parse(
            &add,
            &have(&setting::REMOVED_DETAIL_TYPE),
            &have(&setting::CHECKOUT_DETAIL_TYPE),
        )?;
        let settings = ConsumerSettings::parse(
            &source,
            detail_types,
            &have(&setting::REMIND_AFTER),
            value(&setting::QUIET_HOURS).as_deref(),
            &have(&setting::TIMEZONE),
        )?;
        let role_arn = value(&setting::SCHEDULER_ROLE_ARN);
        let dlq_arn = value(&setting::DLQ_ARN);
        let reminders = ReminderSettings::parse(&crate::reminder::RawReminderSettings {
            group: &have(&setting::SCHEDULE_GROUP),
            role_arn: role_arn.as_deref(),
            source: &source,
            detail_type: &add,
            dlq_arn: dlq_arn.as_deref(),
            ..Default::default()
        })?;
        let bus =
            crate::bus::BusRef::parse_target(setting::EVENT_BUS.key, &have(&setting::EVENT_BUS))?;
        let retention = crate::config::parse_duration_or_zero(
            setting::RETENTION.key,
            &have(&setting::RETENTION),
        )?;
        let attribution_window = crate::config::parse_duration_or_zero(
            setting::ATTRIBUTION_WINDOW.key,
            &have(&setting::ATTRIBUTION_WINDOW),
        )?;
        Ok(ConsumerConfig {
            settings,
            reminders,
            bus,
            ledger_table: ledger_table(value(&setting::LEDGER_TABLE))?,
            retention,
            attribution_window,
            consent: value(&setting::CONTACT_LIST)
                .filter(|l| !l.trim().is_empty())
                .map(|contact_list| ConsentRecording {
                    contact_list,
                    topic: have(&setting::MAIL_TOPIC),
                    recipient_field: have(&setting::RECIPIENT_FIELD),
                }),
        })
    }
}

/// Parses `1d` or a comma-separated list of increasing delays (`30m,4h,1d`), 1 to
/// [`MAX_STAGES`] of them, each at least [`MIN_LEAD`].
pub fn parse_stages(field: &str, text: &str) -> Result<Vec<Duration>> {
    let delays = text
        .split(',')
        .map(|d| parse_duration(field, d))
        .collect::<Result<Vec<_>>>()?;
    if delays.len() > MAX_STAGES {
        return Err(Error::invalid(
            field,
            format!(
                "gives {} stages; a reminder has 1 to {MAX_STAGES}",
                delays.len()
            ),
            "give fewer delays, such as 30m,4h,1d",
        ));
    }
    if let Some(short) = delays.iter().find(|d| **d < MIN_LEAD) {
        return Err(Error::invalid(
            field,
            format!(
                "`{}` is shorter than a minute",
                humantime::format_duration(*short)
            ),
            "give delays of a minute or more (Scheduler fires with one-minute precision)",
        ));
    }
    if delays.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error::invalid(
            field,
            format!("`{text}` is not increasing"),
            "give the stages in increasing order, such as 30m,4h,1d",
        ));
    }
    Ok(delays)
}

/// A cart event as the consumer received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    /// Its kind.
    pub kind: CartEventKind,
    /// The EventBridge event id.
    pub id: String,
    /// When the shop says it happened (the envelope's `time`).
    pub time: DateTime<Utc>,
    /// The user.
    pub user: String,
    /// The product (none for a checkout).
    pub product: Option<String>,
    /// The detail's other keys, in their order (an add's travel into the reminder).
    pub detail: Map<String, Value>,
    /// The customer's time zone, from the detail's `timezone`.
    pub timezone: Option<String>,
}

impl Incoming {
    /// Reads an SQS message body: an EventBridge event envelope of the shop's source whose
    /// detail-type is one of the three kinds, rendered for the detail's user and product.
    pub fn parse(body: &str, settings: &ConsumerSettings) -> Result<Incoming> {
        let bad = |problem: String| {
            Error::invalid(
                "message",
                problem,
                "send the consumer EventBridge cart events, as the carts rule delivers them",
            )
        };
        let v: Value = serde_json::from_str(body).map_err(|e| bad(format!("is not JSON ({e})")))?;
        let text = |key: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| bad(format!("has no string `{key}`: not an EventBridge event")))
        };
        let source = text("source")?;
        if source != settings.source {
            return Err(bad(format!(
                "has source `{source}`, not the shop's `{}`",
                settings.source
            )));
        }
        let detail_type = text("detail-type")?;
        let id = text("id")?.to_owned();
        let time = DateTime::parse_from_rfc3339(text("time")?)
            .map_err(|e| bad(format!("has a `time` that is not RFC 3339 ({e})")))?
            .with_timezone(&Utc);
        let Some(Value::Object(detail)) = v.get("detail") else {
            return Err(bad("has no `detail` object".into()));
        };
        if detail.contains_key("scheduled_event") {
            return Err(bad(
                "is a reminder (its detail has `scheduled_event`), not a cart event".into(),
            ));
        }
        let id_of = |key: &str| match detail.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => {
                crate::limits::check_id(&format!("detail.{key}"), s).map(|_| Some(s.clone()))
            }
            Some(other) => Err(bad(format!(
                "has a `detail.{key}` that is not a string: {other}"
            ))),
        };
        let user = id_of("user")?.ok_or_else(|| bad("has no `detail.user`".into()))?;
        let product = id_of("product")?;
        let kind = settings
            .detail_types
            .kind_of(detail_type, &user, product.as_deref())
            .ok_or_else(|| {
                bad(format!(
                    "has detail-type `{detail_type}`, which is not an add, a removal or a checkout{}",
                    if product.is_some() { " of its product" } else { " (or it has no detail.product)" }
                ))
            })?;
        let timezone = detail
            .get("timezone")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut rest = detail.clone();
        rest.remove("user");
        rest.remove("product");
        Ok(Incoming {
            kind,
            id,
            time,
            user,
            product,
            detail: rest,
            timezone,
        })
    }
}

/// The due times of an add's reminder: the event's time plus each stage's delay, moved out of
/// quiet hours on the customer's clock (`zone`), expressed in that zone. Stages already too
/// close to `now` are left out (`None` in their place); a stage moved onto the time of the
/// one before is left out too (the customer would get both at once).
pub fn plan_dues(
    added: DateTime<Utc>,
    settings: &ConsumerSettings,
    zone: Tz,
    now: DateTime<Utc>,
) -> Vec<Option<Due>> {
    let mut last: Option<DateTime<Utc>> = None;
    settings
        .remind_after
        .iter()
        .map(|delay| {
            let at = added + chrono::Duration::from_std(*delay).ok()?;
            let at = match &settings.quiet_hours {
                Some(q) => q.defer(at, zone),
                None => at,
            };
            if last.is_some_and(|l| at <= l) {
                return None;
            }
            last = Some(at);
            Due::from_instant(at, zone, now, "due").ok()
        })
        .collect()
}

/// The zone of a customer: the detail's `timezone` if it is a known IANA name, else
/// `default`. The error says why a given one was not used.
pub fn customer_zone(given: Option<&str>, default: Tz) -> (Tz, Option<Error>) {
    match given {
        None => (default, None),
        Some(name) => match parse_timezone("detail.timezone", name) {
            Ok(tz) => (tz, None),
            Err(e) => (default, Some(e)),
        },
    }
}

/// The add time a reminder's Input carries, if it has one.
pub fn added_at(input: &str) -> Option<DateTime<Utc>> {
    let v: Value = serde_json::from_str(input).ok()?;
    let t = v.get(ADDED_AT)?.as_str()?;
    Some(DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc))
}

/// Whether a reminder with the Input `ours` supersedes a stored one with the Input `theirs`:
/// it was made by a later add (a stored reminder without an add time is an older one's). A
/// late add never moves a reminder back.
pub fn supersedes(ours: &str, theirs: &str) -> bool {
    added_at(ours) > added_at(theirs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reminder_supersedes_one_made_by_an_earlier_add_or_by_none() {
        let at = |t: &str| json!({"user": "u", "product": "p", "added_at": t}).to_string();
        let (early, late) = (at("2030-01-01T10:00:00Z"), at("2030-01-01T11:00:00Z"));
        assert!(supersedes(&late, &early));
        assert!(!supersedes(&early, &late));
        assert!(!supersedes(&late, &late));
        assert!(supersedes(&early, r#"{"user": "u", "product": "p"}"#));
        assert!(!supersedes(r#"{"user": "u"}"#, &early));
    }

    fn settings(remind_after: &str, quiet: Option<&str>) -> ConsumerSettings {
        ConsumerSettings::parse(
            "putToCartService",
            DetailTypes::default(),
            remind_after,
            quiet,
            "UTC",
        )
        .unwrap()
    }

    fn envelope(detail_type: &str, detail: Value) -> String {
        json!({"version": "0", "id": "e-1", "detail-type": detail_type,
               "source": "putToCartService", "account": "123456789012",
               "time": "2026-11-29T10:00:00Z", "region": "us-east-1", "resources": [],
               "detail": detail})
        .to_string()
    }

    fn utc(t: &str) -> DateTime<Utc> {
        t.parse().unwrap()
    }

    #[test]
    fn the_three_kinds_are_read_from_their_envelopes() {
        let s = settings("1d", None);
        let add = Incoming::parse(
            &envelope(
                "item sku-1 added to Cart",
                json!({"user": "alice", "product": "sku-1", "email": "a@example.com", "timezone": "Europe/Paris"}),
            ),
            &s,
        )
        .unwrap();
        assert_eq!(add.kind, CartEventKind::Add);
        assert_eq!(add.time, utc("2026-11-29T10:00:00Z"));
        assert_eq!(add.product.as_deref(), Some("sku-1"));
        assert_eq!(add.timezone.as_deref(), Some("Europe/Paris"));
        let mut keys: Vec<_> = add.detail.keys().collect();
        keys.sort();
        assert_eq!(keys, ["email", "timezone"]);
        let rm = Incoming::parse(
            &envelope(
                "item sku-1 removed from Cart",
                json!({"user": "alice", "product": "sku-1"}),
            ),
            &s,
        )
        .unwrap();
        assert_eq!(rm.kind, CartEventKind::Remove);
        let out =
            Incoming::parse(&envelope("cart checked out", json!({"user": "alice"})), &s).unwrap();
        assert_eq!((out.kind, out.product), (CartEventKind::Checkout, None));
    }

    #[test]
    fn what_is_not_a_cart_event_is_refused_with_the_reason() {
        let s = settings("1d", None);
        let cases = [
            ("not json".to_owned(), "is not JSON"),
            (json!({"hello": 1}).to_string(), "no string `source`"),
            (
                envelope(
                    "item sku-1 added to Cart",
                    json!({"user": "a", "product": "sku-1", "scheduled_event": "true"}),
                ),
                "is a reminder",
            ),
            (
                envelope(
                    "item sku-2 added to Cart",
                    json!({"user": "a", "product": "sku-1"}),
                ),
                "not an add",
            ),
            (
                envelope("item sku-1 added to Cart", json!({"product": "sku-1"})),
                "no `detail.user`",
            ),
            (
                envelope(
                    "item sku-1 added to Cart",
                    json!({"user": 7, "product": "sku-1"}),
                ),
                "not a string",
            ),
            (
                envelope("cart checked out", json!({"user": "a", "product": "p"})),
                "not an add",
            ),
        ];
        for (body, want) in cases {
            let e = Incoming::parse(&body, &s).unwrap_err();
            assert!(e.is_invalid());
            assert!(e.to_string().starts_with("invalid message:"), "{e}");
            assert!(e.to_string().contains(want), "{want}: {e}");
        }
        let other = envelope(
            "item sku-1 added to Cart",
            json!({"user": "a", "product": "sku-1"}),
        )
        .replace("putToCartService", "someoneElse");
        let e = Incoming::parse(&other, &s).unwrap_err();
        assert!(e.to_string().contains("not the shop's"), "{e}");
    }

    #[test]
    fn stages_are_checked() {
        assert_eq!(
            parse_stages("remind_after", "30m, 4h,1d").unwrap(),
            [
                Duration::from_secs(1800),
                Duration::from_secs(14_400),
                Duration::from_secs(86_400)
            ]
        );
        for (bad, want) in [
            ("1d,4h", "not increasing"),
            ("30s", "shorter than a minute"),
            ("soon", "not a duration"),
        ] {
            let e = parse_stages("remind_after", bad).unwrap_err();
            assert!(e.to_string().starts_with("invalid remind_after:"), "{e}");
            assert!(e.to_string().contains(want), "{e}");
        }
        let many: Vec<String> = (1..=11).map(|i| format!("{i}h")).collect();
        assert!(parse_stages("remind_after", &many.join(",")).is_err());
    }

    #[test]
    fn dues_count_from_the_event_time_and_respect_quiet_hours() {
        let now = utc("2026-11-29T10:05:00Z");
        let added = utc("2026-11-29T10:00:00Z");
        let s = settings("1d", None);
        let dues = plan_dues(added, &s, Tz::UTC, now);
        assert_eq!(dues[0].as_ref().unwrap().rfc3339(), "2026-11-30T10:00:00Z");
        // 12h later is 22:00 UTC: inside 21:00-08:00, moved to 08:00 — in Paris, 07:00 UTC.
        let s = settings("12h", Some("21:00-08:00"));
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let due = plan_dues(added, &s, paris, now)[0].clone().unwrap();
        assert_eq!(due.rfc3339(), "2026-11-30T07:00:00Z");
        assert_eq!(due.expression(), "at(2026-11-30T08:00:00)");
        assert_eq!(due.timezone(), "Europe/Paris");
        // Stages: a past one is left out; two moved onto the same morning become one.
        let s = settings("1m,11h,12h,1d", Some("21:00-08:00"));
        let dues = plan_dues(added, &s, Tz::UTC, now);
        let shown: Vec<_> = dues
            .iter()
            .map(|d| d.as_ref().map(|d| d.rfc3339()))
            .collect();
        assert_eq!(
            shown,
            [
                None,
                Some("2026-11-30T08:00:00Z".into()),
                None,
                Some("2026-11-30T10:00:00Z".into())
            ]
        );
        // An add so old that every due time has passed plans nothing.
        let old = utc("2026-11-20T10:00:00Z");
        assert!(
            plan_dues(old, &settings("1d", None), Tz::UTC, now)
                .iter()
                .all(Option::is_none)
        );
    }

    #[test]
    fn a_customer_zone_falls_back_with_the_reason() {
        let (z, e) = customer_zone(Some("Europe/Paris"), Tz::UTC);
        assert_eq!((z.name(), e.is_none()), ("Europe/Paris", true));
        let (z, e) = customer_zone(Some("Mars/Olympus"), Tz::UTC);
        assert_eq!(z, Tz::UTC);
        assert!(e.unwrap().to_string().contains("detail.timezone"));
    }

    #[test]
    fn the_add_time_is_read_back_from_a_reminder() {
        let input = r#"{"scheduled_event":"true","user":"u","product":"p","added_at":"2026-11-29T10:00:00Z"}"#;
        assert_eq!(added_at(input), Some(utc("2026-11-29T10:00:00Z")));
        assert_eq!(added_at(r#"{"scheduled_event":"true"}"#), None);
    }

    #[test]
    fn the_configuration_resolves_from_settings_with_defaults_and_names_keys() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |s: &setting::Setting| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == s.key)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let role = "arn:aws:iam::123456789012:role/r";
        let c = ConsumerConfig::resolve(env(&[
            ("scheduler_role_arn", "arn:aws:iam::123456789012:role/r"),
            ("event_bus", "shop"),
            ("remind_after", "30m,1d"),
            ("quiet_hours", "21:00-08:00"),
            ("ledger_table", "shop-carts"),
        ]))
        .unwrap();
        assert_eq!(c.ledger_table, "shop-carts");
        assert_eq!(c.retention, Duration::from_secs(30 * 86_400));
        let no_ledger = ConsumerConfig::resolve(env(&[(
            "scheduler_role_arn",
            "arn:aws:iam::123456789012:role/r",
        )]))
        .unwrap_err();
        assert!(
            no_ledger
                .to_string()
                .starts_with("invalid ledger_table: is not set"),
            "{no_ledger}"
        );
        assert_eq!(c.reminders.role_arn, role);
        assert_eq!(c.reminders.group, "default");
        assert_eq!(c.settings.remind_after.len(), 2);
        assert!(c.settings.quiet_hours.is_some());
        assert_eq!(c.settings.timezone, chrono_tz::Tz::UTC);
        let missing = ConsumerConfig::resolve(env(&[("event_bus", "shop")])).unwrap_err();
        assert!(
            missing.to_string().contains("scheduler_role_arn"),
            "{missing}"
        );
        let bad = ConsumerConfig::resolve(env(&[
            ("scheduler_role_arn", "arn:aws:iam::123456789012:role/r"),
            ("remind_after", "soon"),
            ("ledger_table", "t"),
        ]))
        .unwrap_err();
        assert!(bad.to_string().contains("remind_after"), "{bad}");
    }
}
