//! `cartctl list` and `cartctl delete` against the emulator: over 200 reminders (several
//! ListSchedules pages) beside schedules cartctl did not create.

use std::collections::BTreeSet;
use std::io::Write;

use serde_json::{Value, json};

use crate::common::*;

const REMINDERS: usize = 220;
const PRODUCTS: usize = 5;

/// A group holding REMINDERS reminders (user-i, sku-(i % 5), due 2031-01-01 + i minutes, written
/// to the file in a shuffled order), an overdue reminder, a disabled one, and foreign schedules.
struct Fixture {
    group: String,
    bus_arn: String,
}

fn foreign(group: &str, bus_arn: &str, name: &str, expression: &str, input: &str, state: &str) {
    RawSchedule {
        group,
        name,
        expression,
        input,
        action: "NONE",
        state,
        target: bus_arn,
        detail_type: "",
    }
    .create();
}

fn fixture() -> Fixture {
    let group = unique("g");
    let bus = unique("bus");
    create_group(&group);
    let bus_arn = create_bus(&bus);
    let mut order: Vec<usize> = (0..REMINDERS).collect();
    order.reverse();
    order.swap(3, 100);
    let lines: String = order
        .iter()
        .map(|&i| {
            let at = format!("2031-01-01T{:02}:{:02}", i / 60, i % 60);
            format!("{}\n", json!({"user": format!("user-{i}"), "product": format!("sku-{}", i % PRODUCTS), "at": at}))
        })
        .collect();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(lines.as_bytes()).unwrap();
    schedule_into(&group, &bus)
        .args(["--format", "ndjson"])
        .arg_path("--file", file.path())
        .run()
        .success();
    schedule_into(&group, &bus)
        .args([
            "--user",
            "sleepy",
            "--product",
            "sku-0",
            "--at",
            "2032-01-01T00:00",
            "--disabled",
        ])
        .run()
        .success();
    // Overdue: the emulator never fires schedules, so one due in the past stays listed.
    let input = json!({"scheduled_event": "true", "user": "late", "product": "sku-1"}).to_string();
    let overdue_name = name_of("late", "sku-1");
    foreign(
        &group,
        &bus_arn,
        &overdue_name,
        "at(2020-01-01T00:00:00)",
        &input,
        "ENABLED",
    );
    foreign(
        &group,
        &bus_arn,
        "nightly-report",
        "cron(0 3 * * ? *)",
        "{}",
        "ENABLED",
    );
    foreign(
        &group,
        &bus_arn,
        "cleanup.weekly",
        "rate(7 days)",
        "{}",
        "DISABLED",
    );
    // A cartctl-shaped name whose input is not a reminder: still foreign.
    foreign(
        &group,
        &bus_arn,
        "cart-000000000000-111111111111",
        "at(2031-06-01T00:00:00)",
        r#"{"hello":"world"}"#,
        "ENABLED",
    );
    Fixture { group, bus_arn }
}

fn name_of(user: &str, product: &str) -> String {
    let run = cartctl()
        .args([
            "schedule",
            "--user",
            user,
            "--product",
            product,
            "--in",
            "1d",
            "--dry-run",
            "--role-arn",
            ROLE,
        ])
        .args(["--bus", &bus_arn("x")])
        .run();
    run.json()["Name"].as_str().unwrap().to_owned()
}

fn list(f: &Fixture, extra: &[&str]) -> Vec<Value> {
    let run = cartctl()
        .args(["list", "--group", &f.group, "-o", "json"])
        .args(extra)
        .run();
    run.success();
    run.json().as_array().unwrap().clone()
}

fn users(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["user"].as_str().unwrap_or("-").to_owned())
        .collect()
}

