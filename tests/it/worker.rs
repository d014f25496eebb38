//! `cartctl worker consumer` end to end: `setup` makes the carts rule and queue, the shop puts
//! cart events, the worker turns them into reminders (and deletes them on removal and
//! checkout), in the order the events happened whatever order they arrive in.

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::{Value, json};

use crate::common::*;

/// A flow made by `cartctl setup`, with its config file in a directory of its own.
pub(crate) struct Flow {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) bus: String,
    pub(crate) group: String,
    pub(crate) prefix: String,
}

impl Flow {
    fn new() -> Flow {
        Flow::with(&[])
    }

    /// A flow made with setup's defaults.
    pub(crate) fn new_default() -> Flow {
        Flow::with(&[])
    }

    /// A flow made with these setup flags too.
    pub(crate) fn with(extra: &[&str]) -> Flow {
        let f = Flow {
            dir: tempfile::tempdir().unwrap(),
            bus: unique("shop"),
            group: unique("carts"),
            prefix: unique("wk"),
        };
        let made = cartctl()
            .current_dir(f.dir.path())
            .args(["setup", "--bus", &f.bus, "--group", &f.group])
            .args(["--name-prefix", &f.prefix, "--write-config", "cartctl.toml"])
            .args(extra)
            .run();
        made.success();
        f
    }

    pub(crate) fn cartctl(&self) -> Cartctl {
        cartctl()
            .current_dir(self.dir.path())
            .env_remove("CARTCTL_SCHEDULER_ROLE_ARN")
    }

    /// Puts `n` add-to-cart events of sku-1, for users `{prefix}0`, `{prefix}1`, ….
    pub(crate) fn put_carts(&self, prefix: &str, n: usize) {
        let lines: String = (0..n)
            .map(|i| format!("{{\"user\": \"{prefix}{i}\", \"product\": \"sku-1\"}}\n"))
            .collect();
        self.cartctl()
            .args(["put-event", "--file", "-", "--format", "ndjson", "-q"])
            .stdin(lines)
            .run()
            .success();
    }

    pub(crate) fn put(&self, args: &[&str]) {
        self.cartctl()
            .args(["put-event"])
            .args(args)
            .run()
            .success();
    }

    /// Runs the worker until it handled `n` messages (or 20 s passed without one).
    pub(crate) fn work(&self, n: usize, extra: &[&str]) -> (Run, Vec<Value>) {
        let mut cmd = self
            .cartctl()
            .args(["worker", "consumer", "-o", "ndjson"])
            .args(["--max-messages", &n.to_string()]);
        if !extra.contains(&"--idle-timeout") {
            cmd = cmd.args(["--idle-timeout", "20s"]);
        }
        let run = cmd.args(extra).run();
        let lines = run.ndjson();
        (run, lines)
    }

    pub(crate) fn queue(&self) -> String {
        queue_url(&format!("{}-carts", self.prefix))
    }

    /// Puts an envelope straight on the carts queue, as EventBridge would deliver it: a
    /// redelivery, or an event that arrives late.
    pub(crate) fn deliver(&self, envelope: &Value) {
        rt().block_on(
            sqs()
                .send_message()
                .queue_url(self.queue())
                .message_body(envelope.to_string())
                .send(),
        )
        .unwrap();
    }

    /// The reminders (not the markers) in the group.
    pub(crate) fn reminders(&self) -> Vec<String> {
        schedule_names(&self.group)
            .into_iter()
            .filter(|n| n.starts_with("cart-"))
            .collect()
    }

    pub(crate) fn input(&self, name: &str) -> Value {
        let s = get_schedule(&self.group, name).expect("the reminder exists");
        serde_json::from_str(s.target().unwrap().input().unwrap()).unwrap()
    }

    /// The due time: the `at()` expression read in the schedule's time zone.
    fn due(&self, name: &str) -> DateTime<Utc> {
        let s = get_schedule(&self.group, name).expect("the reminder exists");
        let at = s.schedule_expression().unwrap();
        let at = at.trim_start_matches("at(").trim_end_matches(')');
        let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").unwrap();
        let tz: chrono_tz::Tz = s
            .schedule_expression_timezone()
            .unwrap_or("UTC")
            .parse()
            .unwrap();
        local
            .and_local_timezone(tz)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }
}

