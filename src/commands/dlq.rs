//! `cartctl dlq list | redrive | purge`: the reminders' dead-letter queue.

use cartctl_aws::dlq::{Listing, RedriveReport, RedriveRequest};
use cartctl_aws::{Error, Result};

use super::Context;
use crate::cli::{DlqArgs, DlqCommand, DlqQueueArg};
use crate::render::outcome::DeadLetters;

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
    ctx.printer.report(&DeadLetters { listing, arn })
}

fn show_redrive(ctx: &Context, report: &RedriveReport) -> Result<()> {
    ctx.printer.report(report)?;
    if !report.failed.is_empty() {
        return Err(Error::Partial {
            failed: report.failed.len() as u64,
            total: (report.failed.len() + report.redriven.len()) as u64,
            noun: "reminders to redrive",
        });
    }
    Ok(())
}
