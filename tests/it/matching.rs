//! `cartctl match`: EventBridge pattern semantics offline (exit 0 match, 1 no match, 2 invalid,
//! nothing sent), and which rules of a bus an event matches, confirmed with TestEventPattern.

use serde_json::{Value, json};

use crate::common::*;

fn reminder() -> Value {
    json!({
        "version": "0", "id": "e-1", "account": ACCOUNT, "region": REGION,
        "time": "2026-12-01T10:00:00Z", "source": "putToCartService",
        "detail-type": "item sku-1 added to Cart",
        "resources": [format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/cart-x")],
        "detail": {"scheduled_event": "true", "user": "alice", "product": "sku-1", "tags": []}
    })
}

#[test]
fn match_answers_offline_with_its_exit_code() {
    let sentinel = Sentinel::start();
    let event = reminder().to_string();
    let run = |pattern: &str, extra: &[&str]| {
        cartctl_at(&sentinel.endpoint)
            .args(["match", "--pattern", pattern, "--event", &event])
            .args(extra)
            .run()
    };
    let yes = run(r#"{"detail": {"scheduled_event": ["true"]}}"#, &[]);
    yes.code(0);
    assert_eq!(yes.stdout.trim(), "match");
    let no = run(r#"{"source": ["someone-else"]}"#, &["-o", "json"]);
    no.code(1);
    assert_eq!(no.json(), json!({"matches": false}));
    assert!(no.stderr.is_empty(), "{}", no.stderr);
    // event-ruler's semantics: an empty array does not exist.
    run(r#"{"detail": {"tags": [{"exists": false}]}}"#, &[]).code(0);
    // Invalid patterns, with the reason; a bad event; a file that is not there.
    for (pattern, needle) in [
        (r#"{"source": [{"wildcard": "a**"}]}"#, "consecutive"),
        (r#"{"$or": [{"source": ["x"]}]}"#, "two or more"),
        (
            r#"{"detail": {"ip": [{"cidr": "10.0.0.1/32"}]}}"#,
            "under 32 bits",
        ),
        (r#"{"source": []}"#, "empty array"),
        ("[1]", "JSON object"),
    ] {
        let bad = run(pattern, &[]);
        bad.code(2);
        assert!(bad.stderr.contains("invalid --pattern"), "{}", bad.stderr);
        assert!(bad.stderr.contains(needle), "{pattern}: {}", bad.stderr);
    }
    let bad = cartctl_at(&sentinel.endpoint)
        .args([
            "match",
            "--pattern",
            "{}",
            "--event",
            "@/no/such/event.json",
        ])
        .run();
    bad.code(2);
    assert!(bad.stderr.contains("invalid --event"), "{}", bad.stderr);
    // The pattern from a file, the event from stdin.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pattern.json");
    std::fs::write(&path, r#"{"detail": {"user": [{"prefix": "al"}]}}"#).unwrap();
    cartctl_at(&sentinel.endpoint)
        .args(["match", "--event", "@-"])
        .arg_path(
            "--pattern",
            &std::path::PathBuf::from(format!("@{}", path.display())),
        )
        .stdin(event.clone())
        .run()
        .code(0);
    assert_eq!(sentinel.hits(), 0, "match without --bus sends nothing");
}

#[test]
fn match_on_a_bus_names_the_rules_that_take_the_event() {
    let bus = unique("shop");
    create_bus(&bus);
    let put_rule = |name: &str, pattern: Value| {
        rt().block_on(
            events()
                .put_rule()
                .name(name)
                .event_bus_name(&bus)
                .event_pattern(pattern.to_string())
                .send(),
        )
        .unwrap();
    };
    put_rule(
        "reminders",
        json!({"detail": {"scheduled_event": ["true"]}}),
    );
    put_rule("others", json!({"source": ["someone-else"]}));
    let run = cartctl()
        .args([
            "match",
            "--bus",
            &bus,
            "--event",
            &reminder().to_string(),
            "-o",
            "json",
        ])
        .run();
    run.code(0);
    let out = run.json();
    assert_eq!(out["matches"], true);
    let rule = |name: &str| {
        out["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(rule("reminders")["matches"], true);
    assert_eq!(
        rule("reminders")["confirmed"],
        true,
        "TestEventPattern agrees"
    );
    assert_eq!(rule("others")["matches"], false);
    // An event no rule takes: exit 1, and the text says so rule by rule.
    let mut stray = reminder();
    stray["source"] = json!("nobody");
    stray["detail"] = json!({"user": "bob"});
    let run = cartctl()
        .args(["match", "--bus", &bus, "--event", &stray.to_string()])
        .run();
    run.code(1);
    assert!(run.stdout.contains("no match  reminders"), "{}", run.stdout);
}
