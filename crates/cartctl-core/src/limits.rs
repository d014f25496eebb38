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

/// Checks a contact list topic's name. SES's model gives no pattern; cartctl keeps to what
/// SES's console accepts and a message tag could carry: 1–64 of `[0-9a-zA-Z-_]`.
pub fn check_topic_name(field: &str, value: &str) -> Result<()> {
    if value.is_empty()
        || value.len() > MAX_NAME_LEN
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        return Err(Error::invalid(
            field,
            format!("`{value}` is not a topic name"),
            "use 1 to 64 letters, digits, '-' and '_', such as cart-reminders",
        ));
    }
    Ok(())
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

/// A queue given by name or by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueRef {
    /// A queue name, looked up with GetQueueUrl.
    Name(String),
    /// A queue URL, used as it is.
    Url(String),
}

impl QueueRef {
    /// Parses a queue name (1–80 of `[A-Za-z0-9_-]`, `.fifo` allowed at the end) or an
    /// `http(s)://` URL whose last segment is one.
    pub fn parse(field: &str, value: &str) -> Result<QueueRef> {
        let (name, url) = match value
            .strip_prefix("https://")
            .or(value.strip_prefix("http://"))
        {
            Some(rest) => (rest.rsplit('/').next().unwrap_or_default(), true),
            None => (value, false),
        };
        let base = name.strip_suffix(".fifo").unwrap_or(name);
        let ok = !base.is_empty()
            && name.len() <= 80
            && base
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(Error::invalid(
                field,
                format!("`{value}` is not a queue name or URL"),
                "give the queue's name (1 to 80 letters, digits, - or _) or its URL (https://sqs.<region>.amazonaws.com/<account>/<name>)",
            ));
        }
        Ok(if url {
            QueueRef::Url(value.to_owned())
        } else {
            QueueRef::Name(value.to_owned())
        })
    }
}

/// Checks a queue name or URL (see [`QueueRef::parse`]).
pub fn check_queue_ref(field: &str, value: &str) -> Result<()> {
    QueueRef::parse(field, value).map(|_| ())
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
            format!("use a shorter {field} template (or shorter ids)"),
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!("the detail-type contains the control character {c:?} after substitution"),
            format!(
                "keep newlines and other control characters out of {field} (and of the ids it includes)"
            ),
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

/// Parses a maximum event age (60 s – 24 h) into seconds.
pub fn parse_event_age(field: &str, value: &str) -> Result<u32> {
    let d = crate::due::parse_duration(field, value)?;
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
    let d = crate::due::parse_duration(field, value)?;
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

/// Checks a user and a product where they are optional (filters, bulk defaults).
pub fn check_optional_ids(user: Option<&str>, product: Option<&str>) -> Result<()> {
    for (flag, value) in [("user", user), ("product", product)] {
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

    #[test]
    fn queues_are_names_or_urls() {
        assert_eq!(
            QueueRef::parse("--queue", "cartctl-shop-carts").unwrap(),
            QueueRef::Name("cartctl-shop-carts".into())
        );
        let url = "https://sqs.us-east-1.amazonaws.com/123456789012/cartctl-shop-carts";
        assert_eq!(
            QueueRef::parse("--queue", url).unwrap(),
            QueueRef::Url(url.into())
        );
        assert!(QueueRef::parse("--queue", "http://localhost:4566/000000000000/q.fifo").is_ok());
        for bad in ["", "a b", "https://sqs.example.com/", &"q".repeat(81)] {
            let e = QueueRef::parse("--queue", bad).unwrap_err();
            assert!(e.to_string().starts_with("invalid --queue:"), "{e}");
        }
    }
}
