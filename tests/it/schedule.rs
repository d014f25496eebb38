//! `cartctl schedule` against the emulator: what is stored, idempotent re-runs, conflicts,
//! parity with boto3, and bad input refused before any request.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Value, json};

use crate::common::*;

fn schedule(s: &Setup, extra: &[&str]) -> Run {
    schedule_into(&s.group, &s.bus)
        .args(["-o", "json"])
        .args(extra)
        .run()
}

fn at_utc(expr: &str) -> DateTime<Utc> {
    let inner = expr.strip_prefix("at(").unwrap().strip_suffix(')').unwrap();
    NaiveDateTime::parse_from_str(inner, "%Y-%m-%dT%H:%M:%S")
        .unwrap()
        .and_utc()
}

#[test]
fn creates_the_designed_schedule() {
    let s = setup();
    let before = Utc::now();
    let run = schedule(&s, &["--user", "alice", "--product", "sku-1", "--in", "1d"]);
    run.success();
    let out = run.json();
    assert_eq!(out["status"], "created");
    assert_eq!(out["name"], "cart-2bd806c97f0e-57156ade504c");
    assert_eq!(out["group"], s.group.as_str());
    assert_eq!(out["user"], "alice");
    assert_eq!(out["product"], "sku-1");
    assert_eq!(out["timezone"], "UTC");
    let name = out["name"].as_str().unwrap();
    assert!(
        out["arn"]
            .as_str()
            .unwrap()
            .ends_with(&format!("schedule/{}/{name}", s.group))
    );

    // Read back with another client.
    let got = get_schedule(&s.group, name).expect("stored");
    let expr = got.schedule_expression().unwrap();
    assert_eq!(expr, out["schedule_expression"].as_str().unwrap());
    let due = at_utc(expr);
    let one_day = chrono::Duration::days(1);
    assert!(due >= (before + one_day).with_timezone(&Utc) - chrono::Duration::seconds(1));
    assert!(
        due <= Utc::now() + one_day + chrono::Duration::seconds(1),
        "rounded up at most a second"
    );
    assert_eq!(out["due"], due.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    assert_eq!(got.schedule_expression_timezone(), Some("UTC"));
    assert_eq!(got.state().unwrap().as_str(), "ENABLED");
    assert_eq!(got.action_after_completion().unwrap().as_str(), "DELETE");
    assert_eq!(got.flexible_time_window().unwrap().mode().as_str(), "OFF");
    let target = got.target().unwrap();
    assert_eq!(target.arn(), s.bus_arn);
    assert_eq!(target.role_arn(), ROLE);
    let input: Value = serde_json::from_str(target.input().unwrap()).unwrap();
    assert_eq!(
        input,
        json!({"scheduled_event": "true", "user": "alice", "product": "sku-1"})
    );
    let eb = target.event_bridge_parameters().unwrap();
    assert_eq!(eb.source(), "putToCartService");
    assert_eq!(eb.detail_type(), "item sku-1 added to Cart");
}

#[test]
fn rerun_is_unchanged_conflict_fails_skip_and_replace_resolve() {
    let s = setup();
    let bob = |extra: &[&str]| {
        schedule(
            &s,
            &[&["--user", "bob", "--product", "sku-2"], extra].concat(),
        )
    };
    let stored = |name: &str| get_schedule(&s.group, name).unwrap();
    let first = bob(&["--in", "1d"]);
    first.success();
    let first = first.json();
    let name = first["name"].as_str().unwrap().to_owned();
    let stored_expr = first["schedule_expression"].as_str().unwrap().to_owned();

    // Same command again, a moment later: the same reminder.
    let again = bob(&["--in", "1d"]);
    again.success();
    assert_eq!(again.json()["status"], "unchanged");
    assert_eq!(again.json()["schedule_expression"], stored_expr.as_str());

    // A different due time: a conflict, and nothing changes.
    let conflict = bob(&["--in", "2d"]);
    conflict.code(5);
    assert!(conflict.stderr.contains("due time"), "{}", conflict.stderr);
    assert!(
        conflict.stderr.contains("--on-conflict"),
        "{}",
        conflict.stderr
    );
    assert_eq!(
        stored(&name).schedule_expression(),
        Some(stored_expr.as_str())
    );

    let skip = bob(&["--in", "2d", "--on-conflict", "skip"]);
    skip.success();
    assert_eq!(skip.json()["status"], "skipped");
    assert_eq!(
        skip.json()["schedule_expression"],
        stored_expr.as_str(),
        "skipped reports what is stored"
    );
    assert_eq!(
        stored(&name).schedule_expression(),
        Some(stored_expr.as_str())
    );

    let replace = bob(&[
        "--in",
        "2d",
        "--on-conflict",
        "replace",
        "--description",
        "moved",
    ]);
    replace.success();
    let replaced = replace.json();
    assert_eq!(replaced["status"], "replaced");
    let got = stored(&name);
    assert_eq!(
        got.schedule_expression(),
        replaced["schedule_expression"].as_str()
    );
    assert_eq!(got.description(), Some("moved"));
    let moved = at_utc(got.schedule_expression().unwrap()) - at_utc(&stored_expr);
    assert!(
        (moved.num_seconds() - 86_400).abs() < 60,
        "moved by {moved}"
    );
    assert_eq!(schedule_names(&s.group), vec![name.clone()]);

    // And the replaced reminder is now the one a re-run finds unchanged.
    let again = bob(&["--in", "2d", "--description", "moved"]);
    again.success();
    assert_eq!(again.json()["status"], "unchanged");
}

#[test]
fn at_with_timezone_is_stored_in_that_zone() {
    let s = setup();
    let run = schedule(
        &s,
        &[
            "--user",
            "carol",
            "--product",
            "sku-3",
            "--at",
            "2030-12-24T18:00",
            "--timezone",
            "Europe/Paris",
        ],
    );
    run.success();
    let out = run.json();
    assert_eq!(out["due"], "2030-12-24T17:00:00Z");
    let got = get_schedule(&s.group, out["name"].as_str().unwrap()).unwrap();
    assert_eq!(got.schedule_expression(), Some("at(2030-12-24T18:00:00)"));
    assert_eq!(got.schedule_expression_timezone(), Some("Europe/Paris"));

    let run = schedule(
        &s,
        &[
            "--user",
            "carol",
            "--product",
            "sku-4",
            "--at",
            "2030-12-24T18:00:00+01:00",
        ],
    );
    run.success();
    let got = get_schedule(&s.group, run.json()["name"].as_str().unwrap()).unwrap();
    assert_eq!(got.schedule_expression(), Some("at(2030-12-24T17:00:00)"));
    assert_eq!(got.schedule_expression_timezone(), Some("UTC"));
}

#[test]
fn quiet_hours_move_a_due_time_to_their_end_in_the_reminders_zone() {
    let s = setup();
    // 22:30 in Paris on the night summer time ends (2030-10-27 03:00 CEST -> 02:00 CET).
    let run = schedule(
        &s,
        &[
            "--user",
            "dora",
            "--product",
            "sku-5",
            "--at",
            "2030-10-26T22:30",
            "--timezone",
            "Europe/Paris",
            "--quiet-hours",
            "21:00-08:00",
        ],
    );
    run.success();
    let out = run.json();
    // 08:00 CET is 07:00 UTC: the hour the clocks went back is not skipped.
    assert_eq!(out["due"], "2030-10-27T07:00:00Z", "{out}");
    let got = get_schedule(&s.group, out["name"].as_str().unwrap()).unwrap();
    assert_eq!(got.schedule_expression(), Some("at(2030-10-27T08:00:00)"));
    assert_eq!(got.schedule_expression_timezone(), Some("Europe/Paris"));
    // Outside quiet hours nothing moves; CARTCTL_QUIET_HOURS is the flag's variable.
    let run = schedule_into(&s.group, &s.bus)
        .env("CARTCTL_QUIET_HOURS", "21:00-08:00")
        .args(["-o", "json", "--user", "dora", "--product", "sku-6"])
        .args(["--at", "2030-10-26T12:00:00Z"])
        .run();
    run.success();
    assert_eq!(run.json()["due"], "2030-10-26T12:00:00Z");
    let run = schedule_into(&s.group, &s.bus)
        .env("CARTCTL_QUIET_HOURS", "21:00-08:00")
        .args(["-o", "json", "--user", "dora", "--product", "sku-7"])
        .args(["--at", "2030-10-26T23:00:00Z"])
        .run();
    run.success();
    assert_eq!(run.json()["due"], "2030-10-27T08:00:00Z");
}

#[test]
fn every_option_reaches_the_stored_schedule() {
    let s = setup();
    let dlq = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:cart-dlq");
    let run = schedule(
        &s,
        &[
            "--user",
            "dave",
            "--product",
            "sku-5",
            "--in",
            "3h",
            "--name",
            "custom.name_1",
            "--source",
            "shop.cart",
            "--detail-type",
            "reminder for {user}: {product}",
            "--description",
            "a reminder",
            "--flexible-window",
            "15m",
            "--keep-after-completion",
            "--max-retries",
            "3",
            "--max-event-age",
            "2h",
            "--dlq-arn",
            &dlq,
            "--disabled",
            "--client-token",
            "my-token_1",
        ],
    );
    run.success();
    assert_eq!(run.json()["name"], "custom.name_1");
    let got = get_schedule(&s.group, "custom.name_1").unwrap();
    assert_eq!(got.description(), Some("a reminder"));
    assert_eq!(got.state().unwrap().as_str(), "DISABLED");
    assert_eq!(got.action_after_completion().unwrap().as_str(), "NONE");
    let w = got.flexible_time_window().unwrap();
    assert_eq!(
        (w.mode().as_str(), w.maximum_window_in_minutes()),
        ("FLEXIBLE", Some(15))
    );
    let t = got.target().unwrap();
    let r = t.retry_policy().unwrap();
    assert_eq!(
        (r.maximum_retry_attempts(), r.maximum_event_age_in_seconds()),
        (Some(3), Some(7200))
    );
    assert_eq!(t.dead_letter_config().unwrap().arn(), Some(dlq.as_str()));
    let eb = t.event_bridge_parameters().unwrap();
    assert_eq!(
        (eb.source(), eb.detail_type()),
        ("shop.cart", "reminder for dave: sku-5")
    );
}

#[test]
fn hostile_ids_round_trip_and_stay_out_of_names() {
    let s = setup();
    let user = "o\"brien\\ \n\t ünïcødé 🛒 \u{1}";
    let product = "sku \"x\" {product}";
    let run = schedule(
        &s,
        &[
            "--user",
            user,
            "--product",
            product,
            "--in",
            "1d",
            "--detail-type",
            "cart reminder",
        ],
    );
    run.success();
    let out = run.json();
    assert_eq!(out["user"], user);
    assert_eq!(out["product"], product);
    let name = out["name"].as_str().unwrap();
    assert!(name.starts_with("cart-") && name.len() == 30, "{name}");
    let got = get_schedule(&s.group, name).unwrap();
    let input: Value = serde_json::from_str(got.target().unwrap().input().unwrap()).unwrap();
    assert_eq!(input["user"], user);
    assert_eq!(input["product"], product);
    assert!(!got.arn().unwrap().contains("brien"));
}

#[test]
fn missing_bus_and_group_are_not_found() {
    let s = setup();
    let run = cartctl()
        .args([
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
            "--role-arn",
            ROLE,
        ])
        .args(["--group", &s.group, "--bus", &unique("nobus")])
        .run();
    run.code(4);
    assert!(run.stderr.contains("event bus"), "{}", run.stderr);
    let run = cartctl()
        .args([
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
            "--role-arn",
            ROLE,
        ])
        .args(["--group", &unique("nogroup"), "--bus", &s.bus])
        .run();
    run.code(4);
    assert!(run.stderr.contains("schedule group"), "{}", run.stderr);
    assert!(
        run.stderr.contains("create-schedule-group"),
        "{}",
        run.stderr
    );
}

#[test]
fn dry_run_with_bus_arn_sends_nothing_and_prints_the_request() {
    let sentinel = Sentinel::start();
    let bus = bus_arn("shop");
    let run = cartctl_at(&sentinel.endpoint)
        .args([
            "schedule",
            "--user",
            "alice",
            "--product",
            "sku-1",
            "--in",
            "1d",
            "--dry-run",
        ])
        .args(["--bus", &bus, "--role-arn", ROLE])
        .run();
    run.success();
    assert_eq!(
        sentinel.hits(),
        0,
        "a dry run with a bus ARN made a request"
    );
    let req = run.json();
    assert_eq!(req["Name"], "cart-2bd806c97f0e-57156ade504c");
    assert_eq!(req["GroupName"], "default");
    assert_eq!(req["ScheduleExpressionTimezone"], "UTC");
    let due = at_utc(req["ScheduleExpression"].as_str().unwrap());
    let expected = Utc::now() + chrono::Duration::days(1);
    assert!(
        (due - expected).num_seconds().abs() <= 5,
        "{due} vs {expected}"
    );
    assert_eq!(req["Target"]["Arn"], bus.as_str());
    assert_eq!(req["Target"]["RoleArn"], ROLE);
    assert_eq!(
        req["Target"]["EventBridgeParameters"],
        json!({"DetailType": "item sku-1 added to Cart", "Source": "putToCartService"})
    );
    let input: Value = serde_json::from_str(req["Target"]["Input"].as_str().unwrap()).unwrap();
    assert_eq!(
        input,
        json!({"scheduled_event": "true", "user": "alice", "product": "sku-1"})
    );
    assert_eq!(req["FlexibleTimeWindow"], json!({"Mode": "OFF"}));
    assert_eq!(req["ActionAfterCompletion"], "DELETE");
    assert_eq!(req["State"], "ENABLED");
    assert_eq!(req["ClientToken"].as_str().unwrap().len(), 64);
}

#[test]
fn dry_run_with_bus_name_resolves_it_but_creates_nothing() {
    let s = setup();
    let run = schedule(
        &s,
        &[
            "--user",
            "erin",
            "--product",
            "sku-6",
            "--in",
            "1d",
            "--dry-run",
        ],
    );
    run.success();
    assert_eq!(run.json()["Target"]["Arn"], s.bus_arn.as_str());
    assert!(schedule_names(&s.group).is_empty());
}

/// The dry-run JSON is what boto3 (the AWS CLI's engine, with the same service model) accepts
/// as CreateSchedule parameters, and the schedule it creates is the one cartctl creates.
#[test]
fn dry_run_json_is_accepted_by_boto3_and_matches_cartctl() {
    let s = setup();
    let args = [
        "--user",
        "frank",
        "--product",
        "sku-7",
        "--at",
        "2031-01-02T03:04:05Z",
        "--max-retries",
        "2",
    ];
    let dry = schedule(&s, &[&args[..], &["--dry-run"]].concat());
    dry.success();
    let mut request = dry.json();
    schedule(&s, &args).success();
    let cartctl_name = request["Name"].as_str().unwrap().to_owned();
    request["Name"] = json!("made-by-boto3");
    let script = r#"
import json, sys, boto3
from botocore.config import Config
req = json.load(sys.stdin)
endpoint = sys.argv[1]
c = boto3.client("scheduler", endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="testing", aws_secret_access_key="testing")
c.create_schedule(**req)
def norm(n):
    g = c.get_schedule(GroupName=req["GroupName"], Name=n)
    for k in ("ResponseMetadata", "Arn", "Name", "CreationDate", "LastModificationDate"):
        g.pop(k, None)
    return g
print(json.dumps({"boto3": norm("made-by-boto3"), "cartctl": norm(sys.argv[2])}, default=str))
"#;
    let mut child = std::process::Command::new(venv_python())
        .args(["-c", script, &emulator().endpoint, &cartctl_name])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "boto3 refused the request: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let both: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(both["boto3"], both["cartctl"]);
    assert_eq!(
        both["cartctl"]["ScheduleExpression"],
        "at(2031-01-02T03:04:05)"
    );
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let sentinel = Sentinel::start();
    let (long_name, long_product, long_description) =
        ("n".repeat(65), "p".repeat(30), "d".repeat(513));
    // 63 characters: a valid name, with no room for a stage suffix.
    let staged_name = "n".repeat(63);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--in", "0s"], "--in"),
        (vec!["--in", "-5m"], "--in"),
        (vec!["--in", "soon"], "--in"),
        (vec!["--in", "3660d"], "--in"),
        (vec!["--at", "2020-01-01T00:00:00Z"], "--at"),
        (vec!["--at", "yesterday"], "--at"),
        (vec!["--at", "2099-01-01T00:00:00Z"], "--at"),
        (
            vec!["--at", "2030-03-31T02:30", "--timezone", "Europe/Paris"],
            "--at",
        ),
        (
            vec!["--at", "2030-10-27T02:30", "--timezone", "Europe/Paris"],
            "--at",
        ),
        (
            vec!["--in", "1d", "--timezone", "Mars/Olympus"],
            "--timezone",
        ),
        (vec!["--in", "1d", "--at", "2030-01-01T00:00"], "--in"),
        (vec!["--in", "1d", "--user", ""], "--user"),
        (vec!["--in", "1d", "--product", " "], "--product"),
        (
            vec!["--in", "1d", "--role-arn", "arn:aws:iam::123:role/x"],
            "--role-arn",
        ),
        (
            vec![
                "--in",
                "1d",
                "--dlq-arn",
                "arn:aws:sns:us-east-1:123456789012:t",
            ],
            "--dlq-arn",
        ),
        (
            vec![
                "--in",
                "1d",
                "--bus",
                "arn:aws:events:us-east-1:123456789012:rule/x",
            ],
            "--bus",
        ),
        (vec!["--in", "1d", "--name", "has space"], "--name"),
        (vec!["--in", "1d", "--name", &long_name], "--name"),
        (vec!["--in", "1d", "--group", "a/b"], "--group"),
        (
            vec!["--in", "1d", "--client-token", "a.b"],
            "--client-token",
        ),
        (vec!["--in", "1d", "--max-retries", "186"], "--max-retries"),
        (vec!["--in", "1d", "--max-retries", "-1"], "--max-retries"),
        (
            vec!["--in", "1d", "--max-event-age", "59s"],
            "--max-event-age",
        ),
        (
            vec!["--in", "1d", "--max-event-age", "25h"],
            "--max-event-age",
        ),
        (
            vec!["--in", "1d", "--flexible-window", "0m"],
            "--flexible-window",
        ),
        (
            vec!["--in", "1d", "--flexible-window", "1441m"],
            "--flexible-window",
        ),
        (vec!["--in", "1d", "--source", "aws.shop"], "--source"),
        (
            vec![
                "--in",
                "1d",
                "--detail-type",
                "{product}{product}{product}{product}{product}",
                "--product",
                &long_product,
            ],
            "--detail-type",
        ),
        (
            vec![
                "--in",
                "1d",
                "--detail-type",
                "for {user}",
                "--user",
                "a\nb",
            ],
            "--detail-type",
        ),
        (
            vec!["--in", "1d", "--description", &long_description],
            "--description",
        ),
        (
            vec!["--in", "1d", "--on-conflict", "overwrite"],
            "--on-conflict",
        ),
        (vec!["--in", "1d", "-o", "yaml"], "--output"),
        // --detail: an object that neither sets what cartctl writes nor contradicts the cart,
        // and fits in one event.
        (vec!["--in", "1d", "--detail", "[1]"], "--detail"),
        (vec!["--in", "1d", "--detail", "{"], "--detail"),
        (
            vec!["--in", "1d", "--detail", r#"{"scheduled_event":"false"}"#],
            "--detail",
        ),
        (
            vec!["--in", "1d", "--detail", r#"{"user":"mallory"}"#],
            "--detail",
        ),
        (vec!["--in", "1d", "--detail", r#"{"stage":9}"#], "--detail"),
        // Stages: increasing, at most 10, and a --name leaving room for `-s<N>`.
        (vec!["--in", "4h", "--in", "30m"], "--in"),
        (vec!["--in", "1h,2h,3h,4h,5h,6h,7h,8h,9h,10h,11h"], "--in"),
        (
            vec!["--in", "1h", "--in", "2h", "--name", &staged_name],
            "--name",
        ),
        (
            vec!["--in", "1d", "--endpoint-url", "localhost:1"],
            "--endpoint-url",
        ),
    ];
    assert_refused(&sentinel, &["schedule", "--role-arn", ROLE], &cases);
    // Without a role.
    let run = cartctl_at(&sentinel.endpoint)
        .args(["schedule", "--user", "u", "--product", "p", "--in", "1d"])
        .run();
    run.code(2);
    assert!(
        run.stderr.contains("--role-arn") && run.stderr.contains("CARTCTL_SCHEDULER_ROLE_ARN"),
        "{}",
        run.stderr
    );
    assert_eq!(sentinel.hits(), 0, "bad input reached the network");
}

#[test]
fn env_fallbacks_configure_the_reminder() {
    let s = setup();
    let run = cartctl()
        .env("CARTCTL_SCHEDULE_GROUP", &s.group)
        .env("CARTCTL_EVENT_BUS", &s.bus)
        .env("CARTCTL_SCHEDULER_ROLE_ARN", ROLE)
        .env("CARTCTL_SOURCE", "env.source")
        .env("CARTCTL_DETAIL_TYPE", "env {product}")
        .env("CARTCTL_OUTPUT", "json")
        .args([
            "schedule",
            "--user",
            "gina",
            "--product",
            "sku-8",
            "--in",
            "1d",
        ])
        .run();
    run.success();
    let out = run.json();
    assert_eq!(out["group"], s.group.as_str());
    let got = get_schedule(&s.group, out["name"].as_str().unwrap()).unwrap();
    let t = got.target().unwrap();
    assert_eq!(t.arn(), s.bus_arn);
    assert_eq!(t.event_bridge_parameters().unwrap().source(), "env.source");
    assert_eq!(
        t.event_bridge_parameters().unwrap().detail_type(),
        "env sku-8"
    );
}

#[test]
fn text_output_names_status_schedule_and_due_time() {
    let s = setup();
    let run = cartctl()
        .args([
            "schedule",
            "--group",
            &s.group,
            "--bus",
            &s.bus,
            "--role-arn",
            ROLE,
        ])
        .args([
            "--user",
            "hank",
            "--product",
            "sku-9",
            "--at",
            "2030-05-06T07:08:09Z",
        ])
        .run();
    run.success();
    assert!(run.stdout.starts_with("created "), "{}", run.stdout);
    assert!(
        run.stdout.contains("2030-05-06T07:08:09Z"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\x1b'),
        "colour on a pipe: {:?}",
        run.stdout
    );
}

#[test]
fn restart_moves_an_existing_reminder_and_without_it_the_rerun_is_unchanged() {
    let s = setup();
    let carol = |extra: &[&str]| {
        schedule(
            &s,
            &[
                &["--user", "carol", "--product", "sku-3", "--in", "1d"],
                extra,
            ]
            .concat(),
        )
    };
    let first = carol(&[]);
    first.success();
    let first = first.json();
    let name = first["name"].as_str().unwrap().to_owned();
    let first_due = at_utc(first["schedule_expression"].as_str().unwrap());
    // Due times are whole seconds: let the clock move on.
    std::thread::sleep(std::time::Duration::from_millis(2100));

    let again = carol(&[]);
    again.success();
    assert_eq!(again.json()["status"], "unchanged");

    let before = Utc::now();
    let restarted = carol(&["--restart"]);
    restarted.success();
    let out = restarted.json();
    assert_eq!(out["status"], "rescheduled", "{out}");
    assert_eq!(out["name"], name.as_str());
    let stored = get_schedule(&s.group, &name).unwrap();
    let stored_due = at_utc(stored.schedule_expression().unwrap());
    assert!(stored_due > first_due, "{stored_due} after {first_due}");
    let one_day = chrono::Duration::days(1);
    assert!(
        (stored_due - (before + one_day)).num_seconds().abs() <= 2,
        "due one day after the restart: {stored_due}"
    );
    // Still one schedule for the cart, with the full definition (its input unchanged).
    let input: Value = serde_json::from_str(stored.target().unwrap().input().unwrap()).unwrap();
    assert_eq!(input["user"], "carol");
    let listed = cartctl()
        .args(["list", "-o", "json", "--group", &s.group, "--user", "carol"])
        .run();
    listed.success();
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
}