pub(crate) fn queue_url(name: &str) -> String {
    rt().block_on(sqs().get_queue_url().queue_name(name).send())
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A cart event's envelope, as the carts rule delivers it.
pub(crate) fn envelope(detail_type: &str, time: DateTime<Utc>, detail: Value) -> Value {
    json!({
        "version": "0",
        "id": unique("event"),
        "detail-type": detail_type,
        "source": "putToCartService",
        "account": ACCOUNT,
        "time": rfc3339(time),
        "region": REGION,
        "resources": [],
        "detail": detail
    })
}

fn statuses(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["status"].as_str().unwrap_or("?").to_owned())
        .collect()
}

#[test]
fn cart_events_become_reminders_and_checkout_cancels_them() {
    let f = Flow::new();
    let before = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    f.put(&[
        "--user",
        "alice",
        "--product",
        "sku-1",
        "--detail",
        r#"{"email": "alice@example.com", "price": 12.5}"#,
    ]);
    f.put(&["--user", "alice", "--product", "sku-2"]);
    let (run, lines) = f.work(2, &[]);
    run.success();
    assert_eq!(statuses(&lines), ["created", "created"], "{run:?}");
    let names = f.reminders();
    assert_eq!(names.len(), 2, "{names:?}");
    let sku1 = lines.iter().find(|l| l["product"] == "sku-1").unwrap();
    let name1 = sku1["reminders"][0]["name"].as_str().unwrap().to_owned();
    // A day after the event's time; the event's other detail keys are on the cart's ledger
    // item, not in the reminder (the seed's keys and the add's time only).
    let time: DateTime<Utc> = sku1["time"].as_str().unwrap().parse().unwrap();
    assert!(time >= before && time <= Utc::now(), "{time}");
    assert_eq!(f.due(&name1), time + Duration::days(1));
    let input = f.input(&name1);
    assert_eq!(input["scheduled_event"], "true");
    assert_eq!(input["user"], "alice");
    assert_eq!(input["product"], "sku-1");
    assert_eq!(input["added_at"], rfc3339(time));
    assert!(
        input.get("email").is_none() && input.get("price").is_none(),
        "{input}"
    );
    let ledger = ledger_items(&format!("{}-carts", f.prefix), "alice");
    let cart = &ledger[&cartctl_core::ledger::cart_key("sku-1")];
    let detail: Value = serde_json::from_str(&cart["detail"]).unwrap();
    assert_eq!(detail, json!({"email": "alice@example.com", "price": 12.5}));
    assert_eq!(cart["added_at"], time.timestamp().to_string());
    assert!(cart["expires_at"].parse::<i64>().unwrap() > (time + Duration::days(30)).timestamp());

    // The same event again (SQS delivers at least once): unchanged.
    let again = envelope(
        "item sku-1 added to Cart",
        time,
        json!({"user": "alice", "product": "sku-1", "email": "alice@example.com", "price": 12.5}),
    );
    f.deliver(&again);
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["unchanged"]);

    // An add that happened before the one that made the reminder, arriving late: kept back.
    let older = envelope(
        "item sku-1 added to Cart",
        time - Duration::minutes(10),
        json!({"user": "alice", "product": "sku-1"}),
    );
    f.deliver(&older);
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["superseded"], "{lines:?}");
    assert_eq!(f.due(&name1), time + Duration::days(1));

    // A later add of the same product restarts the clock.
    let later = envelope(
        "item sku-1 added to Cart",
        time + Duration::minutes(5),
        json!({"user": "alice", "product": "sku-1", "email": "alice@example.com"}),
    );
    f.deliver(&later);
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["rescheduled"], "{lines:?}");
    assert_eq!(
        f.due(&name1),
        time + Duration::minutes(5) + Duration::days(1)
    );

    // Removal deletes that cart's reminder only.
    f.put(&["--kind", "remove", "--user", "alice", "--product", "sku-2"]);
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["deleted"]);
    assert_eq!(lines[0]["deleted"], 1);
    assert_eq!(f.reminders(), vec![name1.clone()]);
    let removed: DateTime<Utc> = lines[0]["time"].as_str().unwrap().parse().unwrap();

    // An add of sku-2 from before the removal (or its very second: a tie goes to the removal),
    // arriving after it: the removal wins. The steps above may all take less than a second.
    let late = envelope(
        "item sku-2 added to Cart",
        removed,
        json!({"user": "alice", "product": "sku-2"}),
    );
    f.deliver(&late);
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["superseded"], "{lines:?}");
    assert!(
        lines[0]["note"].as_str().unwrap().contains("removed"),
        "{lines:?}"
    );
    assert_eq!(f.reminders(), vec![name1.clone()]);

    // Checkout (after the later add) deletes every reminder of the user; again, it finds
    // nothing and is fine.
    f.deliver(&envelope(
        "cart checked out",
        time + Duration::minutes(6),
        json!({"user": "alice"}),
    ));
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["deleted"], "{lines:?}");
    assert_eq!(lines[0]["deleted"], 1);
    assert!(f.reminders().is_empty());
    f.put(&["--kind", "checkout", "--user", "alice"]);
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(lines[0]["deleted"], 0);
    // An add from before the checkout, arriving after it: the checkout wins.
    f.deliver(&envelope(
        "item sku-3 added to Cart",
        time + Duration::minutes(1),
        json!({"user": "alice", "product": "sku-3"}),
    ));
    let (_, lines) = f.work(1, &[]);
    assert_eq!(statuses(&lines), ["superseded"], "{lines:?}");
    assert!(f.reminders().is_empty());
}

