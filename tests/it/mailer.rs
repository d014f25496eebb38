//! `cartctl worker mailer` end to end: `setup --mail-from` makes the sender's identity, an
//! add-to-cart event becomes a reminder (the consumer), the reminder fires (`cartctl fire`),
//! the e-mail rule queues it, and the mailer sends it with SES v2; moto keeps what was sent.

use serde_json::{Value, json};

use crate::common::*;
use crate::worker::{Flow, queue_url};

pub(crate) const SHOP: &str = "The Shop <shop@example.com>";

/// A flow with a sender, a reminder made from an add carrying `detail`, and that reminder
/// fired onto the e-mail queue.
pub(crate) fn fired(detail: Value) -> Flow {
    let f = Flow::with(&["--mail-from", SHOP]);
    let user = unique("u");
    f.put(&[
        "--user",
        &user,
        "--product",
        "sku-1",
        "--detail",
        &detail.to_string(),
    ]);
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(lines[0]["status"], "created", "{lines:?}");
    let name = f.reminders().pop().expect("a reminder");
    f.cartctl().args(["fire", &name]).run().success();
    f
}

/// Puts a fired reminder straight on the e-mail queue, as the e-mail rule would deliver it (a
/// redelivery, or another reminder).
pub(crate) fn deliver(f: &Flow, id: &str, detail: &Value) {
    let envelope = json!({
        "version": "0", "id": id, "source": "putToCartService",
        "detail-type": format!("item {} added to Cart", detail["product"].as_str().unwrap()),
        "account": ACCOUNT, "region": REGION, "time": "2026-12-01T10:00:00Z", "resources": [],
        "detail": detail,
    });
    let queue = queue_url(&format!("{}-email", f.prefix));
    rt().block_on(
        sqs()
            .send_message()
            .queue_url(&queue)
            .message_body(envelope.to_string())
            .send(),
    )
    .unwrap();
}

/// Runs the mailer until it handled `n` messages.
pub(crate) fn mail(f: &Flow, n: usize, extra: &[&str]) -> (Run, Vec<Value>) {
    let mut cmd = f
        .cartctl()
        .args(["worker", "mailer", "-o", "ndjson"])
        .args(["--max-messages", &n.to_string()]);
    if !extra.contains(&"--idle-timeout") {
        cmd = cmd.args(["--idle-timeout", "20s"]);
    }
    let run = cmd.args(extra).run();
    let lines = run.ndjson();
    (run, lines)
}

#[test]
fn a_fired_reminder_is_emailed_once_from_the_template_with_the_event_escaped() {
    let to = format!("{}@example.com", unique("alice"));
    let f =
        fired(json!({"email": to, "name": "Alice <b>&", "url": "https://shop.example/c?a=1&b=2"}));
    let config = std::fs::read_to_string(f.dir.path().join("cartctl.toml")).unwrap();
    assert!(
        config.contains(r#"mail_from = "\"The Shop\" <shop@example.com>""#),
        "{config}"
    );
    assert!(
        config.contains(&format!("email_queue = \"{}-email\"", f.prefix)),
        "{config}"
    );

    let (run, lines) = mail(&f, 1, &[]);
    run.success();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["status"], "sent", "{lines:?}");
    assert_eq!(lines[0]["to"], to.as_str());
    assert_eq!(lines[0]["subject"], "sku-1 is still in your cart");
    let sent = mail_to(&to);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let m = &sent[0];
    assert_eq!(m["source"], "\"The Shop\" <shop@example.com>");
    assert_eq!(m["subject"], "sku-1 is still in your cart");
    let body = m["body"].as_str().unwrap();
    assert!(body.contains("Hello Alice &lt;b&gt;&amp;,"), "{body}");
    // The built-in template shows the unsubscribe link (SES's placeholder, which SES fills in
    // because the send names the list and topic) and the shop's postal address.
    assert!(body.contains("{{amazonSESUnsubscribeUrl}}"), "{body}");
    assert!(body.contains(POSTAL_ADDRESS), "{body}");
    assert!(
        body.contains("href=\"https:&#x2f;&#x2f;shop.example&#x2f;c?a=1&amp;b=2\"")
            || body.contains("href=\"https://shop.example/c?a=1&amp;b=2\""),
        "{body}"
    );

    // A reminder made by hand (no add behind it: claimed by its event) delivered twice (SQS
    // delivers at least once) is sent once; the copy is `already_sent`.
    let message = lines[0]["event_id"].as_str().unwrap().to_owned();
    let detail =
        json!({"scheduled_event": "true", "user": "again", "product": "sku-1", "email": to});
    deliver(&f, &message, &detail);
    deliver(&f, &message, &detail);
    let (run, lines) = mail(&f, 2, &[]);
    run.success();
    let mut statuses: Vec<&str> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["already_sent", "sent"], "{lines:?}");
    assert_eq!(mail_to(&to).len(), 2);
}

