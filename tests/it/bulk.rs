//! Bulk mode against the emulator: hundreds of lines read back, idempotent re-runs, a run killed
//! half way and run again, bad lines reported while the others go on, events delivered once.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};

use serde_json::{Value, json};

use crate::common::*;

fn write_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn ndjson(lines: impl IntoIterator<Item = Value>) -> String {
    lines.into_iter().map(|v| format!("{v}\n")).collect()
}

fn statuses(rows: &[Value]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(r["status"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    m
}

struct Group {
    group: String,
    bus: String,
}

impl Group {
    /// `cartctl schedule` into this group and bus.
    fn schedule(&self) -> Cartctl {
        schedule_into(&self.group, &self.bus)
    }
}

fn group_and_bus() -> Group {
    let group = unique("g");
    let bus = unique("bus");
    create_group(&group);
    create_bus(&bus);
    Group { group, bus }
}

fn schedule_file(g: &Group, path: &std::path::Path, extra: &[&str]) -> Run {
    g.schedule()
        .args(["-o", "ndjson"])
        .arg_path("--file", path)
        .args(extra)
        .run()
}

/// Every stored schedule of a group, by name: (user, product, expression, timezone).
fn stored(group: &str) -> BTreeMap<String, (String, String, String, String)> {
    schedule_names(group)
        .into_iter()
        .map(|n| {
            let s = get_schedule(group, &n).unwrap();
            let input: Value = serde_json::from_str(s.target().unwrap().input().unwrap()).unwrap();
            (
                n,
                (
                    input["user"].as_str().unwrap().to_owned(),
                    input["product"].as_str().unwrap().to_owned(),
                    s.schedule_expression().unwrap().to_owned(),
                    s.schedule_expression_timezone().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

#[test]
fn three_hundred_reminders_then_a_rerun_changes_nothing() {
    let g = group_and_bus();
    let lines: Vec<Value> = (0..300)
        .map(|i| match i % 3 {
            0 => json!({"user": format!("user-{i}"), "product": format!("sku-{}", i % 11), "in": "1d"}),
            1 => json!({"user": format!("user-{i}"), "product": format!("sku-{}", i % 11), "at": "2031-06-01T12:00", "timezone": "Europe/Paris"}),
            _ => json!({"user": format!("user-{i}"), "product": format!("sku-{}", i % 11)}),
        })
        .collect();
    let (_dir, path) = write_file("carts.ndjson", &ndjson(lines.clone()));
    let run = schedule_file(&g, &path, &["--in", "2h", "--concurrency", "8"]);
    run.success();
    let rows = run.ndjson();
    assert_eq!(rows.len(), 300);
    assert_eq!(
        statuses(&rows),
        BTreeMap::from([("created".to_owned(), 300)])
    );
    let line_numbers: BTreeSet<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(line_numbers, (1..=300).collect());

    let first = stored(&g.group);
    assert_eq!(first.len(), 300);
    for (i, line) in lines.iter().enumerate() {
        let row = rows.iter().find(|r| r["line"] == (i + 1) as u64).unwrap();
        let (user, product, expr, tz) = &first[row["name"].as_str().unwrap()];
        assert_eq!(user, line["user"].as_str().unwrap());
        assert_eq!(product, line["product"].as_str().unwrap());
        match i % 3 {
            1 => assert_eq!(
                (expr.as_str(), tz.as_str()),
                ("at(2031-06-01T12:00:00)", "Europe/Paris")
            ),
            _ => assert_eq!(tz, "UTC"),
        }
    }

    let again = schedule_file(&g, &path, &["--in", "2h"]);
    again.success();
    assert_eq!(
        statuses(&again.ndjson()),
        BTreeMap::from([("unchanged".to_owned(), 300)])
    );
    assert_eq!(stored(&g.group), first, "a re-run changed stored schedules");
}

#[test]
fn a_run_killed_half_way_and_run_again_ends_exact() {
    let g = group_and_bus();
    let lines: Vec<Value> = (0..400)
        .map(|i| json!({"user": format!("k-{i}"), "product": "sku", "in": "1d"}))
        .collect();
    let (_dir, path) = write_file("carts.ndjson", &ndjson(lines));
    let mut child = g
        .schedule()
        .args(["-o", "ndjson"])
        .args(["--concurrency", "4"])
        .arg_path("--file", &path)
        .spawn();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = 0;
    let mut line = String::new();
    while seen < 120 && out.read_line(&mut line).unwrap() > 0 {
        seen += 1;
        line.clear();
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = schedule_names(&g.group).len();
    assert!(
        (120..400).contains(&partial),
        "killed too late or too early: {partial}"
    );

    let again = schedule_file(&g, &path, &[]);
    again.success();
    let counts = statuses(&again.ndjson());
    assert_eq!(counts.values().sum::<usize>(), 400);
    assert_eq!(
        counts.get("created").copied().unwrap_or(0),
        400 - partial,
        "{counts:?}"
    );
    let all = stored(&g.group);
    assert_eq!(all.len(), 400);
    let users: BTreeSet<&str> = all.values().map(|v| v.0.as_str()).collect();
    assert_eq!(users.len(), 400);
}

#[test]
fn csv_on_stdin_with_a_bad_line_applies_the_good_ones_and_exits_3() {
    let g = group_and_bus();
    let csv = "user,product,in,timezone\n\
               alice,sku-1,1d,\n\
               bob,sku-2,,Europe/Paris\n\
               carol,sku-3,soon,\n\
               \"o\"\"brien, jr\",sku-4,90m,\n\
               dave,sku-5,1d,Mars/Base\n";
    let run = g
        .schedule()
        .args(["-o", "ndjson"])
        .args(["--file", "-", "--format", "csv", "--at", "2031-01-01T09:00"])
        .stdin(csv)
        .run();
    run.code(3);
    let rows = run.ndjson();
    assert_eq!(rows.len(), 5);
    let by_line: BTreeMap<u64, &Value> = rows
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r))
        .collect();
    assert_eq!(by_line[&2]["status"], "created");
    assert_eq!(by_line[&3]["status"], "created");
    assert_eq!(
        by_line[&3]["schedule_expression"],
        "at(2031-01-01T09:00:00)"
    );
    assert_eq!(by_line[&3]["timezone"], "Europe/Paris");
    assert_eq!(by_line[&4]["status"], "failed");
    assert!(
        by_line[&4]["error"]
            .as_str()
            .unwrap()
            .contains("invalid in"),
        "{}",
        by_line[&4]
    );
    assert_eq!(by_line[&4]["user"], "carol");
    assert_eq!(by_line[&5]["status"], "created");
    assert_eq!(by_line[&5]["user"], "o\"brien, jr");
    assert_eq!(by_line[&6]["status"], "failed");
    assert!(
        by_line[&6]["error"]
            .as_str()
            .unwrap()
            .contains("invalid timezone")
    );
    assert!(run.stderr.contains("2 of 5 lines failed"), "{}", run.stderr);
    let users: BTreeSet<String> = stored(&g.group).into_values().map(|v| v.0).collect();
    assert_eq!(
        users,
        BTreeSet::from(["alice".into(), "bob".into(), "o\"brien, jr".into()])
    );
}

#[test]
fn text_output_is_a_summary_and_failures_name_their_line() {
    let g = group_and_bus();
    let (_dir, path) = write_file(
        "c.ndjson",
        "{\"user\":\"a\",\"product\":\"p\"}\n\n{\"user\":\"b\"}\n{\"user\":\"c\",\"product\":\"p\",\"color\":1}\n",
    );
    let run = g
        .schedule()
        .args(["--in", "1d"])
        .arg_path("--file", &path)
        .run();
    run.code(3);
    assert_eq!(run.stdout.trim(), "3 lines: 1 created, 2 invalid");
    assert!(
        run.stderr.contains("line 3: invalid product: is missing"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("line 4: invalid color: is not a field of a line"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown field"), "{}", run.stderr);
}

#[test]
fn json_output_is_one_array() {
    let g = group_and_bus();
    let (_dir, path) = write_file(
        "c.jsonl",
        &ndjson((0..5).map(|i| json!({"user": format!("j{i}"), "product": "p"}))),
    );
    let run = g
        .schedule()
        .args(["--in", "1d", "-o", "json"])
        .arg_path("--file", &path)
        .run();
    run.success();
    let all = run.json();
    assert_eq!(all.as_array().unwrap().len(), 5);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "created")
    );
}

#[test]
fn a_thousand_events_arrive_exactly_once() {
    let bus = unique("bus");
    create_bus(&bus);
    let rec = BusRecorder::on(&bus);
    let lines = (0..1000).map(|i| json!({"user": format!("e{i}"), "product": format!("sku-{}", i % 5), "detail": {"n": i}}));
    let (_dir, path) = write_file("events.ndjson", &ndjson(lines));
    let run = cartctl()
        .args(["put-event", "--bus", &bus, "-o", "ndjson"])
        .arg_path("--file", &path)
        .run();
    run.success();
    let rows = run.ndjson();
    assert_eq!(rows.len(), 1000);
    assert!(rows.iter().all(|r| r["status"] == "sent"));
    let ids: BTreeSet<&str> = rows
        .iter()
        .map(|r| r["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1000);

    let got = rec.events(1000);
    let mut ns: Vec<u64> = got
        .iter()
        .map(|e| e["detail"]["n"].as_u64().unwrap())
        .collect();
    ns.sort();
    assert_eq!(
        ns,
        (0..1000).collect::<Vec<_>>(),
        "every event exactly once"
    );
    for e in &got {
        let n = e["detail"]["n"].as_u64().unwrap();
        assert_eq!(e["detail"]["user"], format!("e{n}"));
        assert_eq!(
            e["detail-type"],
            format!("item sku-{} added to Cart", n % 5)
        );
    }
    assert!(rec.events(1).is_empty(), "no duplicate arrived later");
}

#[test]
fn bulk_dry_run_prints_requests_and_sends_nothing() {
    let sentinel = Sentinel::start();
    let bus = bus_arn("shop");
    let lines = (0..25).map(|i| json!({"user": format!("d{i}"), "product": "p", "detail": {"pad": "x".repeat(if i < 3 { 100_000 } else { 10 })}}));
    let (_dir, path) = write_file("e.ndjson", &ndjson(lines));
    let run = cartctl_at(&sentinel.endpoint)
        .args(["put-event", "--bus", &bus, "--dry-run", "-o", "ndjson"])
        .arg_path("--file", &path)
        .run();
    run.success();
    let requests = run.ndjson();
    let mut total = 0;
    for r in &requests {
        let entries = r["Entries"].as_array().unwrap();
        assert!(!entries.is_empty() && entries.len() <= 10);
        let size: usize = entries
            .iter()
            .map(|e| {
                ["Source", "DetailType", "Detail"]
                    .iter()
                    .map(|k| e[k].as_str().unwrap().len())
                    .sum::<usize>()
            })
            .sum();
        assert!(size < 256 * 1024, "a call of {size} bytes");
        total += entries.len();
    }
    assert_eq!(total, 25);
    assert!(
        requests.len() >= 4,
        "100 KB entries must split calls: {}",
        requests.len()
    );

    let (_dir2, path2) = write_file(
        "s.ndjson",
        "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\"}\n{\"user\":\"b\",\"product\":\"p\",\"in\":\"0s\"}\n",
    );
    let run = cartctl_at(&sentinel.endpoint)
        .args([
            "schedule",
            "--bus",
            &bus,
            "--role-arn",
            ROLE,
            "--dry-run",
            "-o",
            "ndjson",
        ])
        .arg_path("--file", &path2)
        .run();
    run.code(2);
    assert_eq!(run.ndjson().len(), 1);
    assert_eq!(run.ndjson()[0]["Name"].as_str().unwrap().len(), 30);
    assert!(run.stderr.contains("line 2: invalid in"), "{}", run.stderr);
    assert!(
        run.stderr.contains("1 of 2 lines are invalid"),
        "{}",
        run.stderr
    );
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn bad_bulk_flags_exit_2_and_send_nothing() {
    let sentinel = Sentinel::start();
    let (_dir, csv) = write_file("c.csv", "user,product,when\na,b,c\n");
    let (_dir2, txt) = write_file("c.txt", "{}\n");
    let csv = csv.to_str().unwrap().to_owned();
    let txt = txt.to_str().unwrap().to_owned();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["schedule", "--role-arn", ROLE, "--file", "-", "--in", "1d"],
            "--format",
        ),
        (
            vec!["schedule", "--role-arn", ROLE, "--file", &txt, "--in", "1d"],
            "--format",
        ),
        (
            vec!["schedule", "--role-arn", ROLE, "--file", &csv, "--in", "1d"],
            "unknown column `when`",
        ),
        (
            vec![
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                "/nonexistent.ndjson",
                "--in",
                "1d",
            ],
            "--file",
        ),
        (
            vec![
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                &txt,
                "--format",
                "ndjson",
                "--name",
                "x",
            ],
            "--name",
        ),
        (
            vec![
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                &txt,
                "--format",
                "ndjson",
                "--concurrency",
                "0",
            ],
            "--concurrency",
        ),
        (
            vec![
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                &txt,
                "--format",
                "ndjson",
                "--in",
                "soon",
            ],
            "--in",
        ),
        (
            vec![
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                &txt,
                "--format",
                "xml",
            ],
            "--format",
        ),
        (
            vec![
                "put-event",
                "--file",
                &txt,
                "--format",
                "ndjson",
                "--detail",
                "[]",
            ],
            "--detail",
        ),
        (vec!["put-event", "--format", "ndjson"], "--file"),
        (
            vec![
                "put-event",
                "--file",
                &txt,
                "--format",
                "ndjson",
                "--max-attempts",
                "0",
            ],
            "--max-attempts",
        ),
    ];
    for (args, needle) in &cases {
        let run = cartctl_at(&sentinel.endpoint).args(args).run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}
