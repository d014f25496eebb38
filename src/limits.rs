//! The service limits cartctl checks before it sends anything (from the Scheduler and EventBridge
//! service models), each as a function that names the offending field and the fix.
//!
//! The local emulator validates none of these, and AWS would reject them only after a round trip;
//! checking here keeps bad input at exit code 2 with nothing sent.

use crate::error::{Error, Result};

/// Longest schedule or schedule-group name.
pub const MAX_NAME_LEN: usize = 64;
/// Longest ClientToken.
pub const MAX_CLIENT_TOKEN_LEN: usize = 64;
/// Longest schedule description.
pub const MAX_DESCRIPTION_LEN: usize = 512;
/// Longest EventBridge DetailType.
pub const MAX_DETAIL_TYPE_LEN: usize = 128;
/// Longest EventBridge Source.
pub const MAX_SOURCE_LEN: usize = 256;
/// Retry attempts a schedule target accepts.
pub const RETRY_ATTEMPTS: std::ops::RangeInclusive<u32> = 0..=185;
/// Maximum event age a schedule target accepts, in seconds.
pub const EVENT_AGE_SECS: std::ops::RangeInclusive<u64> = 60..=86_400;
/// Flexible time window a schedule accepts, in minutes.
pub const FLEXIBLE_WINDOW_MINUTES: std::ops::RangeInclusive<u64> = 1..=1440;
/// Most entries in one PutEvents call.
pub const MAX_PUT_EVENTS_ENTRIES: usize = 10;
/// PutEvents calls (and so every entry) must be strictly smaller than this many bytes.
pub const PUT_EVENTS_MAX_BYTES: usize = 256 * 1024;
/// Longest event bus name.
pub const MAX_BUS_NAME_LEN: usize = 256;

/// A string's length as the services count it: in UTF-16 code units (they are written in
/// Java), so a character outside the Basic Multilingual Plane (most emoji) counts twice. Never
/// less than the count of Unicode scalar values, so checking it is the stricter rule.
pub fn service_len(value: &str) -> usize {
    value.encode_utf16().count()
}

/// Checks a schedule or schedule-group name: 1–64 characters of `[0-9a-zA-Z-_.]`.
pub fn check_name(field: &str, value: &str) -> Result<()> {
    if value.is_empty() || value.len() > MAX_NAME_LEN {
        return Err(Error::invalid(
            field,
            format!("`{value}` must be 1 to {MAX_NAME_LEN} characters long"),
            "use letters, digits, '-', '_' and '.' only",
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(Error::invalid(
            field,
            format!("`{value}` contains {c:?}"),
            "use letters, digits, '-', '_' and '.' only",
        ));
    }
    Ok(())
}

/// Checks a ClientToken: 1–64 characters of `[a-zA-Z0-9-_]`.
pub fn check_client_token(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= MAX_CLIENT_TOKEN_LEN
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not a valid client token"),
            "use 1 to 64 letters, digits, '-' or '_' (or leave it out: cartctl derives one)",
        ))
    }
}

/// Checks a schedule description (at most 512 characters).
pub fn check_description(field: &str, value: &str) -> Result<()> {
    let n = service_len(value);
    if n > MAX_DESCRIPTION_LEN {
        return Err(Error::invalid(
            field,
            format!("{n} characters is too long"),
            format!("shorten it to at most {MAX_DESCRIPTION_LEN} characters"),
        ));
    }
    Ok(())
}

/// The parts of an ARN, borrowed from the input.
#[derive(Debug, PartialEq, Eq)]
pub struct ArnParts<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub partition: &'a str,
    /// `iam`, `sqs`, `events`, …
    pub service: &'a str,
    /// The region (empty for IAM).
    pub region: &'a str,
    /// The 12-digit account id.
    pub account: &'a str,
    /// Everything after the account.
    pub resource: &'a str,
}

/// Splits an ARN into its parts, checking the partition (`aws` or `aws-…`) and the account id.
pub fn parse_arn(value: &str) -> Option<ArnParts<'_>> {
    let mut it = value.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
    ) else {
        return None;
    };
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        });
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let region_ok = region
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (partition_ok && account_ok && region_ok && !resource.is_empty()).then_some(ArnParts {
        partition,
        service,
        region,
        account,
        resource,
    })
}

