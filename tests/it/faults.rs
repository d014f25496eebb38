//! Faults survived: through a proxy that throttles, fails, resets connections before and after
//! forwarding (the request applied, its answer lost) and fails PutEvents entries, with a fixed
//! seed, bulk runs end exact, events arrive at least once, list and delete complete.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};

use serde_json::{Value, json};

use crate::common::*;

fn write_lines(lines: impl IntoIterator<Item = Value>) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut f = tempfile::Builder::new()
        .suffix(".ndjson")
        .tempfile()
        .unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    f
}

/// Stored schedules of a group, read directly from the emulator: name → (user, product).
fn stored(group: &str) -> BTreeMap<String, (String, String, String)> {
    schedule_names(group)
        .into_iter()
        .map(|n| {
            let s = get_schedule(group, &n).unwrap();
            let input: Value = serde_json::from_str(s.target().unwrap().input().unwrap()).unwrap();
            let v = (
                input["user"].as_str().unwrap().to_owned(),
                input["product"].as_str().unwrap().to_owned(),
                s.schedule_expression().unwrap().to_owned(),
            );
            (n, v)
        })
        .collect()
}

fn assert_faults_happened(proxy: &FaultProxy) {
    let stats = proxy.stats();
    eprintln!("proxy: {stats}");
    for kind in ["throttled", "error500", "reset_before", "reset_after"] {
        assert!(
            stats[kind].as_u64().unwrap_or(0) > 0,
            "no {kind} was injected: {stats}"
        );
    }
}

#[test]
fn bulk_schedule_of_300_ends_with_300_correct_schedules() {
    let s = setup();
    let proxy = faulty(7, &[]);
    let file = write_lines((0..300).map(|i| json!({"user": format!("fault-{i}"), "product": format!("sku-{}", i % 7), "at": "2031-03-01T10:00"})));
    let run = cartctl_at(&proxy.endpoint)
        .args([
            "schedule",
            "--group",
            &s.group,
            "--bus",
            &s.bus,
            "--role-arn",
            ROLE,
            "-o",
            "ndjson",
        ])
        .arg_path("--file", file.path())
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.ndjson();
    assert_eq!(rows.len(), 300);
    let statuses: BTreeSet<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert!(
        statuses.is_subset(&BTreeSet::from(["created", "unchanged"])),
        "{statuses:?}"
    );
    let all = stored(&s.group);
    assert_eq!(all.len(), 300, "exactly one schedule per line");
    let expected: BTreeSet<(String, String)> = (0..300)
        .map(|i| (format!("fault-{i}"), format!("sku-{}", i % 7)))
        .collect();
    let got: BTreeSet<(String, String)> = all
        .values()
        .map(|(u, p, _)| (u.clone(), p.clone()))
        .collect();
    assert_eq!(got, expected);
    assert!(all.values().all(|(_, _, e)| e == "at(2031-03-01T10:00:00)"));
    assert_faults_happened(&proxy);
}

#[test]
fn bulk_put_event_of_1000_delivers_every_event_at_least_once() {
    let bus = unique("bus");
    create_bus(&bus);
    let rec = BusRecorder::on(&bus);
    let proxy = faulty(11, &["--fail-entries", "0.1"]);
    let file = write_lines(
        (0..1000).map(|i| json!({"user": format!("u{i}"), "product": "p", "detail": {"n": i}})),
    );
    let run = cartctl_at(&proxy.endpoint)
        .args(["put-event", "--bus", &bus, "-o", "ndjson"])
        .arg_path("--file", file.path())
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.ndjson().len(), 1000);
    let got = rec.events(1000);
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for e in &got {
        *counts
            .entry(e["detail"]["n"].as_u64().unwrap())
            .or_default() += 1;
    }
    let missing: Vec<u64> = (0..1000).filter(|n| !counts.contains_key(n)).collect();
    assert!(missing.is_empty(), "lost events: {missing:?}");
    let duplicates: usize = counts.values().map(|c| c - 1).sum();
    let stats = proxy.stats();
    eprintln!(
        "1000 events: {} delivered, {duplicates} duplicates (answers lost after the write: {}), {} entries refused then retried",
        got.len(),
        stats["reset_after"],
        stats["failed_entries"]
    );
    assert!(
        duplicates <= stats["reset_after"].as_u64().unwrap_or(0) as usize * 10,
        "a duplicate needs a lost answer"
    );
    assert!(stats["failed_entries"].as_u64().unwrap_or(0) > 0);
    assert_faults_happened(&proxy);
}

