//! Unit tests of the reminder core: names, inputs, settings, requests and comparisons.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::*;
use crate::due::{Due, DueSpec};
use crate::limits;
use crate::shapes::{ActionAfterCompletion, RetryPolicy};

const ROLE: &str = "arn:aws:iam::123456789012:role/cart-reminder";
const BUS: &str = "arn:aws:events:us-east-1:123456789012:event-bus/default";

fn now() -> DateTime<Utc> {
    "2026-11-29T07:56:52Z".parse().unwrap()
}

fn raw() -> RawReminderSettings<'static> {
    RawReminderSettings {
        group: "default",
        role_arn: Some(ROLE),
        source: DEFAULT_SOURCE,
        detail_type: DEFAULT_DETAIL_TYPE,
        ..Default::default()
    }
}

fn reminder(
    user: &str,
    product: &str,
    spec: DueSpec<'_>,
    raw: &RawReminderSettings<'_>,
) -> Reminder {
    let cart = Cart::new(user, product, ("--user", "--product")).unwrap();
    let due = Due::resolve(spec, None, now(), ("--in", "--at", "--timezone")).unwrap();
    let settings = ReminderSettings::parse(raw).unwrap();
    Reminder::new(cart, due, None, &settings, BUS).unwrap()
}

fn stored_from(r: &Reminder, modified: DateTime<Utc>) -> StoredSchedule {
    StoredSchedule {
        arn: "arn".into(),
        name: r.name().into(),
        group: "default".into(),
        definition: r.request.definition.clone(),
        last_modified: Some(modified),
        extra_fields: vec![],
    }
}

#[test]
fn name_is_two_short_hashes() {
    let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
    let name = ReminderName::for_cart(&cart);
    // sha256("alice") = 2bd806c97f0e…, sha256("sku-1") = 57156ade504c…
    assert_eq!(name.as_str(), "cart-2bd806c97f0e-57156ade504c");
    assert!(ReminderName::is_derived(name.as_str()));
    assert!(limits::check_name("name", name.as_str()).is_ok());
    assert!(
        name.as_str()
            .starts_with(&ReminderName::user_prefix("alice"))
    );
    assert!(!name.as_str().contains("alice"));
}

#[test]
fn derived_names_are_recognised() {
    assert!(ReminderName::is_derived("cart-0123456789ab-0123456789ab"));
    assert!(!ReminderName::is_derived("cart-0123456789ab-0123456789a"));
    assert!(!ReminderName::is_derived("cart-0123456789AB-0123456789ab"));
    assert!(!ReminderName::is_derived(
        "cart-0123456789ab-0123456789ab-x"
    ));
    assert!(!ReminderName::is_derived("other-0123456789ab-0123456789ab"));
    // Stages: `-s<N>`, N without a leading zero.
    assert!(ReminderName::is_derived(
        "cart-0123456789ab-0123456789ab-s3"
    ));
    assert!(ReminderName::is_derived(
        "cart-0123456789ab-0123456789ab-s10"
    ));
    assert!(!ReminderName::is_derived(
        "cart-0123456789ab-0123456789ab-s0"
    ));
    assert!(!ReminderName::is_derived(
        "cart-0123456789ab-0123456789ab-s"
    ));
    assert!(!ReminderName::is_derived("cart-0123456789ab-s1"));
    assert_eq!(ReminderName::without_stage("a-b-s12"), "a-b");
    assert_eq!(ReminderName::without_stage("a-b-s01"), "a-b-s01");
    assert_eq!(ReminderName::without_stage("a-b"), "a-b");
}

fn dues(specs: &[&str]) -> Vec<Due> {
    specs
        .iter()
        .map(|d| Due::resolve(DueSpec::In(d), None, now(), ("--in", "--at", "--timezone")).unwrap())
        .collect()
}

