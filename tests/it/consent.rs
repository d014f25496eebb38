//! Lawful e-mail end to end, against the strict double's SES (which checks and records every
//! SendEmail, serves the suppression list and publishes SES's documented events): consent
//! under `required`, an unsubscribe, a suppressed address, a bounce that comes back on the
//! bus, and what every send carries.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::common::*;
use crate::mailer::{SHOP, deliver, mail};
use crate::worker::{Flow, envelope};

/// A flow with a sender (its contact list is the account's one: setup adopts it), and the
/// config setup wrote as `{key: value}`.
fn mail_flow(extra: &[&str]) -> (Flow, Value) {
    let f = Flow::with(&[&["--mail-from", SHOP], extra].concat());
    let text = std::fs::read_to_string(f.dir.path().join("cartctl.toml")).unwrap();
    let config: serde_json::Map<String, Value> = text
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| {
            (
                k.trim().to_owned(),
                serde_json::from_str(v).unwrap_or(json!(v)),
            )
        })
        .collect();
    (f, Value::Object(config))
}

/// An add-to-cart event of `user` with `detail`'s keys, handled by the consumer: its line.
fn add(f: &Flow, user: &str, product: &str, detail: Value) -> Value {
    let mut d = json!({"user": user, "product": product});
    d.as_object_mut()
        .unwrap()
        .extend(detail.as_object().unwrap().clone());
    let time = Utc::now() - Duration::minutes(1);
    f.deliver(&envelope(&format!("item {product} added to Cart"), time, d));
    let (run, mut lines) = f.work(1, &[]);
    run.success();
    lines.remove(0)
}

/// A fired reminder for `user`'s `product`, sent to `to`, on the e-mail queue.
fn fire_to(f: &Flow, user: &str, product: &str, to: &str) {
    let detail = json!({"scheduled_event": "true", "user": user, "product": product, "email": to});
    deliver(f, &unique("ev"), &detail);
}

#[test]
fn under_required_consent_only_who_consented_is_emailed_and_every_send_carries_list_set_and_tags() {
    let topic = unique("optin");
    let (f, config) = mail_flow(&["--consent", "required", "--topic", &topic]);
    assert_eq!(config["consent"], "required", "{config}");
    assert_eq!(config["mail_topic"], topic.as_str(), "{config}");
    let (yes, no, odd) = (unique("yes"), unique("no"), unique("odd"));
    let addr = |u: &str| format!("{u}@example.com");

    // Consent enters with the cart event: the consumer records it on the contact.
    let line = add(
        &f,
        &yes,
        "sku-1",
        json!({"email": addr(&yes), "marketing_consent": true}),
    );
    assert!(
        line["note"]
            .as_str()
            .unwrap_or_default()
            .contains("consent recorded"),
        "{line}"
    );
    add(&f, &no, "sku-1", json!({"email": addr(&no)}));
    // A consent that is not a JSON boolean is reported and never read as consent.
    let line = add(
        &f,
        &odd,
        "sku-1",
        json!({"email": addr(&odd), "marketing_consent": "yes"}),
    );
    assert_eq!(line["status"], "created", "{line}");
    assert!(
        line["note"]
            .as_str()
            .unwrap_or_default()
            .contains("marketing_consent"),
        "{line}"
    );

    for u in [&yes, &no, &odd] {
        fire_to(&f, u, "sku-1", &addr(u));
    }
    let (run, lines) = mail(&f, 3, &[]);
    run.success();
    assert_eq!(line_of(&lines, &yes)["status"], "sent", "{lines:?}");
    for u in [&no, &odd] {
        let l = line_of(&lines, u);
        assert_eq!(l["status"], "unsubscribed", "{l}");
        assert!(l["reason"].as_str().unwrap().contains("no consent"), "{l}");
        assert!(ses_sends_to(&addr(u)).is_empty(), "{u} was e-mailed");
    }

    // The one send names the list and topic (SES's one-click unsubscribe), goes through the
    // configuration set (its events come back), and is tagged with hashes only.
    let sent = ses_sends_to(&addr(&yes));
    assert_eq!(sent.len(), 1, "{sent:?}");
    let s = &sent[0];
    assert_eq!(
        s["list_management"],
        json!({"ContactListName": config["contact_list"], "TopicName": topic}),
        "{s}"
    );
    assert_eq!(s["configuration_set"], format!("{}-mail", f.prefix), "{s}");
    let tags = s["tags"].as_object().unwrap();
    for key in ["customer", "stage", "reminder"] {
        assert!(tags.contains_key(key), "no {key} tag: {s}");
    }
    let tag_text = s["tags"].to_string();
    assert!(!tag_text.contains(&yes) && !tag_text.contains('@'), "{s}");
    assert!(
        s["text"]
            .as_str()
            .unwrap()
            .contains("{{amazonSESUnsubscribeUrl}}"),
        "{s}"
    );

    // `contacts` shows the consent the cart event recorded, and needs a customer.
    let got = f
        .cartctl()
        .args(["contacts", "get", "--email", &addr(&yes), "-o", "json"])
        .run();
    got.success();
    assert_eq!(got.json()["chosen"], "OPT_IN", "{}", got.stdout);
    let bare = f.cartctl().args(["contacts", "get"]).run();
    assert_eq!(bare.code, 2, "{}", bare.stderr);
    assert!(bare.stderr.contains("--user"), "{}", bare.stderr);
}

