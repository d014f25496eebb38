//! `cartctl fire` against the emulator: the reminder event delivered as Scheduler would put it,
//! ActionAfterCompletion honoured, `--due` firing only what is overdue.

use serde_json::{Value, json};

use crate::common::*;

struct Fired {
    s: Setup,
    rec: BusRecorder,
}

impl std::ops::Deref for Fired {
    type Target = Setup;
    fn deref(&self) -> &Setup {
        &self.s
    }
}

fn fired_setup() -> Fired {
    let s = setup();
    let rec = BusRecorder::on(&s.bus);
    Fired { s, rec }
}

/// A schedule created directly (the emulator takes past due times; cartctl refuses them).
fn raw_schedule(
    s: &Setup,
    name: &str,
    expression: &str,
    input: &Value,
    action: &str,
    state: &str,
    target: &str,
) {
    let detail_type = format!(
        "item {} added to Cart",
        input["product"].as_str().unwrap_or("?")
    );
    RawSchedule {
        group: &s.group,
        name,
        expression,
        input: &input.to_string(),
        action,
        state,
        target,
        detail_type: &detail_type,
    }
    .create();
}

fn reminder_input(user: &str, product: &str) -> Value {
    json!({"scheduled_event": "true", "user": user, "product": product})
}

#[test]
fn fire_name_delivers_the_reminder_and_deletes_the_schedule() {
    let s = fired_setup();
    let run = schedule_into(&s.group, &s.bus)
        .args([
            "--user",
            "alice",
            "--product",
            "sku-1",
            "--in",
            "1d",
            "-o",
            "json",
        ])
        .run();
    run.success();
    let created = run.json();
    let name = created["name"].as_str().unwrap();
    let run = cartctl()
        .args(["fire", name, "--group", &s.group, "-o", "json"])
        .run();
    run.success();
    let out = run.json();
    assert_eq!(out.as_array().unwrap().len(), 1);
    let o = &out[0];
    assert_eq!(o["name"], name);
    assert_eq!(o["deleted"], true);
    assert_eq!(o["bus"], s.bus_arn.as_str());
    assert_eq!(
        (o["user"].as_str(), o["product"].as_str()),
        (Some("alice"), Some("sku-1"))
    );

    let got = s.rec.events(1);
    assert_eq!(got.len(), 1);
    let e = &got[0];
    assert_eq!(e["id"], o["event_id"]);
    assert_eq!(e["source"], "putToCartService");
    assert_eq!(e["detail-type"], "item sku-1 added to Cart");
    assert_eq!(e["detail"], reminder_input("alice", "sku-1"));
    assert_eq!(e["resources"], json!([created["arn"]]));
    assert!(
        get_schedule(&s.group, name).is_none(),
        "DELETE after completion"
    );
}

#[test]
fn keep_and_none_keep_the_schedule() {
    let s = fired_setup();
    let run = schedule_into(&s.group, &s.bus)
        .args([
            "--user",
            "bob",
            "--product",
            "sku-2",
            "--in",
            "1d",
            "-o",
            "json",
        ])
        .run();
    let name = run.json()["name"].as_str().unwrap().to_owned();
    let run = cartctl()
        .args(["fire", &name, "--group", &s.group, "--keep"])
        .run();
    run.success();
    assert!(run.stdout.contains("schedule kept"), "{}", run.stdout);
    assert!(get_schedule(&s.group, &name).is_some());
    let run = schedule_into(&s.group, &s.bus)
        .args([
            "--user",
            "carol",
            "--product",
            "sku-3",
            "--in",
            "1d",
            "--keep-after-completion",
            "-o",
            "json",
        ])
        .run();
    let kept = run.json()["name"].as_str().unwrap().to_owned();
    cartctl()
        .args(["fire", &kept, "--group", &s.group])
        .run()
        .success();
    assert!(
        get_schedule(&s.group, &kept).is_some(),
        "ActionAfterCompletion NONE keeps it"
    );
    assert_eq!(s.rec.events(2).len(), 2);
}