#[test]
fn list_pages_reads_filters_and_sorts() {
    let f = fixture();
    let rows = list(&f, &[]);
    assert_eq!(
        rows.len(),
        REMINDERS + 2,
        "every reminder, no foreign schedule"
    );
    // Sorted by due: the overdue one first, then user-0, user-1, …, then the 2032 one.
    let u = users(&rows);
    assert_eq!(u[0], "late");
    assert_eq!(u[1], "user-0");
    assert_eq!(u[REMINDERS], format!("user-{}", REMINDERS - 1));
    assert_eq!(u[REMINDERS + 1], "sleepy");
    let r = &rows[1 + 61];
    assert_eq!(r["user"], "user-61");
    assert_eq!(r["product"], "sku-1");
    assert_eq!(r["due"], "2031-01-01T01:01:00Z");
    assert_eq!(r["schedule_expression"], "at(2031-01-01T01:01:00)");
    assert_eq!(r["timezone"], "UTC");
    assert_eq!(r["state"], "ENABLED");
    assert_eq!(r["target_arn"], f.bus_arn.as_str());
    assert_eq!(r["group"], f.group.as_str());
    assert_eq!(r["name"], name_of("user-61", "sku-1").as_str());
    assert!(
        r["arn"]
            .as_str()
            .unwrap()
            .ends_with(r["name"].as_str().unwrap())
    );

    let all = list(&f, &["--all"]);
    assert_eq!(all.len(), REMINDERS + 2 + 3);
    let foreign: BTreeSet<&str> = all
        .iter()
        .filter(|r| r["user"].is_null())
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        foreign,
        BTreeSet::from([
            "nightly-report",
            "cleanup.weekly",
            "cart-000000000000-111111111111"
        ])
    );

    assert_eq!(users(&list(&f, &["--user", "user-7"])), ["user-7"]);
    assert_eq!(
        users(&list(&f, &["--user", "user-7", "--product", "sku-2"])),
        ["user-7"]
    );
    assert!(list(&f, &["--user", "user-7", "--product", "sku-3"]).is_empty());
    let p3 = list(&f, &["--product", "sku-3"]);
    assert_eq!(p3.len(), REMINDERS / PRODUCTS);
    assert!(p3.iter().all(|r| r["product"] == "sku-3"));

    let early = list(&f, &["--due-before", "2031-01-01T01:00:00Z"]);
    assert_eq!(early.len(), 61, "late + user-0..user-59");
    let late = list(&f, &["--due-after", "2031-01-01T03:00:00Z"]);
    assert_eq!(users(&late).last().unwrap(), "sleepy");
    assert_eq!(late.len(), REMINDERS - 181 + 1);
    assert_eq!(users(&list(&f, &["--overdue"])), ["late"]);
    assert_eq!(users(&list(&f, &["--state", "disabled"])), ["sleepy"]);
    assert_eq!(
        users(&list(&f, &["--limit", "3"])),
        ["late", "user-0", "user-1"]
    );
}