/// Checks an IAM role ARN: `arn:aws(-x)?:iam::<12 digits>:role/<name>`.
pub fn check_role_arn(field: &str, value: &str) -> Result<()> {
    let ok = parse_arn(value).is_some_and(|a| {
        a.service == "iam"
            && a.region.is_empty()
            && a.resource
                .strip_prefix("role/")
                .is_some_and(|r| !r.is_empty() && !r.ends_with('/'))
    });
    if !ok {
        return Err(Error::invalid(
            field,
            format!("`{value}` is not an IAM role ARN"),
            "give one like arn:aws:iam::123456789012:role/cart-reminder-scheduler",
        ));
    }
    // The model's pattern: `role/[\w+=,.@/-]+`, where \w is Java's ASCII word class.
    let path = value.split_once(":role/").map_or("", |(_, r)| r);
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_+=,.@/-".contains(*c)))
    {
        return Err(Error::invalid(
            field,
            format!("the role name in `{value}` contains {c:?}"),
            "IAM role names and paths use letters, digits and + = , . @ _ / - only",
        ));
    }
    Ok(())
}

/// Checks an SQS queue ARN (a dead-letter queue): `arn:aws(-x)?:sqs:<region>:<12 digits>:<queue>`.
///
/// A FIFO queue (`….fifo`) is refused: Scheduler sends dead letters to standard queues only
/// (the model's pattern has no `.`), and AWS would refuse the schedule.
pub fn check_sqs_arn(field: &str, value: &str) -> Result<()> {
    if value.ends_with(".fifo") && parse_arn(value).is_some_and(|a| a.service == "sqs") {
        return Err(Error::invalid(
            field,
            format!(
                "`{value}` is a FIFO queue; Scheduler sends dead letters to standard queues only"
            ),
            "give a standard queue (its name does not end in .fifo)",
        ));
    }
    let ok = parse_arn(value).is_some_and(|a| {
        a.service == "sqs"
            && !a.region.is_empty()
            && a.resource.len() <= 80
            && a.resource
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not an SQS queue ARN"),
            "give one like arn:aws:sqs:us-east-1:123456789012:cart-reminders-dlq",
        ))
    }
}

/// An event bus as the user named it: a name to resolve, or an ARN to use as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusRef {
    /// A bus name (`default`, `shop`); resolving it to an ARN needs a read-only call.
    Name(String),
    /// A full event bus ARN.
    Arn(String),
}

impl BusRef {
    /// Parses `--bus NAME|ARN`.
    pub fn parse(field: &str, value: &str) -> Result<Self> {
        if value.starts_with("arn:") {
            let ok = parse_arn(value).is_some_and(|a| {
                a.service == "events"
                    && !a.region.is_empty()
                    && a.resource
                        .strip_prefix("event-bus/")
                        .is_some_and(|n| check_bus_name_chars(n).is_ok())
            });
            return if ok {
                Ok(BusRef::Arn(value.to_owned()))
            } else {
                Err(Error::invalid(
                    field,
                    format!("`{value}` is not an event bus ARN"),
                    "give a bus name, or an ARN like arn:aws:events:us-east-1:123456789012:event-bus/shop",
                ))
            };
        }
        check_bus_name_chars(value).map_err(|problem| {
            Error::invalid(
                field,
                problem,
                "give a bus name (letters, digits, '.', '-', '_', '/') or an event bus ARN",
            )
        })?;
        Ok(BusRef::Name(value.to_owned()))
    }

    /// Parses `--bus NAME|ARN` for a bus events are put on (PutEvents, a schedule's target):
    /// a partner event bus (`aws.partner/…`, any name with `/`) is refused, as PutEvents and
    /// Scheduler's EventBridge target refuse it (a reminder would fail only when it fires).
    pub fn parse_target(field: &str, value: &str) -> Result<Self> {
        let bus = BusRef::parse(field, value)?;
        let name = bus
            .as_str()
            .rsplit_once("event-bus/")
            .map_or(bus.as_str(), |(_, n)| n);
        if name.contains('/') {
            return Err(Error::invalid(
                field,
                format!("`{value}` is a partner event bus; events cannot be put on one"),
                "give a custom or the default event bus (partner buses receive only their partner's events)",
            ));
        }
        Ok(bus)
    }

