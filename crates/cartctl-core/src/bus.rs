//! Event buses as the user names them: a name (resolved with DescribeEventBus when an ARN is
//! needed) or an ARN, checked against EventBridge's patterns.

use crate::arn::parse_arn;
use crate::error::{Error, Result};
use crate::limits::MAX_BUS_NAME_LEN;

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

    /// The bus's name (the part after `event-bus/` of an ARN).
    pub fn name(&self) -> &str {
        match self {
            BusRef::Name(s) => s,
            BusRef::Arn(arn) => arn.rsplit_once("event-bus/").map_or(arn, |(_, name)| name),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
