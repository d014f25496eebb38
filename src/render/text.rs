//! Text lines and tables for people: one function per result the library returns. Colour is
//! passed in, decided once by the caller ([`super::ColorChoice`]).

use chrono::{DateTime, Utc};
use serde_json::Value;

use cartctl_aws::bulk::BulkSummary;
use cartctl_aws::consumer::{Handled, Handling};
use cartctl_aws::delete::DeleteReport;
use cartctl_aws::dlq::RedriveReport;
use cartctl_aws::doctor::{Check, Status};
use cartctl_aws::fire::FireOutcome;
use cartctl_aws::mailer::{Mailed, Mailing};
use cartctl_aws::r#match::RuleMatch;
use cartctl_aws::put_event::EventOutcome;
use cartctl_aws::schedule::{ScheduleOutcome, ScheduleStatus};
use cartctl_aws::setup::{Change, Provisioned};
use cartctl_core::deadletter::DeadLetterEvent;
use cartctl_core::due::humanize_from;
use cartctl_core::reminder::query::ReminderRow;

use super::{Style, paint, plain_table};

/// One line of text for a schedule outcome:
/// `created   cart-…  alice  sku-1  due 2026-11-30T07:56:52Z (in 1d)`.
pub fn schedule_line(o: &ScheduleOutcome, now: DateTime<Utc>, color: bool) -> String {
    let style = match o.status {
        ScheduleStatus::Created => Style::Green,
        ScheduleStatus::Unchanged => Style::Dim,
        ScheduleStatus::Skipped => Style::Yellow,
        ScheduleStatus::Replaced | ScheduleStatus::Rescheduled => Style::Cyan,
    };
    let when = DateTime::parse_from_rfc3339(&o.due)
        .map(|d| humanize_from(d.with_timezone(&Utc), now))
        .unwrap_or_default();
    format!(
        "{} {} (group {}) for user {:?}, product {:?}: due {} ({when}), {} {}",
        paint(&format!("{:<9}", o.status.as_str()), style, color),
        paint(&o.name, Style::Bold, color),
        o.group,
        o.user,
        o.product,
        o.due,
        o.schedule_expression,
        o.timezone,
    )
}

/// One line for a message the consumer handled:
/// `created     add alice/sku-1 (event e-1, 2026-11-29T10:00:00Z): cart-…-s1 due …`.
pub fn handled_line(h: &Handled, color: bool) -> String {
    let (status, style) = match h.status {
        Handling::Created => ("created", Style::Green),
        Handling::Rescheduled => ("rescheduled", Style::Cyan),
        Handling::Unchanged => ("unchanged", Style::Dim),
        Handling::Superseded => ("superseded", Style::Yellow),
        Handling::Stale => ("stale", Style::Yellow),
        Handling::Deleted => ("deleted", Style::Cyan),
        Handling::Marked => ("marked", Style::Yellow),
        Handling::Noted => ("noted", Style::Dim),
    };
    let who = match (&h.product, &h.mail_event) {
        (_, Some(event)) => format!("SES {event}"),
        (Some(p), None) => format!("{:?}/{p:?}", h.user),
        (None, None) => format!("{:?}", h.user),
    };
    let mut what: Vec<String> = h
        .reminders
        .iter()
        .map(|r| format!("{} due {} ({})", r.name, r.due, r.status.as_str()))
        .collect();
    if let Some(n) = h.deleted {
        what.push(format!("{n} reminder(s) deleted"));
    }
    if let Some(a) = h.attribution {
        what.push(a.as_str().replace('_', " "));
    }
    if let Some(note) = &h.note {
        what.push(note.clone());
    }
    format!(
        "{} {:<8} {who} (event {}, {}): {}",
        paint(&format!("{status:<11}"), style, color),
        h.kind.map_or("mail", |k| k.as_str()),
        h.event_id,
        h.time,
        what.join("; ")
    )
}

/// One line for a mailed reminder: `sent         "alice"/"sku-1" to alice@example.com: "…" (event …)`,
/// or, when it was not sent, why.
pub fn mailed_line(m: &Mailed, color: bool) -> String {
    let (status, style) = match m.status {
        Mailing::Sent => ("sent", Style::Green),
        Mailing::AlreadySent => ("already sent", Style::Dim),
        Mailing::Cancelled => ("cancelled", Style::Yellow),
        Mailing::Skipped => ("skipped", Style::Yellow),
        Mailing::MaybeSent => ("maybe sent", Style::Yellow),
        Mailing::Suppressed => ("suppressed", Style::Yellow),
        Mailing::Unsubscribed => ("unsubscribed", Style::Yellow),
        Mailing::HeldOut => ("held out", Style::Dim),
    };
    let stage = m.stage.map(|s| format!(" stage {s}")).unwrap_or_default();
    let what = match (&m.reason, m.to.is_empty()) {
        (Some(why), _) => why.clone(),
        (None, true) => String::new(),
        (None, false) => format!("to {}: {:?}", m.to, m.subject),
    };
    format!(
        "{} {:?}/{:?}{stage} {what} (event {})",
        paint(&format!("{status:<12}"), style, color),
        m.user,
        m.product,
        m.event_id
    )
}

