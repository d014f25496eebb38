//! The Lambda functions' bootstraps, run as Lambda runs them: against the Lambda Runtime API
//! (tests/support/lambdaruntime.py serves the documented endpoints), with an SQS batch as the
//! event source mapping sends it, against the emulator. A bootstrap is the `consumer` or
//! `mailer` binary `cargo test --workspace` builds, or `<name>/bootstrap` under the directory
//! `CARTCTL_LAMBDA_DIR` names (a `scripts/build-lambdas` build for one architecture, unzipped).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::*;

fn bootstrap(name: &str) -> PathBuf {
    let bin = match std::env::var_os("CARTCTL_LAMBDA_DIR") {
        Some(dir) => PathBuf::from(dir).join(name).join("bootstrap"),
        None => {
            let exe = std::env::current_exe().unwrap();
            let debug = exe.parent().and_then(|deps| deps.parent()).unwrap();
            debug.join(name)
        }
    };
    assert!(
        bin.exists(),
        "{} is not built: run scripts/test, or `cargo build -p cartctl-lambda --bins` first",
        bin.display()
    );
    assert_fresh(&bin);
    bin
}

/// Fails when a source the function is built from is newer than the binary: `cargo test`
/// alone builds no binary of another package, so an old one would be tested.
fn assert_fresh(bin: &Path) {
    let built = std::fs::metadata(bin).unwrap().modified().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = ["cartctl-core", "cartctl-aws", "cartctl-lambda"]
        .iter()
        .map(|c| root.join("crates").join(c).join("src"))
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if std::fs::metadata(&path).unwrap().modified().unwrap() > built {
                panic!(
                    "{} is older than {}: rebuild it (scripts/test does: `cargo build -p cartctl-lambda --bins`)",
                    bin.display(),
                    path.display()
                );
            }
        }
    }
}

/// Runs the consumer's bootstrap for these events; the harness's report.
fn run(env: &[(&str, &str)], events: &[Value]) -> Value {
    run_function("consumer", env, events)
}

/// Runs the `name` function's bootstrap for these events; the harness's report.
fn run_function(name: &str, env: &[(&str, &str)], events: &[Value]) -> Value {
    run_harness(name, &[], env, events)
}

/// Runs the `name` function's bootstrap under the harness with `options` (`--deadline-ms N`).
fn run_harness(name: &str, options: &[&str], env: &[(&str, &str)], events: &[Value]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(venv_python());
    cmd.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/lambdaruntime.py"
    ))
    .args(options)
    .arg(bootstrap(name));
    for (i, e) in events.iter().enumerate() {
        let path = dir.path().join(format!("event{i}.json"));
        std::fs::write(&path, e.to_string()).unwrap();
        cmd.arg(path);
    }
    emulator_env(&mut cmd);
    cmd.env("CARTCTL_LEDGER_TABLE", shared_ledger());
    cmd.env("CARTCTL_MAIL_POSTAL_ADDRESS", POSTAL_ADDRESS);
    let (contact_list, configuration_set) = shared_mail_lists();
    cmd.env("CARTCTL_CONTACT_LIST", contact_list);
    cmd.env("CARTCTL_CONFIGURATION_SET", configuration_set);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the Lambda Runtime API harness");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One SQS record as the event source mapping delivers it.
fn record(id: &str, body: &str) -> Value {
    json!({
        "messageId": id,
        "receiptHandle": format!("receipt-{id}"),
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1796170000000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1796170000001"
        },
        "messageAttributes": {},
        "md5OfBody": "0",
        "eventSource": "aws:sqs",
        "eventSourceARN": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:cartctl-shop-carts"),
        "awsRegion": REGION
    })
}

fn add(user: &str, product: &str, time: &str) -> String {
    json!({
        "version": "0",
        "id": unique("event"),
        "detail-type": format!("item {product} added to Cart"),
        "source": "putToCartService",
        "account": ACCOUNT,
        "time": time,
        "region": REGION,
        "resources": [],
        "detail": {"user": user, "product": product, "email": format!("{user}@example.com")}
    })
    .to_string()
}