#[test]
fn list_and_delete_all_complete_under_faults() {
    let s = setup();
    let file = write_lines((0..150).map(|i| json!({"user": format!("ld-{i}"), "product": "p"})));
    schedule_into(&s.group, &s.bus)
        .args(["--in", "1d"])
        .arg_path("--file", file.path())
        .run()
        .success();
    let proxy = faulty(13, &[]);
    let run = cartctl_at(&proxy.endpoint)
        .args(["list", "--group", &s.group, "-o", "json"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json().as_array().unwrap().len(),
        150,
        "every row, none dropped"
    );
    let run = cartctl_at(&proxy.endpoint)
        .args([
            "delete", "--all", "--yes", "--group", &s.group, "-o", "json",
        ])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["deleted"].as_array().unwrap().len(), 150, "{report}");
    assert_eq!(report["missing"], json!([]));
    assert!(schedule_names(&s.group).is_empty());
    assert_faults_happened(&proxy);
}

#[test]
fn a_run_killed_at_a_random_point_and_run_again_ends_exact() {
    let (seed, _) = fault_options(17);
    // A seeded kill point: after 20..220 results.
    let kill_after = 20
        + (seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
            >> 33)
            % 200;
    let s = setup();
    let proxy = faulty(seed, &[]);
    let file = write_lines(
        (0..300).map(|i| json!({"user": format!("kill-{i}"), "product": "p", "in": "1d"})),
    );
    let mut child = cartctl_at(&proxy.endpoint)
        .args([
            "schedule",
            "--group",
            &s.group,
            "--bus",
            &s.bus,
            "--role-arn",
            ROLE,
            "-o",
            "ndjson",
            "--concurrency",
            "8",
        ])
        .arg_path("--file", file.path())
        .spawn();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    for _ in 0..kill_after {
        line.clear();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!(
        "killed after {kill_after} results; {} schedules stored",
        schedule_names(&s.group).len()
    );
    let run = cartctl_at(&proxy.endpoint)
        .args([
            "schedule",
            "--group",
            &s.group,
            "--bus",
            &s.bus,
            "--role-arn",
            ROLE,
            "-o",
            "ndjson",
        ])
        .arg_path("--file", file.path())
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = stored(&s.group);
    assert_eq!(all.len(), 300);
    let users: BTreeSet<&str> = all.values().map(|(u, _, _)| u.as_str()).collect();
    assert_eq!(users.len(), 300);
}

#[test]
fn an_unreachable_endpoint_fails_with_exit_1_quickly() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    for args in [
        vec!["put-event", "--user", "u", "--product", "p"],
        vec![
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
            "--role-arn",
            ROLE,
        ],
        vec!["list"],
        vec!["delete", "some-name"],
    ] {
        let started = std::time::Instant::now();
        let run = cartctl_at(&endpoint).args(&args).run();
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("NetworkError") && run.stderr.contains("Connection refused"),
            "{}",
            run.stderr
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn fire_due_of_60_through_30_percent_faults_delivers_every_reminder() {
    // fire goes through the one PutEvents path: refused entries are sent again, as put-event's.
    // (With 30% of entries refused on top, one reminder in 60 could exhaust its 10 attempts.)
    let s = setup();
    let rec = BusRecorder::on(&s.bus);
    for i in 0..60 {
        let input = json!({"scheduled_event": "true", "user": format!("u{i}"), "product": "p"});
        RawSchedule {
            group: &s.group,
            name: &format!("due-{i:02}"),
            expression: "at(2020-01-01T00:00:00)",
            input: &input.to_string(),
            action: "DELETE",
            state: "ENABLED",
            target: &s.bus_arn,
            detail_type: "item p added to Cart",
        }
        .create();
    }
    let (seed, _) = fault_options(13);
    let proxy = FaultProxy::start(
        &emulator().endpoint,
        &[
            "--seed".into(),
            seed.to_string(),
            "--faults".into(),
            "0.3".into(),
            "--fail-entries".into(),
            "0.1".into(),
        ],
    );
    let run = cartctl_at(&proxy.endpoint)
        .args(["fire", "--due", "--group", &s.group, "-o", "ndjson"])
        .run();
    eprintln!("proxy: {}", proxy.stats());
    run.success();
    let users: BTreeSet<String> = rec
        .events(60)
        .iter()
        .map(|e| e["detail"]["user"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(users.len(), 60, "every reminder arrives at least once");
    assert!(
        proxy.stats()["failed_entries"].as_u64().unwrap_or(0) > 0,
        "entries were refused and sent again"
    );
    assert!(
        schedule_names(&s.group).is_empty(),
        "all deleted after firing"
    );
}
