//! `cartctl doctor`: one line per check of the configured set-up, exit 1 if any failed.

use cartctl_aws::doctor::{Check, DoctorRequest, Status};
use cartctl_aws::{Error, Result};
use cartctl_core::bus::BusRef;

use super::Context;
use crate::cli::DoctorArgs;
use crate::render::outcome::DoctorReport;

pub async fn run(args: DoctorArgs, ctx: &Context) -> Result<()> {
    let req = request(&args, ctx)?;
    let mut stdout_error = None;
    let show = |c: &Check| {
        if let Err(e) = ctx.printer.item(c) {
            stdout_error.get_or_insert(e);
        }
    };
    let checks = ctx.session.doctor(&req, show).await?;
    if let Some(e) = stdout_error {
        return Err(e);
    }
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count() as u64;
    ctx.printer.report(&DoctorReport {
        checks: &checks,
        ok: failed == 0,
    })?;
    if failed > 0 {
        return Err(Error::ChecksFailed {
            failed,
            total: checks.len() as u64,
        });
    }
    Ok(())
}

/// The settings to check, from the flags and the configuration, checked as `schedule` checks
/// them.
fn request(args: &DoctorArgs, ctx: &Context) -> Result<DoctorRequest> {
    let bus = BusRef::parse_target("--bus", &ctx.bus(&args.bus))?
        .name()
        .to_owned();
    let group = ctx.group(&args.group);
    cartctl_core::limits::check_name("--group", &group)?;
    let role_arn = ctx.value(
        &cartctl_core::setting::SCHEDULER_ROLE_ARN,
        args.role_arn.as_deref(),
    );
    if let Some(arn) = &role_arn {
        cartctl_core::arn::check_role_arn("--role-arn", arn)?;
    }
    let dlq_arn = ctx.value(&cartctl_core::setting::DLQ_ARN, args.dlq_arn.as_deref());
    if let Some(arn) = &dlq_arn {
        cartctl_core::arn::check_any_sqs_arn("--dlq-arn", arn)?;
    }
    let (source, detail_type) = ctx.shape(&args.shape);
    let mail_from = ctx
        .value(&cartctl_core::setting::MAIL_FROM, args.mail_from.as_deref())
        .map(|m| cartctl_core::mail::Sender::parse("--mail-from", &m))
        .transpose()?;
    Ok(DoctorRequest {
        bus,
        group,
        role_arn,
        dlq_arn,
        source,
        detail_type,
        mail_from,
        api_url: ctx.value(&cartctl_core::setting::API_URL, None),
        ledger_table: ctx.value(&cartctl_core::setting::LEDGER_TABLE, None),
        carts_queue: ctx.value(&cartctl_core::setting::CARTS_QUEUE, None),
        email_queue: ctx.value(&cartctl_core::setting::EMAIL_QUEUE, None),
        // Checked only as far as it reads: doctor reports what is missing.
        lists: cartctl_core::mail::MailLists::resolve(&|s| ctx.value(s, None)).ok(),
    })
}
