//! `cartctl setup` against the emulator: from nothing to a working flow, idempotent, a dry run
//! that writes nothing, a template, and a teardown that leaves nothing of its own behind.

use serde_json::{Value, json};

use crate::common::*;

struct Names {
    bus: String,
    group: String,
    prefix: String,
}

fn names() -> Names {
    Names {
        bus: unique("shop"),
        group: unique("carts"),
        prefix: unique("ct"),
    }
}

fn setup_cmd(n: &Names, extra: &[&str]) -> Run {
    cartctl()
        .args([
            "setup",
            "--bus",
            &n.bus,
            "--group",
            &n.group,
            "--name-prefix",
            &n.prefix,
        ])
        .args(extra)
        .run()
}

fn changes(run: &Run) -> Vec<(String, String)> {
    run.json()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn queue_url(name: &str) -> Option<String> {
    rt().block_on(sqs().get_queue_url().queue_name(name).send())
        .ok()
        .and_then(|o| o.queue_url().map(str::to_owned))
}

fn role_exists(name: &str) -> bool {
    rt().block_on(iam().get_role().role_name(name).send())
        .is_ok()
}

/// IAM answers policy documents URL-encoded.
fn decode(doc: &str) -> Value {
    serde_json::from_str(&percent_encoding::percent_decode_str(doc).decode_utf8_lossy()).unwrap()
}

#[test]
fn setup_builds_the_flow_idempotently_and_teardown_removes_it() {
    let n = names();
    // --dry-run first: the plan, and nothing made.
    let dry = setup_cmd(&n, &["--dry-run", "-o", "json"]);
    dry.success();
    assert!(
        changes(&dry).iter().all(|(_, c)| c == "would_create"),
        "{}",
        dry.stdout
    );
    assert_eq!(changes(&dry).len(), 7);
    assert!(queue_url(&format!("{}-email", n.prefix)).is_none());
    assert!(!role_exists(&format!("{}-scheduler", n.prefix)));

    let first = setup_cmd(&n, &["-o", "json"]);
    first.success();
    let kinds: Vec<String> = changes(&first)
        .into_iter()
        .map(|(k, c)| format!("{k}:{c}"))
        .collect();
    assert_eq!(
        kinds,
        [
            "event-bus:created",
            "schedule-group:created",
            "queue:created",
            "role:created",
            "queue:created",
            "queue:created",
            "rule:created"
        ]
    );
    let again = setup_cmd(&n, &["-o", "json"]);
    again.success();
    assert!(
        changes(&again).iter().all(|(_, c)| c == "unchanged"),
        "{}",
        again.stdout
    );
    let text = setup_cmd(&n, &[]);
    text.success();
    assert!(
        text.stdout.contains("nothing to change: 7 unchanged"),
        "{}",
        text.stdout
    );

    // The role: trusted by Scheduler for this account and group, allowed PutEvents on the bus.
    let role = format!("{}-scheduler", n.prefix);
    let got = rt()
        .block_on(iam().get_role().role_name(&role).send())
        .unwrap();
    let trust = decode(got.role().unwrap().assume_role_policy_document().unwrap());
    let st = &trust["Statement"][0];
    assert_eq!(st["Principal"]["Service"], "scheduler.amazonaws.com");
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:SourceAccount"],
        ACCOUNT
    );
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:SourceArn"],
        format!(
            "arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule-group/{}",
            n.group
        )
    );
    let policy = rt()
        .block_on(
            iam()
                .get_role_policy()
                .role_name(&role)
                .policy_name("cartctl-reminders")
                .send(),
        )
        .unwrap();
    let policy = decode(policy.policy_document());
    assert_eq!(policy["Statement"][0]["Action"], "events:PutEvents");
    assert_eq!(policy["Statement"][0]["Resource"], bus_arn(&n.bus));
    // The e-mail queue redrives to its DLQ.
    let email = queue_url(&format!("{}-email", n.prefix)).unwrap();
    let attrs = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(&email)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .unwrap();
    let redrive = attrs
        .attributes()
        .unwrap()
        .get(&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
        .unwrap();
    assert!(
        redrive.contains(&format!("{}-email-dlq", n.prefix)),
        "{redrive}"
    );

    // The printed settings schedule a reminder; fired, it reaches the e-mail queue.
    let config = first.json()["config"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cartctl.toml"), &config).unwrap();
    let scheduled = cartctl()
        .current_dir(dir.path())
        .env_remove("CARTCTL_SCHEDULER_ROLE_ARN")
        .args([
            "schedule",
            "--user",
            "ida",
            "--product",
            "sku-7",
            "--in",
            "1d",
            "-o",
            "json",
        ])
        .run();
    scheduled.success();
    let name = scheduled.json()["name"].as_str().unwrap().to_owned();
    cartctl()
        .current_dir(dir.path())
        .args(["fire", &name])
        .run()
        .success();
    let got = rt()
        .block_on(
            sqs()
                .receive_message()
                .queue_url(&email)
                .wait_time_seconds(5)
                .send(),
        )
        .unwrap();
    let body: Value = serde_json::from_str(got.messages()[0].body().unwrap()).unwrap();
    assert_eq!(
        body["detail"],
        json!({"scheduled_event": "true", "user": "ida", "product": "sku-7"})
    );

    // Teardown needs --yes; then nothing tagged is left, and a second teardown finds nothing.
    setup_cmd(&n, &["--teardown"]).code(2);
    let down = setup_cmd(&n, &["--teardown", "--yes", "-o", "json"]);
    down.success();
    assert!(
        changes(&down).iter().all(|(_, c)| c == "deleted"),
        "{}",
        down.stdout
    );
    assert!(queue_url(&format!("{}-email", n.prefix)).is_none());
    assert!(queue_url(&format!("{}-reminders-dlq", n.prefix)).is_none());
    assert!(!role_exists(&role));
    let none = setup_cmd(&n, &["--teardown", "--yes", "-o", "json"]);
    assert!(
        changes(&none).iter().all(|(_, c)| c == "absent"),
        "{}",
        none.stdout
    );
}

#[test]
fn teardown_keeps_what_setup_did_not_make_and_the_template_needs_no_account() {
    let n = names();
    // A queue of the same name made by someone else: kept.
    let foreign = format!("{}-email-dlq", n.prefix);
    rt().block_on(sqs().create_queue().queue_name(&foreign).send())
        .unwrap();
    let down = setup_cmd(&n, &["--teardown", "--yes", "-o", "json"]);
    down.success();
    assert!(
        changes(&down).contains(&("queue".into(), "kept".into())),
        "{}",
        down.stdout
    );
    assert!(queue_url(&foreign).is_some());

    let sentinel = Sentinel::start();
    let t = cartctl_at(&sentinel.endpoint)
        .args(["setup", "--bus", "shop", "--group", "carts", "--template"])
        .run();
    t.success();
    let template = t.json();
    assert_eq!(template["AWSTemplateFormatVersion"], "2010-09-09");
    assert_eq!(
        template["Resources"]["SchedulerRole"]["Properties"]["RoleName"],
        "cartctl-shop-scheduler"
    );
    assert!(!t.stdout.contains(ACCOUNT));
    // Bad input is refused before any request.
    for (args, field) in [
        (
            vec!["setup", "--bus", "shop", "--name-prefix", "has space"],
            "--name-prefix",
        ),
        (vec!["setup", "--bus", &"b".repeat(60)], "--name-prefix"),
        (vec!["setup", "--group", "a b"], "--group"),
        (vec!["setup", "--teardown"], "--yes"),
        (vec!["setup", "--dry-run", "--template"], "--template"),
        (vec!["doctor", "--role-arn", "role/x"], "--role-arn"),
        (vec!["doctor", "--dlq-arn", "queue"], "--dlq-arn"),
        (vec!["doctor", "--bus", "aws.partner/x"], "--bus"),
    ] {
        let bad = cartctl_at(&sentinel.endpoint).args(&args).run();
        assert_eq!(bad.code, 2, "{args:?}: {}", bad.stderr);
        assert!(bad.stderr.contains(field), "{args:?}: {}", bad.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}
