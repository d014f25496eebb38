//! Outcomes that render themselves ([`Report`]): each knows its JSON document, its NDJSON
//! items, its text lines and its notes on stderr, and [`Printer::report`] picks by the output
//! format, so a command hands its outcome over and never matches on the format itself. A
//! command that streams its items as they come hands each to [`Printer::item`] and the whole
//! (whose items were already written) to [`Printer::report`] at the end.

mod ledger;
mod reminders;
mod running;
mod system;

use serde::Serialize;
use serde_json::Value;

use cartctl_aws::Result;

pub use ledger::ForgetReport;

pub use reminders::{Deleted, Deletion, FireSummary, ReminderRows, WouldDelete};
pub use running::{SetUp, SetupFailed, TailedEvent, Worked, WorkerStopped};
pub use system::{ConfigReport, DeadLetters, DoctorReport, OfflineMatch, RuleMatches};

use super::{OutputFormat, Printer};

/// How text is written: whether `-q` was given and whether stdout is coloured.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    /// `-q`: leave out what only says there was nothing, and summaries.
    pub quiet: bool,
    /// Colour on stdout.
    pub color: bool,
}

/// A line on stderr beside the results, for people: written with text, and with NDJSON only
/// when the items leave it out ([`Report::notes_beside_items`]); a JSON document holds
/// everything itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Said unless `-q`: what was done beside the results, or that there were none.
    Said(String),
    /// Marked `note:`, unless `-q`.
    Remark(String),
    /// One item's failure, marked `error:`, even with `-q`.
    Failed(String),
}

/// An outcome in every output format.
pub trait Report {
    /// `-o json`: the whole outcome as one document.
    fn document(&self) -> Value;
    /// `-o ndjson`: one JSON line per item (an outcome that is one thing: its document).
    fn items(&self) -> Vec<Value> {
        vec![self.document()]
    }
    /// `-o text`: the lines.
    fn text(&self, style: TextStyle) -> Vec<String>;
    /// What goes on stderr beside the text.
    fn notes(&self) -> Vec<Note> {
        Vec::new()
    }
    /// Whether the notes go beside the NDJSON items too: when the items leave out what the
    /// notes say (a failure, messages left in place).
    fn notes_beside_items(&self) -> bool {
        false
    }
}

impl Printer {
    /// How this printer writes text.
    pub fn text_style(&self) -> TextStyle {
        TextStyle {
            quiet: self.quiet,
            color: self.color,
        }
    }

    /// Writes `outcome` in the chosen format.
    pub fn report(&self, outcome: &impl Report) -> Result<()> {
        match self.format {
            OutputFormat::Json => self.json(&outcome.document()),
            _ => self.item(outcome),
        }
    }

    /// Writes one item of an outcome as it comes: its text lines or its NDJSON lines, and its
    /// notes; nothing with JSON, whose document comes whole at the end.
    pub fn item(&self, item: &impl Report) -> Result<()> {
        match self.format {
            OutputFormat::Json => return Ok(()),
            OutputFormat::Ndjson => {
                item.items().iter().try_for_each(|i| self.json(i))?;
                if !item.notes_beside_items() {
                    return Ok(());
                }
            }
            OutputFormat::Text => item
                .text(self.text_style())
                .iter()
                .try_for_each(|l| self.line(l))?,
        }
        for note in item.notes() {
            match note {
                Note::Said(t) => self.note(&t),
                Note::Remark(t) => self.remark(&t),
                Note::Failed(t) => self.item_error(&t),
            }
        }
        Ok(())
    }

    /// Items written as they are read, when the format allows it (JSON and NDJSON; not
    /// text, whose tables align their rows): `None` with text.
    pub fn row_stream(&self) -> Result<Option<RowStream<'_>>> {
        match self.format {
            OutputFormat::Text => Ok(None),
            OutputFormat::Json => {
                self.line("[")?;
                Ok(Some(RowStream {
                    printer: self,
                    first: true,
                }))
            }
            OutputFormat::Ndjson => Ok(Some(RowStream {
                printer: self,
                first: true,
            })),
        }
    }
}

