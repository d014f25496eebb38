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

/// Every attribute of a queue, by name.
fn queue_attributes(url: &str) -> std::collections::HashMap<String, String> {
    let got = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .unwrap();
    got.attributes()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
        .collect()
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
    assert_eq!(changes(&dry).len(), 11);
    assert!(queue_url(&format!("{}-email", n.prefix)).is_none());
    assert!(!role_exists(&format!("{}-scheduler", n.prefix)));

    let first = setup_cmd(&n, &["-o", "json"]);
    first.success();
    // The ledger: on demand, its key, TTL on expires_at, point-in-time recovery.
    let ledger = format!("{}-carts", n.prefix);
    let table = rt()
        .block_on(dynamodb().describe_table().table_name(&ledger).send())
        .unwrap();
    let table = table.table().unwrap();
    let keys: Vec<&str> = table
        .key_schema()
        .iter()
        .map(|k| k.attribute_name())
        .collect();
    assert_eq!(keys, ["pk", "sk"]);
    let ttl = rt()
        .block_on(
            dynamodb()
                .describe_time_to_live()
                .table_name(&ledger)
                .send(),
        )
        .unwrap();
    let ttl = ttl.time_to_live_description().unwrap();
    assert_eq!(ttl.attribute_name(), Some("expires_at"));
    assert_eq!(
        ttl.time_to_live_status().map(|s| s.as_str()),
        Some("ENABLED")
    );
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
            "ledger-table:created",
            "role:created",
            "queue:created",
            "queue:created",
            "rule:created",
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
        text.stdout.contains("nothing to change: 11 unchanged"),
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

    // The carts rule took no reminder; the shop's cart events reach the consumer's queue.
    let carts = queue_url(&format!("{}-carts", n.prefix)).unwrap();
    assert!(
        config.contains(&format!("carts_queue = \"{}-carts\"", n.prefix)),
        "{config}"
    );
    let carts_attrs = queue_attributes(&carts);
    let redrive: Value = serde_json::from_str(&carts_attrs["RedrivePolicy"]).unwrap();
    assert_eq!(redrive["maxReceiveCount"], 5, "{redrive}");
    assert!(
        redrive["deadLetterTargetArn"]
            .as_str()
            .unwrap()
            .ends_with(&format!(":{}-carts-dlq", n.prefix)),
        "{redrive}"
    );
    assert_eq!(carts_attrs["SqsManagedSseEnabled"], "true");
    assert!(
        carts_attrs["Policy"].contains(&format!("rule/{}/{}-carts", n.bus, n.prefix)),
        "{carts_attrs:?}"
    );
    for args in [
        &["--kind", "add", "--product", "sku-7"][..],
        &["--kind", "remove", "--product", "sku-7"],
        &["--kind", "checkout"],
    ] {
        cartctl()
            .current_dir(dir.path())
            .args(["put-event", "--user", "ida"])
            .args(args)
            .run()
            .success();
    }
    let mut detail_types = Vec::new();
    for _ in 0..10 {
        let got = rt()
            .block_on(
                sqs()
                    .receive_message()
                    .queue_url(&carts)
                    .max_number_of_messages(10)
                    .wait_time_seconds(1)
                    .send(),
            )
            .unwrap();
        for m in got.messages() {
            let body: Value = serde_json::from_str(m.body().unwrap()).unwrap();
            assert_ne!(body["detail"]["scheduled_event"], "true", "{body}");
            detail_types.push(body["detail-type"].as_str().unwrap().to_owned());
        }
        if detail_types.len() >= 3 {
            break;
        }
    }
    detail_types.sort();
    assert_eq!(
        detail_types,
        [
            "cart checked out",
            "item sku-7 added to Cart",
            "item sku-7 removed from Cart"
        ]
    );

    // Teardown needs --yes; then nothing tagged is left, and a second teardown finds nothing.
    setup_cmd(&n, &["--teardown"]).code(2);
    let down = setup_cmd(&n, &["--teardown", "--yes", "-o", "json"]);
    down.success();
    // What setup was not asked to make (the API, the functions and their roles, the mail's
    // configuration set and events rule) is absent.
    let unasked = [
        "api",
        "function",
        "role",
        "log-group",
        "configuration-set",
        "rule",
    ];
    assert!(
        changes(&down)
            .iter()
            .all(|(k, c)| c == "deleted" || (c == "absent" && unasked.contains(&k.as_str()))),
        "{}",
        down.stdout
    );
    assert!(queue_url(&format!("{}-email", n.prefix)).is_none());
    assert!(queue_url(&format!("{}-reminders-dlq", n.prefix)).is_none());
    assert!(queue_url(&format!("{}-carts", n.prefix)).is_none());
    assert!(queue_url(&format!("{}-carts-dlq", n.prefix)).is_none());
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

/// Runs setup (or teardown) against `endpoint` with the names of `n`.
fn setup_at(endpoint: &str, n: &Names, extra: &[&str]) -> Run {
    cartctl_at(endpoint)
        .args(["setup", "--bus", &n.bus, "--group", &n.group])
        .args(["--name-prefix", &n.prefix])
        .args(extra)
        .run()
}

#[test]
fn setup_right_after_teardown_waits_for_aws_to_settle() {
    // A double whose windows are short: a deleted queue's name reserved for 4 s, a deleted group
    // DELETING for 3 s, a new role not assumable for 2 s, a new queue not a redrive target for 1 s.
    let emu = private_strict_emulator(&[
        "--queue-reuse-secs".into(),
        "4".into(),
        "--group-deleting-secs".into(),
        "3".into(),
    ]);
    let n = names();
    setup_at(&emu.endpoint, &n, &[]).success();
    setup_at(&emu.endpoint, &n, &["--teardown", "--yes"]).success();
    let started = std::time::Instant::now();
    let again = setup_at(&emu.endpoint, &n, &["-o", "json"]);
    again.success();
    assert!(
        changes(&again).iter().all(|(_, c)| c == "created"),
        "{}",
        again.stdout
    );
    // It waited for the names to be free, as AWS makes it.
    assert!(started.elapsed() >= std::time::Duration::from_secs(3));
    let stats = emu.strict_stats();
    assert!(
        stats["consistency_refusals"].as_u64().unwrap() > 0,
        "{stats}"
    );
    // And a reminder with the role made a moment ago is scheduled once Scheduler can assume it.
    let role = again.json()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "role")
        .and_then(|r| r["arn"].as_str())
        .unwrap()
        .to_owned();
    cartctl_at(&emu.endpoint)
        .args(["schedule", "--user", "u", "--product", "p", "--in", "1d"])
        .args(["--bus", &n.bus, "--group", &n.group, "--role-arn", &role])
        .run()
        .success();
}

