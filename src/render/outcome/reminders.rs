//! What the commands about reminders answer: `schedule`, `list`, `delete`, `fire`, `put-event`.

use chrono::Utc;
use serde_json::{Value, json};

use cartctl_aws::delete::{DeleteReport, DeleteResult};
use cartctl_aws::fire::{FireOutcome, FirePlan};
use cartctl_aws::put_event::EventOutcome;
use cartctl_aws::schedule::ScheduleOutcome;
use cartctl_core::reminder::query::ReminderRow;
use cartctl_core::shapes::PutEventsRequest;

use super::{Note, Report, TextStyle, value};
use crate::render::text::{delete_summary, fire_line, reminder_table, schedule_line, sent_line};

/// One schedule made (or found, skipped, replaced).
impl Report for ScheduleOutcome {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        vec![schedule_line(self, Utc::now(), style.color)]
    }
}

/// One event put on a bus.
impl Report for EventOutcome {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        vec![sent_line(self, style.color)]
    }
}

/// `list`, sorted: the rows, a table in text.
#[derive(Debug)]
pub struct ReminderRows<'a> {
    /// The rows.
    pub rows: &'a [ReminderRow],
    /// The group read.
    pub group: &'a str,
    /// `--all`: every schedule, not only cartctl's reminders.
    pub include_foreign: bool,
}

impl Report for ReminderRows<'_> {
    fn document(&self) -> Value {
        value(self.rows)
    }

    fn items(&self) -> Vec<Value> {
        self.rows.iter().map(value).collect()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        if self.rows.is_empty() {
            return Vec::new();
        }
        vec![reminder_table(self.rows, Utc::now())]
    }

    fn notes(&self) -> Vec<Note> {
        if !self.rows.is_empty() {
            return Vec::new();
        }
        let what = if self.include_foreign {
            "schedules"
        } else {
            "reminders"
        };
        vec![Note::Said(format!(
            "no {what} found in group `{}`",
            self.group
        ))]
    }
}

/// `delete --dry-run`: what would be deleted.
#[derive(Debug)]
pub struct WouldDelete<'a> {
    /// The schedules.
    pub names: &'a [String],
    /// Their group.
    pub group: &'a str,
}

impl Report for WouldDelete<'_> {
    fn document(&self) -> Value {
        json!({ "would_delete": self.names })
    }

    fn items(&self) -> Vec<Value> {
        self.names
            .iter()
            .map(|n| json!({"name": n, "status": "would_delete"}))
            .collect()
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        let mut lines: Vec<String> = self
            .names
            .iter()
            .map(|n| format!("would delete {n}"))
            .collect();
        if !style.quiet {
            lines.push(format!(
                "{} schedule{} would be deleted from group {}",
                self.names.len(),
                if self.names.len() == 1 { "" } else { "s" },
                self.group
            ));
        }
        lines
    }
}

/// One schedule deleted (or missing, or failed), as it happens: a line with NDJSON; text
/// waits for the summary.
#[derive(Debug)]
pub struct Deletion<'a> {
    /// The schedule.
    pub name: &'a str,
    /// What became of it.
    pub result: &'a DeleteResult,
}

impl Report for Deletion<'_> {
    fn document(&self) -> Value {
        let (status, error) = match self.result {
            DeleteResult::Deleted => ("deleted", None),
            DeleteResult::Missing => ("missing", None),
            DeleteResult::Failed(e) => ("failed", Some(e.one_line())),
        };
        let mut v = json!({"name": self.name, "status": status});
        if let Some(e) = error {
            v["error"] = json!(e);
        }
        v
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        Vec::new()
    }
}

/// `delete` at the end: the JSON document, or in text each failure and a summary (NDJSON's
/// lines were written one by one).
#[derive(Debug)]
pub struct Deleted<'a> {
    /// What was deleted, missing or failed.
    pub report: &'a DeleteReport,
    /// The group.
    pub group: &'a str,
}

impl Report for Deleted<'_> {
    fn document(&self) -> Value {
        value(self.report)
    }

    fn items(&self) -> Vec<Value> {
        Vec::new()
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        if style.quiet {
            return Vec::new();
        }
        vec![delete_summary(self.report, self.group)]
    }

    fn notes(&self) -> Vec<Note> {
        self.report
            .failed
            .iter()
            .map(|f| Note::Failed(format!("{}: {}", f.name, f.error)))
            .collect()
    }
}

/// One schedule fired.
impl Report for FireOutcome {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        vec![fire_line(self, style.color)]
    }
}

/// `fire --dry-run`: the request one schedule would make, and what would become of it.
impl Report for FirePlan {
    fn document(&self) -> Value {
        value(PutEventsRequest {
            entries: vec![self.entry.clone()],
        })
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        vec![serde_json::to_string_pretty(&self.document()).expect("requests serialize")]
    }

    fn notes(&self) -> Vec<Note> {
        let then = if self.delete_after {
            "then delete it"
        } else {
            "and keep it"
        };
        vec![Note::Said(format!("would fire {} {then}", self.name))]
    }
}

/// `fire` at the end: the JSON array of what was fired (each was written as it was), or in
/// text a count when more than one was named.
#[derive(Debug)]
pub struct FireSummary<'a> {
    /// What was fired.
    pub fired: &'a [FireOutcome],
    /// Their group.
    pub group: &'a str,
    /// Whether one schedule was named (its line says it all).
    pub single: bool,
}

impl Report for FireSummary<'_> {
    fn document(&self) -> Value {
        value(self.fired)
    }

    fn items(&self) -> Vec<Value> {
        Vec::new()
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        if style.quiet || self.single {
            return Vec::new();
        }
        vec![format!(
            "fired {} schedule{} from group {}",
            self.fired.len(),
            if self.fired.len() == 1 { "" } else { "s" },
            self.group
        )]
    }
}
