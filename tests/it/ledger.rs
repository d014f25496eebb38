//! The cart ledger end to end (`worker consumer`, `worker mailer`, `forget` on the DynamoDB
//! table setup makes): no e-mail after a purchase, whatever happened to the schedule; never
//! two e-mails for one reminder, from any number of mailers, through faults, or after a mailer
//! stopped between its claim and its send; at most one a cooldown per customer; a customer
//! erased item by item; a worker never runs unchecked.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::common::*;
use crate::mailer::{SHOP, deliver, mail};
use crate::worker::{Flow, envelope};

fn table(f: &Flow) -> String {
    format!("{}-carts", f.prefix)
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The reminder event Scheduler would put for the add of `product` at `added` (a consumer's
/// reminder: the seed's keys and `added_at`), delivered to the e-mail queue as event `id`.
fn fire(f: &Flow, id: &str, user: &str, product: &str, added: &str) {
    let detail =
        json!({"scheduled_event": "true", "user": user, "product": product, "added_at": added});
    deliver(f, id, &detail);
}

/// Adds of `products` for `user` (with an address), handled by the consumer; the adds' time.
fn adds(f: &Flow, user: &str, products: &[&str]) -> String {
    let time = Utc::now() - Duration::minutes(1);
    for p in products {
        let detail = json!({"user": user, "product": p, "email": format!("{user}@example.com")});
        f.deliver(&envelope(&format!("item {p} added to Cart"), time, detail));
    }
    let (run, lines) = f.work(products.len(), &[]);
    run.success();
    assert!(statuses(&lines).iter().all(|s| s == "created"), "{lines:?}");
    rfc3339(time)
}

fn statuses(lines: &[Value]) -> Vec<String> {
    let mut s: Vec<String> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap_or("?").to_owned())
        .collect();
    s.sort();
    s
}

#[test]
fn no_email_after_a_checkout_whatever_order_the_events_and_the_schedule_come_in() {
    let f = Flow::with(&["--mail-from", SHOP]);
    let user = unique("buyer");
    let at = Utc::now() - Duration::minutes(10);
    // The checkout is handled before the add it came after (another batch, another
    // container): the add is dropped.
    f.deliver(&envelope(
        "cart checked out",
        at + Duration::minutes(5),
        json!({"user": user}),
    ));
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(statuses(&lines), ["deleted"], "{lines:?}");
    f.deliver(&envelope(
        "item sku-1 added to Cart",
        at,
        json!({"user": user, "product": "sku-1", "email": format!("{user}@example.com")}),
    ));
    let (run, lines) = f.work(1, &[]);
    run.success();
    assert_eq!(statuses(&lines), ["superseded"], "{lines:?}");
    assert!(
        lines[0]["note"].as_str().unwrap().contains("checked out"),
        "{lines:?}"
    );
    assert!(f.reminders().is_empty());
    // A later add, then its checkout; a reminder of that add that survived (the checkout lost
    // to the carts DLQ, say) is cancelled at send time, nothing sent.
    let added = adds(&f, &user, &["sku-2"]);
    f.deliver(&envelope(
        "cart checked out",
        Utc::now(),
        json!({"user": user}),
    ));
    f.work(1, &[]).0.success();
    fire(&f, &unique("ev"), &user, "sku-2", &added);
    let (run, lines) = mail(&f, 1, &[]);
    run.success();
    assert_eq!(lines[0]["status"], "cancelled", "{lines:?}");
    assert!(
        lines[0]["reason"].as_str().unwrap().contains("checked out"),
        "{lines:?}"
    );
    assert!(mail_to(&format!("{user}@example.com")).is_empty());
}

#[test]
fn two_mailers_handed_the_same_reminder_at_once_send_one_email_every_time() {
    let f = Flow::with(&["--mail-from", SHOP]);
    for round in 0..4 {
        let user = unique(&format!("twice{round}"));
        let added = adds(&f, &user, &["sku-1"]);
        let id = unique("ev");
        fire(&f, &id, &user, "sku-1", &added);
        fire(&f, &id, &user, "sku-1", &added);
        let spawn = || {
            f.cartctl()
                .args([
                    "worker",
                    "mailer",
                    "--max-messages",
                    "1",
                    "--idle-timeout",
                    "5s",
                ])
                .spawn()
        };
        let (mut a, mut b) = (spawn(), spawn());
        a.wait().unwrap();
        b.wait().unwrap();
        // Whatever each saw (sent, already sent, or another mailer busy with it), one e-mail.
        let sent = mail_to(&format!("{user}@example.com"));
        assert_eq!(sent.len(), 1, "round {round}: {sent:?}");
        // A copy left (a mailer found the other busy) is already sent when it comes back.
        let (_, lines) = mail(&f, 1, &["--idle-timeout", "3s"]);
        assert!(
            lines.iter().all(|l| l["status"] == "already_sent"),
            "round {round}: {lines:?}"
        );
        assert_eq!(mail_to(&format!("{user}@example.com")).len(), 1);
    }
}

#[test]
fn a_mailer_stopped_between_its_claim_and_its_send_never_sends_again() {
    let f = Flow::with(&["--mail-from", SHOP]);
    let user = unique("stopped");
    let added = adds(&f, &user, &["sku-1"]);
    // What a mailer killed after its claim leaves: an in-progress claim, expired since.
    let at: chrono::DateTime<Utc> = added.parse().unwrap();
    let claim =
        cartctl_core::ledger::claim_key("sku-1", 1, &cartctl_core::ledger::ClaimOf::Add(at));
    let expired = (Utc::now() - Duration::minutes(1)).timestamp().to_string();
    rt().block_on(
        dynamodb()
            .put_item()
            .table_name(table(&f))
            .item(
                "pk",
                AttributeValue::S(cartctl_core::ledger::partition(&user)),
            )
            .item("sk", AttributeValue::S(claim))
            .item("state", AttributeValue::S("in_progress".into()))
            .item("claimed_until", AttributeValue::N(expired))
            .send(),
    )
    .unwrap();
    fire(&f, &unique("ev"), &user, "sku-1", &added);
    let (run, lines) = mail(&f, 1, &[]);
    run.success();
    assert_eq!(lines[0]["status"], "maybe_sent", "{lines:?}");
    assert!(mail_to(&format!("{user}@example.com")).is_empty());
}

#[test]
fn one_email_a_cooldown_per_customer_across_their_carts() {
    let f = Flow::with(&["--mail-from", SHOP]);
    for (cooldown, expected) in [
        ("24h", vec!["sent", "skipped", "skipped"]),
        ("0", vec!["sent"; 3]),
    ] {
        let user = unique("many");
        let added = adds(&f, &user, &["sku-1", "sku-2", "sku-3"]);
        for p in ["sku-1", "sku-2", "sku-3"] {
            fire(&f, &unique("ev"), &user, p, &added);
        }
        let (run, lines) = mail(&f, 3, &["--cooldown", cooldown]);
        run.success();
        assert_eq!(statuses(&lines), expected, "cooldown {cooldown}: {lines:?}");
        let sent = mail_to(&format!("{user}@example.com"));
        assert_eq!(
            sent.len(),
            expected.iter().filter(|s| **s == "sent").count()
        );
    }
}

#[test]
fn forty_reminders_through_faults_are_each_emailed_at_most_once_and_none_lost() {
    let f = Flow::with(&["--mail-from", SHOP]);
    let users: Vec<String> = (0..40).map(|i| unique(&format!("f{i}"))).collect();
    let added = Utc::now() - Duration::minutes(1);
    for u in &users {
        let detail = json!({"user": u, "product": "sku-1", "email": format!("{u}@example.com")});
        f.deliver(&envelope("item sku-1 added to Cart", added, detail));
    }
    f.work(40, &[]).0.success();
    for u in &users {
        fire(&f, &unique("ev"), u, "sku-1", &rfc3339(added));
    }
    let queue = crate::worker::queue_url(&format!("{}-email", f.prefix));
    set_visibility(&sqs(), &queue, 8);
    let proxy = faulty(17, &[]);
    let faulty = f
        .cartctl()
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["worker", "mailer", "-o", "ndjson", "--idle-timeout", "5s"])
        .run();
    // What was left for a retry goes now, without faults.
    let (_, clean) = mail(&f, 40, &["--idle-timeout", "10s"]);
    let mut last: std::collections::BTreeMap<String, String> = Default::default();
    for l in faulty.ndjson().iter().chain(&clean) {
        if let Some(u) = l["user"].as_str() {
            last.insert(u.to_owned(), l["status"].as_str().unwrap().to_owned());
        }
    }
    for u in &users {
        let sent = mail_to(&format!("{u}@example.com")).len();
        assert!(sent <= 1, "{u} got {sent} e-mails");
        let status = last.get(u).map(String::as_str);
        assert!(
            matches!(status, Some("sent" | "already_sent" | "maybe_sent")),
            "{u}: {status:?} (sent {sent})\n{}",
            faulty.stderr
        );
    }
    assert!(
        proxy.stats()["requests"].as_u64().unwrap() > proxy.stats()["forwarded"].as_u64().unwrap()
    );
}

