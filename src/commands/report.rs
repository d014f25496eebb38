//! `cartctl report [--since 30d]`: the recovery report from the cart ledger.

use std::path::Path;

use cartctl_aws::{Error, Result};
use cartctl_core::setting;

use super::Context;
use crate::cli::ReportArgs;

pub async fn run(args: ReportArgs, ctx: &Context) -> Result<()> {
    let window = cartctl_core::due::parse_duration("--since", &args.since)?;
    let table = cartctl_core::consumer::ledger_table(
        ctx.value(&setting::LEDGER_TABLE, args.ledger_table.as_deref()),
    )?;
    if let Some(path) = &args.html {
        check_writable(path)?;
    }
    let since = chrono::Utc::now() - chrono::Duration::from_std(window).unwrap_or_default();
    let reported = ctx
        .session
        .report(&table, since, args.page_size.map(i32::from))
        .await?;
    if let Some(path) = &args.html {
        let page = crate::render::html::page(&reported).map_err(|e| {
            Error::invalid("--html", format!("the charts could not be drawn: {e}"), "")
        })?;
        std::fs::write(path, page).map_err(|source| Error::Io {
            context: format!("writing {}", path.display()),
            source,
        })?;
        ctx.printer.note(&format!("wrote {}", path.display()));
    }
    ctx.printer.report(&reported)
}

/// `--html`'s file can be written: checked before any request (a file made to check is
/// removed again).
fn check_writable(path: &Path) -> Result<()> {
    let existed = path.exists();
    match std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
    {
        Ok(_) => {
            if !existed {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        }
        Err(e) => Err(Error::invalid(
            "--html",
            format!("{} cannot be written: {e}", path.display()),
            "give a file in a directory that exists and that you may write to",
        )),
    }
}
