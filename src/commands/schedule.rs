//! `cartctl schedule`: one reminder from flags.

use chrono::Utc;

use cartctl::Result;
use cartctl::aws::{events::resolve_bus_arn, scheduler::ensure_group};
use cartctl::due::{Due, DueSpec};
use cartctl::limits::BusRef;
use cartctl::output::{OutputFormat, schedule_line};
use cartctl::reminder::{Cart, RawReminderSettings, Reminder, ReminderName, ReminderSettings};
use cartctl::schedule::{OnConflict, send_reminder};

use super::Context;
use crate::cli::ScheduleArgs;

pub async fn run(args: ScheduleArgs, ctx: &Context) -> Result<()> {
    let now = Utc::now();
    // Everything is checked before the first request.
    let settings = ReminderSettings::parse(&RawReminderSettings {
        group: &args.group.group,
        role_arn: args.role_arn.as_deref(),
        source: &args.shape.source,
        detail_type: &args.shape.detail_type,
        description: args.description.as_deref(),
        flexible_window: args.flexible_window.as_deref(),
        keep_after_completion: args.keep_after_completion,
        max_retries: args.max_retries,
        max_event_age: args.max_event_age.as_deref(),
        dlq_arn: args.dlq_arn.as_deref(),
        disabled: args.disabled,
        client_token: args.client_token.as_deref(),
    })?;
    let bus = BusRef::parse("--bus", &args.bus.bus)?;
    let on_conflict: OnConflict = args.on_conflict.parse()?;
    let cart = Cart::new(&args.user, &args.product, ("--user", "--product"))?;
    let spec = match (&args.in_, &args.at) {
        (Some(d), _) => DueSpec::In(d),
        (None, Some(t)) => DueSpec::At(t),
        (None, None) => unreachable!("clap requires --in or --at"),
    };
    let due = Due::resolve(
        spec,
        args.timezone.as_deref(),
        now,
        ("--in", "--at", "--timezone"),
    )?;
    let name = args
        .name
        .as_deref()
        .map(|n| ReminderName::parse("--name", n))
        .transpose()?;
    settings.check_cart(&cart)?;

    if args.dry_run
        && let BusRef::Arn(arn) = &bus
    {
        let reminder = Reminder::new(cart, due, name, &settings, arn)?;
        return ctx.printer.request(&reminder.request);
    }
    let clients = ctx.clients().await?;
    let bus_arn = resolve_bus_arn(&clients.events, &bus).await?;
    let reminder = Reminder::new(cart, due, name, &settings, &bus_arn)?;
    if args.dry_run {
        return ctx.printer.request(&reminder.request);
    }
    ensure_group(&clients.scheduler, &settings.group).await?;
    let outcome = send_reminder(&clients.scheduler, &reminder, on_conflict).await?;
    match ctx.printer.format {
        OutputFormat::Text => {
            ctx.printer
                .line(&schedule_line(&outcome, Utc::now(), ctx.printer.color))
        }
        OutputFormat::Json | OutputFormat::Ndjson => ctx.printer.json(&outcome),
    }
}
