//! `cartctl match`: does an event match an EventBridge pattern (offline), or which rules of a
//! bus does it match? Exit 0 on a match, 1 without one, 2 for an invalid pattern or event.

use std::io::Read;

use serde_json::Value;

use cartctl_aws::{Error, Result};
use cartctl_core::bus::BusRef;
use cartctl_core::matcher;

use super::Context;
use crate::cli::MatchArgs;
use crate::exit::Stop;
use crate::render::outcome::{OfflineMatch, RuleMatches};

pub async fn run(args: MatchArgs, ctx: &Context) -> anyhow::Result<()> {
    let event = read_json("--event", &args.event)?;
    let matched = match (&args.pattern, &args.bus) {
        (Some(pattern), _) => offline(ctx, pattern, &event)?,
        (None, Some(bus)) => on_bus(ctx, bus, &event).await?,
        (None, None) => unreachable!("clap requires --pattern or --bus"),
    };
    if matched {
        Ok(())
    } else {
        // No match is an answer, not an error: exit 1, nothing on stderr.
        Err(Stop::Silent(1).into())
    }
}

fn offline(ctx: &Context, pattern: &str, event: &Value) -> Result<bool> {
    let text = read_json("--pattern", pattern)?.to_string();
    let pattern = matcher::parse(&text).map_err(|e| {
        Error::invalid(
            "--pattern",
            e.to_string(),
            "write an EventBridge pattern, such as {\"source\": [\"shop\"]}",
        )
    })?;
    let matches = pattern.matches(event);
    ctx.printer.report(&OfflineMatch { matches })?;
    Ok(matches)
}

async fn on_bus(ctx: &Context, bus: &str, event: &Value) -> Result<bool> {
    let bus = BusRef::parse("--bus", bus)?;
    let rules = ctx.session.rules_matching(bus.as_str(), event).await?;
    let matched = rules.iter().any(|r| r.matches && r.state == "ENABLED");
    ctx.printer.report(&RuleMatches {
        bus: bus.as_str(),
        matched,
        rules: &rules,
        envelope: cartctl_aws::r#match::is_envelope(event),
    })?;
    Ok(matched)
}

/// A JSON value given inline or as `@FILE` (`@-`: stdin).
fn read_json(field: &str, arg: &str) -> Result<Value> {
    let text = match arg.strip_prefix('@') {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Error::Io {
                    context: "reading stdin".into(),
                    source: e,
                })?;
            s
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            Error::invalid(
                field,
                format!("cannot read `{path}`: {e}"),
                "give a readable file, or the JSON itself",
            )
        })?,
        None => arg.to_owned(),
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Error::invalid(
            field,
            format!("is not JSON ({e})"),
            "give a JSON object, or @FILE",
        )
    })?;
    if !value.is_object() {
        return Err(Error::invalid(
            field,
            "must be a JSON object",
            "give a JSON object, or @FILE",
        ));
    }
    Ok(value)
}