    /// The name or ARN, as EventBridge's `EventBusName` accepts either.
    pub fn as_str(&self) -> &str {
        match self {
            BusRef::Name(s) | BusRef::Arn(s) => s,
        }
    }
}

fn check_bus_name_chars(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() || name.len() > MAX_BUS_NAME_LEN {
        return Err(format!(
            "`{name}` must be 1 to {MAX_BUS_NAME_LEN} characters long"
        ));
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')))
    {
        Some(c) => Err(format!("`{name}` contains {c:?}")),
        None => Ok(()),
    }
}

/// Checks an EventBridge Source: 1–256 characters, not starting with `aws.` (reserved for AWS).
pub fn check_source(field: &str, value: &str) -> Result<()> {
    let n = service_len(value);
    if n == 0 || n > MAX_SOURCE_LEN {
        return Err(Error::invalid(
            field,
            format!("must be 1 to {MAX_SOURCE_LEN} characters long, not {n}"),
            "give a source such as putToCartService",
        ));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
    {
        return Err(Error::invalid(
            field,
            format!("`{value}` must start with a letter, a digit, '/', '.', '-' or '_'"),
            "give a source such as putToCartService or shop.cart",
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("contains the control character {c:?}"),
            "remove control characters (newlines, tabs, …) from the source",
        ));
    }
    if value.starts_with("aws.") {
        return Err(Error::invalid(
            field,
            format!("`{value}` starts with `aws.`, which AWS reserves for its own services"),
            "use your own prefix, such as shop.cart",
        ));
    }
    Ok(())
}

/// Checks an EventBridge DetailType after substitution: 1–128 characters.
pub fn check_detail_type(field: &str, value: &str) -> Result<()> {
    let n = service_len(value);
    if n == 0 {
        return Err(Error::invalid(
            field,
            "is empty",
            "give a detail-type such as 'item {product} added to Cart'",
        ));
    }
    if n > MAX_DETAIL_TYPE_LEN {
        return Err(Error::invalid(
            field,
            format!(
                "the detail-type is {n} characters long after substitution; it must be 1 to {MAX_DETAIL_TYPE_LEN}"
            ),
            "use a shorter --detail-type template (or shorter ids)",
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("the detail-type contains the control character {c:?} after substitution"),
            "keep newlines and other control characters out of --detail-type (and of the ids it includes)",
        ));
    }
    Ok(())
}

/// Checks a count of retry attempts (0–185).
pub fn check_retry_attempts(field: &str, value: u32) -> Result<()> {
    if RETRY_ATTEMPTS.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{value} is out of range"),
            format!(
                "give {} to {} attempts",
                RETRY_ATTEMPTS.start(),
                RETRY_ATTEMPTS.end()
            ),
        ))
    }
}

/// Parses a humantime duration (`90m`, `1h 30m`, `2d`), naming the field on failure.
pub fn parse_duration(field: &str, value: &str) -> Result<std::time::Duration> {
    humantime::parse_duration(value.trim()).map_err(|e| {
        Error::invalid(
            field,
            format!("`{value}` is not a duration ({e})"),
            "write it like 90s, 15m, 1h 30m or 1d",
        )
    })
}

/// Parses a maximum event age (60 s – 24 h) into seconds.
pub fn parse_event_age(field: &str, value: &str) -> Result<u32> {
    let d = parse_duration(field, value)?;
    let secs = d.as_secs();
    if d.subsec_nanos() != 0 || !EVENT_AGE_SECS.contains(&secs) {
        return Err(Error::invalid(
            field,
            format!("`{value}` is out of range"),
            "give a whole number of seconds from 60s to 24h",
        ));
    }
    Ok(secs as u32)
}