#[test]
fn stages_and_quiet_hours_in_the_customers_time_zone() {
    let f = Flow::new();
    let now = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    // Quiet hours around the first stage's due time, in Tokyo's wall clock.
    let tokyo = chrono::FixedOffset::east_opt(9 * 3600).unwrap(); // Asia/Tokyo has no DST
    let due = now + Duration::hours(4);
    let local = due.with_timezone(&tokyo);
    let start = (local - Duration::hours(1)).format("%H:%M").to_string();
    let end_at = (local + Duration::hours(2))
        .duration_trunc(Duration::minutes(1))
        .unwrap();
    let end = end_at.format("%H:%M").to_string();
    let quiet = format!("{start}-{end}");
    f.deliver(&envelope(
        "item sku-9 added to Cart",
        now,
        json!({"user": "kenji", "product": "sku-9", "timezone": "Asia/Tokyo"}),
    ));
    // An invalid zone is reported and the configured one used.
    f.deliver(&envelope(
        "item sku-9 added to Cart",
        now,
        json!({"user": "mara", "product": "sku-9", "timezone": "Mars/Olympus"}),
    ));
    let (run, lines) = f.work(
        2,
        &[
            "--remind-after",
            "4h,2d",
            "--quiet-hours",
            &quiet,
            "--timezone",
            "UTC",
        ],
    );
    run.success();
    let kenji = lines.iter().find(|l| l["user"] == "kenji").unwrap();
    let placed = kenji["reminders"].as_array().unwrap();
    assert_eq!(placed.len(), 2, "{kenji}");
    let first = placed[0]["name"].as_str().unwrap();
    assert!(first.ends_with("-s1"), "{first}");
    assert_eq!(f.due(first), end_at.with_timezone(&Utc), "{kenji}");
    let mara = lines.iter().find(|l| l["user"] == "mara").unwrap();
    assert!(
        mara["note"].as_str().unwrap().contains("Mars/Olympus"),
        "{mara}"
    );
    assert_eq!(mara["status"], "created");
}

#[test]
fn a_message_that_is_not_a_cart_event_fails_alone_and_reaches_the_dlq() {
    let f = Flow::new();
    f.deliver(&json!({"hello": "world"}));
    f.put(&["--user", "bo", "--product", "sku-3"]);
    // The bad message comes back after a growing backoff (1, 2, 4, 8 s); after its 5th receive
    // (the redrive policy's last) it is made visible at once, and the next receive moves it to
    // the carts DLQ.
    let (run, lines) = f.work(6, &["--idle-timeout", "25s"]);
    run.code(3);
    let ok: Vec<_> = lines.iter().filter(|l| l["status"] == "created").collect();
    assert_eq!(ok.len(), 1, "{}", run.stdout);
    let failed: Vec<_> = lines.iter().filter(|l| l["status"] == "failed").collect();
    assert_eq!(failed.len(), 5, "{}\n{}", run.stdout, run.stderr);
    assert!(
        failed[0]["error"].as_str().unwrap().contains("message"),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .all(|l| l["message_id"] == failed[0]["message_id"])
    );
    // The receive that moves it.
    receive_bodies(&f.queue(), 1);
    let dlq = queue_url(&format!("{}-carts-dlq", f.prefix));
    let got = receive_bodies(&dlq, 5);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0], r#"{"hello":"world"}"#);
    assert_eq!(f.reminders().len(), 1);
}