#[test]
fn an_unsubscribe_stops_the_next_reminder_and_a_suppressed_address_is_never_sent_to() {
    let (f, _) = mail_flow(&[]);
    let (leaver, bounced) = (unique("leaver"), unique("supp"));
    let addr = |u: &str| format!("{u}@example.com");
    fire_to(&f, &leaver, "sku-1", &addr(&leaver));
    let (run, lines) = mail(&f, 1, &["--cooldown", "0"]);
    run.success();
    assert_eq!(lines[0]["status"], "sent", "{lines:?}");

    // The customer unsubscribes (what SES's unsubscribe page does: the contact's topic
    // preference OPT_OUT); the next reminder is not sent, and not retried.
    let out = f
        .cartctl()
        .args([
            "contacts",
            "unsubscribe",
            "--email",
            &addr(&leaver),
            "-o",
            "json",
        ])
        .run();
    out.success();
    assert_eq!(out.json()["chosen"], "OPT_OUT", "{}", out.stdout);
    // An address on the account's suppression list (a past hard bounce).
    rt().block_on(
        ses()
            .put_suppressed_destination()
            .email_address(addr(&bounced))
            .reason(aws_sdk_sesv2::types::SuppressionListReason::Bounce)
            .send(),
    )
    .unwrap();
    fire_to(&f, &leaver, "sku-2", &addr(&leaver));
    fire_to(&f, &bounced, "sku-1", &addr(&bounced));
    let (run, lines) = mail(&f, 2, &["--cooldown", "0"]);
    run.success();
    assert_eq!(
        line_of(&lines, &leaver)["status"],
        "unsubscribed",
        "{lines:?}"
    );
    assert_eq!(
        line_of(&lines, &bounced)["status"],
        "suppressed",
        "{lines:?}"
    );
    assert_eq!(ses_sends_to(&addr(&leaver)).len(), 1);
    assert!(ses_sends_to(&addr(&bounced)).is_empty());
    // Nothing was left to retry.
    let left = rt()
        .block_on(
            sqs()
                .get_queue_attributes()
                .queue_url(crate::worker::queue_url(&format!("{}-email", f.prefix)))
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .unwrap();
    let attrs = left.attributes().unwrap();
    for a in [
        aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages,
        aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
    ] {
        assert_eq!(attrs.get(&a).map(String::as_str), Some("0"), "{a:?}");
    }
}

#[test]
fn a_bounce_on_the_bus_marks_the_customer_and_stops_their_next_reminder() {
    let (f, _) = mail_flow(&[]);
    let user = unique("gone");
    let to = format!("{user}@example.com");
    add(&f, &user, "sku-1", json!({"email": to}));
    fire_to(&f, &user, "sku-1", &to);
    let (run, lines) = mail(&f, 1, &["--cooldown", "0"]);
    run.success();
    assert_eq!(lines[0]["status"], "sent", "{lines:?}");
    let sent = ses_sends_to(&to);
    let id = sent[0]["message_id"].as_str().unwrap();

    // SES publishes the hard bounce to the default bus; the mail-events rule brings it to
    // the consumer, which marks the customer.
    assert_eq!(ses_publish(id, "Bounce", "Permanent"), 1);
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(lines[0]["mail_event"], "bounce", "{lines:?}");
    assert_eq!(lines[0]["status"], "marked", "{lines:?}");

    // Their next reminder is not sent, though SES's list may not have the address yet.
    fire_to(&f, &user, "sku-2", &to);
    let (run, lines) = mail(&f, 1, &["--cooldown", "0"]);
    run.success();
    assert_eq!(lines[0]["status"], "suppressed", "{lines:?}");
    assert!(
        lines[0]["reason"].as_str().unwrap().contains("bounce"),
        "{lines:?}"
    );
    assert_eq!(ses_sends_to(&to).len(), 1);

    // A delivery is only noted.
    let other = unique("fine");
    let fine = format!("{other}@example.com");
    fire_to(&f, &other, "sku-1", &fine);
    mail(&f, 1, &["--cooldown", "0"]).0.success();
    let id = ses_sends_to(&fine)[0]["message_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ses_publish(&id, "Delivery", ""), 1);
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(lines[0]["status"], "noted", "{lines:?}");
}
