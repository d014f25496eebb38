//! Does it pay, end to end on the emulator: a checkout after a reminder is recovered (with its
//! value), one outside the attribution window or never reminded is not, a held-out customer
//! gets no e-mail and is counted, `cartctl report` adds up to what the test itself did, and
//! its HTML page renders in a real headless browser.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::common::*;
use crate::mailer::{SHOP, deliver, mail};
use crate::worker::{Flow, envelope};

fn addr(user: &str) -> String {
    format!("{user}@example.com")
}

#[test]
fn checkouts_after_a_reminder_are_recovered_the_held_out_get_no_email_and_the_report_adds_up() {
    let f = Flow::with(&["--mail-from", SHOP]);
    let (rec, unrem, late, held) = (
        unique("rec"),
        unique("unrem"),
        unique("late"),
        unique("held"),
    );
    let everyone = [&rec, &unrem, &late, &held];
    let added = Utc::now() - Duration::minutes(30);
    let added_text = added.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for u in everyone {
        let detail = json!({"user": u, "product": "sku-1", "email": addr(u)});
        f.deliver(&envelope("item sku-1 added to Cart", added, detail));
    }
    let (run, lines) = f.work(4, &[]);
    run.success();
    assert!(lines.iter().all(|l| l["status"] == "created"), "{lines:?}");

    // Three reminders fire: two are e-mailed, and one customer is held out (a 100 % holdout
    // here; the share itself is unit-tested over 100,000 ids).
    let fire = |u: &str| {
        let detail = json!({"scheduled_event": "true", "user": u, "product": "sku-1",
            "added_at": added_text});
        deliver(&f, &unique("ev"), &detail);
    };
    fire(&rec);
    fire(&late);
    let (run, lines) = mail(&f, 2, &["--cooldown", "0"]);
    run.success();
    assert!(lines.iter().all(|l| l["status"] == "sent"), "{lines:?}");
    fire(&held);
    let (run, lines) = mail(&f, 1, &["--cooldown", "0", "--holdout", "100"]);
    run.success();
    assert_eq!(lines[0]["status"], "held_out", "{lines:?}");
    assert!(
        ses_sends_to(&addr(&held)).is_empty(),
        "a held-out customer was e-mailed"
    );

    // The checkouts: two soon after the reminders, one never reminded (with a value that is
    // not a decimal), one after the attribution window.
    let soon = Utc::now() + Duration::seconds(2);
    let checkout = |u: &str, at, detail: Value| {
        let mut d = json!({"user": u});
        d.as_object_mut()
            .unwrap()
            .extend(detail.as_object().unwrap().clone());
        f.deliver(&envelope("cart checked out", at, d));
    };
    checkout(&rec, soon, json!({"value": "49.90", "currency": "eur"}));
    checkout(&unrem, soon, json!({"value": "lots"}));
    checkout(&late, soon + Duration::hours(2), json!({"value": 20}));
    checkout(&held, soon, json!({"value": "15.00", "currency": "EUR"}));
    let (run, lines) = f.work(4, &["--attribution-window", "1h"]);
    run.success();
    for (u, want) in [
        (&rec, "recovered"),
        (&unrem, "converted_unreminded"),
        (&late, "converted_unreminded"),
        (&held, "recovered_held_out"),
    ] {
        assert_eq!(line_of(&lines, u)["attribution"], want, "{u}: {lines:?}");
    }
    let note = line_of(&lines, &unrem)["note"].as_str().unwrap_or_default();
    assert!(note.contains("detail.value"), "{note}");

    // The report equals what this test did, counted here from its own actions and from what
    // SES (the double) recorded, not from cartctl's other output.
    let emails: usize = everyone.iter().map(|u| ses_sends_to(&addr(u)).len()).sum();
    let run = f.cartctl().args(["report", "-o", "json"]).run();
    run.success();
    let r = run.json();
    let counts =
        |keys: &[&str]| -> Vec<u64> { keys.iter().map(|k| r[k].as_u64().unwrap()).collect() };
    assert_eq!(
        counts(&["carts", "carts_reminded", "emails", "held_out"]),
        [everyone.len() as u64, 3, emails as u64, 1],
        "{r}"
    );
    assert_eq!(
        counts(&[
            "checkouts",
            "recovered",
            "recovered_held_out",
            "converted_unreminded"
        ]),
        [4, 1, 1, 2],
        "{r}"
    );
    assert_eq!(
        counts(&["customers_emailed", "customers_held_out"]),
        [2, 1],
        "{r}"
    );
    assert_eq!(
        r["recovered_value"],
        json!([{"currency": "EUR", "amount": "49.90"}]),
        "{r}"
    );
    assert_eq!(r["recovery_rate"], 0.5, "{r}");
    assert!(r["read"]["items"].as_u64().unwrap() > 0, "{r}");
    let text = f.cartctl().args(["report"]).run();
    text.success();
    assert!(
        text.stdout
            .contains("4 carts → 3 reminded → 2 e-mails → 1 recovered"),
        "{}",
        text.stdout
    );
    // The page, rendered by a real browser: the funnel and both charts, no console error, and
    // a screenshot that is not blank (kept under the target directory).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(unique("report"));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("report.html");
    f.cartctl()
        .args(["report", "-q"])
        .arg_path("--html", &html)
        .run()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    for fetch in ["src=", "href=", "<script", "url("] {
        assert!(!page.contains(fetch), "the page fetches something: {fetch}");
    }
    let rendered = headless(&html, &["--dump-dom"]);
    for id in ["funnel", "by-day", "by-stage"] {
        let at = rendered
            .stdout
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no #{id}: {}", rendered.stdout));
        let section = &rendered.stdout[at..];
        let section = &section[..section.find("</section>").unwrap()];
        assert!(
            section.contains("<svg") && section.contains("<rect"),
            "#{id} has no chart: {section}"
        );
    }
    assert!(rendered.stdout.contains("49.90 EUR"), "the value is shown");
    let png = dir.join("report.png");
    let shot = format!("--screenshot={}", png.display());
    let run = headless(&html, &[&shot, "--window-size=800,1600"]);
    let colours = distinct_colours(&png);
    assert!(
        colours > 3,
        "the screenshot is blank ({colours} colours): {}",
        run.stderr
    );
}