/// One line for a sent event: `sent event … on bus shop: putToCartService / item … added to Cart`.
pub fn sent_line(o: &EventOutcome, color: bool) -> String {
    format!(
        "{} event {} on bus {}: {} / {}",
        paint("sent", Style::Green, color),
        o.event_id,
        o.bus,
        o.source,
        o.detail_type
    )
}

/// One line for a fired schedule: `fired cart-… for user "alice", product "sku-1": event … on …`.
pub fn fire_line(o: &FireOutcome, color: bool) -> String {
    let who = match (&o.user, &o.product) {
        (Some(u), Some(p)) => format!(" for user {u:?}, product {p:?}"),
        _ => String::new(),
    };
    format!(
        "{} {}{who}: event {} on {} ({}){}",
        paint("fired", Style::Green, color),
        o.name,
        o.event_id,
        o.bus,
        o.detail_type,
        if o.deleted {
            "; schedule deleted"
        } else {
            "; schedule kept"
        }
    )
}

/// The text table: NAME, USER, PRODUCT, DUE (UTC), IN, STATE.
pub fn reminder_table(rows: &[ReminderRow], now: DateTime<Utc>) -> String {
    // A STAGE column only when a reminder comes in stages.
    let staged = rows.iter().any(|r| r.stage.is_some());
    let cells = rows.iter().map(|r| {
        let due = r
            .due_utc
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| r.schedule_expression.clone());
        let when = r.due_utc.map(|d| humanize_from(d, now)).unwrap_or_default();
        let mut row = vec![
            r.name.clone(),
            printable(r.user.as_deref().unwrap_or("-")),
            printable(r.product.as_deref().unwrap_or("-")),
        ];
        if staged {
            row.push(match (r.stage, r.stages) {
                (Some(n), Some(total)) => format!("{n}/{total}"),
                _ => "-".into(),
            });
        }
        row.extend([due, when, r.state.clone()]);
        row
    });
    let mut header = vec!["NAME", "USER", "PRODUCT"];
    if staged {
        header.push("STAGE");
    }
    header.extend(["DUE (UTC)", "IN", "STATE"]);
    plain_table(&header, cells)
}

/// `dlq list` as a table.
pub fn dead_letter_table(events: &[DeadLetterEvent]) -> String {
    let cells = events.iter().map(|e| {
        vec![
            e.name.clone(),
            printable(e.user.as_deref().unwrap_or("-")),
            printable(e.product.as_deref().unwrap_or("-")),
            e.error_code.clone(),
            e.retry_attempts.to_string(),
            e.scheduled_time.clone(),
            printable(&e.error_message),
        ]
    });
    plain_table(
        &[
            "SCHEDULE", "USER", "PRODUCT", "ERROR", "RETRIES", "DUE", "MESSAGE",
        ],
        cells,
    )
}

/// The last line of `dlq redrive`.
pub fn redrive_summary(r: &RedriveReport) -> String {
    let mut line = format!(
        "{} redriven, {} failed (left in the queue)",
        r.redriven.len(),
        r.failed.len()
    );
    if r.skipped > 0 {
        line.push_str(&format!(", {} of other users left", r.skipped));
    }
    if !r.foreign.is_empty() {
        line.push_str(&format!(
            ", {} not Scheduler dead-letter events left",
            r.foreign.len()
        ));
    }
    if r.maybe_duplicated > 0 {
        line.push_str(&format!(
            "; {} may have been put twice after lost answers",
            r.maybe_duplicated
        ));
    }
    if r.not_deleted > 0 {
        line.push_str(&format!(
            "; {} redriven but still in the queue (SQS refused the delete): a later redrive puts them again",
            r.not_deleted
        ));
    }
    line
}