#[test]
fn sigterm_stops_the_worker_and_leaves_the_queue_alone() {
    let f = Flow::new();
    let child = f
        .cartctl()
        .args(["worker", "consumer", "-o", "ndjson"])
        .spawn();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let pid = child.id().to_string();
    let started = std::time::Instant::now();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{out:?}");
    // It waits for the long poll in flight (at most 20 s), and gives back what it brings.
    assert!(started.elapsed() < std::time::Duration::from_secs(25));
    // Events put afterwards wait in the queue for the next worker.
    f.put(&["--user", "cy", "--product", "sku-4"]);
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(statuses(&lines), ["created"]);
}

#[test]
fn bad_worker_flags_exit_2_before_any_request() {
    let sentinel = Sentinel::start();
    for (args, field) in [
        (
            vec!["--queue", "q", "--max-messages", "0"],
            "--max-messages",
        ),
        (
            vec!["--queue", "q", "--idle-timeout", "0s"],
            "--idle-timeout",
        ),
        (
            vec!["--queue", "q", "--remind-after", "soon"],
            "--remind-after",
        ),
        (
            vec!["--queue", "q", "--quiet-hours", "21:00"],
            "--quiet-hours",
        ),
        (
            vec!["--queue", "q", "--timezone", "Mars/Olympus"],
            "--timezone",
        ),
        (vec!["--queue", "bad name"], "--queue"),
        (vec!["--queue", "q", "--metrics", "syslog"], "--metrics"),
        (vec![], "--queue"),
    ] {
        let run = cartctl_at(&sentinel.endpoint)
            .env("CARTCTL_SCHEDULER_ROLE_ARN", ROLE)
            .args(["worker", "consumer"])
            .args(&args)
            .run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(field), "{args:?}: {}", run.stderr);
        assert!(run.stderr.lines().count() <= 2, "{args:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn a_worker_under_faults_schedules_every_event_or_its_exit_status_says_otherwise() {
    let f = Flow::new();
    f.put_carts("u", 200);
    // A receive whose answer is lost hides its messages for the queue's visibility timeout:
    // 8 s here, so they come back within the test (setup's 151 s is for the functions).
    let queue = f.queue();
    set_visibility(&sqs(), &queue, 8);
    let proxy = faulty(11, &[]);
    let run = cartctl_at(&proxy.endpoint)
        .current_dir(f.dir.path())
        .env_remove("CARTCTL_SCHEDULER_ROLE_ARN")
        .args(["worker", "consumer", "--idle-timeout", "5s"])
        .run();
    let faulted = proxy.stats();
    let reminders = f.reminders();
    let left = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(&queue)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .unwrap();
    let count = |k: &str| -> u64 {
        left.attributes()
            .unwrap()
            .iter()
            .find(|(a, _)| a.as_str() == k)
            .map_or(0, |(_, v)| v.parse().unwrap())
    };
    let waiting =
        count("ApproximateNumberOfMessages") + count("ApproximateNumberOfMessagesNotVisible");
    if run.code == 0 {
        // Said done: every event has its one reminder, and nothing is left in the queue.
        assert_eq!(reminders.len(), 200, "{faulted}\n{}", run.stderr);
        assert_eq!(
            waiting, 0,
            "exit 0 with {waiting} events left: {}",
            run.stderr
        );
    } else {
        assert!(!run.stderr.is_empty(), "a failed run says why");
    }
    assert!(
        faulted["requests"].as_u64().unwrap() > faulted["forwarded"].as_u64().unwrap(),
        "faults were injected: {faulted}"
    );
    assert!(
        run.stderr.contains("receive(s) failed and were retried") || run.code != 0,
        "{}",
        run.stderr
    );
}

#[test]
fn a_worker_sends_each_records_metric_line_to_the_cloudwatch_agent() {
    // The CloudWatch agent's EMF listener, played by a UDP socket.
    let agent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    agent
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let f = Flow::new();
    let user = unique("emf");
    f.put(&["--user", &user, "--product", "sku-1"]);
    f.put(&["--user", &user, "--product", "sku-2"]);
    let dest = format!("udp://{}", agent.local_addr().unwrap());
    let (run, lines) = f.work(2, &["--metrics", &dest]);
    run.success();
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    while got.len() < 2 {
        let n = agent.recv(&mut buf).expect("a metric line for each record");
        let text = std::str::from_utf8(&buf[..n]).unwrap();
        assert!(text.ends_with('\n') && !text.contains(&user), "{text}");
        got.push(serde_json::from_str::<Value>(text).unwrap());
    }
    for line in &got {
        let m = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(m["Namespace"], "cartctl", "{line}");
        assert_eq!(
            (line["kind"].as_str(), line["outcome"].as_str()),
            (Some("add"), Some("created")),
            "{line}"
        );
        assert_eq!(
            (
                line["records"].as_f64(),
                line["reminders_scheduled"].as_f64()
            ),
            (Some(1.0), Some(1.0)),
            "{line}"
        );
        // The metric line is the record the worker reported on stdout.
        assert!(
            lines.iter().any(|l| l["message_id"] == line["messageId"]),
            "{line} {lines:?}"
        );
    }
}

#[test]
fn a_poller_handles_its_batch_while_its_next_receive_is_held() {
    // One poller, in an emulator of its own (so the counter is this worker's alone). Its last
    // receive is a long poll of an empty queue: the last batch's requests (ledger writes,
    // CreateSchedule, the deletes) go while it is held. A poller that received only after
    // settling would make none then.
    let emu = private_strict_emulator(&[]);
    let dir = tempfile::tempdir().unwrap();
    let at = || {
        cartctl_at(&emu.endpoint)
            .current_dir(dir.path())
            .env_remove("CARTCTL_SCHEDULER_ROLE_ARN")
    };
    at().args([
        "setup",
        "--bus",
        "shop",
        "--write-config",
        "cartctl.toml",
        "-q",
    ])
    .run()
    .success();
    for i in 0..3 {
        at().args([
            "put-event",
            "--user",
            &format!("u{i}"),
            "--product",
            "sku-1",
        ])
        .run()
        .success();
    }
    let run = at()
        .args([
            "worker",
            "consumer",
            "--concurrency",
            "1",
            "--idle-timeout",
            "3s",
        ])
        .args(["-o", "ndjson"])
        .run();
    run.success();
    assert_eq!(run.ndjson().len(), 3, "{}", run.stdout);
    let stats = emu.strict_stats();
    assert_eq!(stats["receive_overlaps"], 0, "one poller: {stats}");
    let during = stats["requests_during_receive"].as_u64().unwrap_or(0);
    assert!(during >= 3, "requests while a receive was held: {stats}");
}

#[test]
fn a_poller_whose_deletes_fail_stops_with_the_error_instead_of_waiting() {
    // Every delete (a request naming a ReceiptHandle) answers 500, and one attempt is allowed:
    // the first batch's settle fails and the poller ends with the error, though batches are
    // still queued. Its receiver, one batch ahead, must stop too instead of waiting for room.
    let f = Flow::new();
    f.put_carts("d", 25);
    let proxy = FaultProxy::start(
        &emulator().endpoint,
        &["--error500-when".into(), "ReceiptHandle".into()],
    );
    let mut child = cartctl_at(&proxy.endpoint)
        .current_dir(f.dir.path())
        .env_remove("CARTCTL_SCHEDULER_ROLE_ARN")
        .args(["worker", "consumer", "--concurrency", "1"])
        .args(["--max-attempts", "1", "--idle-timeout", "30s"])
        .spawn();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the worker hung after its deletes failed");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("DeleteMessageBatch"), "{stderr}");
}
