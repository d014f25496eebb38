//! `cartctl report [--since 30d]`: the recovery report from the cart ledger.

use std::path::Path;

use cartctl_aws::report::Reported;
use cartctl_aws::{Error, Result};
use cartctl_core::setting;

use super::Context;
use crate::cli::ReportArgs;
use crate::render::OutputFormat;

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
    if ctx.printer.format != OutputFormat::Text {
        return ctx.printer.json(&reported);
    }
    for line in text(&reported) {
        ctx.printer.line(&line)?;
    }
    Ok(())
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

fn percent(rate: Option<f64>) -> String {
    rate.map_or("-".into(), |r| format!("{:.1} %", r * 100.0))
}

/// The report as lines of text: the funnel, the outcomes, the stages, the verdict, the read.
fn text(r: &Reported) -> Vec<String> {
    let p = &r.report;
    let value = if p.recovered_value.is_empty() {
        "no value given".to_owned()
    } else {
        p.recovered_value
            .iter()
            .map(|a| format!("{} {}", a.amount, a.currency).trim().to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![
        format!("since {}", p.since),
        format!(
            "funnel      {} carts → {} reminded → {} e-mails → {} recovered",
            p.carts, p.carts_reminded, p.emails, p.recovered
        ),
        format!(
            "checkouts   {} ({} recovered, {} recovered held out, {} unreminded)",
            p.checkouts, p.recovered, p.recovered_held_out, p.converted_unreminded
        ),
        format!("value       {value}"),
        format!(
            "customers   {} e-mailed (recovery {}), {} held out (recovery {}; {} reminders)",
            p.customers_emailed,
            percent(p.recovery_rate),
            p.customers_held_out,
            percent(p.held_out_recovery_rate),
            p.held_out
        ),
    ];
    for s in &p.by_stage {
        lines.push(format!(
            "stage {:<5} {} e-mails, {} recovered ({})",
            s.stage,
            s.emails,
            s.recovered,
            percent(s.rate)
        ));
    }
    lines.push(p.verdict.clone());
    lines.push(format!(
        "read        {} items, {} pages, {:.1} read units, {:.2} s",
        r.read.items, r.read.pages, r.read.read_units, r.read.seconds
    ));
    lines
}