/// One check of `doctor`: `ok    bus  event bus … exists`, and the fix on the next line.
pub fn check_line(c: &Check, color: bool) -> String {
    let (word, style) = match c.status {
        Status::Ok => ("ok", Style::Green),
        Status::Warn => ("warn", Style::Yellow),
        Status::Fail => ("FAIL", Style::Red),
        Status::Skip => ("skip", Style::Dim),
    };
    let mut line = format!(
        "{} {:<16} {}",
        paint(&format!("{word:<4}"), style, color),
        c.check,
        c.message
    );
    if let Some(fix) = &c.fix {
        line.push_str(&format!("\n{:22}fix: {fix}", ""));
    }
    line
}

/// One resource of `setup`: `created  role  cartctl-shop-scheduler  arn:…`.
pub fn provision_line(p: &Provisioned, color: bool) -> String {
    let style = match p.change {
        Change::Created | Change::Deleted => Style::Green,
        Change::Updated | Change::WouldCreate | Change::WouldUpdate => Style::Yellow,
        Change::Unchanged | Change::Absent | Change::Kept => Style::Dim,
    };
    let change = p.change.as_str().replace('_', " ");
    let note = p
        .note
        .as_deref()
        .map(|n| format!(": {n}"))
        .unwrap_or_default();
    format!(
        "{} {:<14} {} ({}){note}",
        paint(&format!("{change:<12}"), style, color),
        p.kind,
        p.name,
        p.arn
    )
}

/// One rule of `match --bus`: whether the event matches it, and where it goes.
pub fn rule_match_line(r: &RuleMatch, color: bool) -> String {
    let (word, style) = match (r.matches, r.state) {
        (true, "ENABLED") => ("match", Style::Green),
        (true, _) => ("match", Style::Yellow),
        (false, _) => ("no match", Style::Dim),
    };
    let mut line = format!(
        "{} {} ({})",
        paint(&format!("{word:<9}"), style, color),
        r.rule,
        r.state
    );
    if let Some(c) = r.confirmed {
        line.push_str(if c == r.matches {
            ", confirmed by TestEventPattern"
        } else {
            ", by TestEventPattern"
        });
    }
    if let Some(why) = &r.invalid {
        line.push_str(&format!(", pattern not evaluated here: {why}"));
    }
    if !r.targets.is_empty() {
        line.push_str(&format!(" -> {}", r.targets.join(", ")));
    }
    if r.matches && r.state != "ENABLED" {
        line.push_str(": DISABLED, so it delivers nothing");
    }
    line
}

/// The last line of `setup`: what changed, or that nothing did.
pub fn provision_summary(done: &[Provisioned], dry_run: bool) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for p in done {
        let name = p.change.as_str();
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(n, c)| format!("{c} {}", n.replace('_', " ")))
        .collect();
    if done.iter().all(|p| !p.change.is_change()) && !dry_run {
        format!("nothing to change: {}", parts.join(", "))
    } else {
        parts.join(", ")
    }
}

/// Ids may hold newlines and control characters: show them escaped in a table.
fn printable(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_owned()
    }
}

/// One line of text for an event: time, source, detail-type, user, product, the rest of the detail.
pub fn event_line(envelope: &Value) -> String {
    let s = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    let mut rest = envelope["detail"].as_object().cloned().unwrap_or_default();
    let user = rest.remove("user");
    let product = rest.remove("product");
    let mut line = format!(
        "{}  {}  {}",
        s(&envelope["time"]),
        s(&envelope["source"]),
        s(&envelope["detail-type"])
    );
    if let Some(u) = user {
        line.push_str(&format!("  user={}", s(&u).escape_debug()));
    }
    if let Some(p) = product {
        line.push_str(&format!("  product={}", s(&p).escape_debug()));
    }
    if !rest.is_empty() {
        line.push_str(&format!("  {}", Value::Object(rest)));
    }
    line
}

/// The summary of `delete`: `deleted 3 schedules from group g, 1 missing`.
pub fn delete_summary(r: &DeleteReport, group: &str) -> String {
    let mut s = format!(
        "deleted {} schedule{} from group {group}",
        r.deleted.len(),
        if r.deleted.len() == 1 { "" } else { "s" }
    );
    if !r.missing.is_empty() {
        s.push_str(&format!(", {} missing", r.missing.len()));
    }
    if !r.failed.is_empty() {
        s.push_str(&format!(", {} failed", r.failed.len()));
    }
    s
}

