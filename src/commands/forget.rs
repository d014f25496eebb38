//! `cartctl forget --user U`: erase what the system holds of a customer, item by item.

use cartctl_aws::ledger::{Forgotten, Ledger};
use cartctl_aws::{Error, Result};
use cartctl_core::setting;

use super::Context;
use crate::cli::ForgetArgs;
use crate::render::OutputFormat;

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
    show(ctx, &args, &done)?;
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

fn show(ctx: &Context, args: &ForgetArgs, done: &[Forgotten]) -> Result<()> {
    match ctx.printer.format {
        OutputFormat::Json => ctx
            .printer
            .json(&serde_json::json!({"user": args.user, "forgotten": done})),
        OutputFormat::Ndjson => done.iter().try_for_each(|f| ctx.printer.json(f)),
        OutputFormat::Text => {
            for f in done {
                let error = f
                    .error
                    .as_deref()
                    .map_or(String::new(), |e| format!(": {e}"));
                ctx.printer.line(&format!(
                    "{:<12} {:<11} {}{error}",
                    f.status, f.kind, f.name
                ))?;
            }
            if done.is_empty() && !ctx.printer.quiet {
                ctx.printer
                    .line(&format!("nothing held of user `{}`", args.user))?;
            }
            Ok(())
        }
    }
}
