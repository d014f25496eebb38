//! `cartctl fire`: publish schedules' payloads now, as Scheduler would.

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};

use cartctl::aws::scheduler::ensure_group;
use cartctl::bulk::check_concurrency;
use cartctl::bulk::retry::with_retries;
use cartctl::fire::{self, FireOutcome};
use cartctl::limits;
use cartctl::list::{ReminderQuery, list_reminders};
use cartctl::output::{OutputFormat, Style, paint};
use cartctl::shapes::{PutEventsRequest, ScheduleState};
use cartctl::{Error, Result};

use super::Context;
use crate::cli::FireArgs;

pub async fn run(args: FireArgs, ctx: &Context) -> Result<()> {
    let group = ctx.group(&args.group);
    limits::check_name("--group", &group)?;
    for name in &args.names {
        limits::check_name("NAME", name)?;
    }
    let concurrency = check_concurrency(args.concurrency)?;
    if args.due && !args.force && ctx.aws.targets_aws(|k| std::env::var(k).ok()) {
        return Err(Error::invalid(
            "--due",
            "on AWS itself Scheduler fires due schedules by itself; firing them here too would send customers their reminders twice",
            "pass --endpoint-url for an emulator, or --force if you really mean to fire them on AWS",
        ));
    }
    let clients = ctx.clients().await?;
    // A misspelt group is "not found" (exit 4), not an empty group.
    with_retries(ctx.retry, |_| ensure_group(&clients.scheduler, &group)).await?;
    let names: Vec<String> = if args.due {
        // Every enabled schedule of the group due by now, cartctl's or not: Scheduler fires all.
        let query = ReminderQuery {
            group: group.clone(),
            due_before: Some(Utc::now()),
            state: Some(ScheduleState::Enabled),
            include_foreign: true,
            ..ReminderQuery::default()
        };
        let mut rows: Vec<_> = list_reminders(&clients.scheduler, &query, concurrency, ctx.retry)
            .try_collect()
            .await?;
        cartctl::list::sort_rows(&mut rows);
        rows.into_iter().map(|r| r.name).collect()
    } else {
        let mut n = args.names.clone();
        n.dedup();
        n
    };
    let single = !args.due && names.len() == 1;

    let mut results = futures::stream::iter(names.clone())
        .map(|name| {
            let group = group.clone();
            async move {
                let plan = fire::plan(
                    &clients.scheduler,
                    &group,
                    &name,
                    args.keep,
                    args.force,
                    ctx.retry,
                )
                .await;
                let result = match plan {
                    Err(e) => Err(e),
                    Ok(plan) if args.dry_run => Ok(Fired::Planned(Box::new(plan))),
                    Ok(plan) => fire::fire(&clients.scheduler, &clients.events, &plan, ctx.retry)
                        .await
                        .map(Fired::Done),
                };
                (name, result)
            }
        })
        .buffered(concurrency);

    let mut fired = Vec::new();
    let (mut missing, mut failed) = (0u64, 0u64);
    while let Some((name, result)) = results.next().await {
        match result {
            Ok(Fired::Planned(plan)) => {
                ctx.printer.request(&PutEventsRequest {
                    entries: vec![plan.entry.clone()],
                })?;
                if ctx.printer.format == OutputFormat::Text && !ctx.quiet {
                    let then = if plan.delete_after {
                        "then delete it"
                    } else {
                        "and keep it"
                    };
                    eprintln!("would fire {} {then}", plan.name);
                }
            }
            Ok(Fired::Done(o)) => {
                match ctx.printer.format {
                    OutputFormat::Ndjson => ctx.printer.json(&o)?,
                    OutputFormat::Text => ctx.printer.line(&text(&o, ctx.printer.color))?,
                    OutputFormat::Json => {}
                }
                fired.push(o);
            }
            Err(e) => {
                if single {
                    return Err(e);
                }
                if matches!(e, Error::NotFound { .. }) {
                    missing += 1;
                } else {
                    failed += 1;
                }
                eprintln!("{} {name}: {e}", paint("error:", Style::Red, ctx.color_err));
            }
        }
    }
    if ctx.printer.format == OutputFormat::Json && !args.dry_run {
        ctx.printer.json(&fired)?;
    }
    if ctx.printer.format == OutputFormat::Text && !ctx.quiet && !args.dry_run && !single {
        ctx.printer.line(&format!(
            "fired {} schedule{} from group {group}",
            fired.len(),
            if fired.len() == 1 { "" } else { "s" }
        ))?;
    }
    if failed > 0 {
        return Err(Error::Partial {
            failed: failed + missing,
            total: names.len() as u64,
            noun: "schedules",
        });
    }
    if missing > 0 {
        return Err(Error::NotFound {
            what: format!("{missing} of the named schedules do not exist in group `{group}`"),
            fix: "check the names with `cartctl list --all`".into(),
        });
    }
    Ok(())
}

enum Fired {
    Planned(Box<fire::FirePlan>),
    Done(FireOutcome),
}

fn text(o: &FireOutcome, color: bool) -> String {
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
