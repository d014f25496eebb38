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
        "mailer-rule",
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
            .any(|l| l.starts_with("ok") && l.contains("mailer-rule")),
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

    // The e-mail rule disabled, its pattern no longer matching reminders, then deleted.
    let ev = events();
    rt().block_on(
        ev.disable_rule()
            .name(flow.rule())
            .event_bus_name(&flow.bus)
            .send(),
    )
    .unwrap();
    assert_fails(&flow, &[], "mailer-rule", "DISABLED");
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
    assert_fails(&flow, &[], "mailer-rule", "no rule on bus");
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
    assert_fails(&flow, &[], "mailer-rule", "lost without a trace");
    repair(&flow);
}

/// Sets the role's trust policy to `doc`.
fn set_trust(flow: &Flow, doc: &Value) {
    rt().block_on(
        iam()
            .update_assume_role_policy()
            .role_name(flow.role())
            .policy_document(doc.to_string())
            .send(),
    )
    .unwrap();
}

fn email_queue_url(flow: &Flow) -> String {
    let name = format!("{}-email", flow.prefix);
    rt().block_on(sqs().get_queue_url().queue_name(name).send())
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned()
}

#[test]
fn doctor_checks_the_trusts_values_and_the_queue_the_rule_delivers_to() {
    let flow = Flow::new();
    flow.doctor(&[]).success();
    let group_arn = format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule-group/default");
    let scoped = |account: &str, group: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account},
                          "ArnLike": {"aws:SourceArn": group}}}]})
    };
    // The confused-deputy keys are there, for another account, then for another group.
    set_trust(&flow, &scoped("999999999999", &group_arn));
    assert_fails(&flow, &[], "role-trust", "not for account");
    set_trust(
        &flow,
        &scoped(
            ACCOUNT,
            &format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule-group/other"),
        ),
    );
    assert_fails(&flow, &[], "role-trust", "not for account");
    // A wildcard that covers the group is fine.
    set_trust(
        &flow,
        &scoped(
            ACCOUNT,
            &format!("arn:aws:scheduler:*:{ACCOUNT}:schedule-group/*"),
        ),
    );
    flow.doctor(&[]).success();
    repair(&flow);

    // The e-mail queue's policy lets another rule send, not this one.
    let url = email_queue_url(&flow);
    let other_rule = json!({"Version": "2012-10-17", "Statement": [{"Sid": "ReminderRule",
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{}-email", flow.prefix),
        "Condition": {"ArnEquals": {"aws:SourceArn": format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/x")}}}]});
    let set = |attr: aws_sdk_sqs::types::QueueAttributeName, value: &str| {
        rt().block_on(
            sqs()
                .set_queue_attributes()
                .queue_url(&url)
                .attributes(attr, value)
                .send(),
        )
        .unwrap();
    };
    set(
        aws_sdk_sqs::types::QueueAttributeName::Policy,
        &other_rule.to_string(),
    );
    assert_fails(&flow, &[], "mailer-rule", "does not let rule");
    repair(&flow);

    // Encrypted with the AWS managed key: EventBridge cannot deliver.
    set(
        aws_sdk_sqs::types::QueueAttributeName::KmsMasterKeyId,
        "alias/aws/sqs",
    );
    assert_fails(&flow, &[], "mailer-rule", "AWS managed key");
    repair(&flow);

    // The rule targets a queue that does not exist.
    let missing = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{}", unique("gone"));
    rt().block_on(
        events()
            .put_targets()
            .rule(flow.rule())
            .event_bus_name(&flow.bus)
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("email-queue")
                    .arn(&missing)
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    assert_fails(&flow, &[], "mailer-rule", "does not exist");
    repair(&flow);
}

/// Credentials of a new IAM user whose one policy is `policy`.
fn user_with(policy: &Value) -> (String, String, String) {
    let name = unique("deployer");
    rt().block_on(iam().create_user().user_name(&name).send())
        .unwrap();
    rt().block_on(
        iam()
            .put_user_policy()
            .user_name(&name)
            .policy_name("deploy")
            .policy_document(policy.to_string())
            .send(),
    )
    .unwrap();
    let key = rt()
        .block_on(iam().create_access_key().user_name(&name).send())
        .unwrap();
    let key = key.access_key().unwrap();
    (
        name,
        key.access_key_id().to_owned(),
        key.secret_access_key().to_owned(),
    )
}

/// A PassRole policy like AWS's managed ones: only when the role goes to `service`.
fn pass_role_to(service: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
        "Resource": "*", "Condition": {"StringLike": {"iam:PassedToService": service}}}]})
}

#[test]
fn pass_role_is_simulated_for_scheduler_and_for_the_callers_real_role() {
    let flow = Flow::new();
    let doctor_as = |key: &str, secret: &str, token: Option<&str>| {
        let mut c = cartctl()
            .current_dir(flow.dir.path())
            .env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", secret);
        if let Some(t) = token {
            c = c.env("AWS_SESSION_TOKEN", t);
        }
        c.args(["doctor", "-o", "json"]).run()
    };
    // PassRole allowed when passed to Scheduler: the simulator must be told it is.
    let (_, key, secret) = user_with(&pass_role_to("scheduler.amazonaws.com"));
    let run = doctor_as(&key, &secret, None);
    assert_eq!(check(&run, "pass-role")["status"], "ok", "{}", run.stdout);
    // Passed to another service only: refused.
    let (_, key, secret) = user_with(&pass_role_to("lambda.amazonaws.com"));
    let run = doctor_as(&key, &secret, None);
    assert_eq!(check(&run, "pass-role")["status"], "fail", "{}", run.stdout);

    // An SSO session: its role lives under /aws-reserved/, and the simulator knows it by that
    // ARN only.
    let (user, key, secret) = user_with(&json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}));
    let role = unique("AWSReservedSSO_Admin");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:user/{user}")}, "Action": "sts:AssumeRole"}]});
    let made = rt()
        .block_on(
            iam()
                .create_role()
                .role_name(&role)
                .path("/aws-reserved/sso.amazonaws.com/")
                .assume_role_policy_document(trust.to_string())
                .send(),
        )
        .unwrap();
    let role_arn = made.role().unwrap().arn().to_owned();
    rt().block_on(
        iam()
            .put_role_policy()
            .role_name(&role)
            .policy_name("pass")
            .policy_document(pass_role_to("scheduler.amazonaws.com").to_string())
            .send(),
    )
    .unwrap();
    let _ = (key, secret);
    let session = rt()
        .block_on(
            sts()
                .assume_role()
                .role_arn(&role_arn)
                .role_session_name("alice@example.com")
                .send(),
        )
        .unwrap();
    let c = session.credentials().unwrap();
    let run = doctor_as(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    );
    let pass = check(&run, "pass-role");
    assert_eq!(pass["status"], "ok", "{}", run.stdout);
    assert!(
        pass["message"].as_str().unwrap().contains("/aws-reserved/"),
        "{pass}"
    );
}

#[test]
fn doctor_passes_a_fresh_setup_on_plain_moto_whose_test_event_pattern_answers_nothing() {
    // moto answers TestEventPattern with HTTP 200 and an empty body: no answer at all, not
    // "no match". Doctor then takes the local matcher's word.
    let moto = private_emulator();
    let dir = tempfile::tempdir().unwrap();
    cartctl_at(&moto.endpoint)
        .current_dir(dir.path())
        .args([
            "setup",
            "--bus",
            "shop",
            "--group",
            "carts",
            "--write-config",
        ])
        .run()
        .success();
    let run = cartctl_at(&moto.endpoint)
        .current_dir(dir.path())
        .args(["doctor", "-o", "json"])
        .run();
    for name in ["mailer-rule", "consumer-rule"] {
        let c = check(&run, name);
        assert_eq!(c["status"], "ok", "{name}: {c}");
    }
}
