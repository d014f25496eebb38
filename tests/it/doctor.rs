//! `cartctl doctor` against the emulator: a set-up made by `setup` passes; then each breakage
//! that loses reminders on a real account makes it exit 1 naming the problem and its fix, and
//! `setup` repairs it.

use aws_sdk_eventbridge::types::RuleState;
use serde_json::{Value, json};

use crate::common::*;

struct Flow {
    dir: tempfile::TempDir,
    bus: String,
    prefix: String,
}

impl Flow {
    fn new() -> Flow {
        let flow = Flow {
            dir: tempfile::tempdir().unwrap(),
            bus: unique("shop"),
            prefix: unique("dr"),
        };
        flow.setup().success();
        flow
    }

    fn setup(&self) -> Run {
        cartctl()
            .current_dir(self.dir.path())
            .args(["setup", "--bus", &self.bus, "--name-prefix", &self.prefix])
            .args(["--write-config", "-o", "json"])
            .run()
    }

    fn doctor(&self, extra: &[&str]) -> Run {
        cartctl()
            .current_dir(self.dir.path())
            .env_remove("CARTCTL_SCHEDULER_ROLE_ARN")
            .args(["doctor", "-o", "json"])
            .args(extra)
            .run()
    }

    fn role(&self) -> String {
        format!("{}-scheduler", self.prefix)
    }

    fn rule(&self) -> String {
        format!("{}-reminders", self.prefix)
    }
}

/// The check named `name` of a doctor run.
fn check(run: &Run, name: &str) -> Value {
    run.json()["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {}", run.stdout))
        .clone()
}

#[track_caller]
fn assert_fails(flow: &Flow, extra: &[&str], name: &str, needle: &str) {
    let run = flow.doctor(extra);
    run.code(1);
    assert_eq!(run.json()["ok"], false);
    let c = check(&run, name);
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["message"].as_str().unwrap().contains(needle), "{c}");
    assert!(!c["fix"].as_str().unwrap_or("").is_empty(), "{c}");
    let out = run.json();
    let failed = out["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .count();
    assert_eq!(failed, 1, "only {name} fails: {}", run.stdout);
}

/// Repairs with `setup` (reporting `updated`), after which doctor passes again.
#[track_caller]
fn repair(flow: &Flow) {
    let run = flow.setup();
    run.success();
    let out = run.json();
    let changes: Vec<&str> = out["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["change"].as_str().unwrap())
        .collect();
    assert!(changes.iter().any(|c| *c != "unchanged"), "{}", run.stdout);
    flow.doctor(&[]).success();
}

#[test]
fn doctor_passes_on_a_setup_and_names_each_breakage_with_its_fix() {
    let flow = Flow::new();
    let ok = flow.doctor(&[]);
    ok.success();
    assert_eq!(ok.json()["ok"], true);
    for name in [
        "credentials",
        "bus",
        "group",
        "role",
        "role-trust",
        "role-put-events",
        "dlq",
        "dlq-send",
        "consumer-rule",
        "reminders",
    ] {
        assert_eq!(check(&ok, name)["status"], "ok", "{name}: {}", ok.stdout);
    }
    let text = cartctl()
        .current_dir(flow.dir.path())
        .args(["doctor"])
        .run();
    text.success();
    assert!(
        text.stdout
            .lines()
            .any(|l| l.starts_with("ok") && l.contains("consumer-rule")),
        "{}",
        text.stdout
    );

    // A trust policy that trusts another service.
    let lambda = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    rt().block_on(
        iam()
            .update_assume_role_policy()
            .role_name(flow.role())
            .policy_document(lambda.to_string())
            .send(),
    )
    .unwrap();
    assert_fails(
        &flow,
        &[],
        "role-trust",
        "does not trust scheduler.amazonaws.com",
    );
    repair(&flow);

    // A role without events:PutEvents.
    let sqs_only = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "sqs:SendMessage", "Resource": "*"}]});
    rt().block_on(
        iam()
            .put_role_policy()
            .role_name(flow.role())
            .policy_name("cartctl-reminders")
            .policy_document(sqs_only.to_string())
            .send(),
    )
    .unwrap();
    assert_fails(&flow, &[], "role-put-events", "may not events:PutEvents");
    repair(&flow);

    // A FIFO dead-letter queue.
    let fifo = format!("{}.fifo", unique("dlq"));
    rt().block_on(
        sqs()
            .create_queue()
            .queue_name(&fifo)
            .attributes(aws_sdk_sqs::types::QueueAttributeName::FifoQueue, "true")
            .send(),
    )
    .unwrap();
    let fifo_arn = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{fifo}");
    assert_fails(&flow, &["--dlq-arn", &fifo_arn], "dlq", "FIFO");

    // The consumer rule disabled, its pattern no longer matching reminders, then deleted.
    let ev = events();
    rt().block_on(
        ev.disable_rule()
            .name(flow.rule())
            .event_bus_name(&flow.bus)
            .send(),
    )
    .unwrap();
    assert_fails(&flow, &[], "consumer-rule", "DISABLED");
    repair(&flow);
    rt().block_on(
        ev.put_rule()
            .name(flow.rule())
            .event_bus_name(&flow.bus)
            .event_pattern(r#"{"source":["someone-else"]}"#)
            .state(RuleState::Enabled)
            .send(),
    )
    .unwrap();
    assert_fails(&flow, &[], "consumer-rule", "no rule on bus");
    repair(&flow);
    rt().block_on(
        ev.remove_targets()
            .rule(flow.rule())
            .event_bus_name(&flow.bus)
            .ids("email-queue")
            .send(),
    )
    .unwrap();
    rt().block_on(
        ev.delete_rule()
            .name(flow.rule())
            .event_bus_name(&flow.bus)
            .send(),
    )
    .unwrap();
    assert_fails(&flow, &[], "consumer-rule", "lost without a trace");
    repair(&flow);
}
