//! `report --html FILE`: one self-contained page (nothing fetched from the network): the
//! report's figures, the funnel, and recoveries by day and by stage as inline SVG charts drawn
//! with plotters' SVG backend (its text left to the browser's fonts, so no font is bundled).

use plotters::prelude::*;

use cartctl_aws::report::Reported;
use cartctl_core::recovery::Report;

const BAR: RGBColor = RGBColor(0x2b, 0x6c, 0xb0);

/// A bar chart of `(label, value)` bars under `title`, as an SVG element.
fn bar_chart(title: &str, bars: &[(String, u64)]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = u32::try_from(bars.len().max(1)).unwrap_or(u32::MAX);
        let top = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            // A segmented range of 0..k has k + 1 segments: one per bar.
            .build_cartesian_2d(
                (0u32..n.saturating_sub(1).max(1)).into_segmented(),
                0u64..top + top / 10 + 1,
            )
            .map_err(|e| e.to_string())?;
        let label = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) => bars
                .get(*i as usize)
                .map(|b| b.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len().max(1))
            .x_label_formatter(&label)
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(BAR.filled())
                    .margin(18)
                    .data(bars.iter().enumerate().map(|(i, b)| (i as u32, b.1))),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    // Inline in HTML: no XML declaration.
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_owned(),
        None => svg,
    })
}

/// Text made safe inside HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("–".into(), |r| format!("{:.1} %", r * 100.0))
}

/// The three charts: the funnel, recoveries by day, recoveries by stage.
fn charts(p: &Report) -> Result<[String; 3], String> {
    let funnel = bar_chart(
        "Funnel",
        &[
            ("carts".into(), p.carts),
            ("reminded".into(), p.carts_reminded),
            ("e-mailed".into(), p.emails),
            ("recovered".into(), p.recovered),
        ],
    )?;
    let days: Vec<(String, u64)> = p
        .by_day
        .iter()
        .map(|d| (d.day.clone(), d.recovered))
        .collect();
    let by_day = bar_chart("Checkouts recovered by day (UTC)", &days)?;
    let stages: Vec<(String, u64)> = p
        .by_stage
        .iter()
        .map(|s| {
            (
                format!("stage {} ({} e-mails)", s.stage, s.emails),
                s.recovered,
            )
        })
        .collect();
    let by_stage = bar_chart("Checkouts recovered by the stage that went last", &stages)?;
    Ok([funnel, by_day, by_stage])
}

/// The figures as the rows of a table.
fn figures(p: &Report) -> String {
    let value = p
        .recovered_value
        .iter()
        .map(|a| format!("{} {}", a.amount, a.currency).trim().to_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let rows = [
        ("Carts added", p.carts.to_string()),
        ("Carts reminded", p.carts_reminded.to_string()),
        ("Reminder e-mails", p.emails.to_string()),
        ("Reminders held out", p.held_out.to_string()),
        ("Checkouts", p.checkouts.to_string()),
        ("Recovered", p.recovered.to_string()),
        ("Recovered, held out", p.recovered_held_out.to_string()),
        ("Converted unreminded", p.converted_unreminded.to_string()),
        (
            "Recovered value",
            if value.is_empty() {
                "–".into()
            } else {
                value
            },
        ),
        (
            "Recovery rate (e-mailed customers)",
            format!("{} of {}", percent(p.recovery_rate), p.customers_emailed),
        ),
        (
            "Recovery rate (held-out customers)",
            format!(
                "{} of {}",
                percent(p.held_out_recovery_rate),
                p.customers_held_out
            ),
        ),
    ];
    rows.iter()
        .map(|(k, v)| format!("<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v)))
        .collect()
}

/// The page.
pub fn page(r: &Reported) -> Result<String, String> {
    let p = &r.report;
    let [funnel, by_day, by_stage] = charts(p)?;
    let table = figures(p);
    Ok(format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cartctl report</title>
<style>
body {{ font-family: sans-serif; margin: 2em auto; max-width: 760px; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th {{ text-align: left; font-weight: normal; padding: 0.2em 1.5em 0.2em 0; }}
td {{ text-align: right; font-variant-numeric: tabular-nums; }}
.verdict {{ font-size: 1.1em; border-left: 4px solid #2b6cb0; padding-left: 0.8em; }}
.read {{ color: #666; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Cart reminders: does it pay?</h1>
<p>Since {since}.</p>
<section id="funnel">{funnel}</section>
<table id="figures">{table}</table>
<p class="verdict" id="verdict">{verdict}</p>
<section id="by-day">{by_day}</section>
<section id="by-stage">{by_stage}</section>
<p class="read">Read {items} ledger items in {pages} pages: {units:.1} read units, {seconds:.2} s.</p>
</body>
</html>
"#,
        since = escape(&p.since),
        verdict = escape(&p.verdict),
        items = r.read.items,
        pages = r.read.pages,
        units = r.read.read_units,
        seconds = r.read.seconds,
    ))
}