#[test]
fn list_text_ndjson_unsorted_and_broken_pipe() {
    let f = fixture();
    let run = cartctl().args(["list", "--group", &f.group]).run();
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), REMINDERS + 3, "header + rows");
    for col in ["NAME", "USER", "PRODUCT", "DUE (UTC)", "IN", "STATE"] {
        assert!(lines[0].contains(col));
    }
    assert!(
        lines[1].contains("late") && lines[1].contains(" ago"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("user-0")
            && lines[2].contains("2031-01-01 00:00:00")
            && lines[2].contains("in "),
        "{}",
        lines[2]
    );

    let run = cartctl()
        .args(["list", "--group", &f.group, "-o", "ndjson", "--unsorted"])
        .run();
    run.success();
    let rows = run.ndjson();
    assert_eq!(rows.len(), REMINDERS + 2);
    let names: BTreeSet<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), REMINDERS + 2);

    for format in ["text", "ndjson"] {
        let mut child = cartctl()
            .args(["list", "--group", &f.group, "-o", format, "--unsorted"])
            .spawn();
        drop(child.stdout.take()); // like `| head -0`: the reader is gone
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn delete_by_name_user_and_all() {
    let f = fixture();
    let one = name_of("user-1", "sku-1");
    let two = name_of("user-2", "sku-2");

    // By name.
    let run = cartctl().args(["delete", "--group", &f.group, &one]).run();
    run.success();
    assert!(run.stdout.contains("deleted 1 schedule"), "{}", run.stdout);
    assert!(get_schedule(&f.group, &one).is_none());

    // A missing name: 4, and the others are still deleted; --missing-ok makes it 0.
    let run = cartctl()
        .args([
            "delete", "--group", &f.group, "--yes", "-o", "json", &one, &two,
        ])
        .run();
    run.code(4);
    assert_eq!(
        run.json(),
        json!({"deleted": [two], "missing": [one], "failed": []})
    );
    assert!(run.stderr.contains(&one), "{}", run.stderr);
    cartctl()
        .args(["delete", "--group", &f.group, "--missing-ok", &one])
        .run()
        .success();

    // --dry-run deletes nothing.
    let run = cartctl()
        .args([
            "delete",
            "--group",
            &f.group,
            "--user",
            "user-3",
            "--dry-run",
            "-o",
            "json",
        ])
        .run();
    run.success();
    assert_eq!(
        run.json(),
        json!({"would_delete": [name_of("user-3", "sku-3")]})
    );
    assert!(get_schedule(&f.group, &name_of("user-3", "sku-3")).is_some());

    // --user with one reminder needs no --yes.
    cartctl()
        .args(["delete", "--group", &f.group, "--user", "user-3"])
        .run()
        .success();
    assert!(get_schedule(&f.group, &name_of("user-3", "sku-3")).is_none());

    // Filters narrow --all: --state picks the disabled one, --overdue only the overdue one.
    let run = cartctl()
        .args([
            "delete", "--group", &f.group, "--all", "--state", "disabled",
        ])
        .args(["--dry-run", "-o", "json"])
        .run();
    run.success();
    assert_eq!(
        run.json(),
        json!({"would_delete": [name_of("sleepy", "sku-0")]})
    );
    let late = name_of("late", "sku-1");
    let run = cartctl()
        .args(["delete", "--group", &f.group, "--all", "--overdue", "--yes"])
        .args(["-o", "json"])
        .run();
    run.success();
    assert_eq!(
        run.json(),
        json!({"deleted": [late], "missing": [], "failed": []})
    );
    assert!(get_schedule(&f.group, &late).is_none());
    assert!(get_schedule(&f.group, &name_of("sleepy", "sku-0")).is_some());

    // --all in a script without --yes: refused, nothing deleted.
    let before = schedule_names(&f.group);
    let run = cartctl()
        .args(["delete", "--group", &f.group, "--all"])
        .run();
    run.code(2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(schedule_names(&f.group), before);

    // --all --yes: every reminder goes, foreign schedules stay.
    let run = cartctl()
        .args([
            "delete", "--group", &f.group, "--all", "--yes", "-o", "json",
        ])
        .run();
    run.success();
    assert_eq!(
        run.json()["deleted"].as_array().unwrap().len(),
        REMINDERS + 2 - 4
    );
    assert_eq!(
        schedule_names(&f.group),
        vec![
            "cart-000000000000-111111111111".to_owned(),
            "cleanup.weekly".into(),
            "nightly-report".into()
        ]
    );
}

#[test]
fn list_and_delete_refuse_bad_input() {
    let sentinel = Sentinel::start();
    for (args, needle) in [
        (vec!["list", "--due-before", "someday"], "--due-before"),
        (vec!["list", "--due-after", "2030-13-01"], "--due-after"),
        (vec!["list", "--state", "paused"], "--state"),
        (vec!["list", "--group", "a b"], "--group"),
        (vec!["list", "--limit", "0"], "--limit"),
        (vec!["list", "--concurrency", "0"], "--concurrency"),
        (vec!["list", "--user", ""], "--user"),
        (vec!["delete"], "NAME"),
        (vec!["delete", "has space"], "NAME"),
        (vec!["delete", "--product", "p"], "--user"),
        (vec!["delete", "x", "--overdue"], "--overdue"),
        (
            vec!["delete", "--all", "--due-after", "soon"],
            "--due-after",
        ),
        (vec!["delete", "--all", "--state", "gone"], "--state"),
        (
            vec!["delete", "x", "--concurrency", "1000"],
            "--concurrency",
        ),
    ] {
        let run = cartctl_at(&sentinel.endpoint).args(&args).run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn a_missing_group_is_not_found_for_list_delete_and_fire() {
    let group = unique("nogroup");
    for args in [
        vec!["list", "--group", &group],
        vec!["delete", "--group", &group, "some-name"],
        vec!["delete", "--group", &group, "--all", "--yes"],
        vec!["fire", "--group", &group, "--due"],
    ] {
        let run = cartctl().args(&args).run();
        assert_eq!(run.code, 4, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("schedule group `{group}` does not exist")),
            "{}",
            run.stderr
        );
    }
}
