//! `cartctl schedule`: one reminder from flags, or one a line with `--file`.

use chrono::Utc;

use crate::render::outcome::ItemLog;
use cartctl_aws::bulk::{self, ReminderLines};
use cartctl_aws::schedule::OnConflict;
use cartctl_aws::schedule::ScheduleOutcome;
use cartctl_aws::{Error, Result};
use cartctl_core::bus::BusRef;
use cartctl_core::due::{Due, DueSpec};
use cartctl_core::limits;
use cartctl_core::lines::LineDefaults;
use cartctl_core::quiet::QuietHours;
use cartctl_core::reminder::{
    Cart, RawReminderSettings, Reminder, ReminderExtras, ReminderName, ReminderSettings,
};
use cartctl_core::reminder::{check_series, parse_detail_object};

use super::{Context, Input, open_input};
use crate::cli::ScheduleArgs;
use crate::render::progress::{Reporter, RequestPrinter};

pub async fn run(args: ScheduleArgs, ctx: &Context) -> Result<()> {
    // Everything is checked before the first request.
    let settings = settings(&args, ctx)?;
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
    let detail = args
        .detail
        .as_deref()
        .map(|d| parse_detail_object("--detail", d))
        .transpose()?;
    let extras = ReminderExtras::with_detail(&cart, detail, "--detail")?;
    let dues = dues(&args, ctx)?;
    let name = args
        .name
        .as_deref()
        .map(|n| ReminderName::parse("--name", n))
        .transpose()?;
    settings.check_cart(&cart, &extras)?;
    let series = |bus_arn: &str| {
        let reminders = Reminder::series(
            cart.clone(),
            extras.clone(),
            dues.clone(),
            name.clone(),
            &settings,
            bus_arn,
        )?;
        Ok::<_, cartctl_aws::Error>(
            reminders
                .into_iter()
                .map(|mut r| {
                    r.restart = args.restart;
                    r
                })
                .collect::<Vec<_>>(),
        )
    };

    if args.dry_run
        && let BusRef::Arn(arn) = &bus
    {
        return series(arn)?
            .iter()
            .try_for_each(|r| ctx.printer.request(&r.request));
    }
    check_series(&dues, name.as_ref())?;
    let bus_arn = ctx.session.bus_arn(&bus).await?;
    let reminders = series(&bus_arn)?;
    if args.dry_run {
        return reminders
            .iter()
            .try_for_each(|r| ctx.printer.request(&r.request));
    }
    if let [reminder] = reminders.as_slice() {
        let outcome = ctx
            .session
            .schedule(reminder, on_conflict)
            .await
            .map_err(conflict_hint)?;
        return print_outcome(ctx, &outcome);
    }
    schedule_stages(ctx, &reminders, on_conflict).await
}

/// A reminder that exists with another definition: the flag that settles it.
fn conflict_hint(e: Error) -> Error {
    match e {
        Error::Conflict { .. } => e.with_fix(
            "pass --on-conflict replace to overwrite it, or --on-conflict skip to leave it",
        ),
        e => e,
    }
}

/// The reminder settings the flags and the configuration give, checked.
fn settings(args: &ScheduleArgs, ctx: &Context) -> Result<ReminderSettings> {
    let group = ctx.group(&args.group);
    let (source, detail_type) = ctx.shape(&args.shape);
    let role_arn = ctx.value(
        &cartctl_core::setting::SCHEDULER_ROLE_ARN,
        args.role_arn.as_deref(),
    );
    let dlq_arn = ctx.value(&cartctl_core::setting::DLQ_ARN, args.dlq_arn.as_deref());
    ReminderSettings::parse(&RawReminderSettings {
        group: &group,
        role_arn: role_arn.as_deref(),
        source: &source,
        detail_type: &detail_type,
        description: args.description.as_deref(),
        flexible_window: args.flexible_window.as_deref(),
        keep_after_completion: args.keep_after_completion,
        max_retries: args.max_retries,
        max_event_age: args.max_event_age.as_deref(),
        dlq_arn: dlq_arn.as_deref(),
        disabled: args.disabled,
        client_token: args.client_token.as_deref(),
    })
}

/// `--timezone` (or its variable, or the file's `timezone`).
fn timezone(args: &ScheduleArgs, ctx: &Context) -> Option<String> {
    ctx.value(&cartctl_core::setting::TIMEZONE, args.timezone.as_deref())
}

/// `--quiet-hours` (or its variable, or the file's `quiet_hours`), checked.
fn quiet_hours(args: &ScheduleArgs, ctx: &Context) -> Result<Option<QuietHours>> {
    ctx.value(
        &cartctl_core::setting::QUIET_HOURS,
        args.quiet_hours.as_deref(),
    )
    .filter(|q| !q.trim().is_empty())
    .map(|q| QuietHours::parse("--quiet-hours", &q))
    .transpose()
}

