//! What the long-running and provisioning commands answer: `tail`, `worker`, `setup`.

use serde::Serialize;
use serde_json::{Value, json};

use cartctl_aws::setup::Provisioned;
use cartctl_aws::tail::GcReport;
use cartctl_aws::worker::{Stopped, WorkerReport};

use super::{Note, Report, TextStyle, value};
use crate::render::text::{event_line, provision_line, provision_summary};

/// One event `tail` received: pretty JSON, one NDJSON line, or a line of text.
#[derive(Debug)]
pub struct TailedEvent<'a>(pub &'a Value);

impl Report for TailedEvent<'_> {
    fn document(&self) -> Value {
        self.0.clone()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        vec![event_line(self.0)]
    }
}

/// `tail --gc`: what was removed (what could not be is the command's to say, in every format).
impl Report for GcReport {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        let mut lines: Vec<String> = self
            .rules
            .iter()
            .map(|r| format!("removed rule {r}"))
            .chain(self.queues.iter().map(|q| format!("removed queue {q}")))
            .collect();
        if !style.quiet {
            lines.push(format!(
                "removed {} rules and {} queues left by tails",
                self.rules.len(),
                self.queues.len()
            ));
        }
        lines
    }
}

/// One message a worker handled: its result as an object keyed by the message, a line of
/// text, or (failed) an error on stderr with text. Each is made only in the format written.
pub struct Worked<'a, T> {
    /// The message's id.
    pub id: &'a str,
    /// What the handler returned, or its failure in one line.
    pub result: std::result::Result<&'a T, String>,
    /// The handled result as a line of text.
    pub line: &'a dyn Fn(&T) -> String,
}

impl<T: Serialize> Report for Worked<'_, T> {
    /// `{"message_id", …the result's fields}`, or with `status: failed` and `error`.
    fn document(&self) -> Value {
        let mut object = json!({"message_id": self.id});
        match &self.result {
            Ok(h) => {
                if let (Value::Object(o), Ok(Value::Object(fields))) =
                    (&mut object, serde_json::to_value(h))
                {
                    o.extend(fields);
                }
            }
            Err(error) => {
                object["status"] = json!("failed");
                object["error"] = json!(error);
            }
        }
        object
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        self.result.iter().map(|h| (self.line)(h)).collect()
    }

    fn notes(&self) -> Vec<Note> {
        match &self.result {
            Ok(_) => Vec::new(),
            Err(error) => vec![Note::Failed(format!(
                "message {}: {error} (left in the queue for a retry)",
                self.id
            ))],
        }
    }
}

/// A worker's last word, on stderr with text: what it handled and why it stopped.
#[derive(Debug)]
pub struct WorkerStopped<'a> {
    /// What it did.
    pub report: &'a WorkerReport,
    /// The signal that stopped it, by name.
    pub signal: Option<&'a str>,
}

impl Report for WorkerStopped<'_> {
    fn document(&self) -> Value {
        json!({"handled": self.report.handled, "failed": self.report.failed})
    }

    fn items(&self) -> Vec<Value> {
        Vec::new()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        Vec::new()
    }

    fn notes(&self) -> Vec<Note> {
        let r = self.report;
        let why = match (self.signal, r.stopped) {
            (Some(s), _) => format!("stopped by {s}"),
            (None, Stopped::MaxMessages) => "stopped after --max-messages".into(),
            (None, Stopped::Idle) => "stopped: the queue answered empty for --idle-timeout".into(),
            (None, Stopped::Told) => "stopped".into(),
        };
        let receives = match r.receive_failures {
            0 => String::new(),
            n => format!("; {n} receive(s) failed and were retried"),
        };
        vec![Note::Said(format!(
            "worker: {} handled, {} failed (left in the queue){receives}; {why}",
            r.handled, r.failed
        ))]
    }
}

/// One resource `setup` made, changed, kept or removed.
impl Report for Provisioned {
    fn document(&self) -> Value {
        value(self)
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        vec![provision_line(self, style.color)]
    }
}

/// `setup` at the end: the JSON document, or in text a summary and the config file to save
/// (each resource was written as it was done).
#[derive(Debug)]
pub struct SetUp<'a> {
    /// Every resource.
    pub done: &'a [Provisioned],
    /// The config file that uses them (`None` after `--teardown`).
    pub config: Option<&'a str>,
    /// Where the config file was written, if it was.
    pub written_to: Option<String>,
    /// `--dry-run`.
    pub dry_run: bool,
}

impl Report for SetUp<'_> {
    fn document(&self) -> Value {
        let mut out = json!({"resources": self.done});
        if let Some(config) = self.config {
            out["config"] = json!(config);
        }
        out
    }

    fn items(&self) -> Vec<Value> {
        Vec::new()
    }

    fn text(&self, style: TextStyle) -> Vec<String> {
        let mut lines = Vec::new();
        if !style.quiet {
            lines.push(provision_summary(self.done, self.dry_run));
        }
        if let Some(config) = self.config {
            let saved = match &self.written_to {
                Some(p) => format!("written to {p}"),
                None => "save as cartctl.toml, or pass --write-config".into(),
            };
            lines.push(format!("\n# cartctl.toml ({saved})\n{}", config.trim_end()));
        }
        lines
    }
}

/// `setup` failed midway: with JSON, what was done and the error (text and NDJSON showed
/// each resource as it was done; the error is the command's).
#[derive(Debug)]
pub struct SetupFailed<'a> {
    /// The resources done before the failure.
    pub done: &'a [Provisioned],
    /// The failure, in one line.
    pub error: String,
}

impl Report for SetupFailed<'_> {
    fn document(&self) -> Value {
        json!({"resources": self.done, "failed": {"error": self.error}})
    }

    fn items(&self) -> Vec<Value> {
        Vec::new()
    }

    fn text(&self, _: TextStyle) -> Vec<String> {
        Vec::new()
    }
}
