//! The bad-input catalogue: invalid flags, environment values, file lines and time edge cases
//! across every command. Each must exit 2 with a short message naming the field, and send
//! nothing: the runs go through the fault proxy (with no faults), which must count no request.

use crate::common::*;

struct Case {
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    stdin: Option<&'static str>,
    needle: &'static str,
}

fn case(args: &[&str], needle: &'static str) -> Case {
    Case {
        args: args.iter().map(|s| s.to_string()).collect(),
        env: vec![],
        stdin: None,
        needle,
    }
}

fn with_env(args: &[&str], env: &[(&'static str, &str)], needle: &'static str) -> Case {
    Case {
        env: env.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        ..case(args, needle)
    }
}

fn with_stdin(args: &[&str], stdin: &'static str, needle: &'static str) -> Case {
    Case {
        stdin: Some(stdin),
        ..case(args, needle)
    }
}

/// `schedule` with a valid user, product and role, plus `extra`.
fn sched(extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = ["schedule", "--role-arn", ROLE]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (flag, default) in [("--user", "u"), ("--product", "p")] {
        if !extra.contains(&flag) {
            a.extend([flag.to_string(), default.to_string()]);
        }
    }
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn s(extra: &[&str], needle: &'static str) -> Case {
    Case {
        args: sched(extra),
        env: vec![],
        stdin: None,
        needle,
    }
}

#[test]
fn the_catalogue_of_bad_input_exits_2_names_the_field_and_sends_nothing() {
    let proxy = FaultProxy::start(&emulator().endpoint, &[]);
    let bus = bus_arn("shop");
    let long = |c: char, n: usize| c.to_string().repeat(n);
    let (l65, l129, l257, l513) = (long('n', 65), long('p', 30), long('s', 257), long('d', 513));
    // 257 characters, 514 UTF-16 code units: over the description's 512 as the service counts.
    let emoji = long('😀', 257);
    let bulk_bus: &str = &bus;
    let dry = |stdin: &'static str, needle: &'static str| {
        with_stdin(
            &[
                "schedule",
                "--role-arn",
                ROLE,
                "--bus",
                bulk_bus,
                "--dry-run",
                "--file",
                "-",
                "--format",
                "ndjson",
            ],
            stdin,
            needle,
        )
    };
    let cases: Vec<Case> = vec![
        // schedule: due times, time zones and their edges
        s(&["--in", "0s"], "--in"),
        s(&["--in", "0"], "--in"),
        s(&["--in=-5m"], "--in"),
        s(&["--in", "soon"], "--in"),
        s(&["--in", "1 fortnight"], "--in"),
        s(&["--in", "3660d"], "--in"),
        s(&["--in", "1d", "--at", "2030-01-01T00:00"], "--in"),
        s(&[], "--in"),
        s(&["--at", "2020-01-01T00:00:00Z"], "--at"),
        s(&["--at", "yesterday"], "--at"),
        s(&["--at", "2099-01-01T00:00:00Z"], "--at"),
        s(&["--at", "2027-02-29T09:00"], "--at"),
        s(&["--at", "2030-01-01T24:00"], "--at"),
        s(&["--at", "2030-13-01T00:00"], "--at"),
        s(&["--at", "2030-01-01"], "--at"),
        s(&["--at", "10000-01-01T00:00"], "--at"),
        s(
            &["--at", "2030-03-31T02:30", "--timezone", "Europe/Paris"],
            "--at",
        ),
        s(
            &["--at", "2030-10-27T02:30", "--timezone", "Europe/Paris"],
            "--at",
        ),
        s(
            &["--at", "2030-03-10T02:30", "--timezone", "America/New_York"],
            "--at",
        ),
        s(
            &["--at", "2030-10-27T00:30:00Z", "--timezone", "Europe/Paris"],
            "--at",
        ),
        s(&["--in", "1d", "--timezone", "Mars/Olympus"], "--timezone"),
        s(&["--in", "1d", "--timezone", "europe/paris"], "--timezone"),
        s(&["--in", "1d", "--timezone", ""], "--timezone"),
        s(&["--at", "2030-01-01T00:00:00+25:00"], "--at"),
        s(&["--in", "1d", "--detail-type", ""], "--detail-type"),
        // schedule: ids, names, ARNs, limits
        s(&["--in", "1d", "--user", ""], "--user"),
        s(&["--in", "1d", "--product", " "], "--product"),
        s(
            &["--in", "1d", "--role-arn", "arn:aws:iam::123:role/x"],
            "--role-arn",
        ),
        s(
            &[
                "--in",
                "1d",
                "--role-arn",
                "arn:aws:iam::123456789012:user/x",
            ],
            "--role-arn",
        ),
        s(
            &[
                "--in",
                "1d",
                "--dlq-arn",
                "arn:aws:sns:us-east-1:123456789012:t",
            ],
            "--dlq-arn",
        ),
        s(
            &[
                "--in",
                "1d",
                "--bus",
                "arn:aws:events:us-east-1:123456789012:rule/x",
            ],
            "--bus",
        ),
        s(&["--in", "1d", "--bus", "has space"], "--bus"),
        // What AWS refuses (or accepts and then fails at firing time), refused here first.
        s(&["--in", "30s"], "--in"),
        s(
            &["--in", "1d", "--bus", "aws.partner/example.com/123/shop"],
            "--bus",
        ),
        s(
            &[
                "--in",
                "1d",
                "--bus",
                "arn:aws:events:us-east-1:123456789012:event-bus/aws.partner/example.com/1/b",
            ],
            "--bus",
        ),
        s(
            &[
                "--in",
                "1d",
                "--dlq-arn",
                "arn:aws:sqs:us-east-1:123456789012:reminders-dlq.fifo",
            ],
            "--dlq-arn",
        ),
        s(
            &[
                "--in",
                "1d",
                "--role-arn",
                "arn:aws:iam::123456789012:role/has space",
            ],
            "--role-arn",
        ),
        s(
            &[
                "--in",
                "1d",
                "--role-arn",
                "arn:aws:iam::123456789012:role/r#ole",
            ],
            "--role-arn",
        ),
        s(
            &["--in", "1d", "--user", "<aws.scheduler.execution-id>"],
            "--user",
        ),
        s(
            &[
                "--in",
                "1d",
                "--product",
                "sku-<aws.scheduler.schedule-arn>",
            ],
            "--product",
        ),
        s(&["--in", "1d", "--description", &emoji], "--description"),
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--bus",
                "aws.partner/example.com/123/shop",
            ],
            "--bus",
        ),
        s(&["--in", "1d", "--name", "has space"], "--name"),
        s(&["--in", "1d", "--name", &l65], "--name"),
        s(&["--in", "1d", "--group", "a/b"], "--group"),
        s(&["--in", "1d", "--client-token", "a.b"], "--client-token"),
        s(&["--in", "1d", "--max-retries", "186"], "--max-retries"),
        s(&["--in", "1d", "--max-retries", "-1"], "--max-retries"),
        s(&["--in", "1d", "--max-event-age", "59s"], "--max-event-age"),
        s(&["--in", "1d", "--max-event-age", "25h"], "--max-event-age"),
        s(
            &["--in", "1d", "--flexible-window", "0m"],
            "--flexible-window",
        ),
        s(
            &["--in", "1d", "--flexible-window", "90s"],
            "--flexible-window",
        ),
        s(&["--in", "1d", "--source", "aws.shop"], "--source"),
        s(&["--in", "1d", "--source", &l257], "--source"),
        s(
            &[
                "--in",
                "1d",
                "--detail-type",
                "{product}{product}{product}{product}{product}",
                "--product",
                &l129,
            ],
            "--detail-type",
        ),
        s(
            &[
                "--in",
                "1d",
                "--detail-type",
                "for {user}",
                "--user",
                "a\nb",
            ],
            "--detail-type",
        ),
        s(&["--in", "1d", "--description", &l513], "--description"),
        s(
            &["--in", "1d", "--on-conflict", "overwrite"],
            "--on-conflict",
        ),
        s(
            &["--in", "1d", "--endpoint-url", "localhost:1"],
            "--endpoint-url",
        ),
        s(&["--in", "1d", "--region", "EU West"], "--region"),
        s(&["--in", "1d", "--max-attempts", "0"], "--max-attempts"),
        s(&["--in", "1d", "--color", "sometimes"], "--color"),
        // schedule: environment values
        with_env(
            &sched(&["--in", "1d"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            &[("CARTCTL_OUTPUT", "yaml")],
            "--output",
        ),
        with_env(
            &sched(&["--in", "1d"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            &[("CARTCTL_EVENT_BUS", "bad bus")],
            "--bus",
        ),
        with_env(
            &["schedule", "--user", "u", "--product", "p", "--in", "1d"],
            &[("CARTCTL_SCHEDULER_ROLE_ARN", "nope")],
            "--role-arn",
        ),
        with_env(
            &sched(&["--in", "1d"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            &[("CARTCTL_SCHEDULE_GROUP", "a/b")],
            "--group",
        ),
        with_env(
            &sched(&["--in", "1d"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            &[("CARTCTL_SOURCE", "aws.cart")],
            "--source",
        ),
        with_env(
            &["schedule", "--user", "u", "--product", "p", "--in", "1d"],
            &[],
            "--role-arn",
        ),
        // schedule: file lines (a dry run with a bus ARN sends nothing even when valid)
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"soon\"}\n",
            "line 1: invalid in",
        ),
        dry(
            "{\"user\":\"a\",\"in\":\"1d\"}\n",
            "line 1: invalid product",
        ),
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\",\"colour\":1}\n",
            "line 1: invalid colour",
        ),
        dry(
            "{\"user\":42,\"product\":\"p\",\"in\":\"1d\"}\n",
            "line 1: invalid user: must be a string",
        ),
        dry("[\"a\",\"p\"]\n", "line 1: invalid line"),
        dry("{not json\n", "line 1: invalid line"),
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\",\"at\":\"2030-01-01T00:00\"}\n",
            "line 1: invalid in",
        ),
        dry(
            "\n{\"user\":\"a\",\"product\":\"p\",\"at\":\"2030-01-01T00:00\",\"timezone\":\"Nowhere/City\"}\n",
            "line 2: invalid timezone",
        ),
        dry(
            "{\"user\":\"\",\"product\":\"p\",\"in\":\"1d\"}\n",
            "line 1: invalid user",
        ),
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"at\":\"2027-03-28T02:30\",\"timezone\":\"Europe/Paris\"}\n",
            "line 1: invalid at",
        ),
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\",\"detail\":{\"stage\":1}}\n",
            "line 1: invalid detail",
        ),
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\",\"restart\":\"maybe\"}\n",
            "line 1: invalid restart",
        ),
        dry(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\",\"name\":\"n\"}\n",
            "line 1: invalid name",
        ),
        with_stdin(
            &[
                "put-event",
                "--bus",
                bulk_bus,
                "--dry-run",
                "--file",
                "-",
                "--format",
                "ndjson",
            ],
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\"}\n",
            "line 1: invalid in",
        ),
        with_stdin(
            &["schedule", "--role-arn", ROLE, "--file", "-", "--in", "1d"],
            "{}\n",
            "--format",
        ),
        with_stdin(
            &[
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                "-",
                "--format",
                "csv",
                "--in",
                "1d",
            ],
            "user,product,when\na,b,c\n",
            "unknown column `when`",
        ),
        case(
            &[
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                "/no/such/file.ndjson",
                "--in",
                "1d",
            ],
            "--file",
        ),
        with_stdin(
            &[
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                "-",
                "--format",
                "ndjson",
                "--name",
                "x",
            ],
            "",
            "--name",
        ),
        with_stdin(
            &[
                "schedule",
                "--role-arn",
                ROLE,
                "--file",
                "-",
                "--format",
                "ndjson",
                "--concurrency",
                "0",
            ],
            "",
            "--concurrency",
        ),
        // put-event
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--detail",
                "[1]",
            ],
            "--detail",
        ),
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--detail",
                "{oops",
            ],
            "--detail",
        ),
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--detail",
                "{\"user\":\"other\"}",
            ],
            "--detail",
        ),
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--source",
                "aws.x",
            ],
            "--source",
        ),
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--source",
                "+x",
            ],
            "--source",
        ),
        case(
            &[
                "put-event",
                "--user",
                "u",
                "--product",
                "p",
                "--detail-type",
                "a\tb",
            ],
            "--detail-type",
        ),
        case(&["put-event", "--user", "", "--product", "p"], "--user"),
        case(&["put-event", "--user", "u"], "--product"),
        with_stdin(
            &[
                "put-event",
                "--bus",
                bulk_bus,
                "--dry-run",
                "--file",
                "-",
                "--format",
                "ndjson",
            ],
            "{\"user\":\"a\",\"product\":\"p\",\"detail\":[1]}\n",
            "line 1: invalid detail",
        ),
        with_stdin(
            &[
                "put-event",
                "--bus",
                bulk_bus,
                "--dry-run",
                "--file",
                "-",
                "--format",
                "csv",
            ],
            "user,product\n,p\n",
            "line 2: invalid user",
        ),
        // list, delete, fire
        case(&["list", "--due-before", "someday"], "--due-before"),
        case(&["list", "--due-after", "2030-13-01"], "--due-after"),
        case(&["list", "--state", "paused"], "--state"),
        case(&["list", "--limit", "0"], "--limit"),
        case(&["list", "--concurrency", "0"], "--concurrency"),
        case(&["list", "--group", "a b"], "--group"),
        case(&["delete"], "NAME"),
        case(&["delete", "bad name"], "NAME"),
        case(&["delete", "--product", "p"], "--user"),
        case(&["delete", "--all", "--user", "u", "x"], "--all"),
        case(&["fire"], "NAME"),
        case(&["fire", "bad/name"], "NAME"),
        case(&["fire", "--due", "x"], "--due"),
        // tail
        case(&["tail", "--pattern", "[1]"], "--pattern"),
        case(&["tail", "--pattern", "{}"], "--pattern"),
        case(
            &["tail", "--pattern", "{\"source\":[\"a\"]}", "--source", "b"],
            "--source",
        ),
        case(&["tail", "--pattern", "{\"source\":\"shop\"}"], "--pattern"),
        case(
            &["tail", "--pattern", "{\"$or\":[{\"source\":[\"a\"]}]}"],
            "--pattern",
        ),
        case(&["tail", "--max-events", "0"], "--max-events"),
        case(&["tail", "--timeout", "0s"], "--timeout"),
        case(&["tail", "--timeout", "later"], "--timeout"),
        case(&["tail", "--gc", "--user", "u"], "--gc"),
        case(&["tail", "--older-than", "1h"], "--gc"),
        // the command line itself
        case(&["frobnicate"], "frobnicate"),
        case(&["list", "--nope"], "--nope"),
        case(&["completions", "tcsh"], "tcsh"),
    ];
    assert!(cases.len() >= 60, "the catalogue has {} cases", cases.len());
    for c in &cases {
        let mut cmd = cartctl_at(&proxy.endpoint).args(&c.args);
        for (k, v) in &c.env {
            cmd = cmd.env(k, v);
        }
        if let Some(input) = c.stdin {
            cmd = cmd.stdin(input);
        }
        let run = cmd.run();
        let shown: Vec<String> = c
            .args
            .iter()
            .map(|a| a.chars().take(40).collect())
            .collect();
        assert_eq!(run.code, 2, "{shown:?} {:?}: {}", c.env, run.stderr);
        assert!(
            run.stderr.contains(c.needle),
            "{shown:?}: message does not name {:?}: {}",
            c.needle,
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{shown:?}: {}",
            run.stderr
        );
        let first = run.stderr.lines().next().unwrap_or("");
        assert!(first.starts_with("error"), "{shown:?}: {}", run.stderr);
        assert_eq!(proxy.requests(), 0, "{shown:?} sent a request");
    }
}