#[test]
fn a_reminder_without_an_address_fails_alone_and_a_shops_template_is_used() {
    let f = fired(json!({"name": "Bob"}));
    let to = format!("{}@example.com", unique("carol"));
    let template = f.dir.path().join("reminder.toml");
    std::fs::write(
        &template,
        "subject = \"{{ user }}, your {{ product }}\\nBcc: x@evil.example\"\ntext = \"Stage {{ stage }} of {{ stages }} for {{ to }}\"\n",
    )
    .unwrap();
    // A second reminder, with an address, in the same queue.
    let detail =
        json!({"scheduled_event": "true", "user": "carol", "product": "sku-2", "contact": to});
    deliver(&f, &unique("ev"), &detail);
    // Without an unsubscribe link the shop's template is refused before anything is sent...
    let args = [
        "--template",
        "reminder.toml",
        "--recipient-field",
        "contact",
    ];
    let (run, lines) = mail(&f, 2, &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("unsubscribe_url"), "{}", run.stderr);
    assert!(lines.is_empty() && mail_to(&to).is_empty(), "{lines:?}");
    // ...unless the shop says the law lets it do without.
    let (run, lines) = mail(
        &f,
        2,
        &[&args[..], &["--allow-no-unsubscribe-link"]].concat(),
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let failed: Vec<&Value> = lines.iter().filter(|l| l["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("detail.contact"),
        "{failed:?}"
    );
    let sent = mail_to(&to);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["subject"], "carol, your sku-2 Bcc: x@evil.example");
    assert_eq!(sent[0]["body"], format!("Stage 1 of 1 for {to}\n"));
}

#[test]
fn bad_mailer_settings_exit_2_before_any_request() {
    let sentinel = Sentinel::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("unknown.toml"),
        "subject = \"{{ name }}\"\ntext = \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        "subject = \"{{ user \"\ntext = \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bare.toml"),
        "subject = \"{{ product }}\"\ntext = \"Still in your cart: {{ product }}\"\n",
    )
    .unwrap();
    let sender = |extra: &[&'static str]| {
        [&["--queue", "q", "--mail-from", "s@example.com"], extra].concat()
    };
    // Every other setting given, so the one under test is the one refused.
    let resolved = |extra: &[&'static str]| {
        let all = [
            "--ledger-table",
            "t",
            "--contact-list",
            "c",
            "--configuration-set",
            "m",
        ];
        sender(&[&all[..], extra].concat())
    };
    for (args, field) in [
        (vec!["--queue", "q"], "--mail-from"),
        (vec!["--queue", "q", "--mail-from", "shop@"], "--mail-from"),
        (
            vec!["--queue", "q", "--mail-from", "Shop <shop@example.com"],
            "--mail-from",
        ),
        (sender(&["--template", "unknown.toml"]), "--template"),
        (sender(&["--template", "broken.toml"]), "--template"),
        (sender(&["--template", "missing.toml"]), "--template"),
        (vec!["--mail-from", "s@example.com"], "--queue"),
        (sender(&["--max-messages", "0"]), "--max-messages"),
        (sender(&["--template", "bare.toml"]), "unsubscribe_url"),
        (resolved(&["--consent", "maybe"]), "--consent"),
        (resolved(&["--postal-address", " "]), "--postal-address"),
        (resolved(&["--holdout", "101"]), "--holdout"),
    ] {
        let run = cartctl_at(&sentinel.endpoint)
            .current_dir(dir.path())
            .args(["worker", "mailer"])
            .args(&args)
            .run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(field), "{args:?}: {}", run.stderr);
        assert!(run.stderr.lines().count() <= 2, "{args:?}: {}", run.stderr);
    }
    // A malformed sender in the config file is refused the same way.
    std::fs::write(
        dir.path().join("cartctl.toml"),
        "mail_from = \"not an address\"\n",
    )
    .unwrap();
    let run = cartctl_at(&sentinel.endpoint)
        .current_dir(dir.path())
        .args(["worker", "mailer", "--queue", "q"])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("mail_from"), "{}", run.stderr);
    assert_eq!(sentinel.hits(), 0);

    let printed = cartctl_at(&sentinel.endpoint)
        .args(["worker", "mailer", "--print-template"])
        .run();
    printed.success();
    assert!(printed.stdout.contains("subject = "), "{}", printed.stdout);
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn doctor_checks_the_senders_identity() {
    let f = Flow::with(&["--mail-from", SHOP]);
    let check = |run: &Run, name: &str| -> Value {
        run.json()["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} check: {}", run.stdout))
    };
    let run = f.cartctl().args(["doctor", "-o", "json"]).run();
    run.success();
    assert_eq!(
        check(&run, "mailer-identity")["status"],
        "ok",
        "{}",
        run.stdout
    );
    // The strict double serves GetAccount (production access), the list and the set's
    // destination that setup made.
    for name in ["mailer-sandbox", "mailer-list", "mailer-events"] {
        assert_eq!(check(&run, name)["status"], "ok", "{name}: {}", run.stdout);
    }

    let nobody = format!("{}@nowhere.example", unique("nobody"));
    let run = f
        .cartctl()
        .args(["doctor", "-o", "json", "--mail-from", &nobody])
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let c = check(&run, "mailer-identity");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["fix"].as_str().unwrap().contains("setup --mail-from"),
        "{c}"
    );
}

#[test]
fn a_reminder_that_cannot_be_sent_reaches_the_email_dlq_and_nothing_is_sent() {
    let f = Flow::with(&["--mail-from", SHOP]);
    let user = unique("noaddr");
    let detail = json!({"scheduled_event": "true", "user": user, "product": "sku-5"});
    let id = unique("ev");
    deliver(&f, &id, &detail);
    // It fails on each of the redrive policy's 5 receives (1, 2, 4, 8 s apart, then at once),
    // and the next receive moves it to the e-mail DLQ.
    let (run, lines) = mail(&f, 5, &["--idle-timeout", "25s"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines.iter().all(|l| l["status"] == "failed"), "{lines:?}");
    // The receive that moves it.
    receive_bodies(&queue_url(&format!("{}-email", f.prefix)), 1);
    let got = receive_bodies(&queue_url(&format!("{}-email-dlq", f.prefix)), 5);
    assert_eq!(got.len(), 1);
    let body: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(body["id"], id.as_str());
    assert!(
        sent_mail()
            .iter()
            .all(|m| !m["subject"].as_str().unwrap_or("").contains("sku-5")),
        "nothing was sent for it"
    );
}