#[test]
fn forget_erases_a_customer_item_by_item_then_finds_nothing() {
    let f = Flow::new_default();
    let user = unique("gone");
    adds(&f, &user, &["sku-1", "sku-2"]);
    assert_eq!(ledger_items(&table(&f), &user).len(), 2);
    let refused = f.cartctl().args(["forget", "--user", &user]).run();
    refused.code(2);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert_eq!(ledger_items(&table(&f), &user).len(), 2, "nothing erased");
    let dry = f
        .cartctl()
        .args(["forget", "--user", &user, "--dry-run", "-o", "json"])
        .run();
    dry.success();
    assert_eq!(dry.json()["forgotten"].as_array().unwrap().len(), 4);
    let done = f
        .cartctl()
        .args(["forget", "--user", &user, "--yes", "-o", "json"])
        .run();
    done.success();
    let items = done.json()["forgotten"].as_array().unwrap().clone();
    let kinds: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ledger-item", "deleted"),
            ("ledger-item", "deleted"),
            ("reminder", "deleted"),
            ("reminder", "deleted")
        ]
    );
    assert!(ledger_items(&table(&f), &user).is_empty());
    assert!(f.reminders().is_empty());
    let again = f.cartctl().args(["forget", "--user", &user, "--yes"]).run();
    again.success();
    assert!(again.stdout.contains("nothing held"), "{}", again.stdout);
}

