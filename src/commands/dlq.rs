//! `cartctl dlq list | redrive | purge`: the reminders' dead-letter queue.

use cartctl_aws::dlq::{Listing, RedriveReport, RedriveRequest};
use cartctl_aws::{Error, Result};

use super::Context;
use crate::cli::{DlqArgs, DlqCommand, DlqQueueArg};
use crate::render::OutputFormat;
use crate::render::text::{dead_letter_table, redrive_summary};

pub async fn run(args: DlqArgs, ctx: &Context) -> Result<()> {
    match args.command {
        DlqCommand::List(a) => {
            let arn = dlq_arn(&a.queue, ctx)?;
            check_limit(a.limit)?;
            let listing = ctx.session.dlq_list(&arn, a.limit).await?;
            show_listing(ctx, &listing, &arn)
        }
        DlqCommand::Redrive(a) => {
            let dlq_arn = dlq_arn(&a.queue, ctx)?;
            check_limit(a.limit)?;
            if let Some(user) = &a.user {
                cartctl_core::limits::check_id("--user", user)?;
            }
            if let Some(bus) = &a.bus {
                cartctl_core::bus::BusRef::parse_target("--bus", bus)?;
            }
            let (source, detail_type) = ctx.shape(&a.shape);
            let req = RedriveRequest {
                dlq_arn,
                user: a.user,
                limit: a.limit,
                bus: a.bus,
                source,
                detail_type,
            };
            let report = ctx.session.dlq_redrive(&req).await?;
            show_redrive(ctx, &report)
        }
        DlqCommand::Purge(a) => {
            let arn = dlq_arn(&a.queue, ctx)?;
            if !a.yes {
                return Err(Error::invalid(
                    "--yes",
                    "is required: purge deletes every message of the queue",
                    "pass --yes, or redrive the reminders first with `cartctl dlq redrive`",
                ));
            }
            ctx.session.dlq_purge(&arn).await?;
            ctx.printer.note(&format!("purged {arn}"));
            Ok(())
        }
    }
}

/// `--dlq-arn` (or `CARTCTL_DLQ_ARN`, or `dlq_arn` in the config), checked.
fn dlq_arn(arg: &DlqQueueArg, ctx: &Context) -> Result<String> {
    let arn = ctx
        .value(&cartctl_core::setting::DLQ_ARN, arg.dlq_arn.as_deref())
        .ok_or_else(|| {
            Error::invalid(
                "--dlq-arn",
                "is required: which dead-letter queue?",
                "pass --dlq-arn, set CARTCTL_DLQ_ARN, or run `cartctl setup --write-config`",
            )
        })?;
    cartctl_core::arn::check_sqs_arn("--dlq-arn", &arn)?;
    Ok(arn)
}

fn check_limit(limit: Option<usize>) -> Result<()> {
    if limit == Some(0) {
        return Err(Error::invalid(
            "--limit",
            "must be at least 1",
            "give a positive number of messages",
        ));
    }
    Ok(())
}

fn show_listing(ctx: &Context, listing: &Listing, arn: &str) -> Result<()> {
    match ctx.printer.format {
        OutputFormat::Json => ctx.printer.json(listing)?,
        OutputFormat::Ndjson => {
            for e in &listing.events {
                ctx.printer.json(e)?;
            }
        }
        OutputFormat::Text if listing.events.is_empty() => {
            ctx.printer.note(&format!("no dead-letter events in {arn}"));
        }
        OutputFormat::Text => ctx.printer.line(&dead_letter_table(&listing.events))?,
    }
    if !listing.foreign.is_empty() && ctx.printer.format != OutputFormat::Json {
        ctx.printer.remark(&format!(
            "{} message(s) are not Scheduler dead-letter events; left in place",
            listing.foreign.len()
        ));
    }
    Ok(())
}

fn show_redrive(ctx: &Context, report: &RedriveReport) -> Result<()> {
    match ctx.printer.format {
        OutputFormat::Json => ctx.printer.json(report)?,
        OutputFormat::Ndjson => {
            for r in &report.redriven {
                ctx.printer.json(r)?;
            }
        }
        OutputFormat::Text => {
            for r in &report.redriven {
                ctx.printer.line(&format!(
                    "redriven {} (user {:?}, product {:?}): event {} on {}",
                    r.name,
                    r.user.as_deref().unwrap_or("-"),
                    r.product.as_deref().unwrap_or("-"),
                    r.event_id,
                    r.bus
                ))?;
            }
        }
    }
    if ctx.printer.format != OutputFormat::Json {
        for f in &report.failed {
            ctx.printer.item_error(&format!("{}: {}", f.name, f.error));
        }
        ctx.printer.note(&redrive_summary(report));
    }
    if !report.failed.is_empty() {
        return Err(Error::Partial {
            failed: report.failed.len() as u64,
            total: (report.failed.len() + report.redriven.len()) as u64,
            noun: "reminders to redrive",
        });
    }
    Ok(())
}