/// The items of a command that runs on: each written as it comes (text, NDJSON), or kept for
/// one JSON array at the end (JSON); nothing is kept otherwise.
#[derive(Debug)]
pub struct ItemLog<'a> {
    printer: &'a Printer,
    kept: Vec<Value>,
}

impl<'a> ItemLog<'a> {
    /// A log writing through `printer`.
    pub fn new(printer: &'a Printer) -> Self {
        ItemLog {
            printer,
            kept: Vec::new(),
        }
    }

    /// Writes `item`, or keeps it for the JSON array.
    pub fn push(&mut self, item: &impl Report) -> Result<()> {
        if self.printer.format == OutputFormat::Json {
            self.kept.push(item.document());
            return Ok(());
        }
        self.printer.item(item)
    }

    /// Writes the JSON array of every item (nothing in the other formats).
    pub fn end(self) -> Result<()> {
        if self.printer.format == OutputFormat::Json {
            return self.printer.json(&self.kept);
        }
        Ok(())
    }
}

/// Rows written as they come: one JSON array written piece by piece, or one NDJSON line each.
#[derive(Debug)]
pub struct RowStream<'a> {
    printer: &'a Printer,
    first: bool,
}

impl RowStream<'_> {
    /// Writes one row.
    pub fn push(&mut self, row: &impl Serialize) -> Result<()> {
        let p = self.printer;
        if p.format == OutputFormat::Json {
            let sep = if self.first { "" } else { "," };
            let text = serde_json::to_string_pretty(row).expect("rows serialize");
            p.line(&format!("{sep}{text}"))?;
        } else {
            p.json(row)?;
        }
        self.first = false;
        Ok(())
    }

    /// Closes the array (JSON).
    pub fn end(self) -> Result<()> {
        if self.printer.format == OutputFormat::Json {
            self.printer.line("]")?;
        }
        Ok(())
    }
}

