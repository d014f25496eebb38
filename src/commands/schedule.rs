//! `cartctl schedule`: one reminder from flags, or one a line with `--file`.

use chrono::Utc;

use crate::render::OutputFormat;
use crate::render::text::schedule_line;
use cartctl::Result;
use cartctl::bulk::{self, LineDefaults, ReminderLines};
use cartctl::bus::BusRef;
use cartctl::due::{Due, DueSpec};
use cartctl::limits;
use cartctl::reminder::{Cart, RawReminderSettings, Reminder, ReminderName, ReminderSettings};
use cartctl::upsert::OnConflict;

use super::{Context, Input, open_input};
use crate::cli::ScheduleArgs;
use crate::render::progress::{Reporter, RequestPrinter};

pub async fn run(args: ScheduleArgs, ctx: &Context) -> Result<()> {
    // Everything is checked before the first request.
    let group = ctx.group(&args.group);
    let (source, detail_type) = ctx.shape(&args.shape);
    let role_arn = ctx.setting("scheduler_role_arn", args.role_arn.as_deref());
    let settings = ReminderSettings::parse(&RawReminderSettings {
        group: &group,
        role_arn: role_arn.as_deref(),
        source: &source,
        detail_type: &detail_type,
        description: args.description.as_deref(),
        flexible_window: args.flexible_window.as_deref(),
        keep_after_completion: args.keep_after_completion,
        max_retries: args.max_retries,
        max_event_age: args.max_event_age.as_deref(),
        dlq_arn: args.dlq_arn.as_deref(),
        disabled: args.disabled,
        client_token: args.client_token.as_deref(),
    })?;
    let bus = BusRef::parse_target("--bus", &ctx.bus(&args.bus))?;
    let on_conflict = OnConflict::from(args.on_conflict);
    if args.bulk.file.is_some() {
        return run_file(args, settings, bus, on_conflict, ctx).await;
    }

    let cart = Cart::new(
        args.user.as_deref().unwrap_or_default(),
        args.product.as_deref().unwrap_or_default(),
        ("--user", "--product"),
    )?;
    let due = Due::resolve(
        due_spec(&args).expect("clap requires --in or --at"),
        args.timezone.as_deref(),
        Utc::now(),
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
    let bus_arn = ctx.session.bus_arn(&bus).await?;
    let mut reminder = Reminder::new(cart, due, name, &settings, &bus_arn)?;
    reminder.restart = args.restart;
    if args.dry_run {
        return ctx.printer.request(&reminder.request);
    }
    let outcome = ctx.session.schedule(&reminder, on_conflict).await?;
    match ctx.printer.format {
        OutputFormat::Text => {
            ctx.printer
                .line(&schedule_line(&outcome, Utc::now(), ctx.printer.color))
        }
        OutputFormat::Json | OutputFormat::Ndjson => ctx.printer.json(&outcome),
    }
}

fn due_spec(args: &ScheduleArgs) -> Option<DueSpec<'_>> {
    match (&args.in_, &args.at) {
        (Some(d), _) => Some(DueSpec::In(d)),
        (None, Some(t)) => Some(DueSpec::At(t)),
        (None, None) => None,
    }
}

async fn run_file(
    args: ScheduleArgs,
    settings: ReminderSettings,
    bus: BusRef,
    on_conflict: OnConflict,
    ctx: &Context,
) -> Result<()> {
    // Flags given with --file are defaults for every line: check them once, up front.
    limits::check_optional_ids(args.user.as_deref(), args.product.as_deref())?;
    if let Some(spec) = due_spec(&args) {
        Due::resolve(
            spec,
            args.timezone.as_deref(),
            Utc::now(),
            ("--in", "--at", "--timezone"),
        )?;
    } else if let Some(tz) = &args.timezone {
        cartctl::due::parse_timezone("--timezone", tz)?;
    }
    let defaults = LineDefaults {
        user: args.user.clone(),
        product: args.product.clone(),
        in_: args.in_.clone(),
        at: args.at.clone(),
        timezone: args.timezone.clone(),
        detail: None,
        restart: args.restart,
    };
    let (input, concurrency) = open_input(&args.bulk, bulk::DEFAULT_SCHEDULE_CONCURRENCY)?;

    let dry_arn = match (&bus, args.dry_run) {
        (BusRef::Arn(arn), true) => Some(arn.clone()),
        _ => None,
    };
    let bus_arn = match dry_arn {
        Some(arn) => arn,
        None => ctx.session.bus_arn(&bus).await?,
    };
    if args.dry_run {
        let lines_to = ReminderLines {
            defaults: &defaults,
            settings: &settings,
            bus_arn: &bus_arn,
        };
        return plan(input, lines_to, ctx).await;
    }
    // A missing group fails before any output starts.
    ctx.session.check_group(&settings.group).await?;
    let mut reporter = Reporter::new(ctx.shown(), &input.progress);
    let lines_to = ReminderLines {
        defaults: &defaults,
        settings: &settings,
        bus_arn: &bus_arn,
    };
    let sent = ctx
        .session
        .schedule_lines(input.lines, lines_to, on_conflict, concurrency, |o| {
            let status = o
                .result
                .as_ref()
                .map(|r| r.status.as_str())
                .unwrap_or("failed");
            reporter.line(&o, status)
        });
    sent.await?;
    reporter.finish()
}

/// `--dry-run --file`: every line checked, each valid line's request printed, nothing sent.
async fn plan(input: Input, lines_to: ReminderLines<'_>, ctx: &Context) -> Result<()> {
    let mut requests = RequestPrinter::new(ctx.shown());
    bulk::plan_schedule_lines(input.lines, lines_to, |o| requests.outcome(o)).await;
    requests.finish()
}
