//! Outcomes that render themselves ([`Report`]): each knows its JSON document, its NDJSON
//! items and its text lines, and [`Printer::report`] picks by the output format, so a command
//! hands its outcome over and never matches on the format itself.

use serde::Serialize;
use serde_json::Value;

use cartctl_aws::Result;
use cartctl_aws::contacts::ContactReport;
use cartctl_aws::ledger::Forgotten;
use cartctl_aws::report::Reported;

use super::{OutputFormat, Printer};

/// An outcome in every output format.
pub trait Report {
    /// `-o json`: the whole outcome as one document.
    fn document(&self) -> Value;
    /// `-o ndjson`: one JSON line per item (an outcome that is one thing: its document).
    fn items(&self) -> Vec<Value> {
        vec![self.document()]
    }
    /// `-o text`: the lines; `quiet` leaves out what only says there was nothing.
    fn text(&self, quiet: bool) -> Vec<String>;
}

impl Printer {
    /// Writes `outcome` in the chosen format.
    pub fn report(&self, outcome: &impl Report) -> Result<()> {
        match self.format {
            OutputFormat::Json => self.json(&outcome.document()),
            OutputFormat::Ndjson => outcome.items().iter().try_for_each(|i| self.json(i)),
            OutputFormat::Text => outcome
                .text(self.quiet)
                .iter()
                .try_for_each(|l| self.line(l)),
        }
    }
}

fn value(v: impl Serialize) -> Value {
    serde_json::to_value(v).expect("outcomes always serialize")
}

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

    fn text(&self, quiet: bool) -> Vec<String> {
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
        if lines.is_empty() && !quiet {
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

    fn text(&self, _quiet: bool) -> Vec<String> {
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

    fn text(&self, _quiet: bool) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(format: OutputFormat, quiet: bool, outcome: &impl Report) -> String {
        let (mut p, out, _) = Printer::captured(format);
        p.quiet = quiet;
        p.report(outcome).unwrap();
        let bytes = out.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn an_outcome_is_written_in_the_format_asked_for() {
        let forgotten = [
            Forgotten {
                kind: "ledger-item",
                name: "cart#sku-1".into(),
                status: "deleted",
                error: None,
            },
            Forgotten {
                kind: "reminder",
                name: "cart-1".into(),
                status: "failed",
                error: Some("AccessDenied".into()),
            },
        ];
        let r = ForgetReport {
            user: "alice",
            forgotten: &forgotten,
        };
        assert_eq!(
            written(OutputFormat::Text, false, &r),
            "deleted      ledger-item cart#sku-1\nfailed       reminder    cart-1: AccessDenied\n"
        );
        let json: Value = serde_json::from_str(&written(OutputFormat::Json, false, &r)).unwrap();
        assert_eq!(json["user"], "alice");
        assert_eq!(json["forgotten"][1]["error"], "AccessDenied");
        let lines = written(OutputFormat::Ndjson, false, &r);
        let lines: Vec<Value> = lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["status"], "deleted");
        assert!(lines[0].get("error").is_none());
    }

    #[test]
    fn nothing_to_say_is_said_in_text_unless_quiet() {
        let r = ForgetReport {
            user: "bo",
            forgotten: &[],
        };
        assert_eq!(
            written(OutputFormat::Text, false, &r),
            "nothing held of user `bo`\n"
        );
        assert_eq!(written(OutputFormat::Text, true, &r), "");
        assert_eq!(written(OutputFormat::Ndjson, false, &r), "");
    }
}