/// Loads `page` in headless Chromium with `extra` flags; fails on a console message.
fn headless(page: &std::path::Path, extra: &[&str]) -> Run {
    let out = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ])
        .args(["--hide-scrollbars", "--enable-logging=stderr", "--v=0"])
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("chromium: {e} (scripts/install-packages installs it)"));
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(run.code, 0, "chromium failed: {}", run.stderr);
    let console: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    run
}

/// How many distinct colours a PNG has.
fn distinct_colours(path: &std::path::Path) -> usize {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(step)
        .collect::<std::collections::HashSet<_>>()
        .len()
}

#[test]
fn report_refuses_bad_input_before_any_request() {
    let sentinel = Sentinel::start();
    for (args, field) in [
        (
            vec!["report", "--since", "soon", "--ledger-table", "t"],
            "--since",
        ),
        (vec!["report"], "--ledger-table"),
        (
            vec![
                "report",
                "--ledger-table",
                "t",
                "--html",
                "/nonexistent/dir/r.html",
            ],
            "--html",
        ),
    ] {
        let run = cartctl_at(&sentinel.endpoint).args(&args).run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(field), "{args:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn a_ledger_read_failing_midway_prints_no_report_and_says_how_far_it_got() {
    use aws_sdk_dynamodb::types::AttributeValue;
    let table = ledger_table(&unique("ledger"));
    for i in 0..5 {
        let item = [("pk", format!("p{i}")), ("sk", "CART#sku-1".to_owned())]
            .map(|(k, v)| (k.to_owned(), AttributeValue::S(v)));
        rt().block_on(
            dynamodb()
                .put_item()
                .table_name(&table)
                .set_item(Some(item.into()))
                .send(),
        )
        .unwrap();
    }
    let report = |endpoint: &str| {
        cartctl_at(endpoint)
            .args(["report", "--ledger-table", &table, "--page-size", "2"])
            .args(["--max-attempts", "2", "-o", "json"])
            .run()
    };
    // Whole, it is three pages of at most two items.
    let whole = report(&emulator().endpoint);
    whole.success();
    let read = &whole.json()["read"];
    assert_eq!(
        (read["items"].as_u64(), read["pages"].as_u64()),
        (Some(5), Some(3))
    );
    // Every page after the first fails (a 500, whatever the retries): exit 1, no report on stdout,
    // and the error counts what was read before it.
    let proxy = FaultProxy::start(
        &emulator().endpoint,
        &["--error500-when".into(), "ExclusiveStartKey".into()],
    );
    let broken = report(&proxy.endpoint);
    assert_eq!(broken.code, 1, "{}", broken.stderr);
    assert!(
        broken.stdout.trim().is_empty(),
        "a partial report: {}",
        broken.stdout
    );
    assert!(
        broken
            .stderr
            .contains("stopped after 2 items in 1 page, so no report is printed"),
        "{}",
        broken.stderr
    );
    let stats = proxy.stats();
    assert_eq!(stats["forwarded"].as_u64(), Some(1), "{stats}");
    assert!(stats["error500"].as_u64() > Some(0), "{stats}");
}