/// The due time of each stage (one, unless `--in` is given more than once), moved out of the
/// quiet hours.
fn dues(args: &ScheduleArgs, ctx: &Context) -> Result<Vec<Due>> {
    let now = Utc::now();
    let fields = ("--in", "--at", "--timezone");
    let tz = timezone(args, ctx);
    let tz = tz.as_deref();
    let quiet = quiet_hours(args, ctx)?;
    let dues: Vec<Due> = match &args.at {
        Some(at) => vec![Due::resolve(DueSpec::At(at), tz, now, fields)?],
        None => args
            .in_
            .iter()
            .map(|d| Due::resolve(DueSpec::In(d), tz, now, fields))
            .collect::<Result<_>>()?,
    };
    Ok(match quiet {
        Some(q) => dues.into_iter().map(|d| d.deferred(&q)).collect(),
        None => dues,
    })
}

fn print_outcome(ctx: &Context, outcome: &ScheduleOutcome) -> Result<()> {
    ctx.printer.report(outcome)
}

/// Schedules every stage, one after the other; each is reported, and a failed stage does not
/// stop the others (exit 3 if any failed). `-o json` prints an array.
async fn schedule_stages(
    ctx: &Context,
    reminders: &[Reminder],
    on_conflict: OnConflict,
) -> Result<()> {
    let mut log = ItemLog::new(&ctx.printer);
    let mut failed = 0;
    let each = |reminder: &Reminder, result: Result<ScheduleOutcome>| match result {
        Ok(o) => log.push(&o),
        Err(e) => {
            failed += 1;
            let stage = reminder.extras.stage.map_or(0, |s| s.number);
            ctx.printer.item_error(&format!(
                "stage {stage} ({}): {}",
                reminder.name(),
                ctx.errors.present(conflict_hint(e)).one_line()
            ));
            Ok(())
        }
    };
    ctx.session
        .schedule_stages(reminders, on_conflict, each)
        .await?;
    log.end()?;
    if failed > 0 {
        return Err(Error::Partial {
            failed,
            total: reminders.len() as u64,
            noun: "stages",
        });
    }
    Ok(())
}

fn due_spec(args: &ScheduleArgs) -> Option<DueSpec<'_>> {
    match (args.in_.first(), &args.at) {
        (Some(d), _) => Some(DueSpec::In(d)),
        (None, Some(t)) => Some(DueSpec::At(t)),
        (None, None) => None,
    }
}

/// The flags given with `--file`, defaults for every line: checked once, up front.
fn line_defaults(args: &ScheduleArgs, ctx: &Context) -> Result<LineDefaults> {
    limits::check_optional_ids(args.user.as_deref(), args.product.as_deref())?;
    if args.in_.len() > 1 {
        return Err(Error::invalid(
            "--in",
            "gives stages, which are for one reminder, not for --file",
            "give one --in with --file, or schedule each cart's stages on their own",
        ));
    }
    let detail = args
        .detail
        .as_deref()
        .map(|d| parse_detail_object("--detail", d))
        .transpose()?;
    let tz = timezone(args, ctx);
    if let Some(spec) = due_spec(args) {
        Due::resolve(
            spec,
            tz.as_deref(),
            Utc::now(),
            ("--in", "--at", "--timezone"),
        )?;
    } else if let Some(tz) = &tz {
        cartctl_core::due::parse_timezone("--timezone", tz)?;
    }
    let defaults = LineDefaults {
        user: args.user.clone(),
        product: args.product.clone(),
        in_: args.in_.first().cloned(),
        at: args.at.clone(),
        timezone: tz,
        detail,
        restart: args.restart,
        quiet_hours: quiet_hours(args, ctx)?,
        ..LineDefaults::default()
    };
    Ok(defaults)
}

async fn run_file(
    args: ScheduleArgs,
    settings: ReminderSettings,
    bus: BusRef,
    on_conflict: OnConflict,
    ctx: &Context,
) -> Result<()> {
    let defaults = line_defaults(&args, ctx)?;
    let (input, concurrency) = open_input(&args.bulk, bulk::DEFAULT_SCHEDULE_CONCURRENCY, ctx)?;

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
    let mut reporter = Reporter::new(&ctx.printer, &input.progress);
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
    let mut requests = RequestPrinter::new(&ctx.printer);
    bulk::plan_schedule_lines(input.lines, lines_to, |o| requests.outcome(o)).await;
    requests.finish()
}
