//! `examples/consumer.rs`, the seed's consumer Lambda written with the library alone: one event
//! envelope on stdin becomes that cart's reminder a day after the event's time; the same event
//! again is `unchanged`.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::common::*;

/// The example's binary, which `cargo test` builds beside the test binaries.
fn consumer_bin() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(|deps| deps.parent()).unwrap();
    debug.join("examples").join("consumer")
}

fn consume(s: &Setup, envelope: &Value) -> (i32, Value, String) {
    let bin = consumer_bin();
    assert!(
        bin.exists(),
        "{} is not built: run `cargo test` (which builds the examples) or `cargo build --example consumer`",
        bin.display()
    );
    let mut child = Command::new(bin)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", &emulator().endpoint)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CARTCTL_EVENT_BUS", &s.bus)
        .env("CARTCTL_SCHEDULE_GROUP", &s.group)
        .env("CARTCTL_SCHEDULER_ROLE_ARN", ROLE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the consumer example");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(envelope.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json, stderr)
}

#[test]
fn the_consumer_schedules_the_reminder_a_day_after_the_event() {
    let s = setup();
    let time = chrono::Utc::now() - chrono::Duration::hours(1);
    let time = time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let envelope = json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "item sku-1 added to Cart",
        "source": "putToCartService",
        "account": ACCOUNT,
        "time": time,
        "region": REGION,
        "resources": [],
        "detail": {"user": "alice", "product": "sku-1"}
    });
    let (code, first, err) = consume(&s, &envelope);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["status"], "created", "{first}");
    let due = chrono::DateTime::parse_from_rfc3339(first["due"].as_str().unwrap()).unwrap();
    let event = chrono::DateTime::parse_from_rfc3339(&time).unwrap();
    assert_eq!(due - event, chrono::Duration::days(1));
    let name = first["name"].as_str().unwrap();
    let stored = get_schedule(&s.group, name).expect("the reminder exists");
    let input: Value = serde_json::from_str(stored.target().unwrap().input().unwrap()).unwrap();
    assert_eq!(
        input,
        json!({"scheduled_event": "true", "user": "alice", "product": "sku-1"})
    );
    // Lambda may deliver the same event twice: nothing changes.
    let (code, second, err) = consume(&s, &envelope);
    assert_eq!(code, 0, "{err}");
    assert_eq!(second["status"], "unchanged", "{second}");
    assert_eq!(second["name"], first["name"]);
    // Not an event envelope: exit 2, nothing sent.
    let (code, _, err) = consume(&s, &json!({"detail": {"user": "a"}}));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("detail.product"), "{err}");
}
