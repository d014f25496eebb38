//! Behaving like AWS, not like the emulator: each test here fails on a bug that only a real
//! account would show, caught by the strict AWS double (`tests/support/strictaws.py`) in front
//! of moto, or by cartctl refusing what AWS would refuse. See docs/AWS-FIDELITY.md.

use serde_json::{Value, json};

use crate::common::*;

fn dry_run_token(at: &str) -> String {
    let run = cartctl()
        .args([
            "schedule",
            "--user",
            "alice",
            "--product",
            "sku-1",
            "--at",
            at,
            "--role-arn",
            ROLE,
            "--dry-run",
        ])
        .run();
    run.success();
    run.json()["ClientToken"].as_str().unwrap().to_owned()
}

#[test]
fn identical_invocations_send_different_client_tokens() {
    let a = dry_run_token("2030-06-01T10:00");
    let b = dry_run_token("2030-06-01T10:00");
    assert_ne!(a, b, "AWS would answer the second with the first's result");
    assert_eq!(a.len(), 64);
}

#[test]
fn a_reminder_deleted_and_scheduled_again_exists() {
    // On AWS (and through the strict double) a reused ClientToken is answered with the earlier
    // result: a token derived from the request alone made this re-create print `created` and
    // create nothing.
    let s = setup();
    let create = || {
        schedule_into(&s.group, &s.bus)
            .args([
                "--user",
                "alice",
                "--product",
                "sku-1",
                "--at",
                "2030-06-01T10:00",
                "-o",
                "json",
            ])
            .run()
    };
    let first = create();
    first.success();
    let name = first.json()["name"].as_str().unwrap().to_owned();
    cartctl()
        .args(["delete", &name, "--group", &s.group, "--yes"])
        .run()
        .success();
    assert!(get_schedule(&s.group, &name).is_none());
    let again = create();
    again.success();
    assert_eq!(again.json()["status"], "created");
    assert!(
        get_schedule(&s.group, &name).is_some(),
        "the second create must really create the schedule"
    );
}