#[test]
fn a_worker_never_runs_unchecked_and_an_unreadable_item_fails_its_record_alone() {
    let sentinel = Sentinel::start();
    let dir = tempfile::tempdir().unwrap();
    for worker in [
        vec!["worker", "consumer", "--queue", "q", "--role-arn", ROLE],
        vec![
            "worker",
            "mailer",
            "--queue",
            "q",
            "--mail-from",
            "shop@example.com",
        ],
    ] {
        let run = cartctl_at(&sentinel.endpoint)
            .current_dir(dir.path())
            .args(&worker)
            .run();
        assert_eq!(run.code, 2, "{worker:?}: {}", run.stderr);
        assert!(run.stderr.contains("--ledger-table"), "{}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
    let f = Flow::new_default();
    let missing = f
        .cartctl()
        .args([
            "worker",
            "consumer",
            "--ledger-table",
            "no-such-ledger",
            "--idle-timeout",
            "1s",
        ])
        .run();
    missing.code(1);
    assert!(
        missing.stderr.contains("cartctl setup"),
        "{}",
        missing.stderr
    );
    // A cart item of another shape: that customer's event fails, naming it; others go on.
    let odd = unique("odd");
    rt().block_on(
        dynamodb()
            .put_item()
            .table_name(table(&f))
            .item(
                "pk",
                AttributeValue::S(cartctl_core::ledger::partition(&odd)),
            )
            .item(
                "sk",
                AttributeValue::S(cartctl_core::ledger::cart_key("sku-1")),
            )
            .item("added_at", AttributeValue::S("yesterday".into()))
            .send(),
    )
    .unwrap();
    let now = Utc::now();
    for u in [odd.as_str(), "fine"] {
        f.deliver(&envelope(
            "item sku-1 added to Cart",
            now,
            json!({"user": u, "product": "sku-1"}),
        ));
    }
    let (run, lines) = f.work(2, &[]);
    run.code(3);
    let fine = lines.iter().find(|l| l["user"] == "fine").unwrap();
    assert_eq!(fine["status"], "created", "{lines:?}");
    let failed = lines.iter().find(|l| l["status"] == "failed").unwrap();
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("ledger item CART#"),
        "{failed}"
    );
}
