//! `cartctl delete`: by name, a user's reminders, or every reminder of the group.

use futures::TryStreamExt;

use cartctl_aws::bulk::check_concurrency;
use cartctl_aws::delete::DeleteReport;
use cartctl_aws::{Error, Result};
use cartctl_core::limits;
use cartctl_core::reminder::query::ReminderQuery;

use super::{Context, open_input};
use crate::cli::{BulkArgs, DeleteArgs};
use crate::render::outcome::{Deleted, Deletion, WouldDelete};
use crate::render::progress::Reporter;

pub async fn run(args: DeleteArgs, ctx: &Context) -> Result<()> {
    let group = &ctx.group(&args.group);
    limits::check_name("--group", group)?;
    for name in &args.names {
        limits::check_name("NAME", name)?;
    }
    limits::check_optional_ids(args.user.as_deref(), args.product.as_deref())?;
    let concurrency = check_concurrency(args.concurrency)?;
    if args.file.is_some() {
        return run_file(&args, ctx, group, concurrency).await;
    }
    if !args.names.is_empty() && args.filters.any() {
        return Err(Error::invalid(
            "--due-before/--due-after/--overdue/--state",
            "filter --user or --all, not schedules given by name",
            "drop the names and pass --user U or --all with the filter",
        ));
    }
    let (due_before, due_after) = super::due_bounds(&args.filters, chrono::Utc::now())?;
    // A misspelt group is "not found" (exit 4), not an empty group.
    ctx.session.check_group(group).await?;

    let query = ReminderQuery {
        group: group.to_owned(),
        user: args.user.clone(),
        product: args.product.clone(),
        due_before,
        due_after,
        state: args.filters.state.map(Into::into),
        include_foreign: false,
    };
    let names = names_to_delete(&args, ctx, &query, concurrency).await?;
    if args.dry_run {
        return print_plan(ctx, &names, group);
    }
    if names.is_empty() {
        return report(ctx, &DeleteReport::default(), group);
    }
    if names.len() > 1 && !args.yes {
        confirm(ctx, names.len(), group).await?;
    }
    let mut stdout_error = None;
    let deleting = ctx
        .session
        .delete(group, names, concurrency, |name, result| {
            if stdout_error.is_none()
                && let Err(e) = ctx.printer.item(&Deletion { name, result })
            {
                stdout_error = Some(e);
            }
        });
    let report_ = deleting.await?;
    if let Some(e) = stdout_error {
        return Err(e);
    }
    report(ctx, &report_, group)?;
    report_
        .into_result(group, args.missing_ok)
        .map_err(|e| match e {
            Error::NotFound { .. } => {
                e.with_fix("check the names with `cartctl list --all`, or pass --missing-ok")
            }
            e => e,
        })
}

/// `--file`: what each line names, deleted line by line as the file is read.
async fn run_file(args: &DeleteArgs, ctx: &Context, group: &str, concurrency: usize) -> Result<()> {
    if args.filters.any() {
        return Err(Error::invalid(
            "--due-before/--due-after/--overdue/--state",
            "filter --user or --all, not the lines of --file",
            "drop the filter, or delete with --user U or --all and the filter",
        ));
    }
    if !args.yes && !args.dry_run {
        return Err(Error::invalid(
            "--yes",
            "is required with --file (a file can name any number of reminders)",
            "pass --yes, or --dry-run to see what would be deleted",
        ));
    }
    let bulk = BulkArgs {
        file: args.file.clone(),
        format: args.format,
        concurrency: Some(concurrency),
        fixed: false,
    };
    let (input, concurrency) = open_input(&bulk, concurrency, ctx)?;
    // A missing group fails before any output starts.
    ctx.session.check_group(group).await?;
    let mut reporter = Reporter::new(&ctx.printer, &input.progress);
    let deleting = ctx
        .session
        .delete_lines(input.lines, group, args.dry_run, concurrency, |o| {
            let status = o.result.as_ref().map(|d| d.status).unwrap_or("failed");
            reporter.line(&o, status)
        });
    deleting.await?;
    reporter.finish()
}

/// The names the flags select, sorted: the given ones, or the group's (or a user's) cartctl
/// reminders — a foreign schedule is never deleted by --user or --all.
async fn names_to_delete(
    args: &DeleteArgs,
    ctx: &Context,
    query: &ReminderQuery,
    concurrency: usize,
) -> Result<Vec<String>> {
    if !args.names.is_empty() {
        let mut names = args.names.clone();
        names.sort();
        names.dedup();
        return Ok(names);
    }
    let rows = ctx.session.reminders(query, concurrency).await?;
    let mut names: Vec<String> = rows.map_ok(|r| r.name).try_collect().await?;
    names.sort();
    Ok(names)
}

/// `--dry-run`: what would be deleted.
fn print_plan(ctx: &Context, names: &[String], group: &str) -> Result<()> {
    ctx.printer.report(&WouldDelete { names, group })
}

fn report(ctx: &Context, report: &DeleteReport, group: &str) -> Result<()> {
    ctx.printer.report(&Deleted { report, group })
}

/// Asks on a terminal; refuses without one.
async fn confirm(_ctx: &Context, count: usize, group: &str) -> Result<()> {
    crate::render::prompt::confirm(
        &format!("Delete {count} schedules from group `{group}`?"),
        &format!("refusing to delete {count} schedules from group `{group}` without confirmation"),
        "nothing was deleted",
    )
    .await
}
