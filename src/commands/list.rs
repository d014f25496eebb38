//! `cartctl list`: reminders with user, product and due time.

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};

use cartctl_aws::bulk::check_concurrency;
use cartctl_aws::{Error, Result};
use cartctl_core::limits;
use cartctl_core::reminder::query::{ReminderQuery, sort_rows};

use super::Context;
use crate::cli::ListArgs;
use crate::render::outcome::ReminderRows;

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
    if args.unsorted
        && let Some(mut stream) = ctx.printer.row_stream()?
    {
        // Each row is written as soon as it is read, nothing is kept.
        let mut rows = Box::pin(rows.take(args.limit.unwrap_or(usize::MAX)));
        while let Some(row) = rows.try_next().await? {
            stream.push(&row)?;
        }
        return stream.end();
    }

    let mut rows: Vec<_> = rows.try_collect().await?;
    if !args.unsorted {
        sort_rows(&mut rows);
    }
    if let Some(n) = args.limit {
        rows.truncate(n);
    }
    ctx.printer.report(&ReminderRows {
        rows: &rows,
        group: &query.group,
        include_foreign: query.include_foreign,
    })
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
