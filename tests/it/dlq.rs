//! The failure path against the emulator: a reminder whose bus does not exist, fired, lands in
//! its dead-letter queue as Scheduler would put it; `dlq list` shows it without consuming it;
//! once the bus exists `dlq redrive` delivers it and empties the queue; foreign messages stay;
//! a redrive of 200 through a faulting proxy loses nothing.

use std::collections::BTreeMap;

use aws_sdk_sqs::types::{MessageAttributeValue, QueueAttributeName};
use serde_json::{Value, json};

use crate::common::*;

/// A fresh standard queue; (URL, ARN).
fn queue() -> (String, String) {
    let name = unique("dlq");
    let out = rt()
        .block_on(sqs().create_queue().queue_name(&name).send())
        .unwrap();
    (
        out.queue_url().unwrap().to_owned(),
        format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
    )
}

/// Every message of a queue, with its attributes, made visible again at once.
fn peek(url: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let out = rt()
        .block_on(
            sqs()
                .receive_message()
                .queue_url(url)
                .max_number_of_messages(10)
                .visibility_timeout(0)
                .message_attribute_names("All")
                .send(),
        )
        .unwrap();
    out.messages()
        .iter()
        .map(|m| {
            let attrs = m
                .message_attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| (k.clone(), v.string_value().unwrap_or("").to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            (m.body().unwrap_or("").to_owned(), attrs)
        })
        .collect()
}

fn queue_depth(url: &str) -> u64 {
    let out = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
                .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
                .send(),
        )
        .unwrap();
    let a = out.attributes().unwrap();
    let n = |k: QueueAttributeName| a.get(&k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    n(QueueAttributeName::ApproximateNumberOfMessages)
        + n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
}

#[test]
fn a_reminder_to_a_missing_bus_is_dead_lettered_listed_and_redriven() {
    let s = setup();
    let (dlq_url, dlq_arn) = queue();
    let missing = unique("gone");
    let missing_arn = bus_arn(&missing);
    let run = cartctl()
        .args(["schedule", "--group", &s.group, "--role-arn", ROLE])
        .args(["--user", "alice", "--product", "sku-1", "--in", "1d"])
        .args(["--bus", &missing_arn, "--dlq-arn", &dlq_arn, "-o", "json"])
        .run();
    run.success();
    let created = run.json();
    let name = created["name"].as_str().unwrap().to_owned();

    // Fired: the put fails for good, the dead letter goes to the DLQ, the schedule stays.
    let fired = cartctl().args(["fire", &name, "--group", &s.group]).run();
    assert_ne!(fired.code, 0, "{}", fired.stdout);
    assert!(
        fired.stderr.contains("dead-letter event went to"),
        "{}",
        fired.stderr
    );
    assert!(
        get_schedule(&s.group, &name).is_some(),
        "the schedule stays"
    );
    let messages = peek(&dlq_url);
    assert_eq!(messages.len(), 1);
    let (body, attrs) = &messages[0];
    assert_eq!(
        serde_json::from_str::<Value>(body).unwrap(),
        json!({"scheduled_event": "true", "user": "alice", "product": "sku-1"})
    );
    assert_eq!(attrs["SCHEDULE_ARN"], created["arn"].as_str().unwrap());
    assert_eq!(attrs["TARGET_ARN"], missing_arn);
    assert_eq!(attrs["RETRY_ATTEMPTS"], "0");
    assert!(
        !attrs["ERROR_CODE"].is_empty() && !attrs["ERROR_MESSAGE"].is_empty(),
        "{attrs:?}"
    );
    for key in ["EXECUTION_ID", "SCHEDULED_TIME", "IS_PAYLOAD_TRUNCATED"] {
        assert!(attrs.contains_key(key), "{key}: {attrs:?}");
    }
    assert!(
        !attrs.contains_key("EXHAUSTED_RETRY_CONDITION"),
        "{attrs:?}"
    );

    // A foreign message, which every dlq command leaves alone.
    rt().block_on(
        sqs()
            .send_message()
            .queue_url(&dlq_url)
            .message_body("not a reminder")
            .send(),
    )
    .unwrap();

    // Listed twice: nothing consumed.
    for _ in 0..2 {
        let list = cartctl()
            .args(["dlq", "list", "--dlq-arn", &dlq_arn, "-o", "json"])
            .run();
        list.success();
        let out = list.json();
        assert_eq!(out["events"].as_array().unwrap().len(), 1, "{out}");
        let e = &out["events"][0];
        assert_eq!(
            (e["user"].as_str(), e["product"].as_str()),
            (Some("alice"), Some("sku-1"))
        );
        assert_eq!(e["name"], name.as_str());
        assert_eq!(e["error_code"], attrs["ERROR_CODE"].as_str());
        assert_eq!(out["foreign"].as_array().unwrap().len(), 1);
    }
    let text = cartctl().args(["dlq", "list", "--dlq-arn", &dlq_arn]).run();
    text.success();
    assert!(
        text.stdout.contains("alice") && text.stdout.contains("SCHEDULE"),
        "{}",
        text.stdout
    );
    assert!(
        text.stderr.contains("not Scheduler dead-letter events"),
        "{}",
        text.stderr
    );
    assert_eq!(queue_depth(&dlq_url), 2);

    // The bus exists now: redrive delivers exactly that reminder and leaves the foreign message.
    create_bus(&missing);
    let rec = BusRecorder::on(&missing);
    let redrive = cartctl()
        .args(["dlq", "redrive", "--dlq-arn", &dlq_arn, "-o", "json"])
        .run();
    redrive.success();
    let report = redrive.json();
    assert_eq!(report["redriven"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["foreign"].as_array().unwrap().len(), 1);
    let got = rec.events(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["detail"]["user"], "alice");
    assert_eq!(got[0]["source"], "putToCartService");
    assert_eq!(got[0]["detail-type"], "item sku-1 added to Cart");
    let left = peek(&dlq_url);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].0, "not a reminder");

    // Purge needs --yes, then empties the queue.
    cartctl()
        .args(["dlq", "purge", "--dlq-arn", &dlq_arn])
        .run()
        .code(2);
    cartctl()
        .args(["dlq", "purge", "--dlq-arn", &dlq_arn, "--yes"])
        .run()
        .success();
    assert_eq!(queue_depth(&dlq_url), 0);
}

