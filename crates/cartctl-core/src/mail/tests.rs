use serde_json::json;

use super::*;

fn fired(detail: Value) -> FiredReminder {
    let body = json!({
        "version": "0", "id": "ev-1", "source": "putToCartService",
        "detail-type": "item sku-1 added to Cart", "detail": detail,
    });
    FiredReminder::parse(&body.to_string()).unwrap()
}

fn invalid_field(e: &Error) -> String {
    match e {
        Error::Invalid { field, .. } => field.clone(),
        other => panic!("not an invalid-input error: {other:?}"),
    }
}

#[test]
fn addresses_are_checked_as_ses_reads_them() {
    for good in [
        "a@example.com",
        "first.last+tag@mail.example.co.uk",
        "x_y-z@a-b.io",
    ] {
        assert_eq!(Address::parse("f", good).unwrap().as_str(), good);
    }
    for bad in [
        "",
        "alice",
        "alice@",
        "@example.com",
        "a@b",
        "a b@example.com",
        "a@exa mple.com",
        "a@-x.com",
        "a..b@example.com",
        "a@example..com",
        "é@example.com",
        "a@example.com\nBcc: x@y.z",
        "a,b@example.com",
    ] {
        let e = Address::parse("mail_from", bad).unwrap_err();
        assert_eq!(invalid_field(&e), "mail_from", "{bad:?}");
    }
    assert_eq!(
        Address::parse("f", "a@shop.example").unwrap().domain(),
        "shop.example"
    );
}

#[test]
fn a_sender_may_have_a_display_name() {
    let s = Sender::parse("mail_from", "The Shop <shop@example.com>").unwrap();
    assert_eq!(s.name.as_deref(), Some("The Shop"));
    assert_eq!(s.address.as_str(), "shop@example.com");
    assert_eq!(s.header(), "\"The Shop\" <shop@example.com>");
    assert_eq!(
        Sender::parse("f", "shop@example.com").unwrap().header(),
        "shop@example.com"
    );
    assert!(Sender::parse("f", "Shop <shop@example.com").is_err());
    assert!(Sender::parse("f", "Shop <not-an-address>").is_err());
}

#[test]
fn the_recipient_is_the_email_key_else_the_user_when_it_is_an_address() {
    let r = fired(
        json!({"scheduled_event": "true", "user": "alice", "product": "sku-1", "email": "alice@example.com"}),
    );
    assert_eq!(r.recipient("email").unwrap().as_str(), "alice@example.com");
    let r =
        fired(json!({"scheduled_event": "true", "user": "bob@example.com", "product": "sku-1"}));
    assert_eq!(r.recipient("email").unwrap().as_str(), "bob@example.com");
    let r = fired(json!({"scheduled_event": "true", "user": "carol", "product": "sku-1"}));
    let e = r.recipient("email").unwrap_err();
    assert!(
        e.to_string().contains("the user `carol` is not an address"),
        "{e}"
    );
    let r = fired(
        json!({"scheduled_event": "true", "user": "dan", "product": "p", "contact": "dan@example.com", "email": 3}),
    );
    assert_eq!(r.recipient("contact").unwrap().as_str(), "dan@example.com");
    assert_eq!(
        invalid_field(&r.recipient("email").unwrap_err()),
        "detail.email"
    );
}

#[test]
fn a_message_that_is_not_a_fired_reminder_is_refused() {
    for body in [
        "not json".to_owned(),
        json!({"id": "x", "detail": {"user": "a", "product": "p"}}).to_string(),
        json!({"detail": {"scheduled_event": "true", "user": "a", "product": "p"}}).to_string(),
        json!({"id": "x", "detail": "text"}).to_string(),
    ] {
        let e = FiredReminder::parse(&body).unwrap_err();
        assert!(e.to_string().contains("is not a fired reminder"), "{e}");
    }
    let r = fired(
        json!({"scheduled_event": "true", "user": "a", "product": "p", "stage": 2, "stages": 3, "name": "Ann"}),
    );
    assert_eq!(
        r.stage,
        Some(Stage {
            number: 2,
            total: 3
        })
    );
    assert_eq!(r.detail.get("name"), Some(&json!("Ann")));
    assert!(!r.detail.contains_key("stage"));
}