/// Parses a flexible time window (1 – 1440 whole minutes) into minutes.
pub fn parse_flexible_window(field: &str, value: &str) -> Result<u32> {
    let d = parse_duration(field, value)?;
    let secs = d.as_secs();
    if d.subsec_nanos() != 0 || secs % 60 != 0 || !FLEXIBLE_WINDOW_MINUTES.contains(&(secs / 60)) {
        return Err(Error::invalid(
            field,
            format!("`{value}` is not a whole number of minutes from 1m to 24h"),
            "give a window such as 15m or 1h",
        ));
    }
    Ok((secs / 60) as u32)
}

/// Checks a cart id (user or product): not empty, not only whitespace.
pub fn check_id(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(
            field,
            "is empty",
            format!("give a non-empty {}", field.trim_start_matches('-')),
        ));
    }
    Ok(())
}

/// Checks `--user` and `--product` where they are optional (filters, bulk defaults).
pub fn check_optional_ids(user: Option<&str>, product: Option<&str>) -> Result<()> {
    for (flag, value) in [("--user", user), ("--product", product)] {
        if let Some(v) = value {
            check_id(flag, v)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_scheduler_pattern() {
        assert!(check_name("--name", "cart-0123456789ab-ba9876543210").is_ok());
        assert!(check_name("--name", "a.b_c-D9").is_ok());
        assert!(check_name("--name", &"x".repeat(64)).is_ok());
        assert!(check_name("--name", &"x".repeat(65)).is_err());
        assert!(check_name("--name", "").is_err());
        assert!(check_name("--name", "has space").is_err());
        assert!(check_name("--name", "slash/no").is_err());
        assert!(check_name("--name", "ünï").is_err());
        let msg = check_name("--group", "a b").unwrap_err().to_string();
        assert!(msg.starts_with("invalid --group:"), "{msg}");
    }

    #[test]
    fn client_tokens() {
        assert!(check_client_token("--client-token", "abc-DEF_123").is_ok());
        assert!(check_client_token("--client-token", &"a".repeat(64)).is_ok());
        assert!(check_client_token("--client-token", &"a".repeat(65)).is_err());
        assert!(check_client_token("--client-token", "a.b").is_err());
        assert!(check_client_token("--client-token", "").is_err());
    }

    #[test]
    fn role_arns() {
        for ok in [
            "arn:aws:iam::123456789012:role/cart-reminder",
            "arn:aws-cn:iam::123456789012:role/path/to/r",
            "arn:aws-us-gov:iam::123456789012:role/r",
        ] {
            assert!(check_role_arn("--role-arn", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "role/r",
            "arn:aws:iam::12345678901:role/r",
            "arn:aws:iam::1234567890123:role/r",
            "arn:aws:iam::123456789012:user/r",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam:us-east-1:123456789012:role/r",
            "arn:gcp:iam::123456789012:role/r",
            "arn:aws:sts::123456789012:role/r",
            "arn:aws:iam::123456789012:role/has space",
            "arn:aws:iam::123456789012:role/r#1",
            "arn:aws:iam::123456789012:role/rôle",
        ] {
            assert!(check_role_arn("--role-arn", bad).is_err(), "{bad}");
        }
        assert!(
            check_role_arn(
                "--role-arn",
                "arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h"
            )
            .is_ok()
        );
    }

    #[test]
    fn sqs_arns() {
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sqs:eu-west-1:123456789012:dlq").is_ok());
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sqs:eu-west-1:123456789012:q.fifo").is_err());
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sqs::123456789012:dlq").is_err());
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sns:eu-west-1:123456789012:t").is_err());
        assert!(check_sqs_arn("--dlq-arn", "https://sqs.eu-west-1.amazonaws.com/1/q").is_err());
    }

    #[test]
    fn buses() {
        assert_eq!(
            BusRef::parse("--bus", "default").unwrap(),
            BusRef::Name("default".into())
        );
        assert_eq!(
            BusRef::parse("--bus", "aws.partner/x.com/123/shop").unwrap(),
            BusRef::Name("aws.partner/x.com/123/shop".into())
        );
        let arn = "arn:aws:events:us-east-1:123456789012:event-bus/shop";
        assert_eq!(
            BusRef::parse("--bus", arn).unwrap(),
            BusRef::Arn(arn.into())
        );
        assert!(BusRef::parse("--bus", "arn:aws:events:us-east-1:123456789012:rule/x").is_err());
        assert!(BusRef::parse("--bus", "arn:aws:events:us-east-1:12345:event-bus/x").is_err());
        assert!(BusRef::parse("--bus", "").is_err());
        assert!(BusRef::parse("--bus", "has space").is_err());
        assert!(BusRef::parse("--bus", &"b".repeat(257)).is_err());
        // Events cannot be put on a partner bus, by name or by ARN.
        assert!(BusRef::parse_target("--bus", "shop").is_ok());
        assert!(BusRef::parse_target("--bus", arn).is_ok());
        let partner = "aws.partner/x.com/123/shop";
        let e = BusRef::parse_target("--bus", partner).unwrap_err();
        assert!(e.to_string().contains("partner"), "{e}");
        assert!(
            BusRef::parse_target(
                "--bus",
                &format!("arn:aws:events:us-east-1:123456789012:event-bus/{partner}")
            )
            .is_err()
        );
    }

    #[test]
    fn sources_and_detail_types() {
        assert!(check_source("--source", "putToCartService").is_ok());
        assert!(check_source("--source", "aws.events").is_err());
        assert!(check_source("--source", "").is_err());
        assert!(check_source("--source", &"s".repeat(256)).is_ok());
        assert!(check_source("--source", &"s".repeat(257)).is_err());
        assert!(check_source("--source", " shop").is_err());
        assert!(check_source("--source", "shop\ncart").is_err());
        assert!(check_source("--source", "shop.cart/ü").is_ok());
        assert!(check_detail_type("--detail-type", "item\tx").is_err());
        assert!(check_detail_type("--detail-type", "item ü 🛒").is_ok());
        assert!(check_detail_type("--detail-type", &"é".repeat(128)).is_ok());
        assert!(check_detail_type("--detail-type", &"é".repeat(129)).is_err());
        assert!(check_detail_type("--detail-type", "").is_err());
    }

    #[test]
    fn ranges() {
        assert!(check_retry_attempts("--max-retries", 0).is_ok());
        assert!(check_retry_attempts("--max-retries", 185).is_ok());
        assert!(check_retry_attempts("--max-retries", 186).is_err());
        assert_eq!(parse_event_age("--max-event-age", "60s").unwrap(), 60);
        assert_eq!(parse_event_age("--max-event-age", "1d").unwrap(), 86_400);
        assert!(parse_event_age("--max-event-age", "59s").is_err());
        assert!(parse_event_age("--max-event-age", "1d 1s").is_err());
        assert!(parse_event_age("--max-event-age", "60500ms").is_err());
        assert_eq!(
            parse_flexible_window("--flexible-window", "15m").unwrap(),
            15
        );
        assert_eq!(
            parse_flexible_window("--flexible-window", "1d").unwrap(),
            1440
        );
        assert!(parse_flexible_window("--flexible-window", "0m").is_err());
        assert!(parse_flexible_window("--flexible-window", "90s").is_err());
        assert!(parse_flexible_window("--flexible-window", "1d 1m").is_err());
        assert!(parse_flexible_window("--flexible-window", "soon").is_err());
    }

    #[test]
    fn descriptions_and_ids() {
        assert!(check_description("--description", &"d".repeat(512)).is_ok());
        assert!(check_description("--description", &"d".repeat(513)).is_err());
        // Lengths count UTF-16 code units, as the services do: an emoji is two.
        assert_eq!(service_len("a😀"), 3);
        assert!(check_description("--description", &"😀".repeat(256)).is_ok());
        assert!(check_description("--description", &"😀".repeat(257)).is_err());
        assert!(check_detail_type("--detail-type", &"😀".repeat(64)).is_ok());
        assert!(check_detail_type("--detail-type", &"😀".repeat(65)).is_err());
        assert!(check_source("--source", &format!("s{}", "é".repeat(255))).is_ok());
        assert!(check_source("--source", &format!("s{}", "😀".repeat(128))).is_err());
        assert!(check_id("--user", "alice").is_ok());
        assert!(check_id("--user", "").is_err());
        assert!(check_id("--user", "  ").is_err());
    }
}