/// A String message attribute, as Scheduler writes its dead-letter attributes.
fn string_attr(v: &str) -> MessageAttributeValue {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(v)
        .build()
        .unwrap()
}

/// A dead-letter message as Scheduler sends it, for `user`, failed on `bus_arn`.
fn dead_letter(url: &str, group: &str, user: &str, bus_arn: &str) {
    let attr = string_attr;
    let body = json!({"scheduled_event": "true", "user": user, "product": "p"}).to_string();
    let schedule = format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/{group}/cart-{user}");
    rt().block_on(
        sqs()
            .send_message()
            .queue_url(url)
            .message_body(body)
            .message_attributes("SCHEDULE_ARN", attr(&schedule))
            .message_attributes("TARGET_ARN", attr(bus_arn))
            .message_attributes("ERROR_CODE", attr("ResourceNotFoundException"))
            .message_attributes("ERROR_MESSAGE", attr("Event bus does not exist."))
            .message_attributes("RETRY_ATTEMPTS", attr("0"))
            .send(),
    )
    .unwrap();
}

#[test]
fn redriving_200_through_faults_loses_nothing() {
    let s = setup();
    let (url, arn) = queue();
    for i in 0..200 {
        dead_letter(&url, &s.group, &format!("u{i}"), &s.bus_arn);
    }
    let rec = BusRecorder::on(&s.bus);
    let proxy = faulty(17, &[]);
    let run = cartctl_at(&proxy.endpoint)
        .args(["dlq", "redrive", "--dlq-arn", &arn, "-o", "json"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let got = rec.events(200);
    let mut users: BTreeMap<String, usize> = BTreeMap::new();
    for e in &got {
        *users
            .entry(e["detail"]["user"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let missing: Vec<usize> = (0..200)
        .filter(|i| !users.contains_key(&format!("u{i}")))
        .collect();
    assert!(missing.is_empty(), "lost: {missing:?}");
    let duplicates: usize = users.values().map(|c| c - 1).sum();
    eprintln!(
        "redrive of 200 under faults: {} redriven, {duplicates} duplicates, {} counted as possible, proxy {}",
        report["redriven"].as_array().unwrap().len(),
        report["maybe_duplicated"],
        proxy.stats()
    );
    // A duplicate needs a lost answer: of a PutEvents call (counted), or of a delete (the
    // message redriven again).
    assert!(
        duplicates as u64
            <= report["maybe_duplicated"].as_u64().unwrap()
                + proxy.stats()["reset_after"].as_u64().unwrap_or(0) * 10,
        "{duplicates} duplicates"
    );
    assert_eq!(queue_depth(&url), 0, "nothing left in the DLQ");
}

#[test]
fn dead_letters_as_aws_writes_them_default_group_and_truncated_payloads() {
    let (url, arn) = queue();
    let bus = unique("shop");
    let bus_arn = create_bus(&bus);
    let attr = string_attr;
    // AWS's documented example: a schedule of the default group has no group in its ARN.
    let send = |name: &str, truncated: &str| {
        let body = json!({"scheduled_event": "true", "user": name, "product": "p"}).to_string();
        rt().block_on(
            sqs()
                .send_message()
                .queue_url(&url)
                .message_body(body)
                .message_attributes(
                    "SCHEDULE_ARN",
                    attr(&format!(
                        "arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/{name}"
                    )),
                )
                .message_attributes("TARGET_ARN", attr(&bus_arn))
                .message_attributes("ERROR_CODE", attr("ThrottlingException"))
                .message_attributes("ERROR_MESSAGE", attr("Rate exceeded"))
                .message_attributes("RETRY_ATTEMPTS", attr("185"))
                .message_attributes("EXHAUSTED_RETRY_CONDITION", attr("MaximumRetryAttempts"))
                .message_attributes("IS_PAYLOAD_TRUNCATED", attr(truncated))
                .send(),
        )
        .unwrap();
    };
    send("whole", "false");
    send("cut", "true");
    let listed = cartctl()
        .args(["dlq", "list", "--dlq-arn", &arn, "-o", "json"])
        .run();
    listed.success();
    let out = listed.json();
    let reminders = out["events"].as_array().unwrap();
    assert_eq!(reminders.len(), 2, "{out}");
    assert!(reminders.iter().all(|r| r["group"] == "default"), "{out}");
    assert!(out["foreign"].as_array().unwrap().is_empty(), "{out}");
    // The truncated one is never put back: its body is not the whole reminder.
    let redrive = cartctl()
        .args([
            "dlq",
            "redrive",
            "--dlq-arn",
            &arn,
            "--bus",
            &bus,
            "-o",
            "json",
        ])
        .run();
    let out = redrive.json();
    let redriven: Vec<_> = out["redriven"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].clone())
        .collect();
    assert_eq!(redriven, [json!("whole")], "{out}");
    let failed = &out["failed"][0];
    assert_eq!(failed["name"], "cut");
    assert!(
        failed["error"].as_str().unwrap().contains("truncated"),
        "{failed}"
    );
    assert_eq!(queue_depth(&url), 1, "the truncated message stays");
}

#[test]
fn a_failed_fire_reports_retries_as_the_schedules_policy_allows() {
    let s = setup();
    let (dlq_url, dlq_arn) = queue();
    // Every PutEvents entry refused with a retryable code: a failure that never ends.
    let proxy = FaultProxy::start(
        &emulator().endpoint,
        &["--fail-entries".into(), "1.0".into()],
    );
    let bus = unique("shop");
    create_bus(&bus);
    let run = cartctl()
        .args([
            "schedule",
            "--group",
            &s.group,
            "--role-arn",
            ROLE,
            "--bus",
            &bus,
        ])
        .args([
            "--user",
            "rita",
            "--product",
            "p",
            "--in",
            "1d",
            "--max-retries",
            "2",
        ])
        .args(["--dlq-arn", &dlq_arn, "-o", "json"])
        .run();
    run.success();
    let name = run.json()["name"].as_str().unwrap().to_owned();
    let fired = cartctl_at(&proxy.endpoint)
        .args(["fire", &name, "--group", &s.group])
        .run();
    assert_ne!(fired.code, 0, "{}", fired.stderr);
    let messages = peek(&dlq_url);
    assert_eq!(messages.len(), 1, "{}", fired.stderr);
    let attrs = &messages[0].1;
    // Two retries, as the policy allows, and the limit that stopped them.
    assert_eq!(attrs["RETRY_ATTEMPTS"], "2", "{attrs:?}");
    assert_eq!(attrs["EXHAUSTED_RETRY_CONDITION"], "MaximumRetryAttempts");
}