#[test]
fn setup_keeps_what_others_allowed_and_gives_the_queue_one_encryption() {
    let n = names();
    // The e-mail queue exists, made by someone else: another sender's statement and a KMS key
    // (the AWS managed one, which EventBridge cannot use).
    let email = format!("{}-email", n.prefix);
    let theirs = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "Backups", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{email}"),
    }]});
    rt().block_on(
        sqs()
            .create_queue()
            .queue_name(&email)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::Policy,
                theirs.to_string(),
            )
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::KmsMasterKeyId,
                "alias/aws/sqs",
            )
            .send(),
    )
    .unwrap();
    // So does the role, trusted by another service too.
    let role = format!("{}-scheduler", n.prefix);
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "Batch", "Effect": "Allow", "Principal": {"Service": "batch.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }]});
    rt().block_on(
        iam()
            .create_role()
            .role_name(&role)
            .assume_role_policy_document(trust.to_string())
            .send(),
    )
    .unwrap();
    let run = setup_cmd(&n, &["-o", "json"]);
    run.success();
    let url = queue_url(&email).unwrap();
    let attrs = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .unwrap();
    let get = |k: aws_sdk_sqs::types::QueueAttributeName| {
        attrs
            .attributes()
            .unwrap()
            .get(&k)
            .cloned()
            .unwrap_or_default()
    };
    let policy: Value =
        serde_json::from_str(&get(aws_sdk_sqs::types::QueueAttributeName::Policy)).unwrap();
    let sids: Vec<&str> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(sids, ["Backups", "ReminderRule"], "{policy}");
    assert_eq!(
        get(aws_sdk_sqs::types::QueueAttributeName::KmsMasterKeyId),
        ""
    );
    assert_eq!(
        get(aws_sdk_sqs::types::QueueAttributeName::SqsManagedSseEnabled),
        "true"
    );
    let got = rt()
        .block_on(iam().get_role().role_name(&role).send())
        .unwrap();
    let trust = decode(got.role().unwrap().assume_role_policy_document().unwrap());
    let sids: Vec<&str> = trust["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(sids, ["Batch", "SchedulerAssumesRole"], "{trust}");
    // A second run changes nothing.
    let again = setup_cmd(&n, &["-o", "json"]);
    assert!(
        changes(&again).iter().all(|(_, c)| c == "unchanged"),
        "{}",
        again.stdout
    );
}

#[test]
fn teardown_keeps_a_bus_that_still_has_rules_of_others() {
    let n = names();
    setup_cmd(&n, &[]).success();
    rt().block_on(
        events()
            .put_rule()
            .name("someone-elses")
            .event_bus_name(&n.bus)
            .event_pattern(r#"{"source":["x"]}"#)
            .send(),
    )
    .unwrap();
    let down = setup_cmd(&n, &["--teardown", "--yes", "-o", "json"]);
    down.success();
    let bus = down.json()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "event-bus")
        .cloned()
        .unwrap();
    assert_eq!(bus["change"], "kept", "{bus}");
    assert!(
        bus["note"].as_str().unwrap().contains("someone-elses"),
        "{bus}"
    );
}

#[test]
fn the_template_is_cfn_lint_clean() {
    let sentinel = Sentinel::start();
    for (bus, group, extra) in [
        ("shop", "carts", vec![]),
        ("default", "default", vec![]),
        (
            "shop",
            "carts",
            vec!["--mail-from", "The Shop <shop@example.com>"],
        ),
        ("shop", "carts", vec!["--api"]),
        (
            "shop",
            "carts",
            vec!["--api", "--functions", "--mail-from", "shop@example.com"],
        ),
        (
            "default",
            "default",
            vec![
                "--api",
                "--api-jwt-issuer",
                "https://issuer.example.com/pool",
                "--api-jwt-audience",
                "web",
            ],
        ),
    ] {
        let t = cartctl_at(&sentinel.endpoint)
            .args(["setup", "--bus", bus, "--group", group, "--template"])
            .args(&extra)
            .run();
        t.success();
        let resources = &t.json()["Resources"];
        assert_eq!(
            resources["SenderIdentity"]["Properties"]["EmailIdentity"].as_str(),
            extra.contains(&"--mail-from").then_some("shop@example.com"),
            "{}",
            t.stdout
        );
        assert_eq!(
            resources.get("ShopApi").is_some() && resources.get("CartCheckoutRoute").is_some(),
            extra.contains(&"--api")
        );
        assert_eq!(
            resources.get("ConsumerMapping").is_some() && resources.get("MailerFunction").is_some(),
            extra.contains(&"--functions")
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.json");
        std::fs::write(&path, &t.stdout).unwrap();
        let lint = std::process::Command::new(venv_python().parent().unwrap().join("cfn-lint"))
            .arg(&path)
            .output()
            .expect("run cfn-lint (pinned in scripts/emulator-requirements.txt)");
        assert!(
            lint.status.success(),
            "cfn-lint on the {bus}/{group} template:\n{}{}",
            String::from_utf8_lossy(&lint.stdout),
            String::from_utf8_lossy(&lint.stderr)
        );
    }
    assert_eq!(sentinel.hits(), 0);
}

/// checkov's findings on the whole system's template that were reviewed and accepted, each
/// with why. Any other finding fails the test; a skip that no longer matches anything too.
const CHECKOV_REVIEWED: [(&str, &str); 7] = [
    (
        "CKV_AWS_119",
        "the ledger is encrypted at rest with the AWS managed DynamoDB key (SSESpecification on); a key of the shop's own adds a key policy to keep and a cost per request",
    ),
    (
        "CKV_AWS_27",
        "the queues are encrypted with SSE-SQS (SqsManagedSseEnabled), which checkov does not recognise; EventBridge cannot send to a queue under the AWS managed KMS key",
    ),
    (
        "CKV_AWS_173",
        "the functions' variables hold names, ARNs and the sender's address, no secret; Lambda encrypts them at rest with its own key",
    ),
    (
        "CKV_AWS_158",
        "CloudWatch Logs encrypts every group at rest; the lines hold user hashes, no personal data, so a key of the shop's own adds cost and a key policy for nothing",
    ),
    (
        "CKV_AWS_117",
        "the functions call only AWS's public endpoints (Scheduler, SES, SQS); a VPC would need a NAT gateway or an endpoint per service",
    ),
    (
        "CKV_AWS_116",
        "SQS invokes the functions synchronously: an on-failure DLQ applies to asynchronous invocations only; each source queue's redrive policy is their dead-letter queue",
    ),
    (
        "CKV_AWS_115",
        "the mailer's batches are bounded by its mapping's MaximumConcurrency (the send rate's share); the consumer scales with its queue on purpose, and reserved concurrency would take from the account's pool",
    ),
];

#[test]
fn the_whole_systems_template_passes_checkov_but_for_reviewed_findings() {
    let sentinel = Sentinel::start();
    let t = cartctl_at(&sentinel.endpoint)
        .args(["setup", "--bus", "shop", "--group", "carts", "--template"])
        .args(["--api", "--functions", "--mail-from", "shop@example.com"])
        .run();
    t.success();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.json");
    std::fs::write(&path, &t.stdout).unwrap();
    let venv = std::env::var_os("CARTCTL_CHECKOV_VENV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let emulator = venv_python().parent().unwrap().parent().unwrap().to_owned();
            std::path::PathBuf::from(format!("{}-checkov", emulator.display()))
        });
    let checkov = venv.join("bin").join("checkov");
    assert!(
        checkov.exists(),
        "checkov is not installed at {}: run scripts/install-checkov (scripts/test does)",
        checkov.display()
    );
    let out = std::process::Command::new(&checkov)
        .args([
            "--framework",
            "cloudformation",
            "-o",
            "json",
            "--quiet",
            "-f",
        ])
        .arg(&path)
        .output()
        .expect("run checkov");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "checkov's report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let failed: Vec<(String, String)> = report["results"]["failed_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check_id"].as_str().unwrap().to_owned(),
                c["resource"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let reviewed = |id: &str| CHECKOV_REVIEWED.iter().any(|(r, _)| *r == id);
    let new: Vec<_> = failed.iter().filter(|(id, _)| !reviewed(id)).collect();
    assert!(new.is_empty(), "checkov findings not reviewed: {new:?}");
    for (id, why) in CHECKOV_REVIEWED {
        assert!(!why.is_empty());
        assert!(
            failed.iter().any(|(f, _)| f == id),
            "{id} is reviewed but no longer found: take it off the list"
        );
    }
    assert!(
        report["summary"]["passed"].as_u64().unwrap() > 20,
        "{}",
        report["summary"]
    );
    assert_eq!(sentinel.hits(), 0);
}
