//! `cartctl stats`: CloudWatch's counts for the reminder flow, and a verdict.

use chrono::Utc;

use cartctl_aws::stats::StatsRequest;
use cartctl_aws::{Error, Result};
use cartctl_core::blueprint::{SetupRequest, reminder_rule_name};
use cartctl_core::bus::BusRef;

use super::Context;
use crate::cli::StatsArgs;

/// CloudWatch keeps data points for 15 months.
const MAX_WINDOW_DAYS: i64 = 455;

pub async fn run(args: StatsArgs, ctx: &Context) -> Result<()> {
    let window = cartctl_core::due::parse_duration("--since", &args.since)?;
    let window = chrono::Duration::from_std(window)
        .ok()
        .filter(|w| {
            *w <= chrono::Duration::days(MAX_WINDOW_DAYS) && *w >= chrono::Duration::minutes(1)
        })
        .ok_or_else(|| {
            Error::invalid(
                "--since",
                format!("`{}` is outside 1m to {MAX_WINDOW_DAYS}d", args.since),
                "give a window such as 24h or 7d (CloudWatch keeps 15 months)",
            )
        })?;
    let group = ctx.group(&args.group);
    cartctl_core::limits::check_name("--group", &group)?;
    let bus = BusRef::parse_target("--bus", &ctx.bus(&args.bus))?
        .name()
        .to_owned();
    let rule = match &args.rule {
        Some(rule) => rule.clone(),
        None => {
            let setup = SetupRequest {
                bus: bus.clone(),
                group: group.clone(),
                source: String::new(),
                detail_types: Default::default(),
                prefix: args.name_prefix.clone(),
            };
            reminder_rule_name(&setup.checked_prefix()?)
        }
    };
    cartctl_core::limits::check_name("--rule", &rule)?;
    let until = Utc::now();
    let req = StatsRequest {
        group,
        bus,
        rule,
        since: until - window,
        until,
    };
    let stats = ctx.session.stats(&req).await?;
    ctx.printer.report(&stats)
}
