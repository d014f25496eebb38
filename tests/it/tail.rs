//! `cartctl tail` against the emulator: filters, envelopes, exit codes, and no queue or rule left
//! behind however the tail ends; `tail --gc` for what a killed tail leaves.

use std::io::{BufRead, BufReader, Read};
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::*;

/// A running tail, its resource id read from the readiness line.
struct Tail {
    child: Child,
    name: String,
    stderr: BufReader<std::process::ChildStderr>,
}

fn start_tail(emulator_endpoint: &str, args: &[&str]) -> Tail {
    let mut child = cartctl_at(emulator_endpoint)
        .args(["tail"])
        .args(args)
        .spawn();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let name = line
        .split_whitespace()
        .find(|w| w.starts_with("cartctl-tail-"))
        .unwrap_or_else(|| panic!("no readiness line: {line:?}"))
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned();
    assert!(line.starts_with("listening on bus "), "{line}");
    Tail {
        child,
        name,
        stderr,
    }
}

impl Tail {
    /// Waits (at most 30 s) for the tail to exit; returns (code, stdout, rest of stderr).
    fn finish(mut self) -> (i32, String, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "tail did not exit");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut out = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            stdout.read_to_string(&mut out).unwrap();
        }
        let mut err = String::new();
        self.stderr.read_to_string(&mut err).unwrap();
        (status.code().unwrap_or(-1), out, err)
    }

    fn signal(&self, sig: &str) {
        // bash's own kill: no procps needed.
        let ok = std::process::Command::new("bash")
            .args(["-c", &format!("kill {sig} {}", self.child.id())])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
}

fn put(bus: &str, source: &str, detail: Value) {
    let entry = aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
        .event_bus_name(bus)
        .source(source)
        .detail_type(format!(
            "item {} added to Cart",
            detail["product"].as_str().unwrap_or("?")
        ))
        .detail(detail.to_string())
        .build();
    let out = rt()
        .block_on(events().put_events().entries(entry).send())
        .unwrap();
    assert_eq!(out.failed_entry_count(), 0);
}

/// True if the tail's queue or rule still exists.
fn leftovers(bus: &str, name: &str) -> Vec<String> {
    let mut left = Vec::new();
    let rules = rt()
        .block_on(
            events()
                .list_rules()
                .event_bus_name(bus)
                .name_prefix(name)
                .send(),
        )
        .unwrap();
    left.extend(
        rules
            .rules()
            .iter()
            .filter_map(|r| r.name().map(|n| format!("rule {n}"))),
    );
    let queues = rt()
        .block_on(sqs().list_queues().queue_name_prefix(name).send())
        .unwrap();
    left.extend(queues.queue_urls().iter().map(|q| format!("queue {q}")));
    left
}

fn bus() -> String {
    let b = unique("bus");
    create_bus(&b);
    b
}

#[test]
fn filters_show_only_matching_events_in_order_then_exit_0_and_clean_up() {
    let bus = bus();
    let endpoint = emulator().endpoint.clone();
    let tail = start_tail(
        &endpoint,
        &[
            "--bus",
            &bus,
            "--source",
            "shop",
            "--user",
            "alice",
            "--max-events",
            "3",
            "--timeout",
            "20s",
            "-o",
            "ndjson",
        ],
    );
    put(&bus, "shop", json!({"user": "bob", "product": "sku-0"}));
    put(&bus, "other", json!({"user": "alice", "product": "sku-0"}));
    for i in 1..=3 {
        put(
            &bus,
            "shop",
            json!({"user": "alice", "product": format!("sku-{i}"), "n": i}),
        );
    }
    let name = tail.name.clone();
    let (code, out, err) = tail.finish();
    assert_eq!(code, 0, "{err}");
    let got: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), 3, "{out}");
    for (i, e) in got.iter().enumerate() {
        // The full envelope, as EventBridge delivers it.
        for key in ["id", "time", "source", "detail-type", "detail", "region"] {
            assert!(e.get(key).is_some(), "{key} missing: {e}");
        }
        assert_eq!(e["source"], "shop");
        assert_eq!(e["detail"]["user"], "alice");
        assert_eq!(e["detail"]["n"], i as u64 + 1, "in order");
    }
    assert!(
        leftovers(&bus, &name).is_empty(),
        "{:?}",
        leftovers(&bus, &name)
    );
}

