//! The local emulator fires schedules by itself, as EventBridge Scheduler does
//! (`tests/support/schedclock.py`): a reminder appears on its bus once, when due, in its time
//! zone, and is gone after; one whose bus is missing ends in its dead-letter queue with the
//! attributes Scheduler writes; and what the clock puts on the bus is what `cartctl fire` puts.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;

use crate::common::*;

#[test]
fn schedules_fire_by_themselves_when_due_once_in_their_zone_or_into_their_dlq() {
    let emu = firing_emulator();
    let conf = sdk_config_at(&emu.endpoint);
    let (ev, sq, sc) = (
        aws_sdk_eventbridge::Client::new(&conf),
        aws_sdk_sqs::Client::new(&conf),
        aws_sdk_scheduler::Client::new(&conf),
    );
    let (bus, group) = (unique("clk"), unique("g"));
    let queue = |name: &str| -> (String, String) {
        let url = rt()
            .block_on(sq.create_queue().queue_name(name).send())
            .unwrap()
            .queue_url()
            .unwrap()
            .to_owned();
        (url, format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"))
    };
    rt().block_on(ev.create_event_bus().name(&bus).send())
        .unwrap();
    rt().block_on(sc.create_schedule_group().name(&group).send())
        .unwrap();
    let (seen, seen_arn) = queue(&unique("seen"));
    let (dlq, dlq_arn) = queue(&unique("dlq"));
    rt().block_on(
        ev.put_rule()
            .name("all")
            .event_bus_name(&bus)
            .event_pattern(r#"{"source": ["putToCartService"]}"#)
            .send(),
    )
    .unwrap();
    let target = aws_sdk_eventbridge::types::Target::builder()
        .id("q")
        .arn(&seen_arn)
        .build()
        .unwrap();
    rt().block_on(
        ev.put_targets()
            .rule("all")
            .event_bus_name(&bus)
            .targets(target)
            .send(),
    )
    .unwrap();

    // Three reminders due in a little over a minute (Scheduler's least lead): one in UTC, one
    // written on Paris's clock, one to a bus that does not exist.
    let due = Utc::now() + chrono::Duration::seconds(66);
    let utc = due.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let paris = due
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let missing = format!(
        "arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{}",
        unique("gone")
    );
    let schedule = |user: &str, extra: &[&str]| -> String {
        let run = cartctl_at(&emu.endpoint)
            .args(["schedule", "--group", &group, "--role-arn", ROLE])
            .args(["--dlq-arn", &dlq_arn, "--user", user, "--product", "sku-1"])
            .args(["-o", "json"])
            .args(extra)
            .run();
        run.success();
        run.json()["name"].as_str().unwrap().to_owned()
    };
    let in_utc = schedule("utc", &["--bus", &bus, "--at", &utc]);
    let in_paris = schedule(
        "paris",
        &["--bus", &bus, "--at", &paris, "--timezone", "Europe/Paris"],
    );
    let lost = schedule("lost", &["--bus", &missing, "--at", &utc]);
    // `cartctl fire` puts the same reminder now, keeping the schedule for the clock.
    cartctl_at(&emu.endpoint)
        .args(["fire", &in_utc, "--group", &group, "--keep"])
        .run()
        .success();

    // Wait for three events on the bus (fire's, then the clock's two) and one dead letter.
    let mut events: Vec<Value> = Vec::new();
    let mut dead: Vec<aws_sdk_sqs::types::Message> = Vec::new();
    let started = Instant::now();
    while (events.len() < 3 || dead.is_empty()) && started.elapsed() < Duration::from_secs(150) {
        let got = rt()
            .block_on(
                sq.receive_message()
                    .queue_url(&seen)
                    .wait_time_seconds(2)
                    .send(),
            )
            .unwrap();
        for m in got.messages() {
            events.push(serde_json::from_str(m.body().unwrap()).unwrap());
            let handle = m.receipt_handle().unwrap();
            rt().block_on(
                sq.delete_message()
                    .queue_url(&seen)
                    .receipt_handle(handle)
                    .send(),
            )
            .unwrap();
        }
        let got = rt()
            .block_on(
                sq.receive_message()
                    .queue_url(&dlq)
                    .message_attribute_names("All")
                    .wait_time_seconds(1)
                    .send(),
            )
            .unwrap();
        dead.extend(got.messages().iter().cloned());
    }
    let of = |user: &str| -> Vec<&Value> {
        events
            .iter()
            .filter(|e| e["detail"]["user"] == user)
            .collect()
    };
    let stats = emu.strict_stats();
    assert_eq!(of("utc").len(), 2, "{events:#?} {stats}");
    assert_eq!(of("paris").len(), 1, "{events:#?}");
    // The clock's event is fire's: same source, detail-type, resources and detail.
    let (fired, clocked) = (of("utc")[0], of("utc")[1]);
    for key in ["source", "detail-type", "resources", "detail"] {
        assert_eq!(fired[key], clocked[key], "{key}: {fired} / {clocked}");
    }
    assert!(clocked["resources"][0].as_str().unwrap().ends_with(&in_utc));
    assert!(
        of("paris")[0]["resources"][0]
            .as_str()
            .unwrap()
            .ends_with(&in_paris)
    );
    // Each fired when due, not before (event times are whole seconds), and Paris's on Paris's
    // clock: the same instant, not an hour off.
    for e in [clocked, of("paris")[0]] {
        let at = chrono::DateTime::parse_from_rfc3339(e["time"].as_str().unwrap()).unwrap();
        let early = (due - at.with_timezone(&Utc)).num_seconds();
        assert!(
            (-30..=1).contains(&early),
            "fired {early} s before due: {e}"
        );
    }

    // The one whose bus is missing: its input in the DLQ, with Scheduler's attributes; a
    // missing bus is never retried.
    assert_eq!(dead.len(), 1, "{dead:?} {stats}");
    let attrs: HashMap<&str, &str> = dead[0]
        .message_attributes()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v.string_value().unwrap_or_default()))
        .collect();
    assert_eq!(
        attrs["ERROR_CODE"], "ResourceNotFoundException",
        "{attrs:?}"
    );
    assert_eq!(attrs["TARGET_ARN"], missing);
    assert_eq!(attrs["RETRY_ATTEMPTS"], "0");
    assert!(attrs["SCHEDULE_ARN"].ends_with(&lost), "{attrs:?}");
    assert!(
        !attrs.contains_key("EXHAUSTED_RETRY_CONDITION"),
        "{attrs:?}"
    );
    let body: Value = serde_json::from_str(dead[0].body().unwrap()).unwrap();
    assert_eq!(body["user"], "lost");

    // Fired once: nothing more comes, and the fired reminders deleted themselves.
    std::thread::sleep(Duration::from_secs(3));
    let more = rt()
        .block_on(
            sq.receive_message()
                .queue_url(&seen)
                .wait_time_seconds(2)
                .send(),
        )
        .unwrap();
    assert!(more.messages().is_empty(), "fired twice: {more:?}");
    let left: Vec<String> = rt()
        .block_on(sc.list_schedules().group_name(&group).send())
        .unwrap()
        .schedules()
        .iter()
        .filter_map(|s| s.name().map(str::to_owned))
        .collect();
    assert_eq!(left, [lost], "only the dead-lettered one is kept");
}