#[test]
fn the_builtin_template_renders_every_part_and_escapes_html() {
    let r = fired(json!({
        "scheduled_event": "true", "user": "alice", "product": "<b>Tea & Co</b>",
        "email": "alice@example.com", "name": "Alice \"A\"", "url": "https://shop.example/cart?a=1&b=2",
        "added_at": "2026-12-01T10:00:00Z",
    }));
    let to = r.recipient("email").unwrap();
    let m = MailTemplate::builtin()
        .render(&r.context(&to, "1 Shop Street, Springfield"))
        .unwrap();
    assert_eq!(m.subject, "<b>Tea & Co</b> is still in your cart");
    assert!(m.text.starts_with("Hello Alice \"A\",\n"), "{}", m.text);
    assert!(m.text.contains("on 2026-12-01T10:00:00Z"), "{}", m.text);
    assert!(
        m.text
            .contains("Finish your order: https://shop.example/cart?a=1&b=2"),
        "{}",
        m.text
    );
    let html = m.html.unwrap();
    assert!(
        html.contains("&lt;b&gt;Tea &amp; Co&lt;&#x2f;b&gt;")
            || html.contains("&lt;b&gt;Tea &amp; Co&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("<b>Tea"), "{html}");
    assert!(html.contains("Alice &quot;A&quot;"), "{html}");
    // Without the optional keys the template still renders.
    let r = fired(json!({"scheduled_event": "true", "user": "bob", "product": "sku-1"}));
    let m = MailTemplate::builtin()
        .render(&r.context(
            &Address::parse("f", "b@example.com").unwrap(),
            "1 Shop Street",
        ))
        .unwrap();
    assert!(m.text.starts_with("Hello bob,"), "{}", m.text);
    assert!(!m.text.contains("Finish"), "{}", m.text);
}

#[test]
fn a_subject_is_one_line_whatever_the_event_holds() {
    let t = MailTemplate::parse("f", "subject = \"Hi {{ detail.name }}\"\ntext = \"x\"").unwrap();
    let r = fired(
        json!({"scheduled_event": "true", "user": "a", "product": "p", "name": "Eve\r\nBcc: x@evil.example\n"}),
    );
    let m = t
        .render(&r.context(
            &Address::parse("f", "a@example.com").unwrap(),
            "1 Shop Street",
        ))
        .unwrap();
    assert_eq!(m.subject, "Hi Eve Bcc: x@evil.example");
    assert_eq!(m.html, None);
}

#[test]
fn template_errors_are_found_before_any_reminder() {
    let unknown =
        MailTemplate::parse("--template", "subject = \"{{ name }}\"\ntext = \"x\"").unwrap_err();
    assert_eq!(invalid_field(&unknown), "--template");
    assert!(
        unknown.to_string().contains("unknown variable `name`"),
        "{unknown}"
    );
    assert!(unknown.to_string().contains("detail.name"), "{unknown}");
    let syntax =
        MailTemplate::parse("--template", "subject = \"{{ product \"\ntext = \"x\"").unwrap_err();
    assert!(
        syntax.to_string().contains("its subject does not parse"),
        "{syntax}"
    );
    let missing = MailTemplate::parse("--template", "subject = \"x\"").unwrap_err();
    assert!(
        missing.to_string().contains("is not a template file"),
        "{missing}"
    );
    let extra = MailTemplate::parse("--template", "subject = \"x\"\ntext = \"y\"\nbody = \"z\"")
        .unwrap_err();
    assert!(
        extra.to_string().contains("is not a template file"),
        "{extra}"
    );
    // A detail key the template needs but a reminder lacks fails that reminder alone.
    let t = MailTemplate::parse("f", "subject = \"x\"\ntext = \"{{ detail.coupon }}\"").unwrap();
    let r = fired(json!({"scheduled_event": "true", "user": "a", "product": "p"}));
    let e = t
        .render(&r.context(
            &Address::parse("f", "a@example.com").unwrap(),
            "1 Shop Street",
        ))
        .unwrap_err();
    assert!(e.to_string().contains("its text does not render"), "{e}");
}

/// The settings a mailer needs, with `changes` on top (an empty value removes a key).
fn settings_with(changes: &[(&str, &str)]) -> impl Fn(&setting::Setting) -> Option<String> {
    let mut pairs: Vec<(String, String)> = [
        ("mail_from", "shop@example.com"),
        ("ledger_table", "t"),
        ("contact_list", "shop-contacts"),
        ("configuration_set", "shop-mail"),
        ("mail_postal_address", "1 Shop Street, Springfield"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in changes {
        pairs.retain(|(key, _)| key != k);
        if !v.is_empty() {
            pairs.push((k.to_string(), v.to_string()));
        }
    }
    move |s: &setting::Setting| {
        pairs
            .iter()
            .find(|(k, _)| k == s.key)
            .map(|(_, v)| v.clone())
    }
}

fn no_file(_: &str) -> std::io::Result<String> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "no such file",
    ))
}

#[test]
fn settings_need_a_sender_and_read_the_template_file() {
    for missing in [
        "mail_from",
        "ledger_table",
        "contact_list",
        "configuration_set",
        "mail_postal_address",
    ] {
        let e = MailSettings::resolve(settings_with(&[(missing, "")]), no_file).unwrap_err();
        assert_eq!(invalid_field(&e), missing);
    }
    let e = MailSettings::resolve(settings_with(&[("mail_from", "shop@")]), no_file).unwrap_err();
    assert_eq!(invalid_field(&e), "mail_from");
    let s = MailSettings::resolve(settings_with(&[]), no_file).unwrap();
    assert_eq!(s.recipient_field, "email");
    assert_eq!(s.cooldown, std::time::Duration::from_secs(86_400));
    assert_eq!(s.ledger_table, "t");
    assert_eq!(s.lists.topic, "cart-reminders");
    assert_eq!(s.lists.consent, super::Consent::Implied);
    let off = MailSettings::resolve(settings_with(&[("cooldown", "0")]), no_file).unwrap();
    assert!(off.cooldown.is_zero());
    let e = MailSettings::resolve(settings_with(&[("consent", "maybe")]), no_file).unwrap_err();
    assert_eq!(invalid_field(&e), "consent");
    let e =
        MailSettings::resolve(settings_with(&[("mail_template", "t.toml")]), no_file).unwrap_err();
    assert_eq!(invalid_field(&e), "mail_template");
    assert!(e.to_string().contains("cannot read t.toml"), "{e}");
    let file = |_: &str| {
        Ok("subject = \"{{ product }}!\"\ntext = \"{{ user }} {{ unsubscribe_url }}\"".to_owned())
    };
    let s = MailSettings::resolve(
        settings_with(&[("mail_template", "t.toml"), ("recipient_field", "contact")]),
        file,
    )
    .unwrap();
    assert_eq!(s.recipient_field, "contact");
    let r = fired(json!({"scheduled_event": "true", "user": "a", "product": "p"}));
    let m = s
        .template
        .render(&r.context(
            &Address::parse("f", "a@example.com").unwrap(),
            "1 Shop Street",
        ))
        .unwrap();
    assert_eq!(
        (m.subject.as_str(), m.text.as_str()),
        ("p!", "a {{amazonSESUnsubscribeUrl}}\n")
    );
}

#[test]
fn a_shop_template_without_the_unsubscribe_link_is_refused_unless_allowed() {
    let bare = |_: &str| Ok("subject = \"x\"\ntext = \"{{ user }}\"".to_owned());
    let e = MailSettings::resolve(settings_with(&[("mail_template", "t.toml")]), bare).unwrap_err();
    assert_eq!(invalid_field(&e), "mail_template");
    assert!(e.to_string().contains("no unsubscribe link"), "{e}");
    assert!(e.to_string().contains("--allow-no-unsubscribe-link"), "{e}");
    // The HTML part needs it too.
    let text_only = |_: &str| {
        Ok("subject = \"x\"\ntext = \"{{ unsubscribe_url }}\"\nhtml = \"<p>hi</p>\"".to_owned())
    };
    let e = MailSettings::resolve(settings_with(&[("mail_template", "t.toml")]), text_only)
        .unwrap_err();
    assert!(
        e.to_string().contains("its html has no unsubscribe link"),
        "{e}"
    );
    let allowed = MailSettings::resolve(
        settings_with(&[
            ("mail_template", "t.toml"),
            ("allow_no_unsubscribe_link", "true"),
        ]),
        bare,
    );
    assert!(allowed.is_ok());
}

#[test]
fn the_builtin_template_shows_the_unsubscribe_link_and_the_postal_address() {
    let r = fired(json!({"scheduled_event": "true", "user": "bob", "product": "sku-1"}));
    let m = MailTemplate::builtin()
        .render(&r.context(
            &Address::parse("f", "b@example.com").unwrap(),
            "1 Shop Street, Springfield",
        ))
        .unwrap();
    assert!(
        m.text
            .contains("Unsubscribe from cart reminders: {{amazonSESUnsubscribeUrl}}"),
        "{}",
        m.text
    );
    assert!(m.text.contains("1 Shop Street, Springfield"), "{}", m.text);
    let html = m.html.unwrap();
    assert!(
        html.contains("<a href=\"{{amazonSESUnsubscribeUrl}}\">Unsubscribe"),
        "{html}"
    );
    assert!(html.contains("1 Shop Street, Springfield"), "{html}");
}