#[test]
fn scheduled_only_and_a_pattern_combine() {
    let bus = bus();
    let endpoint = emulator().endpoint.clone();
    let tail = start_tail(
        &endpoint,
        &[
            "--bus",
            &bus,
            "--scheduled-only",
            "--pattern",
            r#"{"detail": {"product": [{"prefix": "sku-"}]}}"#,
            "--max-events",
            "1",
            "--timeout",
            "20s",
        ],
    );
    put(
        &bus,
        "putToCartService",
        json!({"user": "a", "product": "sku-1"}),
    );
    put(
        &bus,
        "putToCartService",
        json!({"scheduled_event": "true", "user": "a", "product": "hat-1"}),
    );
    put(
        &bus,
        "putToCartService",
        json!({"scheduled_event": "true", "user": "a\nb", "product": "sku-2"}),
    );
    let (code, out, err) = tail.finish();
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].contains("putToCartService  item sku-2 added to Cart  user=a\\nb  product=sku-2  {\"scheduled_event\":\"true\"}"), "{out}");
}

#[test]
fn timeout_exits_124_and_cleans_up() {
    let bus = bus();
    let tail = start_tail(
        &emulator().endpoint,
        &["--bus", &bus, "--max-events", "5", "--timeout", "2s"],
    );
    put(&bus, "shop", json!({"user": "u", "product": "p"}));
    let name = tail.name.clone();
    let started = Instant::now();
    let (code, out, err) = tail.finish();
    assert_eq!(code, 124, "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.lines().count(), 1);
    assert!(err.contains("timed out after 1 of 5 events"), "{err}");
    assert!(leftovers(&bus, &name).is_empty());
}

#[test]
fn signals_end_the_tail_with_their_code_and_nothing_left() {
    let bus = bus();
    for (sig, code) in [("-INT", 130), ("-TERM", 143), ("-HUP", 129)] {
        let tail = start_tail(&emulator().endpoint, &["--bus", &bus, "--timeout", "60s"]);
        let name = tail.name.clone();
        assert_eq!(
            leftovers(&bus, &name).len(),
            2,
            "rule and queue exist while tailing"
        );
        tail.signal(sig);
        let (got, _, err) = tail.finish();
        assert_eq!(got, code, "{sig}: {err}");
        assert!(!err.contains("could not remove"), "{err}");
        assert!(
            leftovers(&bus, &name).is_empty(),
            "{sig}: {:?}",
            leftovers(&bus, &name)
        );
    }
}

#[test]
fn the_queue_admits_only_the_tail_rule_and_is_encrypted() {
    let bus = bus();
    let tail = start_tail(&emulator().endpoint, &["--bus", &bus, "--timeout", "30s"]);
    let url = rt()
        .block_on(sqs().get_queue_url().queue_name(&tail.name).send())
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let attrs = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(A::All)
                .send(),
        )
        .unwrap();
    let attrs = attrs.attributes().unwrap();
    let policy: Value = serde_json::from_str(&attrs[&A::Policy]).unwrap();
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let st = &statements[0];
    assert_eq!(st["Effect"], "Allow");
    assert_eq!(st["Principal"], json!({"Service": "events.amazonaws.com"}));
    assert_eq!(st["Action"], "sqs:SendMessage");
    assert_eq!(st["Resource"], attrs[&A::QueueArn].as_str());
    let rule = rt()
        .block_on(
            events()
                .describe_rule()
                .name(&tail.name)
                .event_bus_name(&bus)
                .send(),
        )
        .unwrap();
    assert_eq!(
        st["Condition"],
        json!({"ArnEquals": {"aws:SourceArn": rule.arn().unwrap()}})
    );
    assert_eq!(attrs[&A::SqsManagedSseEnabled], "true");
    assert_eq!(attrs[&A::MessageRetentionPeriod], "3600");
    let tags = rt()
        .block_on(sqs().list_queue_tags().queue_url(&url).send())
        .unwrap();
    assert!(tags.tags().unwrap().contains_key("cartctl:created-at"));
    let rule_tags = rt()
        .block_on(
            events()
                .list_tags_for_resource()
                .resource_arn(rule.arn().unwrap())
                .send(),
        )
        .unwrap();
    assert!(
        rule_tags
            .tags()
            .iter()
            .any(|t| t.key() == "cartctl:created-at")
    );
    tail.signal("-INT");
    assert_eq!(tail.finish().0, 130);
}

#[test]
fn wait_ready_announces_after_the_canary_and_never_prints_it() {
    let bus = bus();
    let tail = start_tail(
        &emulator().endpoint,
        &[
            "--bus",
            &bus,
            "--wait-ready",
            "--max-events",
            "1",
            "--timeout",
            "20s",
            "-o",
            "json",
        ],
    );
    // The readiness line came after the canary went through, so this event cannot be missed.
    put(&bus, "shop", json!({"user": "u", "product": "p"}));
    let (code, out, err) = tail.finish();
    assert_eq!(code, 0, "{err}");
    let event: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(event["source"], "shop");
    assert!(
        !out.contains("cartctl.tail"),
        "the canary was printed: {out}"
    );
}

