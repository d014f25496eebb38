//! `cartctl put-event` against the emulator: events delivered with the right source,
//! detail-type and detail; dry runs; bad input refused before any request.

use serde_json::{Value, json};

use crate::common::*;

#[test]
fn event_is_delivered_with_source_detail_type_and_detail() {
    let bus = unique("bus");
    create_bus(&bus);
    let rec = BusRecorder::on(&bus);
    let run = cartctl()
        .args([
            "put-event",
            "--bus",
            &bus,
            "--user",
            "alice",
            "--product",
            "sku-1",
            "-o",
            "json",
        ])
        .run();
    run.success();
    let out = run.json();
    let id = out["event_id"].as_str().unwrap();
    assert!(!id.is_empty());
    assert_eq!(out["bus"], bus.as_str());
    let got = rec.events(1);
    assert_eq!(got.len(), 1, "{got:?}");
    let ev = &got[0];
    assert_eq!(ev["id"], id);
    assert_eq!(ev["source"], "putToCartService");
    assert_eq!(ev["detail-type"], "item sku-1 added to Cart");
    assert_eq!(ev["detail"], json!({"user": "alice", "product": "sku-1"}));
}

#[test]
fn extra_detail_and_hostile_ids_round_trip() {
    let bus = unique("bus");
    let arn = create_bus(&bus);
    let rec = BusRecorder::on(&bus);
    let user = "o\"brien\\ \n ünï 🛒 \u{7f}";
    let run = cartctl()
        .args([
            "put-event",
            "--bus",
            &arn,
            "--user",
            user,
            "--product",
            "p\"1",
        ])
        .args(["--detail", r#"{"quantity": 2, "tags": ["a", "b"]}"#])
        // (moto cannot deliver a detail-type holding a quote: the detail-type stays plain here.)
        .args([
            "--source",
            "shop.api",
            "--detail-type",
            "someone took a product",
        ])
        .run();
    run.success();
    assert!(run.stdout.starts_with("sent event "), "{}", run.stdout);
    let got = rec.events(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["source"], "shop.api");
    assert_eq!(got[0]["detail-type"], "someone took a product");
    assert_eq!(
        got[0]["detail"],
        json!({"user": user, "product": "p\"1", "quantity": 2, "tags": ["a", "b"]})
    );
}

#[test]
fn dry_run_prints_the_put_events_request_and_sends_nothing() {
    let sentinel = Sentinel::start();
    let run = cartctl_at(&sentinel.endpoint)
        .args([
            "put-event",
            "--user",
            "alice",
            "--product",
            "sku-1",
            "--bus",
            "shop",
            "--dry-run",
        ])
        .run();
    run.success();
    assert_eq!(sentinel.hits(), 0);
    let req = run.json();
    let entries = req["Entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["Source"], "putToCartService");
    assert_eq!(entries[0]["DetailType"], "item sku-1 added to Cart");
    assert_eq!(entries[0]["EventBusName"], "shop");
    let detail: Value = serde_json::from_str(entries[0]["Detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail, json!({"user": "alice", "product": "sku-1"}));
}

#[test]
fn missing_bus_is_not_found() {
    let run = cartctl()
        .args([
            "put-event",
            "--user",
            "u",
            "--product",
            "p",
            "--bus",
            &unique("nobus"),
        ])
        .run();
    run.code(4);
    assert!(run.stderr.contains("PutEvents"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ResourceNotFoundException"),
        "{}",
        run.stderr
    );
}

#[test]
fn removal_and_checkout_events_have_their_own_detail_types() {
    let bus = unique("bus");
    create_bus(&bus);
    let rec = BusRecorder::on(&bus);
    let put = |args: &[&str]| {
        let run = cartctl()
            .args(["put-event", "--bus", &bus, "--user", "alice", "-o", "json"])
            .args(args)
            .run();
        run.success();
        run.json()
    };
    let removed = put(&["--kind", "remove", "--product", "sku-1"]);
    assert_eq!(removed["kind"], "remove");
    let checkout = put(&["--kind", "checkout"]);
    assert_eq!(checkout["kind"], "checkout");
    assert!(checkout.get("product").is_none(), "{checkout}");
    let custom = cartctl()
        .env("CARTCTL_CHECKOUT_DETAIL_TYPE", "order placed")
        .args([
            "put-event",
            "--bus",
            &bus,
            "--user",
            "bo",
            "--kind",
            "checkout",
        ])
        .run();
    custom.success();
    let mut got: Vec<(String, Value)> = rec
        .events(3)
        .into_iter()
        .map(|e| {
            (
                e["detail-type"].as_str().unwrap().to_owned(),
                e["detail"].clone(),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        [
            ("cart checked out".into(), json!({"user": "alice"})),
            (
                "item sku-1 removed from Cart".into(),
                json!({"user": "alice", "product": "sku-1"})
            ),
            ("order placed".into(), json!({"user": "bo"})),
        ]
    );
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let sentinel = Sentinel::start();
    // One argument is limited to 128 KiB by the OS: reach 256 KB with three.
    let (big_user, big_product) = ("u".repeat(100_000), "p".repeat(60_000));
    let big = format!(r#"{{"pad": "{}"}}"#, "x".repeat(120_000));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--detail", "[1, 2]"], "--detail"),
        (vec!["--detail", "\"text\""], "--detail"),
        (vec!["--detail", "{not json"], "--detail"),
        (vec!["--detail", r#"{"user": "mallory"}"#], "--detail"),
        (
            vec![
                "--detail",
                &big,
                "--user",
                &big_user,
                "--product",
                &big_product,
                "--detail-type",
                "t",
            ],
            "--detail",
        ),
        (vec!["--detail-type", "line\nbreak"], "--detail-type"),
        (
            vec!["--user", "a\nb", "--detail-type", "{user}"],
            "--detail-type",
        ),
        (vec!["--source", "+shop"], "--source"),
        (vec!["--source", "aws.cart"], "--source"),
        (vec!["--source", ""], "--source"),
        (vec!["--detail-type", ""], "--detail-type"),
        (vec!["--bus", "no spaces"], "--bus"),
        (vec!["--user", ""], "--user"),
        (vec!["--region", "Not A Region"], "--region"),
        (vec!["--kind", "buy"], "--kind"),
        (vec!["--kind", "checkout"], "--product"),
        (
            vec!["--checkout-detail-type", "{product} bought"],
            "--checkout-detail-type",
        ),
        (
            vec!["--removed-detail-type", "item {product} added to Cart"],
            "--removed-detail-type",
        ),
    ];
    assert_refused(&sentinel, &["put-event"], &cases);
    assert_eq!(sentinel.hits(), 0);
}