/// An outcome's part as JSON.
fn value(v: impl Serialize) -> Value {
    serde_json::to_value(v).expect("outcomes always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartctl_aws::ledger::Forgotten;

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

    /// A handled message's result: `{"status": "sent", "id"}`.
    fn sent(id: &str) -> Value {
        serde_json::json!({"status": "sent", "id": id})
    }

    fn sent_line(v: &Value) -> String {
        format!("sent {}", v["id"].as_str().unwrap())
    }

    /// Message `id`, handled (`sent`), or failed as "slow".
    fn worked<'a>(id: &'a str, sent: Option<&'a Value>) -> Worked<'a, Value> {
        Worked {
            id,
            result: sent.ok_or_else(|| "slow".to_owned()),
            line: &sent_line,
        }
    }

    #[test]
    fn a_log_writes_items_as_they_come_or_keeps_them_for_one_json_array() {
        let (p, out, err) = Printer::captured(OutputFormat::Text);
        let mut log = ItemLog::new(&p);
        log.push(&worked("m-1", Some(&sent("m-1")))).unwrap();
        assert_eq!(
            String::from_utf8(out.lock().unwrap().clone()).unwrap(),
            "sent m-1\n"
        );
        log.push(&worked("m-2", None)).unwrap();
        log.end().unwrap();
        assert_eq!(
            String::from_utf8(err.lock().unwrap().clone()).unwrap(),
            "error: message m-2: slow (left in the queue for a retry)\n"
        );

        let (p, out, err) = Printer::captured(OutputFormat::Json);
        let mut log = ItemLog::new(&p);
        log.push(&worked("m-1", Some(&sent("m-1")))).unwrap();
        log.push(&worked("m-2", None)).unwrap();
        assert!(out.lock().unwrap().is_empty(), "nothing before the end");
        log.end().unwrap();
        let array: Value = serde_json::from_slice(&out.lock().unwrap()).unwrap();
        assert_eq!(array[0]["message_id"], "m-1");
        assert_eq!(array[0]["status"], "sent");
        assert_eq!(
            (array[1]["status"].as_str(), array[1]["error"].as_str()),
            (Some("failed"), Some("slow"))
        );
        assert!(
            err.lock().unwrap().is_empty(),
            "the array holds the failure"
        );
    }

    #[test]
    fn notes_go_beside_ndjson_items_only_when_the_items_leave_them_out() {
        // A worker's failure is in its NDJSON object: nothing on stderr.
        let (p, out, err) = Printer::captured(OutputFormat::Ndjson);
        p.item(&worked("m-2", None)).unwrap();
        assert!(!out.lock().unwrap().is_empty());
        assert!(err.lock().unwrap().is_empty());
        // A redrive's failures are not among its items: they go to stderr.
        let report = cartctl_aws::dlq::RedriveReport {
            failed: vec![cartctl_aws::dlq::NotRedriven {
                name: "cart-1".into(),
                error: "AccessDenied".into(),
            }],
            ..Default::default()
        };
        let (p, out, err) = Printer::captured(OutputFormat::Ndjson);
        p.report(&report).unwrap();
        assert!(out.lock().unwrap().is_empty());
        let err = String::from_utf8(err.lock().unwrap().clone()).unwrap();
        assert!(err.starts_with("error: cart-1: AccessDenied\n"), "{err}");
    }

    #[test]
    fn streamed_rows_make_one_json_array_or_one_line_each_and_text_does_not_stream() {
        let rows = [
            serde_json::json!({"name": "a"}),
            serde_json::json!({"name": "b"}),
        ];
        let (p, out, _) = Printer::captured(OutputFormat::Json);
        let mut s = p.row_stream().unwrap().expect("JSON streams");
        rows.iter().try_for_each(|r| s.push(r)).unwrap();
        s.end().unwrap();
        let array: Value = serde_json::from_slice(&out.lock().unwrap()).unwrap();
        assert_eq!(array, Value::Array(rows.to_vec()));
        let (p, out, _) = Printer::captured(OutputFormat::Ndjson);
        let mut s = p.row_stream().unwrap().expect("NDJSON streams");
        rows.iter().try_for_each(|r| s.push(r)).unwrap();
        s.end().unwrap();
        assert_eq!(
            String::from_utf8(out.lock().unwrap().clone()).unwrap(),
            "{\"name\":\"a\"}\n{\"name\":\"b\"}\n"
        );
        let (p, out, _) = Printer::captured(OutputFormat::Text);
        assert!(p.row_stream().unwrap().is_none());
        assert!(out.lock().unwrap().is_empty());
    }

    #[test]
    fn an_empty_dead_letter_queue_is_said_in_text_and_left_unsaid_beside_ndjson_items() {
        let empty = cartctl_aws::dlq::Listing::default();
        let listing = DeadLetters {
            listing: &empty,
            arn: "arn:aws:sqs:us-east-1:123456789012:dlq",
        };
        let (p, _, err) = Printer::captured(OutputFormat::Text);
        p.report(&listing).unwrap();
        let err = String::from_utf8(err.lock().unwrap().clone()).unwrap();
        assert_eq!(
            err,
            "no dead-letter events in arn:aws:sqs:us-east-1:123456789012:dlq\n"
        );
        let (p, out, err) = Printer::captured(OutputFormat::Ndjson);
        p.report(&listing).unwrap();
        assert!(out.lock().unwrap().is_empty() && err.lock().unwrap().is_empty());
        // A message that is not a dead-letter event is not among the items: it is said.
        let foreign = cartctl_aws::dlq::Listing {
            foreign: vec![cartctl_aws::dlq::ForeignMessage {
                message_id: "m-1".into(),
                body: "hello".into(),
            }],
            ..Default::default()
        };
        let (p, _, err) = Printer::captured(OutputFormat::Ndjson);
        p.report(&DeadLetters {
            listing: &foreign,
            arn: "q",
        })
        .unwrap();
        let err = String::from_utf8(err.lock().unwrap().clone()).unwrap();
        assert!(
            err.contains("1 message(s) are not Scheduler dead-letter events"),
            "{err}"
        );
    }
}