#[test]
fn the_double_answers_as_aws_does() {
    let s = setup();
    // A model constraint moto does not check: a name of 65 characters.
    let long = "n".repeat(65);
    let err = rt()
        .block_on(
            scheduler()
                .get_schedule()
                .group_name(&s.group)
                .name(&long)
                .send(),
        )
        .unwrap_err();
    let code = aws_sdk_scheduler::error::ProvideErrorMetadata::code(&err).map(str::to_owned);
    assert_eq!(code.as_deref(), Some("ValidationException"), "{err:?}");
    // A ClientToken is remembered: the same token and request get the first answer without
    // anything happening; the same token with another request is refused (the error code).
    let make = |input: &str| -> Result<(), Option<String>> {
        rt().block_on(
            scheduler()
                .create_schedule()
                .group_name(&s.group)
                .name("token-test")
                .schedule_expression("at(2030-01-01T00:00:00)")
                .flexible_time_window(
                    aws_sdk_scheduler::types::FlexibleTimeWindow::builder()
                        .mode(aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off)
                        .build()
                        .unwrap(),
                )
                .target(
                    aws_sdk_scheduler::types::Target::builder()
                        .arn(&s.bus_arn)
                        .role_arn(ROLE)
                        .input(input)
                        .build()
                        .unwrap(),
                )
                .client_token("same-token")
                .send(),
        )
        .map(|_| ())
        .map_err(|e| aws_sdk_scheduler::error::ProvideErrorMetadata::code(&e).map(str::to_owned))
    };
    make("{}").expect("first create");
    rt().block_on(
        scheduler()
            .delete_schedule()
            .group_name(&s.group)
            .name("token-test")
            .send(),
    )
    .unwrap();
    make("{}").expect("the same token and request: the first answer");
    assert!(
        get_schedule(&s.group, "token-test").is_none(),
        "a replayed token changes nothing"
    );
    let code = make(r#"{"other":1}"#).unwrap_err();
    assert_eq!(code.as_deref(), Some("ValidationException"));
    let stats = emulator().strict_stats();
    assert!(stats["token_replays"].as_u64().unwrap() >= 1, "{stats}");
    assert!(stats["token_mismatches"].as_u64().unwrap() >= 1, "{stats}");
}

#[test]
fn fire_due_against_aws_itself_needs_force() {
    // No endpoint override: this would be AWS, where Scheduler fires due schedules itself.
    let started = std::time::Instant::now();
    let run = cartctl()
        .env_remove("AWS_ENDPOINT_URL")
        .args(["fire", "--due"])
        .run();
    run.code(2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert!(run.stderr.contains("twice"), "{}", run.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // A service-specific override counts as an emulator too.
    let run = cartctl()
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_ENDPOINT_URL_SCHEDULER", &emulator().endpoint)
        .env("AWS_ENDPOINT_URL_EVENTBRIDGE", &emulator().endpoint)
        .args(["fire", "--due", "--group", "default", "--dry-run"])
        .run();
    run.success();
}

#[test]
fn a_disabled_schedule_is_fired_only_with_force() {
    let s = setup();
    let rec = BusRecorder::on(&s.bus);
    let input = json!({"scheduled_event": "true", "user": "dis", "product": "abled"});
    RawSchedule {
        group: &s.group,
        name: "disabled-one",
        expression: "at(2030-01-01T00:00:00)",
        input: &input.to_string(),
        action: "NONE",
        state: "DISABLED",
        target: &s.bus_arn,
        detail_type: "item abled added to Cart",
    }
    .create();
    let run = cartctl()
        .args(["fire", "disabled-one", "--group", &s.group])
        .run();
    run.code(2);
    assert!(run.stderr.contains("DISABLED"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert!(rec.events(0).is_empty(), "nothing was put on the bus");
    let run = cartctl()
        .args(["fire", "disabled-one", "--group", &s.group, "--force"])
        .run();
    run.success();
    let got = rec.events(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["detail"]["user"], "dis");
}

#[test]
fn context_attributes_are_substituted_when_fired() {
    let s = setup();
    let rec = BusRecorder::on(&s.bus);
    let input = json!({
        "scheduled_event": "true",
        "user": "ctx",
        "product": "p",
        "arn": "<aws.scheduler.schedule-arn>",
        "time": "<aws.scheduler.scheduled-time>",
        "execution": "<aws.scheduler.execution-id>",
        "attempt": "<aws.scheduler.attempt-number>",
    });
    RawSchedule {
        group: &s.group,
        name: "with-context",
        expression: "at(2030-01-01T12:30:00)",
        input: &input.to_string(),
        action: "NONE",
        state: "ENABLED",
        target: &s.bus_arn,
        detail_type: "item p added to Cart",
    }
    .create();
    let run = cartctl()
        .args(["fire", "with-context", "--group", &s.group, "-o", "json"])
        .run();
    run.success();
    let got = rec.events(1);
    assert_eq!(got.len(), 1);
    let d: &Value = &got[0]["detail"];
    let arn = get_schedule(&s.group, "with-context")
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    assert_eq!(d["arn"], arn.as_str());
    assert_eq!(d["time"], "2030-01-01T12:30:00Z");
    let id = d["execution"].as_str().unwrap();
    assert_eq!(id.len(), 16, "{id}");
    assert!(!id.contains('<'));
    assert_eq!(d["attempt"], "1");
    assert_eq!(d["user"], "ctx");
}

#[test]
fn an_idle_tail_never_abandons_its_long_poll() {
    // AWS answers an empty 20 s poll after 20 s plus the round trip (2 s here). A client whose
    // attempt timeout is the wait itself cuts it off and polls again while the first is held.
    let emu = private_strict_emulator(&["--poll-rtt-ms".into(), "2000".into()]);
    let run = cartctl_at(&emu.endpoint)
        .args(["tail", "--timeout", "26s"])
        .run();
    run.code(124);
    let stats = emu.strict_stats();
    assert_eq!(stats["receive_overlaps"], 0, "{stats}");
    assert_eq!(stats["max_receive_in_flight"], 1, "{stats}");
}

#[test]
fn a_refused_transaction_leaves_every_item_it_named_as_it_was() {
    // The emulator keeps only the items a transaction names to restore them on a refusal
    // (moto copied whole tables): an update, a put of a new item and a delete, refused by a
    // later condition, must all be undone, and an accepted one must all apply.
    use aws_sdk_dynamodb::types::{
        AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
    };
    let table = shared_ledger();
    let pk = unique("tx");
    let s = |v: &str| AttributeValue::S(v.to_owned());
    let key = |sk: &str| [("pk".to_owned(), s(&pk)), ("sk".to_owned(), s(sk))];
    let ddb = dynamodb();
    for (sk, v) in [("a", "1"), ("gone", "2")] {
        let item = key(sk).into_iter().chain([("v".to_owned(), s(v))]);
        rt().block_on(
            ddb.put_item()
                .table_name(table)
                .set_item(Some(item.collect()))
                .send(),
        )
        .unwrap();
    }
    let transaction = |condition: &str| {
        let update = Update::builder()
            .table_name(table)
            .set_key(Some(key("a").into()))
            .update_expression("SET v = :v")
            .expression_attribute_values(":v", s("changed"))
            .build()
            .unwrap();
        let put = Put::builder()
            .table_name(table)
            .set_item(Some(key("new").into()))
            .build()
            .unwrap();
        let delete = Delete::builder()
            .table_name(table)
            .set_key(Some(key("gone").into()))
            .build()
            .unwrap();
        let check = ConditionCheck::builder()
            .table_name(table)
            .set_key(Some(key("check").into()))
            .condition_expression(condition)
            .build()
            .unwrap();
        rt().block_on(
            ddb.transact_write_items()
                .transact_items(TransactWriteItem::builder().update(update).build())
                .transact_items(TransactWriteItem::builder().put(put).build())
                .transact_items(TransactWriteItem::builder().delete(delete).build())
                .transact_items(TransactWriteItem::builder().condition_check(check).build())
                .send(),
        )
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
    };
    let items = || {
        let out = rt()
            .block_on(
                ddb.query()
                    .table_name(table)
                    .key_condition_expression("pk = :pk")
                    .expression_attribute_values(":pk", s(&pk))
                    .consistent_read(true)
                    .send(),
            )
            .unwrap();
        out.items()
            .iter()
            .map(|i| {
                let text = |k: &str| i.get(k).and_then(|v| v.as_s().ok()).cloned();
                (text("sk").unwrap(), text("v"))
            })
            .collect::<Vec<_>>()
    };
    let before = items();
    assert_eq!(
        before,
        [
            ("a".into(), Some("1".into())),
            ("gone".into(), Some("2".into()))
        ]
    );
    let refused = transaction("attribute_exists(pk)").expect_err("the check refuses");
    assert!(refused.contains("TransactionCanceled"), "{refused}");
    assert_eq!(items(), before, "a refused transaction changed the table");
    transaction("attribute_not_exists(pk)").expect("the check admits");
    assert_eq!(
        items(),
        [("a".into(), Some("changed".into())), ("new".into(), None)]
    );
}
