//! The reminder lifecycle against the emulator: extra detail carried from `schedule` to `list`
//! and the fired event, follow-ups in stages, and cancelling in bulk.

use std::io::Write;

use serde_json::{Value, json};

use crate::common::*;

fn schedule(s: &Setup, extra: &[&str]) -> Run {
    schedule_into(&s.group, &s.bus)
        .args(["-o", "json"])
        .args(extra)
        .run()
}

fn stored_input(group: &str, name: &str) -> String {
    let stored = get_schedule(group, name).unwrap_or_else(|| panic!("no schedule {name}"));
    stored.target().unwrap().input().unwrap().to_owned()
}

fn list(s: &Setup, extra: &[&str]) -> Vec<Value> {
    let run = cartctl()
        .args(["list", "--group", &s.group, "-o", "json"])
        .args(extra)
        .run();
    run.success();
    run.json().as_array().unwrap().clone()
}

fn ndjson_file(lines: &[Value]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .suffix(".ndjson")
        .tempfile()
        .unwrap();
    for l in lines {
        writeln!(file, "{l}").unwrap();
    }
    file
}

#[test]
fn detail_travels_in_the_input_the_listing_and_the_fired_event() {
    let s = setup();
    let rec = BusRecorder::on(&s.bus);
    let detail = r#"{"cart_id":"c-42","quantity":2,"locale":"fr-FR"}"#;
    let args = [
        "--user",
        "dana",
        "--product",
        "sku-9",
        "--in",
        "1d",
        "--detail",
        detail,
    ];
    let run = schedule(&s, &args);
    run.success();
    let name = run.json()["name"].as_str().unwrap().to_owned();
    // Merged after scheduled_event, user and product, in the order given.
    assert_eq!(
        stored_input(&s.group, &name),
        r#"{"scheduled_event":"true","user":"dana","product":"sku-9","cart_id":"c-42","quantity":2,"locale":"fr-FR"}"#
    );
    // The same detail again is the same reminder; another detail is a conflict.
    assert_eq!(schedule(&s, &args).json()["status"], "unchanged");
    let mut other = args;
    other[7] = r#"{"cart_id":"c-43"}"#;
    schedule(&s, &other).code(5);

    let want: Value = serde_json::from_str(detail).unwrap();
    let rows = list(&s, &["--user", "dana"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["detail"], want);
    assert!(rows[0].get("stage").is_none(), "{}", rows[0]);
    let ndjson = cartctl()
        .args(["list", "--group", &s.group, "-o", "ndjson", "--unsorted"])
        .run();
    ndjson.success();
    let row: Value = serde_json::from_str(ndjson.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(row["detail"], want);

    cartctl()
        .args(["fire", &name, "--group", &s.group])
        .run()
        .success();
    let got = rec.events(1);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["detail"],
        json!({"scheduled_event": "true", "user": "dana", "product": "sku-9",
               "cart_id": "c-42", "quantity": 2, "locale": "fr-FR"})
    );

    // In a file: a line's own detail, else --detail; a contradicting line is reported by number.
    let file = ndjson_file(&[
        json!({"user": "eve", "product": "sku-1", "detail": {"cart_id": "c-1"}}),
        json!({"user": "eve", "product": "sku-2"}),
        json!({"user": "eve", "product": "sku-3", "detail": {"product": "sku-4"}}),
    ]);
    let run = schedule_into(&s.group, &s.bus)
        .args(["--in", "1d", "--detail", r#"{"channel":"email"}"#])
        .arg_path("--file", file.path())
        .run();
    run.code(3);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    assert!(run.stderr.contains("contradicts"), "{}", run.stderr);
    let rows = list(&s, &["--user", "eve"]);
    let details: Vec<(&str, &Value)> = rows
        .iter()
        .map(|r| (r["product"].as_str().unwrap(), &r["detail"]))
        .collect();
    assert_eq!(
        details,
        [
            ("sku-1", &json!({"cart_id": "c-1"})),
            ("sku-2", &json!({"channel": "email"}))
        ]
    );
}

#[test]
fn oversized_details_in_a_file_are_refused_by_line_and_sent_nowhere() {
    let sentinel = Sentinel::start();
    let file = ndjson_file(&[
        json!({"user": "u", "product": "p", "detail": {"note": "x".repeat(256 * 1024)}}),
        json!({"user": "u", "product": "p", "detail": {"scheduled_event": "false"}}),
    ]);
    let run = cartctl_at(&sentinel.endpoint)
        .args(["schedule", "--in", "1d", "--role-arn", ROLE, "--dry-run"])
        .args([
            "--bus",
            "arn:aws:events:us-east-1:123456789012:event-bus/shop",
        ])
        .arg_path("--file", file.path())
        .run();
    // Every line invalid: an input error, nothing sent.
    run.code(2);
    assert!(
        run.stderr.contains("line 1") && run.stderr.contains("256 KB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 2") && run.stderr.contains("scheduled_event"),
        "{}",
        run.stderr
    );
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn stages_are_one_reminder_each_listed_restarted_and_deleted_together() {
    let s = setup();
    let stages = [
        "--user",
        "erin",
        "--product",
        "sku-5",
        "--in",
        "30m",
        "--in",
        "4h",
        "--in",
        "1d",
    ];
    let run = schedule(&s, &stages);
    run.success();
    let out = run.json();
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 3, "{out:?}");
    let base = {
        let plain = schedule(
            &s,
            &[
                "--user",
                "erin",
                "--product",
                "sku-5",
                "--in",
                "1d",
                "--dry-run",
            ],
        );
        plain.json()["Name"].as_str().unwrap().to_owned()
    };
    for (n, o) in out.iter().enumerate() {
        let n = n + 1;
        assert_eq!(o["status"], "created");
        assert_eq!(o["name"], format!("{base}-s{n}"));
        assert_eq!(
            (o["stage"].as_u64(), o["stages"].as_u64()),
            (Some(n as u64), Some(3))
        );
        let input: Value =
            serde_json::from_str(&stored_input(&s.group, &format!("{base}-s{n}"))).unwrap();
        assert_eq!(
            input,
            json!({"scheduled_event": "true", "user": "erin", "product": "sku-5", "stage": n, "stages": 3})
        );
    }
    // Another cart of the same user, which the deletion below must leave.
    schedule(&s, &["--user", "erin", "--product", "sku-6", "--in", "1d"]).success();

    // Listed with their stages, in due order; the text table gains a STAGE column.
    let rows = list(&s, &["--user", "erin", "--product", "sku-5"]);
    let staged: Vec<(u64, u64)> = rows
        .iter()
        .map(|r| (r["stage"].as_u64().unwrap(), r["stages"].as_u64().unwrap()))
        .collect();
    assert_eq!(staged, [(1, 3), (2, 3), (3, 3)]);
    let text = cartctl()
        .args(["list", "--group", &s.group, "--user", "erin"])
        .run();
    text.success();
    assert!(
        text.stdout.lines().next().unwrap().contains("STAGE"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains(" 2/3 "), "{}", text.stdout);

    // Re-running is idempotent per stage; --restart moves every stage.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let statuses = |run: Run| -> Vec<Value> {
        run.success();
        let out = run.json();
        out.as_array()
            .unwrap()
            .iter()
            .map(|o| o["status"].clone())
            .collect()
    };
    assert_eq!(statuses(schedule(&s, &stages)), ["unchanged"; 3]);
    let restart = [&stages[..], &["--restart"]].concat();
    assert_eq!(statuses(schedule(&s, &restart)), ["rescheduled"; 3]);

    // One delete --user --product removes every stage, and only them.
    let run = cartctl()
        .args([
            "delete",
            "--group",
            &s.group,
            "--user",
            "erin",
            "--product",
            "sku-5",
        ])
        .args(["--yes", "-o", "json"])
        .run();
    run.success();
    assert_eq!(
        run.json()["deleted"].as_array().unwrap().len(),
        3,
        "{}",
        run.stdout
    );
    let left = list(&s, &["--user", "erin"]);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["product"], "sku-6");
}

#[test]
fn a_file_line_may_restart_its_own_clock() {
    let s = setup();
    let lines = |restart: bool| {
        ndjson_file(&[
            json!({"user": "fay", "product": "sku-1", "restart": restart}),
            json!({"user": "fay", "product": "sku-2"}),
        ])
    };
    let statuses = |file: &tempfile::NamedTempFile| {
        let run = schedule_into(&s.group, &s.bus)
            .args(["--in", "1d", "-o", "ndjson"])
            .arg_path("--file", file.path())
            .run();
        run.success();
        let mut got: Vec<(String, String)> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .map(|v| {
                (
                    v["product"].as_str().unwrap().to_owned(),
                    v["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        got.sort();
        got
    };
    let created = statuses(&lines(false));
    assert!(created.iter().all(|(_, st)| st == "created"), "{created:?}");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(
        statuses(&lines(true)),
        [
            ("sku-1".into(), "rescheduled".into()),
            ("sku-2".into(), "unchanged".into())
        ]
    );
}

#[test]
fn delete_file_deletes_exactly_the_named_reminders_and_reports_the_rest_by_line() {
    let s = setup();
    let carts: Vec<Value> = (0..150)
        .map(|i| json!({"user": format!("u-{i}"), "product": format!("sku-{}", i % 3)}))
        .collect();
    let created = schedule_into(&s.group, &s.bus)
        .args(["--in", "1d", "-o", "ndjson"])
        .arg_path("--file", ndjson_file(&carts).path())
        .run();
    created.success();
    let mut names = std::collections::HashMap::new();
    for l in created.stdout.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        names.insert(
            v["user"].as_str().unwrap().to_owned(),
            v["name"].as_str().unwrap().to_owned(),
        );
    }
    // One cart in stages too: deleting the cart removes its stages.
    schedule(
        &s,
        &["--user", "u-0", "--product", "sku-9", "--in", "1h,2h"],
    )
    .success();

    // 200 lines: 100 carts, 20 names, 10 whole users (one has stages), 69 missing, 1 malformed.
    let mut lines: Vec<String> = (0..100).map(|i| carts[i].to_string()).collect();
    lines.extend((100..120).map(|i| json!({"name": names[&format!("u-{i}")]}).to_string()));
    lines.extend((120..130).map(|i| json!({"user": format!("u-{i}")}).to_string()));
    lines
        .extend((0..60).map(|i| json!({"user": format!("ghost-{i}"), "product": "p"}).to_string()));
    lines.extend((0..9).map(|i| json!({"name": format!("cart-gone-{i}")}).to_string()));
    lines.insert(150, "{\"user\": \"u-140\", \"product\": ".into());
    lines.push(json!({"user": "u-0", "product": "sku-9"}).to_string());
    assert_eq!(lines.len(), 201);
    lines.remove(0); // u-0/sku-0 stays, so the user has one reminder left
    let mut file = tempfile::Builder::new()
        .suffix(".ndjson")
        .tempfile()
        .unwrap();
    file.write_all((lines.join("\n") + "\n").as_bytes())
        .unwrap();

    let delete = || {
        cartctl()
            .args(["delete", "--group", &s.group, "--yes", "-o", "ndjson"])
            .arg_path("--file", file.path())
            .run()
    };
    let run = delete();
    run.code(3);
    let out: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 200);
    let count = |status: &str| out.iter().filter(|o| o["status"] == status).count();
    assert_eq!(
        (count("deleted"), count("missing"), count("failed")),
        (130, 69, 1)
    );
    let failed = out.iter().find(|o| o["status"] == "failed").unwrap();
    assert_eq!(failed["line"], 150, "{failed}");
    let staged = out.iter().find(|o| o["product"] == "sku-9").unwrap();
    assert_eq!(staged["deleted"].as_array().unwrap().len(), 2, "{staged}");
    let deleted: usize = out
        .iter()
        .map(|o| o["deleted"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(deleted, 131);

    // Exactly the named reminders are gone: u-0/sku-0 and u-130..u-149 remain.
    let mut left: Vec<String> = list(&s, &[])
        .iter()
        .map(|r| r["user"].as_str().unwrap().to_owned())
        .collect();
    left.sort();
    let mut want: Vec<String> = std::iter::once(0)
        .chain(130..150)
        .map(|i| format!("u-{i}"))
        .collect();
    want.sort();
    assert_eq!(left, want);

    // Idempotent: a re-run deletes nothing more and reports the same malformed line.
    let again = delete();
    again.code(3);
    let out: Vec<Value> = again
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.iter().filter(|o| o["status"] == "missing").count(), 199);
    let failed: Vec<&Value> = out.iter().filter(|o| o["status"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["line"], 150);
}

#[test]
fn delete_file_needs_yes_and_dry_run_reads_csv_from_stdin() {
    let s = setup();
    schedule(&s, &["--user", "gus", "--product", "sku-1", "--in", "1d"]).success();
    let refused = cartctl()
        .args([
            "delete", "--group", &s.group, "--file", "-", "--format", "csv",
        ])
        .stdin("user,product\ngus,sku-1\n")
        .run();
    refused.code(2);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    let dry = cartctl()
        .args([
            "delete",
            "--group",
            &s.group,
            "--file",
            "-",
            "--format",
            "csv",
            "--dry-run",
        ])
        .args(["-o", "json"])
        .stdin("user,product\ngus,sku-1\nnobody,sku-1\n")
        .run();
    dry.success();
    let out = dry.json();
    let line = |user: &str| {
        out.as_array()
            .unwrap()
            .iter()
            .find(|o| o["user"] == user)
            .unwrap_or_else(|| panic!("no line for {user}: {out}"))
            .clone()
    };
    assert_eq!(line("gus")["status"], "would_delete");
    assert_eq!(line("gus")["deleted"].as_array().unwrap().len(), 1, "{out}");
    assert_eq!(line("nobody")["deleted"], json!([]));
    assert_eq!(list(&s, &[]).len(), 1, "a dry run deletes nothing");
}
