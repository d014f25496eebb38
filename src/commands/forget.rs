//! `cartctl forget --user U`: erase what the system holds of a customer, item by item.

use cartctl_aws::ledger::Ledger;
use cartctl_aws::{Error, Result};
use cartctl_core::setting;

use super::Context;
use crate::cli::ForgetArgs;
use crate::render::outcome::ForgetReport;

pub async fn run(args: ForgetArgs, ctx: &Context) -> Result<()> {
    cartctl_core::limits::check_id("--user", &args.user)?;
    let group = ctx.group(&args.group);
    cartctl_core::limits::check_name("--group", &group)?;
    let table = cartctl_core::consumer::ledger_table(
        ctx.value(&setting::LEDGER_TABLE, args.ledger_table.as_deref()),
    )?;
    if !args.yes && !args.dry_run {
        crate::render::prompt::confirm(
            &format!("Erase everything held of user `{}`?", args.user),
            &format!(
                "refusing to erase user `{}` without confirmation",
                args.user
            ),
            "nothing was erased",
        )
        .await?;
    }
    let ledger = Ledger::new(table, std::time::Duration::ZERO);
    let done = ctx
        .session
        .forget(&ledger, &group, &args.user, args.dry_run)
        .await?;
    ctx.printer.report(&ForgetReport {
        user: &args.user,
        forgotten: &done,
    })?;
    let failed = done.iter().filter(|f| f.status == "failed").count() as u64;
    if failed > 0 {
        return Err(Error::Partial {
            failed,
            total: done.len() as u64,
            noun: "items",
        });
    }
    Ok(())
}