#[test]
fn detail_keys_follow_the_cart_and_stage_and_read_back() {
    let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
    let detail = parse_detail_object(
        "--detail",
        r#"{"cart_id":"c-42","user":"alice","quantity":2,"items":["a"]}"#,
    )
    .unwrap();
    let mut extras = ReminderExtras::with_detail(&cart, Some(detail), "--detail").unwrap();
    extras.stage = Some(Stage {
        number: 2,
        total: 3,
    });
    let input = cart.reminder_input_with(&extras);
    assert_eq!(
        input,
        r#"{"scheduled_event":"true","user":"alice","product":"sku-1","stage":2,"stages":3,"cart_id":"c-42","quantity":2,"items":["a"]}"#
    );
    let (back, back_extras) = Cart::parse_reminder_input(&input).unwrap();
    assert_eq!(back, cart);
    assert_eq!(back_extras, extras);
    // In the order written (maps compare without order).
    let keys: Vec<&String> = back_extras.detail.keys().collect();
    assert_eq!(keys, ["cart_id", "quantity", "items"]);
    // A plain reminder has no extras; a stage beyond its total is detail, not a stage.
    let (_, plain) = Cart::parse_reminder_input(&cart.reminder_input()).unwrap();
    assert_eq!(plain, ReminderExtras::default());
    let odd = r#"{"scheduled_event":"true","user":"a","product":"b","stage":4,"stages":3}"#;
    let (_, odd) = Cart::parse_reminder_input(odd).unwrap();
    assert_eq!(odd.stage, None);
    assert_eq!(odd.detail.len(), 2);
}