#[test]
fn the_bootstrap_answers_exactly_the_failed_records_and_makes_the_reminders() {
    let s = setup();
    let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let batch = json!({"Records": [
        record("m-1", &add("alice", "sku-1", &time)),
        record("m-bad", "this is not an event"),
        record("m-2", &add("bob", "sku-2", &time)),
    ]});
    let env = [
        ("CARTCTL_EVENT_BUS", s.bus.as_str()),
        ("CARTCTL_SCHEDULE_GROUP", s.group.as_str()),
        ("CARTCTL_SCHEDULER_ROLE_ARN", ROLE),
        ("CARTCTL_REMIND_AFTER", "1d"),
    ];
    // The same batch twice (SQS gives it back after the failure): the second is unchanged.
    let report = run(&env, &[batch.clone(), batch]);
    assert!(report["ready_ms"].is_number(), "{report}");
    let inv = report["invocations"].as_array().unwrap();
    assert_eq!(inv.len(), 2, "{report}");
    for i in inv {
        assert_eq!(i["outcome"], "response", "{report}");
        assert_eq!(
            i["body"],
            json!({"batchItemFailures": [{"itemIdentifier": "m-bad"}]}),
            "{report}"
        );
    }
    let names = schedule_names(&s.group);
    assert_eq!(names.len(), 2, "{names:?}");
    // One JSON log line per record (Lambda's JSON log format): created, then unchanged; each
    // with its event, kind, a hash of the user and the duration, never the user id or address.
    let stdout = report["stdout"].as_str().unwrap();
    let logs: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcome = |id: &str| -> Vec<String> {
        logs.iter()
            .filter(|l| l["messageId"] == id)
            .map(|l| l["outcome"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(outcome("m-1"), ["created", "unchanged"], "{logs:?}");
    assert_eq!(outcome("m-bad"), ["failed", "failed"], "{logs:?}");
    let first = logs.iter().find(|l| l["messageId"] == "m-1").unwrap();
    assert_eq!(first["kind"], "add");
    // The line is an EMF metric as well: the add scheduled one reminder.
    let emf = &first["_aws"]["CloudWatchMetrics"][0];
    assert_eq!(emf["Namespace"], "cartctl", "{first}");
    assert_eq!(emf["Dimensions"], serde_json::json!([["kind", "outcome"]]));
    assert_eq!(first["reminders_scheduled"], 1.0, "{first}");
    assert_eq!(first["userHash"].as_str().unwrap().len(), 12);
    assert!(first["eventId"].as_str().unwrap().starts_with("event-"));
    assert!(first["durationMs"].is_u64() && first["timestamp"].is_string());
    assert!(
        !stdout.contains("alice") && !stdout.contains("@example.com"),
        "personal data in the log: {stdout}"
    );
    let input: Value = serde_json::from_str(
        get_schedule(&s.group, &names[0])
            .unwrap()
            .target()
            .unwrap()
            .input()
            .unwrap(),
    )
    .unwrap();
    // The customer's address is kept on the cart's ledger item, not in the reminder.
    assert!(input.get("email").is_none(), "{input}");
    let cart = &ledger_items(shared_ledger(), "alice")[&cartctl_core::ledger::cart_key("sku-1")];
    assert!(cart["detail"].contains("alice@example.com"), "{cart:?}");
}

#[test]
fn each_function_answers_before_its_deadline_naming_every_record_it_could_not_finish() {
    let s = setup();
    // AWS answering after 10 s; the invocation's deadline 3 s away.
    let slow = FaultProxy::start(
        &emulator().endpoint,
        &["--latency-ms".into(), "10000".into()],
    );
    let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let adds = json!({"Records": [
        record("m-1", &add("alice", "sku-1", &time)),
        record("m-2", &add("bob", "sku-2", &time)),
    ]});
    let reminder = json!({"version": "0", "id": unique("ev"), "detail-type": "item sku-9 added to Cart",
        "source": "putToCartService", "account": ACCOUNT, "time": time, "region": REGION,
        "resources": [], "detail": {"scheduled_event": "true", "user": "dana", "product": "sku-9",
        "email": "dana@example.com"}});
    let reminders = json!({"Records": [record("m-3", &reminder.to_string())]});
    for (function, batch, ids) in [
        ("consumer", adds, vec!["m-1", "m-2"]),
        ("mailer", reminders, vec!["m-3"]),
    ] {
        let env = [
            ("AWS_ENDPOINT_URL", slow.endpoint.as_str()),
            ("CARTCTL_EVENT_BUS", s.bus.as_str()),
            ("CARTCTL_SCHEDULE_GROUP", s.group.as_str()),
            ("CARTCTL_SCHEDULER_ROLE_ARN", ROLE),
            ("CARTCTL_MAIL_FROM", "shop@example.com"),
        ];
        let report = run_harness(function, &["--deadline-ms", "3000"], &env, &[batch]);
        let inv = &report["invocations"][0];
        assert_eq!(inv["outcome"], "response", "{function}: {report}");
        assert!(
            inv["ms"].as_f64().unwrap() < 3000.0,
            "{function} answered after its deadline: {report}"
        );
        let failed: Vec<&str> = inv["body"]["batchItemFailures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["itemIdentifier"].as_str().unwrap())
            .collect();
        assert_eq!(failed, ids, "{function}: {report}");
    }
}

#[test]
fn a_bad_setting_stops_the_container_before_the_first_event() {
    let report = run(
        &[
            ("CARTCTL_EVENT_BUS", "shop"),
            ("CARTCTL_QUIET_HOURS", "21:00"),
            ("CARTCTL_SCHEDULER_ROLE_ARN", ROLE),
        ],
        &[json!({"Records": []})],
    );
    assert_eq!(report["exit_code"], 2, "{report}");
    assert!(report["ready_ms"].is_null(), "{report}");
    let stderr = report["stderr"].as_str().unwrap();
    assert!(stderr.contains("CARTCTL_QUIET_HOURS"), "{stderr}");
}

#[test]
fn the_mailer_bootstrap_sends_each_reminder_and_fails_exactly_the_one_without_an_address() {
    let sender = format!("{}@example.com", unique("shop"));
    rt().block_on(ses().create_email_identity().email_identity(&sender).send())
        .unwrap();
    let to = format!("{}@example.com", unique("dana"));
    let reminder = |id: &str, detail: Value| {
        json!({
            "version": "0", "id": id, "detail-type": "item sku-9 added to Cart",
            "source": "putToCartService", "account": ACCOUNT, "time": "2026-12-02T10:00:00Z",
            "region": REGION, "resources": [], "detail": detail,
        })
        .to_string()
    };
    let good = reminder(
        &unique("ev"),
        json!({"scheduled_event": "true", "user": "dana", "product": "sku-9", "email": to, "name": "Dana"}),
    );
    let bad = reminder(
        &unique("ev"),
        json!({"scheduled_event": "true", "user": "erin", "product": "sku-9"}),
    );
    let batch = json!({"Records": [record("m-good", &good), record("m-noaddr", &bad)]});
    // The same batch twice, as SQS gives it back after the failure: the container sent the
    // good one already and does not send it again.
    let report = run_function(
        "mailer",
        &[("CARTCTL_MAIL_FROM", sender.as_str())],
        &[batch.clone(), batch],
    );
    let inv = report["invocations"].as_array().unwrap();
    assert_eq!(inv.len(), 2, "{report}");
    for i in inv {
        assert_eq!(
            i["body"],
            json!({"batchItemFailures": [{"itemIdentifier": "m-noaddr"}]}),
            "{report}"
        );
    }
    let sent = mail_to(&to);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["subject"], "sku-9 is still in your cart");
    assert!(
        sent[0]["body"].as_str().unwrap().contains("Hello Dana,"),
        "{sent:?}"
    );
    let logs = report["stdout"].as_str().unwrap();
    assert!(logs.contains("\"already_sent\""), "{logs}");
    assert!(logs.contains("detail.email"), "{logs}");

    // A bad setting stops the container before its first event.
    let report = run_function(
        "mailer",
        &[("CARTCTL_MAIL_FROM", "shop@")],
        &[json!({"Records": []})],
    );
    assert_eq!(report["exit_code"], 2, "{report}");
    assert!(
        report["stderr"]
            .as_str()
            .unwrap()
            .contains("CARTCTL_MAIL_FROM"),
        "{report}"
    );
}
