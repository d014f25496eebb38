//! The seed's consumer, written with the cartctl library alone: it reads one EventBridge event
//! envelope as delivered to a Lambda, and schedules that cart's reminder one day after the
//! event's `time`.
//!
//! ```sh
//! echo '{"version":"0","id":"1","detail-type":"item sku-1 added to Cart","source":"putToCartService",
//!        "time":"2026-11-29T10:00:00Z","detail":{"user":"alice","product":"sku-1"}}' |
//!   CARTCTL_SCHEDULER_ROLE_ARN=arn:aws:iam::123456789012:role/cart-reminder-scheduler \
//!   cargo run -p cartctl-aws --example consumer
//! ```
//!
//! Settings come from the same environment as cartctl's (`CARTCTL_EVENT_BUS`,
//! `CARTCTL_SCHEDULE_GROUP`, `CARTCTL_SCHEDULER_ROLE_ARN`, `CARTCTL_SOURCE`,
//! `CARTCTL_DETAIL_TYPE`, `CARTCTL_DLQ_ARN`) and the AWS environment. It prints the outcome as
//! JSON (`created`, or `unchanged` when the same event comes again, as Lambda may deliver it
//! twice); a later add of the same product moves the reminder (`replaced`).

use std::io::Read;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::Value;

use cartctl_aws::retry::RetryLimits;
use cartctl_aws::schedule::{OnConflict, ScheduleOutcome};
use cartctl_aws::sdk::AwsSettings;
use cartctl_aws::{Error, Result, Session};
use cartctl_core::bus::BusRef;
use cartctl_core::due::{Due, DueSpec};
use cartctl_core::reminder::{Cart, RawReminderSettings, Reminder, ReminderSettings};

/// How long after the add-to-cart event the reminder is due.
const REMIND_AFTER: Duration = Duration::days(1);

fn env(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// The cart and the event time of an EventBridge envelope.
fn read_envelope(text: &str) -> Result<(Cart, DateTime<Utc>)> {
    let bad = |problem: &str| {
        Error::invalid(
            "event",
            problem,
            "give an EventBridge event envelope on stdin",
        )
    };
    let v: Value = serde_json::from_str(text).map_err(|e| bad(&format!("is not JSON ({e})")))?;
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(&v, |v, k| v.get(k))
            .and_then(Value::as_str)
            .ok_or_else(|| bad(&format!("has no string `{}`", path.join("."))))
    };
    let cart = Cart::new(
        field(&["detail", "user"])?,
        field(&["detail", "product"])?,
        ("detail.user", "detail.product"),
    )?;
    let time = DateTime::parse_from_rfc3339(field(&["time"])?)
        .map_err(|e| bad(&format!("has a `time` that is not RFC 3339 ({e})")))?
        .with_timezone(&Utc);
    Ok((cart, time))
}

async fn consume(text: &str) -> Result<ScheduleOutcome> {
    let (cart, time) = read_envelope(text)?;
    let role = std::env::var("CARTCTL_SCHEDULER_ROLE_ARN").ok();
    let dlq = std::env::var("CARTCTL_DLQ_ARN")
        .ok()
        .filter(|v| !v.is_empty());
    let (group, source, detail_type) = (
        env("CARTCTL_SCHEDULE_GROUP", "default"),
        env("CARTCTL_SOURCE", "putToCartService"),
        env("CARTCTL_DETAIL_TYPE", "item {product} added to Cart"),
    );
    let settings = ReminderSettings::parse(&RawReminderSettings {
        group: &group,
        role_arn: role.as_deref(),
        source: &source,
        detail_type: &detail_type,
        dlq_arn: dlq.as_deref(),
        ..RawReminderSettings::default()
    })?;
    // An absolute time, so the same event delivered twice is the same reminder.
    let at = (time + REMIND_AFTER).to_rfc3339_opts(SecondsFormat::Secs, true);
    let due = Due::resolve(
        DueSpec::At(&at),
        None,
        Utc::now(),
        ("in", "time", "timezone"),
    )?;
    let bus = BusRef::parse_target("CARTCTL_EVENT_BUS", &env("CARTCTL_EVENT_BUS", "default"))?;

    let session = Session::new(AwsSettings::default(), RetryLimits::default());
    let bus_arn = session.bus_arn(&bus).await?;
    let reminder = Reminder::new(cart, due, None, &settings, &bus_arn)?;
    session.schedule(&reminder, OnConflict::Replace).await
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: reading the event from stdin: {e}");
        return std::process::ExitCode::from(2);
    }
    match consume(&text).await {
        Ok(outcome) => {
            println!(
                "{}",
                serde_json::to_string(&outcome).expect("an outcome serializes")
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(e.exit_code())
        }
    }
}