#[test]
fn fire_due_fires_only_overdue_enabled_schedules() {
    let s = fired_setup();
    raw_schedule(
        &s,
        "overdue-delete",
        "at(2020-01-01T00:00:00)",
        &reminder_input("d", "p1"),
        "DELETE",
        "ENABLED",
        &s.bus_arn,
    );
    raw_schedule(
        &s,
        "overdue-none",
        "at(2020-01-02T00:00:00)",
        &reminder_input("n", "p2"),
        "NONE",
        "ENABLED",
        &s.bus_arn,
    );
    raw_schedule(
        &s,
        "overdue-disabled",
        "at(2020-01-03T00:00:00)",
        &reminder_input("x", "p3"),
        "DELETE",
        "DISABLED",
        &s.bus_arn,
    );
    raw_schedule(
        &s,
        "recurring",
        "rate(5 minutes)",
        &reminder_input("r", "p4"),
        "NONE",
        "ENABLED",
        &s.bus_arn,
    );
    let future = schedule_into(&s.group, &s.bus)
        .args(["--user", "f", "--product", "p5", "--in", "1d", "-o", "json"])
        .run()
        .json()["name"]
        .as_str()
        .unwrap()
        .to_owned();

    let run = cartctl()
        .args(["fire", "--due", "--group", &s.group, "-o", "ndjson"])
        .run();
    run.success();
    let fired: Vec<String> = run
        .ndjson()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fired, ["overdue-delete", "overdue-none"], "oldest first");
    let users: Vec<String> = s
        .rec
        .events(2)
        .iter()
        .map(|e| e["detail"]["user"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(users.len(), 2);
    assert!(users.contains(&"d".to_owned()) && users.contains(&"n".to_owned()));
    assert!(get_schedule(&s.group, "overdue-delete").is_none());
    assert!(get_schedule(&s.group, "overdue-none").is_some());
    assert!(get_schedule(&s.group, "overdue-disabled").is_some());
    assert!(get_schedule(&s.group, &future).is_some());
    assert!(get_schedule(&s.group, "recurring").is_some());
}

#[test]
fn unknown_names_non_bus_targets_and_dry_runs() {
    let s = fired_setup();
    let run = cartctl()
        .args(["fire", "no-such-schedule", "--group", &s.group])
        .run();
    run.code(4);
    assert!(
        run.stderr.contains("no schedule named `no-such-schedule`"),
        "{}",
        run.stderr
    );

    raw_schedule(
        &s,
        "to-a-queue",
        "at(2030-01-01T00:00:00)",
        &reminder_input("q", "p"),
        "NONE",
        "ENABLED",
        &format!("arn:aws:sqs:{REGION}:{ACCOUNT}:somewhere"),
    );
    let run = cartctl()
        .args(["fire", "to-a-queue", "--group", &s.group])
        .run();
    run.code(2);
    assert!(run.stderr.contains("not an event bus"), "{}", run.stderr);

    let name = schedule_into(&s.group, &s.bus)
        .args([
            "--user",
            "dry",
            "--product",
            "p",
            "--in",
            "1d",
            "-o",
            "json",
        ])
        .run()
        .json()["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let run = cartctl()
        .args(["fire", &name, "--group", &s.group, "--dry-run"])
        .run();
    run.success();
    let req = run.json();
    assert_eq!(req["Entries"][0]["EventBusName"], s.bus_arn.as_str());
    assert_eq!(
        serde_json::from_str::<Value>(req["Entries"][0]["Detail"].as_str().unwrap()).unwrap(),
        reminder_input("dry", "p")
    );
    assert!(run.stderr.contains("then delete it"), "{}", run.stderr);
    assert!(
        get_schedule(&s.group, &name).is_some(),
        "a dry run deletes nothing"
    );

    // Several names, one missing: the others are fired, exit 4.
    let run = cartctl()
        .args(["fire", &name, "missing-one", "--group", &s.group])
        .run();
    run.code(4);
    assert!(get_schedule(&s.group, &name).is_none());
    let delivered = s.rec.events(1);
    assert_eq!(
        delivered.len(),
        1,
        "the dry run sent nothing; the real run one event"
    );
    assert_eq!(delivered[0]["detail"]["user"], "dry");
}