#[test]
fn details_that_set_what_cartctl_writes_are_refused() {
    let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
    for (detail, needle) in [
        (r#"{"scheduled_event":"true"}"#, "`scheduled_event`"),
        (r#"{"stage":1}"#, "`stage`"),
        (r#"{"stages":1}"#, "`stages`"),
        (r#"{"user":"bob"}"#, "contradicts"),
        (r#"{"product":1}"#, "contradicts"),
    ] {
        let d = parse_detail_object("--detail", detail).unwrap();
        let e = ReminderExtras::with_detail(&cart, Some(d), "--detail").unwrap_err();
        assert!(e.is_invalid());
        assert!(e.to_string().contains("--detail"), "{e}");
        assert!(e.to_string().contains(needle), "{detail}: {e}");
    }
    // Too large for one event: refused naming the detail.
    let big = serde_json::json!({"note": "x".repeat(256 * 1024)});
    let extras = ReminderExtras::with_detail(&cart, big.as_object().cloned(), "--detail").unwrap();
    let settings = ReminderSettings::parse(&raw()).unwrap();
    let e = settings.check_cart(&cart, &extras).unwrap_err();
    assert!(e.to_string().starts_with("invalid detail:"), "{e}");
}

#[test]
fn a_series_has_one_named_reminder_per_stage() {
    let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
    let settings = ReminderSettings::parse(&raw()).unwrap();
    let base = ReminderName::for_cart(&cart);
    let series = Reminder::series(
        cart.clone(),
        ReminderExtras::default(),
        dues(&["30m", "4h", "1d"]),
        None,
        &settings,
        BUS,
    )
    .unwrap();
    let names: Vec<&str> = series.iter().map(Reminder::name).collect();
    assert_eq!(names, [1, 2, 3].map(|n| format!("{base}-s{n}")));
    for (n, r) in series.iter().enumerate() {
        assert!(r.name().starts_with(&ReminderName::user_prefix("alice")));
        let (_, extras) = Cart::parse_reminder_input(&r.request.definition.target.input).unwrap();
        assert_eq!(
            extras.stage,
            Some(Stage {
                number: n as u32 + 1,
                total: 3
            })
        );
    }
    // One due time: the plain reminder, no suffix, no stage.
    let one = Reminder::series(
        cart.clone(),
        ReminderExtras::default(),
        dues(&["1d"]),
        None,
        &settings,
        BUS,
    )
    .unwrap();
    assert_eq!(one[0].name(), base.as_str());
    assert_eq!(
        one[0].request.definition.target.input,
        cart.reminder_input()
    );
    // Out of order, too many, or a --name with no room for the suffix: refused.
    for (d, name, needle) in [
        (dues(&["4h", "30m"]), None, "increasing"),
        (dues(&["1h"; 11]), None, "1 to 10"),
        (dues(&["1h", "2h"]), Some("n".repeat(63)), "64"),
    ] {
        let name = name.map(|n| ReminderName::parse("--name", &n).unwrap());
        let e = Reminder::series(
            cart.clone(),
            ReminderExtras::default(),
            d,
            name,
            &settings,
            BUS,
        )
        .unwrap_err();
        assert!(e.is_invalid());
        assert!(e.to_string().contains(needle), "{e}");
    }
}

#[test]
fn input_is_built_with_serde_and_round_trips_hostile_ids() {
    for (user, product) in [
        ("alice", "sku-1"),
        (r#"o"brien\"#, "a\nb\tc"),
        ("ünïcødé 🛒", "\u{1}\u{7f}"),
        ("{user}", "}{"),
    ] {
        let cart = Cart::new(user, product, ("--user", "--product")).unwrap();
        let input = cart.reminder_input();
        let v: Value = serde_json::from_str(&input).unwrap();
        assert_eq!(v["scheduled_event"], "true");
        assert_eq!(v["user"], user);
        assert_eq!(v["product"], product);
        assert_eq!(Cart::from_reminder_input(&input), Some(cart));
    }
    let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
    assert_eq!(
        cart.reminder_input(),
        r#"{"scheduled_event":"true","user":"alice","product":"sku-1"}"#
    );
}

#[test]
fn foreign_inputs_are_not_carts() {
    assert!(Cart::from_reminder_input("not json").is_none());
    assert!(Cart::from_reminder_input(r#"{"user":"a","product":"b"}"#).is_none());
    assert!(
        Cart::from_reminder_input(r#"{"scheduled_event":true,"user":"a","product":"b"}"#).is_none()
    );
    assert!(
        Cart::from_reminder_input(r#"{"scheduled_event":"true","user":1,"product":"b"}"#).is_none()
    );
}

#[test]
fn event_detail_merges_extra_keys_after_ids() {
    let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
    assert_eq!(
        cart.event_detail(None, "--detail").unwrap(),
        r#"{"user":"alice","product":"sku-1"}"#
    );
    let extra = parse_detail_object("--detail", r#"{"quantity":2,"user":"alice"}"#).unwrap();
    assert_eq!(
        cart.event_detail(Some(&extra), "--detail").unwrap(),
        r#"{"user":"alice","product":"sku-1","quantity":2}"#
    );
    let clash = parse_detail_object("--detail", r#"{"user":"bob"}"#).unwrap();
    let e = cart.event_detail(Some(&clash), "--detail").unwrap_err();
    assert!(e.to_string().contains("contradicts the given user"), "{e}");
}

#[test]
fn detail_must_be_an_object() {
    for bad in ["[1]", "\"s\"", "1", "null", "{", ""] {
        let e = parse_detail_object("--detail", bad).unwrap_err();
        assert!(e.to_string().starts_with("invalid --detail"), "{e}");
    }
}

#[test]
fn detail_type_template_substitutes_once() {
    let cart = Cart::new("{product}", "sku-1", ("--user", "--product")).unwrap();
    let t = DetailTypeTemplate::new("{user} put {product} in the cart");
    assert_eq!(
        t.render(&cart, "--detail-type").unwrap(),
        "{product} put sku-1 in the cart"
    );
    let long = Cart::new("u", &"p".repeat(120), ("--user", "--product")).unwrap();
    let e = DetailTypeTemplate::new(DEFAULT_DETAIL_TYPE)
        .render(&long, "--detail-type")
        .unwrap_err();
    assert!(e.to_string().contains("after substitution"), "{e}");
}

#[test]
fn ids_holding_a_context_attribute_are_refused() {
    let settings = ReminderSettings::parse(&raw()).unwrap();
    for (user, product, field) in [
        ("<aws.scheduler.execution-id>", "sku-1", "invalid user:"),
        ("alice", "x<aws.scheduler.schedule-arn>", "invalid product:"),
    ] {
        let cart = Cart::new(user, product, ("--user", "--product")).unwrap();
        let e = settings
            .check_cart(&cart, &ReminderExtras::default())
            .unwrap_err();
        assert!(e.is_invalid());
        assert!(e.to_string().contains(field), "{e}");
    }
    // Text that merely looks alike is fine.
    let cart = Cart::new("<aws.schedule>", "sku-1", ("--user", "--product")).unwrap();
    assert!(
        settings
            .check_cart(&cart, &ReminderExtras::default())
            .is_ok()
    );
}

#[test]
fn request_has_the_designed_defaults() {
    let r = reminder("alice", "sku-1", DueSpec::In("1d"), &raw());
    let v = serde_json::to_value(&r.request).unwrap();
    assert_eq!(v["ScheduleExpression"], "at(2026-11-30T07:56:52)");
    assert_eq!(v["ScheduleExpressionTimezone"], "UTC");
    assert_eq!(v["FlexibleTimeWindow"], serde_json::json!({"Mode": "OFF"}));
    assert_eq!(v["ActionAfterCompletion"], "DELETE");
    assert_eq!(v["State"], "ENABLED");
    assert_eq!(v["Target"]["Arn"], BUS);
    assert_eq!(v["Target"]["RoleArn"], ROLE);
    assert_eq!(
        v["Target"]["EventBridgeParameters"]["Source"],
        "putToCartService"
    );
    assert_eq!(
        v["Target"]["EventBridgeParameters"]["DetailType"],
        "item sku-1 added to Cart"
    );
    assert!(v["Target"].get("RetryPolicy").is_none());
    let token = v["ClientToken"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    assert!(limits::check_client_token("t", token).is_ok());
}

#[test]
fn client_tokens_are_stable_within_an_invocation_and_new_in_the_next() {
    let settings = ReminderSettings::parse(&raw()).unwrap();
    let build = |at: &str, settings: &ReminderSettings| {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let due =
            Due::resolve(DueSpec::At(at), None, now(), ("--in", "--at", "--timezone")).unwrap();
        Reminder::new(cart, due, None, settings, BUS).unwrap()
    };
    // One invocation: the same request, the same token (its retries reuse it).
    let a = build("2026-12-24T18:00", &settings);
    let b = build("2026-12-24T18:00", &settings);
    let c = build("2026-12-24T18:01", &settings);
    assert_eq!(a.request.client_token, b.request.client_token);
    assert_ne!(a.request.client_token, c.request.client_token);
    // The next invocation (a new parse): a new token for the identical request.
    let next = ReminderSettings::parse(&raw()).unwrap();
    assert_ne!(
        a.request.client_token,
        build("2026-12-24T18:00", &next).request.client_token
    );
    // UpdateSchedule never reuses the create's token.
    assert_ne!(a.update_client_token, a.request.client_token);
    assert_eq!(a.update_client_token, b.update_client_token);
    assert!(limits::check_client_token("t", &a.update_client_token).is_ok());
    let explicit = RawReminderSettings {
        client_token: Some("my-token"),
        ..raw()
    };
    assert_eq!(
        reminder("alice", "sku-1", DueSpec::In("1d"), &explicit)
            .request
            .client_token,
        "my-token"
    );
}

#[test]
fn optional_settings_reach_the_request() {
    let full = RawReminderSettings {
        description: Some("reminder"),
        flexible_window: Some("15m"),
        keep_after_completion: true,
        max_retries: Some(3),
        max_event_age: Some("1h"),
        dlq_arn: Some("arn:aws:sqs:us-east-1:123456789012:dlq"),
        disabled: true,
        ..raw()
    };
    let v = serde_json::to_value(&reminder("a", "p", DueSpec::In("1d"), &full).request).unwrap();
    assert_eq!(v["Description"], "reminder");
    assert_eq!(
        v["FlexibleTimeWindow"],
        serde_json::json!({"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15})
    );
    assert_eq!(v["ActionAfterCompletion"], "NONE");
    assert_eq!(v["State"], "DISABLED");
    assert_eq!(
        v["Target"]["RetryPolicy"],
        serde_json::json!({"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3})
    );
    assert_eq!(
        v["Target"]["DeadLetterConfig"]["Arn"],
        "arn:aws:sqs:us-east-1:123456789012:dlq"
    );
}

#[test]
fn settings_are_checked() {
    let cases: Vec<(RawReminderSettings<'static>, &str)> = vec![
        (
            RawReminderSettings {
                role_arn: None,
                ..raw()
            },
            "scheduler_role_arn",
        ),
        (
            RawReminderSettings {
                role_arn: Some("nope"),
                ..raw()
            },
            "scheduler_role_arn",
        ),
        (
            RawReminderSettings {
                group: "bad group",
                ..raw()
            },
            "schedule_group",
        ),
        (
            RawReminderSettings {
                source: "aws.shop",
                ..raw()
            },
            "source",
        ),
        (
            RawReminderSettings {
                detail_type: "",
                ..raw()
            },
            "detail_type",
        ),
        (
            RawReminderSettings {
                flexible_window: Some("0m"),
                ..raw()
            },
            "flexible_window",
        ),
        (
            RawReminderSettings {
                max_retries: Some(186),
                ..raw()
            },
            "max_retries",
        ),
        (
            RawReminderSettings {
                max_event_age: Some("30s"),
                ..raw()
            },
            "max_event_age",
        ),
        (
            RawReminderSettings {
                dlq_arn: Some("arn:aws:sns:us-east-1:123456789012:t"),
                ..raw()
            },
            "dlq_arn",
        ),
        (
            RawReminderSettings {
                client_token: Some("bad token"),
                ..raw()
            },
            "client_token",
        ),
    ];
    for (raw, field) in cases {
        let e = ReminderSettings::parse(&raw).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("invalid {field}:")),
            "{field}: {e}"
        );
    }
}

#[test]
fn identical_stored_schedule_has_no_differences() {
    let r = reminder("alice", "sku-1", DueSpec::At("2026-12-24T18:00"), &raw());
    assert!(r.differences(&stored_from(&r, now())).is_empty());
}

#[test]
fn stored_defaults_are_normalised() {
    let r = reminder("alice", "sku-1", DueSpec::At("2026-12-24T18:00"), &raw());
    let mut s = stored_from(&r, now());
    s.definition.target.retry_policy = Some(RetryPolicy {
        maximum_event_age_in_seconds: Some(86_400),
        maximum_retry_attempts: Some(185),
    });
    s.definition.description = Some(String::new());
    s.definition.target.input =
        r#"{"product":"sku-1","user":"alice","scheduled_event":"true"}"#.into();
    assert!(r.differences(&s).is_empty());
}

#[test]
fn differing_fields_are_named() {
    let r = reminder("alice", "sku-1", DueSpec::At("2026-12-24T18:00"), &raw());
    let mut s = stored_from(&r, now());
    s.definition.schedule_expression = "at(2026-12-24T18:01:00)".into();
    s.definition.target.role_arn = "arn:aws:iam::123456789012:role/other".into();
    s.definition.action_after_completion = ActionAfterCompletion::None;
    s.extra_fields.push("KMS key");
    assert_eq!(
        r.differences(&s),
        vec!["due time", "action after completion", "role", "KMS key"]
    );
}

#[test]
fn relative_due_matches_a_schedule_created_that_long_before_it() {
    // Created 2 h ago with --in 1d: re-running --in 1d now is the same reminder.
    let earlier = now() - chrono::Duration::hours(2);
    let first = {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let due = Due::resolve(
            DueSpec::In("1d"),
            None,
            earlier,
            ("--in", "--at", "--timezone"),
        )
        .unwrap();
        Reminder::new(
            cart,
            due,
            None,
            &ReminderSettings::parse(&raw()).unwrap(),
            BUS,
        )
        .unwrap()
    };
    let stored = stored_from(&first, earlier + chrono::Duration::seconds(2));
    let again = reminder("alice", "sku-1", DueSpec::In("1d"), &raw());
    assert!(again.differences(&stored).is_empty());
    let longer = reminder("alice", "sku-1", DueSpec::In("2d"), &raw());
    assert_eq!(longer.differences(&stored), vec!["due time"]);
    let absolute = reminder(
        "alice",
        "sku-1",
        DueSpec::At("2026-11-30T07:56:52Z"),
        &raw(),
    );
    assert_eq!(absolute.differences(&stored), vec!["due time"]);
}