/// One line for people: `300 lines: 290 created, 10 unchanged; 0 failed`.
pub fn bulk_summary(s: &BulkSummary) -> String {
    let mut parts: Vec<String> = s.done.iter().map(|(k, v)| format!("{v} {k}")).collect();
    if s.invalid > 0 {
        parts.push(format!("{} invalid", s.invalid));
    }
    if s.failed > 0 {
        parts.push(format!("{} failed", s.failed));
    }
    if parts.is_empty() {
        parts.push("nothing to do".into());
    }
    let mut line = format!("{} lines: {}", s.lines, parts.join(", "));
    if s.maybe_duplicated > 0 {
        line.push_str(&format!(
            " ({} events may have been put twice after lost answers)",
            s.maybe_duplicated
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartctl_aws::delete::DeleteResult;
    use cartctl_core::error::{AwsError, AwsErrorKind};
    use cartctl_core::reminder::{Cart, ReminderName};
    use serde_json::json;

    fn row(user: &str, product: &str, due: &str, state: &str) -> ReminderRow {
        let cart = Cart::new(user, product, ("u", "p")).unwrap();
        let due: DateTime<Utc> = due.parse().unwrap();
        ReminderRow {
            name: ReminderName::for_cart(&cart).as_str().to_owned(),
            group: "g".into(),
            arn: "arn".into(),
            state: state.into(),
            user: Some(user.into()),
            product: Some(product.into()),
            due: Some(cartctl_core::due::format_utc(due)),
            schedule_expression: format!("at({})", due.format("%Y-%m-%dT%H:%M:%S")),
            timezone: "UTC".into(),
            target_arn: "bus".into(),
            stage: None,
            stages: None,
            detail: None,
            due_utc: Some(due),
            role_arn: String::new(),
        }
    }

    #[test]
    fn the_redrive_summary_counts_what_is_left_and_what_may_come_twice() {
        let mut r = RedriveReport {
            skipped: 2,
            maybe_duplicated: 1,
            ..RedriveReport::default()
        };
        assert_eq!(
            redrive_summary(&r),
            "0 redriven, 0 failed (left in the queue), 2 of other users left; 1 may have been put twice after lost answers"
        );
        r.not_deleted = 3;
        assert!(redrive_summary(&r).ends_with(
            "3 redriven but still in the queue (SQS refused the delete): a later redrive puts them again"
        ));
    }

    #[test]
    fn table_has_the_columns_and_escapes_control_characters() {
        let now: DateTime<Utc> = "2029-12-31T01:00:00Z".parse().unwrap();
        let out = reminder_table(
            &[row("a\nb", "sku-1", "2030-01-01T00:00:00Z", "ENABLED")],
            now,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        for col in ["NAME", "USER", "PRODUCT", "DUE (UTC)", "IN", "STATE"] {
            assert!(lines[0].contains(col), "{out}");
        }
        assert!(
            lines[1].contains("a\\nb")
                && lines[1].contains("in 23h")
                && lines[1].contains("2030-01-01 00:00:00"),
            "{out}"
        );
    }

    #[test]
    fn text_lines_show_ids_and_the_rest_of_the_detail() {
        let env = json!({
            "time": "2026-11-29T08:00:00Z", "source": "putToCartService", "detail-type": "item sku-1 added to Cart",
            "detail": {"user": "alice", "product": "sku-1", "quantity": 2}
        });
        assert_eq!(
            event_line(&env),
            "2026-11-29T08:00:00Z  putToCartService  item sku-1 added to Cart  user=alice  product=sku-1  {\"quantity\":2}"
        );
        let odd =
            json!({"time": "t", "source": "s", "detail-type": "d", "detail": {"user": "a\nb"}});
        assert_eq!(event_line(&odd), "t  s  d  user=a\\nb");
    }

    #[test]
    fn delete_summary_counts_each_kind() {
        let mut r = DeleteReport::default();
        r.add("a".into(), DeleteResult::Deleted);
        r.add("b".into(), DeleteResult::Missing);
        r.add(
            "c".into(),
            DeleteResult::Failed(AwsError {
                operation: "DeleteSchedule",
                kind: AwsErrorKind::ServerError,
                code: "InternalServerException".into(),
                message: "boom".into(),
                fix: String::new(),
            }),
        );
        assert_eq!(
            delete_summary(&r, "g"),
            "deleted 1 schedule from group g, 1 missing, 1 failed"
        );
    }

    #[test]
    fn bulk_summary_names_statuses_failures_and_duplicates() {
        let mut s = BulkSummary::default();
        assert_eq!(bulk_summary(&s), "0 lines: nothing to do");
        s.lines = 4;
        s.done.insert("created".into(), 2);
        s.invalid = 1;
        s.failed = 1;
        s.maybe_duplicated = 3;
        assert_eq!(
            bulk_summary(&s),
            "4 lines: 2 created, 1 invalid, 1 failed (3 events may have been put twice after lost answers)"
        );
    }
}
