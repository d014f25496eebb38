//! `cartctl list`: reminders with user, product and due time.

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};

use cartctl_aws::bulk::check_concurrency;
use cartctl_aws::{Error, Result};
use cartctl_core::limits;
use cartctl_core::reminder::query::{ReminderQuery, sort_rows};

use super::Context;
use crate::cli::ListArgs;
use crate::render::OutputFormat;
use crate::render::text::reminder_table;

pub async fn run(args: ListArgs, ctx: &Context) -> Result<()> {
    let now = Utc::now();
    let query = query(&args, ctx, now)?;
    let concurrency = check_concurrency(args.concurrency)?;
    if args.limit == Some(0) {
        return Err(Error::invalid(
            "--limit",
            "must be at least 1",
            "give a positive number of rows",
        ));
    }
    // A misspelt group is "not found" (exit 4), not an empty group.
    let rows = ctx.session.reminders(&query, concurrency).await?;
    let format = ctx.printer.format;

    if args.unsorted && format != OutputFormat::Text {
        // Stream: each row is printed as soon as it is read, nothing is kept.
        let mut rows = Box::pin(rows.take(args.limit.unwrap_or(usize::MAX)));
        let json = format == OutputFormat::Json;
        if json {
            ctx.printer.line("[")?;
        }
        let mut first = true;
        while let Some(row) = rows.try_next().await? {
            if json {
                let sep = if first { "" } else { "," };
                let text = serde_json::to_string_pretty(&row).expect("rows serialize");
                ctx.printer.line(&format!("{sep}{text}"))?;
            } else {
                ctx.printer.json(&row)?;
            }
            first = false;
        }
        if json {
            ctx.printer.line("]")?;
        }
        return Ok(());
    }

    let mut rows: Vec<_> = rows.try_collect().await?;
    if !args.unsorted {
        sort_rows(&mut rows);
    }
    if let Some(n) = args.limit {
        rows.truncate(n);
    }
    match format {
        OutputFormat::Json => ctx.printer.json(&rows),
        OutputFormat::Ndjson => rows.iter().try_for_each(|r| ctx.printer.json(r)),
        OutputFormat::Text if rows.is_empty() => {
            let what = if query.include_foreign {
                "schedules"
            } else {
                "reminders"
            };
            ctx.printer
                .note(&format!("no {what} found in group `{}`", query.group));
            Ok(())
        }
        OutputFormat::Text => ctx.printer.line(&reminder_table(&rows, Utc::now())),
    }
}

/// The query the flags describe, checked.
fn query(args: &ListArgs, ctx: &Context, now: chrono::DateTime<Utc>) -> Result<ReminderQuery> {
    let group = ctx.group(&args.group);
    limits::check_name("--group", &group)?;
    limits::check_optional_ids(args.user.as_deref(), args.product.as_deref())?;
    let (due_before, due_after) = super::due_bounds(&args.filters, now)?;
    Ok(ReminderQuery {
        group,
        user: args.user.clone(),
        product: args.product.clone(),
        due_before,
        due_after,
        state: args.filters.state.map(Into::into),
        include_foreign: args.all,
    })
}
