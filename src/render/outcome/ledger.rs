//! What the cart ledger answers: `forget`, `contacts`, `report`.

use serde_json::Value;

use cartctl_aws::contacts::ContactReport;
use cartctl_aws::ledger::Forgotten;
use cartctl_aws::report::Reported;

use super::{Report, TextStyle, value};

/// What `forget` erased of one customer, item by item.
#[derive(Debug)]
pub struct ForgetReport<'a> {
    /// The customer, as given.
    pub user: &'a str,
    /// Each item and what became of it.
    pub forgotten: &'a [Forgotten],
}

impl Report for ForgetReport<'_> {
    fn document(&self) -> Value {
        serde_json::json!({"user": self.user, "forgotten": self.forgotten})
    }

    fn items(&self) -> Vec<Value> {
        self.forgotten.iter().map(value).collect()
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        let mut lines: Vec<String> = self
            .forgotten
            .iter()
            .map(|f| {
                let error = f
                    .error
                    .as_deref()
                    .map_or(String::new(), |e| format!(": {e}"));
                format!("{:<12} {:<11} {}{error}", f.status, f.kind, f.name)
            })
            .collect();
        if lines.is_empty() && !style.quiet {
            lines.push(format!("nothing held of user `{}`", self.user));
        }
        lines
    }
}

/// What `contacts` found or set: one document in JSON and NDJSON, one line in text.
impl Report for ContactReport {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        let r = self;
        let choice = match (&r.chosen, r.unsubscribe_all, r.contact) {
            (_, true, _) => "unsubscribed from every topic".to_owned(),
            (Some(c), _, _) => format!("chose {c} for {}", r.topic),
            (None, _, true) => format!("made no choice for {}", r.topic),
            (None, _, false) => format!("not a contact of {}", r.contact_list),
        };
        let verdict = match &r.reason {
            None => "would be e-mailed".to_owned(),
            Some(why) => format!("would not be e-mailed: {why}"),
        };
        vec![format!("{}: {choice}; {verdict}", r.email)]
    }
}

/// The recovery report: one document in JSON and NDJSON; in text the funnel, the outcomes,
/// the stages, the verdict and what the read cost.
impl Report for Reported {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        report_lines(self)
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("-".into(), |r| format!("{:.1} %", r * 100.0))
}

/// The report as lines of text: the funnel, the outcomes, the stages, the verdict, the read.
fn report_lines(r: &Reported) -> Vec<String> {
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