#[test]
fn gc_removes_what_a_killed_tail_left() {
    // Its own emulator: --older-than 0s would also remove the other tests' live tails.
    let emu = private_emulator();
    let tail = start_tail(&emu.endpoint, &["--timeout", "60s"]);
    let name = tail.name.clone();
    let mut child = tail.child;
    child.kill().unwrap(); // SIGKILL: no cleanup
    child.wait().unwrap();
    let run = cartctl_at(&emu.endpoint)
        .args(["tail", "--gc", "-o", "json"])
        .run();
    run.success();
    assert_eq!(run.json()["rules"], json!([]), "younger than 1h: kept");
    let run = cartctl_at(&emu.endpoint)
        .args(["tail", "--gc", "--older-than", "0s", "-o", "json"])
        .run();
    run.success();
    let report = run.json();
    assert_eq!(report["rules"], json!([format!("default/{name}")]));
    assert_eq!(report["queues"].as_array().unwrap().len(), 1);
    assert!(report["queues"][0].as_str().unwrap().ends_with(&name));
    let again = cartctl_at(&emu.endpoint)
        .args(["tail", "--gc", "--older-than", "0s", "-o", "json"])
        .run();
    assert_eq!(
        again.json(),
        json!({"rules": [], "queues": [], "failed": []})
    );
}

#[test]
fn bad_tail_input_exits_2_and_sends_nothing() {
    let sentinel = Sentinel::start();
    for (args, needle) in [
        (vec!["--pattern", "[1]"], "--pattern"),
        (vec!["--pattern", "{not json"], "--pattern"),
        (
            vec!["--pattern", r#"{"source": ["a"]}"#, "--source", "b"],
            "--source",
        ),
        (vec!["--max-events", "0"], "--max-events"),
        (vec!["--timeout", "0s"], "--timeout"),
        (vec!["--timeout", "soon"], "--timeout"),
        (vec!["--gc", "--source", "x"], "--gc"),
        (vec!["--older-than", "1h"], "--gc"),
        (vec!["--bus", "bad bus"], "--bus"),
        (vec!["--user", ""], "--user"),
    ] {
        let run = cartctl_at(&sentinel.endpoint)
            .args(["tail"])
            .args(&args)
            .run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn a_closed_pipe_or_a_failed_step_still_cleans_up() {
    let bus = bus();
    // The reader goes away: the next event cannot be written; exit 0 and nothing left.
    let mut tail = start_tail(
        &emulator().endpoint,
        &["--bus", &bus, "--timeout", "30s", "-o", "ndjson"],
    );
    drop(tail.child.stdout.take());
    put(&bus, "shop", json!({"user": "u", "product": "p"}));
    let name = tail.name.clone();
    let (code, _, err) = tail.finish();
    assert_eq!(code, 0, "{err}");
    assert!(leftovers(&bus, &name).is_empty());

    // Someone deletes the rule under the tail: nothing of it is left, and that is fine.
    let tail = start_tail(&emulator().endpoint, &["--bus", &bus, "--timeout", "30s"]);
    let name = tail.name.clone();
    rt().block_on(
        events()
            .remove_targets()
            .rule(&name)
            .event_bus_name(&bus)
            .ids("cartctl-tail")
            .send(),
    )
    .unwrap();
    rt().block_on(
        events()
            .delete_rule()
            .name(&name)
            .event_bus_name(&bus)
            .send(),
    )
    .unwrap();
    tail.signal("-INT");
    let (code, _, err) = tail.finish();
    assert_eq!(code, 130);
    assert!(!err.contains("could not remove"), "{err}");
    assert!(leftovers(&bus, &name).is_empty());

    // Someone adds a target of their own to the tail's rule: the rule cannot be deleted. The
    // queue still goes, and stderr names the rule that is left and how to remove it.
    let tail = start_tail(&emulator().endpoint, &["--bus", &bus, "--timeout", "30s"]);
    let name = tail.name.clone();
    let other = aws_sdk_eventbridge::types::Target::builder()
        .id("someone-else")
        .arn(format!("arn:aws:sqs:{REGION}:{ACCOUNT}:elsewhere"))
        .build()
        .unwrap();
    rt().block_on(
        events()
            .put_targets()
            .rule(&name)
            .event_bus_name(&bus)
            .targets(other)
            .send(),
    )
    .unwrap();
    tail.signal("-TERM");
    let (code, _, err) = tail.finish();
    assert_eq!(code, 143);
    assert!(
        err.contains(&format!("could not remove rule {name} on bus {bus}")),
        "{err}"
    );
    assert!(err.contains("--gc --older-than 0s"), "{err}");
    assert_eq!(leftovers(&bus, &name), vec![format!("rule {name}")]);
    rt().block_on(
        events()
            .remove_targets()
            .rule(&name)
            .event_bus_name(&bus)
            .ids("someone-else")
            .send(),
    )
    .unwrap();
    rt().block_on(
        events()
            .delete_rule()
            .name(&name)
            .event_bus_name(&bus)
            .send(),
    )
    .unwrap();
}
