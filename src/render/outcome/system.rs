//! What the commands about the set-up answer: `config`, `doctor`, `stats`, `match`, `dlq`.

use serde_json::{Map, Value, json};

use cartctl_aws::dlq::{Listing, RedriveReport};
use cartctl_aws::doctor::Check;
use cartctl_aws::r#match::{ENVELOPE_FIELDS, RuleMatch};
use cartctl_aws::stats::Stats;

use super::{Note, Report, TextStyle, value};
use crate::render::plain_table;
use crate::render::text::{check_line, dead_letter_table, redrive_summary, rule_match_line};
use crate::settings::Resolved;

/// `config`: each setting's value and where it came from, and the file read.
#[derive(Debug)]
pub struct ConfigReport {
    /// The settings, in the table's order.
    pub rows: Vec<(&'static str, Resolved)>,
    /// The configuration file read, if any.
    pub file: Option<String>,
}

impl Report for ConfigReport {
    fn document(&self) -> Value {
        let settings: Map<String, Value> = self
            .rows
            .iter()
            .map(|(name, r)| ((*name).to_owned(), value(r)))
            .collect();
        json!({ "config_file": self.file, "settings": settings })
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        let cells = self.rows.iter().map(|(name, r)| {
            vec![
                name.to_string(),
                r.value.clone().unwrap_or_else(|| "-".into()),
                r.origin.to_string(),
            ]
        });
        let mut lines = vec![plain_table(&["SETTING", "VALUE", "FROM"], cells)];
        if !style.quiet {
            lines.push(match &self.file {
                Some(f) => format!("config file: {f}"),
                None => {
                    "config file: none (cartctl.toml here, or $XDG_CONFIG_HOME/cartctl/config.toml)"
                        .into()
                }
            });
        }
        lines
    }
}

/// One check of `doctor`, written as it is made.
impl Report for Check {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        vec![check_line(self, style.color)]
    }
}

/// `doctor`'s whole answer, at the end: the checks were written one by one as they were made,
/// so only the JSON document is left to write.
#[derive(Debug)]
pub struct DoctorReport<'a> {
    /// Every check made.
    pub checks: &'a [Check],
    /// Whether none failed.
    pub ok: bool,
}

impl Report for DoctorReport<'_> {
    fn document(&self) -> Value {
        json!({"ok": self.ok, "checks": self.checks})
    }

    fn items(&self) -> Vec<Value> {
        Vec::new()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        Vec::new()
    }
}

/// `stats`: the metrics, a table in text, and the verdict.
impl Report for Stats {
    fn document(&self) -> Value {
        value(self)
    }

    fn items(&self) -> Vec<Value> {
        self.metrics.iter().map(value).collect()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        let rows = self.metrics.iter().map(|m| {
            let dims: Vec<&str> = m.dimensions.values().map(String::as_str).collect();
            let metric = match dims.is_empty() {
                true => m.metric.to_owned(),
                false => format!("{} ({})", m.metric, dims.join(", ")),
            };
            vec![m.namespace.to_owned(), metric, format!("{}", m.sum)]
        });
        vec![
            plain_table(&["NAMESPACE", "METRIC", "SUM"], rows),
            format!(
                "{} to {} (group {}, rule {}): {}",
                self.since, self.until, self.group, self.rule, self.verdict
            ),
            recovery_line(self),
        ]
    }
}

/// The recovery rate in words.
fn recovery_line(stats: &Stats) -> String {
    let (recovered, sent) = (stats.recovered(), stats.emails_sent());
    match stats.recovery_rate {
        Some(rate) => format!(
            "recovery: {recovered} checkouts recovered after {sent} reminder e-mails sent ({:.1} %); `cartctl report` counts per customer, from the ledger",
            rate * 100.0
        ),
        None => "recovery: no reminder e-mail sent in the window (the functions' and workers' metrics, namespace cartctl)".into(),
    }
}

/// `match --pattern`: whether the event matches, offline.
#[derive(Debug)]
pub struct OfflineMatch {
    /// Whether it matches.
    pub matches: bool,
}

impl Report for OfflineMatch {
    fn document(&self) -> Value {
        json!({"matches": self.matches})
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        vec![if self.matches { "match" } else { "no match" }.to_owned()]
    }
}

/// `match --bus`: each rule of the bus and whether the event matches it.
#[derive(Debug)]
pub struct RuleMatches<'a> {
    /// The bus.
    pub bus: &'a str,
    /// Whether an enabled rule matches.
    pub matched: bool,
    /// Every rule.
    pub rules: &'a [RuleMatch],
    /// Whether the event has the envelope TestEventPattern needs.
    pub envelope: bool,
}

impl Report for RuleMatches<'_> {
    fn document(&self) -> Value {
        json!({"bus": self.bus, "matches": self.matched, "rules": self.rules})
    }

    fn items(&self) -> Vec<Value> {
        self.rules.iter().map(value).collect()
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        self.rules
            .iter()
            .map(|r| rule_match_line(r, style.color))
            .collect()
    }

    fn notes(&self) -> Vec<Note> {
        let mut notes = Vec::new();
        if !self.envelope {
            notes.push(Note::Remark(format!(
                "not confirmed with TestEventPattern: the event lacks {}",
                ENVELOPE_FIELDS.join(", ")
            )));
        }
        if self.rules.is_empty() {
            notes.push(Note::Said(format!("no rules on bus {}", self.bus)));
        }
        notes
    }
}

/// `dlq list`: the dead-letter events of one queue.
#[derive(Debug)]
pub struct DeadLetters<'a> {
    /// What was read.
    pub listing: &'a Listing,
    /// The queue.
    pub arn: &'a str,
}

impl Report for DeadLetters<'_> {
    fn document(&self) -> Value {
        value(self.listing)
    }

    fn items(&self) -> Vec<Value> {
        self.listing.events.iter().map(value).collect()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        if self.listing.events.is_empty() {
            return Vec::new();
        }
        vec![dead_letter_table(&self.listing.events)]
    }

    fn notes(&self) -> Vec<Note> {
        let mut notes = Vec::new();
        if self.listing.events.is_empty() {
            notes.push(Note::Said(format!("no dead-letter events in {}", self.arn)));
        }
        if !self.listing.foreign.is_empty() {
            notes.push(Note::Remark(format!(
                "{} message(s) are not Scheduler dead-letter events; left in place",
                self.listing.foreign.len()
            )));
        }
        notes
    }

    /// The items leave out the messages that are not dead-letter events.
    fn notes_beside_items(&self) -> bool {
        !self.listing.foreign.is_empty()
    }
}

/// `dlq redrive`: each reminder put back on its bus, each failure, and a summary.
impl Report for RedriveReport {
    fn document(&self) -> Value {
        value(self)
    }

    fn items(&self) -> Vec<Value> {
        self.redriven.iter().map(value).collect()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        self.redriven
            .iter()
            .map(|r| {
                format!(
                    "redriven {} (user {:?}, product {:?}): event {} on {}",
                    r.name,
                    r.user.as_deref().unwrap_or("-"),
                    r.product.as_deref().unwrap_or("-"),
                    r.event_id,
                    r.bus
                )
            })
            .collect()
    }

    fn notes(&self) -> Vec<Note> {
        let mut notes: Vec<Note> = self
            .failed
            .iter()
            .map(|f| Note::Failed(format!("{}: {}", f.name, f.error)))
            .collect();
        notes.push(Note::Said(redrive_summary(self)));
        notes
    }

    fn notes_beside_items(&self) -> bool {
        true
    }
}
