//! What `schedule --file` and `put-event --file` show: a progress bar on a terminal, and each
//! line's outcome as it comes (ndjson lines, a streamed JSON array, or failures on stderr and a
//! summary for text); and the requests of a bulk `--dry-run`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use cartctl_aws::bulk::{BulkSummary, LineOutcome};
use cartctl_aws::{Error, Result};

use super::text::bulk_summary;
use super::{OutputFormat, Printer, Style, paint};

/// How to show progress through an input: its size, if known, and the bytes read so far.
#[derive(Debug, Clone)]
pub struct InputProgress {
    /// The input's size in bytes (none for stdin).
    pub size: Option<u64>,
    /// Bytes read so far.
    pub read: Arc<AtomicU64>,
}

/// Renders line outcomes as they come, and the summary at the end.
pub struct Reporter<'a> {
    out: &'a Printer,
    bar: Option<ProgressBar>,
    bytes_read: Arc<AtomicU64>,
    summary: BulkSummary,
    wrote_json_item: bool,
    stdout_error: Option<Error>,
}

impl<'a> Reporter<'a> {
    /// A reporter for `input`; shows a progress bar only for text output on a terminal.
    pub fn new(out: &'a Printer, input: &InputProgress) -> Self {
        let show_bar =
            out.format == OutputFormat::Text && !out.quiet && std::io::stderr().is_terminal();
        let bar = show_bar.then(|| {
            let bar = match input.size {
                Some(len) => ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
                    .with_style(
                        ProgressStyle::with_template(
                            "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg}",
                        )
                        .expect("a valid template"),
                    ),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                    .with_style(
                        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                            .expect("a valid template"),
                    ),
            };
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let mut r = Reporter {
            out,
            bar,
            bytes_read: input.read.clone(),
            summary: BulkSummary::default(),
            wrote_json_item: false,
            stdout_error: None,
        };
        if out.format == OutputFormat::Json {
            r.write("[");
        }
        r
    }

    fn write(&mut self, text: &str) {
        if self.stdout_error.is_some() {
            return;
        }
        let result = match &self.bar {
            Some(bar) => bar.suspend(|| self.out.line(text)),
            None => self.out.line(text),
        };
        if let Err(e) = result {
            self.stdout_error = Some(e);
        }
    }

    fn warn(&self, text: &str) {
        let line = format!("{} {text}", paint("error:", Style::Red, self.out.color_err));
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Reports one line; `status` names a success in the summary.
    pub fn line<T: Serialize>(&mut self, outcome: &LineOutcome<T>, status: &str) {
        self.summary.count(outcome, status);
        match self.out.format {
            OutputFormat::Ndjson => {
                let v = outcome.to_json(status);
                self.write(&v.to_string());
            }
            OutputFormat::Json => {
                let v = outcome.to_json(status);
                let sep = if self.wrote_json_item { "," } else { "" };
                self.wrote_json_item = true;
                let text = format!("{sep}{}", serde_json::to_string_pretty(&v).expect("json"));
                self.write(&text);
            }
            OutputFormat::Text => {}
        }
        if let Err(f) = &outcome.result
            && self.out.format == OutputFormat::Text
        {
            self.warn(&format!("line {}: {}", outcome.line, f.error));
        }
        if let Some(bar) = &self.bar {
            if bar.length().is_some() {
                bar.set_position(self.bytes_read.load(Ordering::Relaxed));
            }
            let secs = bar.elapsed().as_secs_f64().max(0.001);
            let rate = self.summary.lines as f64 / secs;
            bar.set_message(format!(
                "{} ({rate:.0} lines/s)",
                bulk_summary(&self.summary)
            ));
        }
    }

    /// Counts an event that may have been put twice.
    pub fn maybe_duplicated(&mut self) {
        self.summary.maybe_duplicated += 1;
    }

    /// Ends the report: closes the JSON array or prints the summary; exit code 3 if any line
    /// failed.
    pub fn finish(mut self) -> Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        match self.out.format {
            OutputFormat::Json => self.write("]"),
            OutputFormat::Text if !self.out.quiet => {
                let text = bulk_summary(&self.summary);
                self.write(&text);
            }
            _ => {}
        }
        if let Some(e) = self.stdout_error.take() {
            // A closed pipe ends output quietly; the work itself was done.
            if !e.is_broken_pipe() {
                return Err(e);
            }
        }
        self.summary.into_result().map(|_| ())
    }
}

/// Prints the requests of a bulk `--dry-run` (pretty JSON one after another, a JSON array, or
/// one a line), and invalid lines on stderr. Invalid lines make it exit 2: nothing was sent.
pub struct RequestPrinter<'a> {
    out: &'a Printer,
    lines: u64,
    invalid: u64,
    wrote: bool,
    error: Option<Error>,
}

impl<'a> RequestPrinter<'a> {
    pub fn new(out: &'a Printer) -> Self {
        let mut p = RequestPrinter {
            out,
            lines: 0,
            invalid: 0,
            wrote: false,
            error: None,
        };
        if out.format == OutputFormat::Json {
            p.write("[".into());
        }
        p
    }

    fn write(&mut self, text: String) {
        if self.error.is_none()
            && let Err(e) = self.out.line(&text)
        {
            self.error = Some(e);
        }
    }

    /// Prints one request.
    pub fn request<T: Serialize>(&mut self, request: &T) {
        let text = match self.out.format {
            OutputFormat::Ndjson => serde_json::to_string(request),
            _ => serde_json::to_string_pretty(request),
        }
        .expect("requests serialize");
        let sep = if self.wrote && self.out.format == OutputFormat::Json {
            ","
        } else {
            ""
        };
        self.wrote = true;
        self.write(format!("{sep}{text}"));
    }

    /// Reports an invalid line.
    pub fn invalid<T>(&mut self, outcome: &LineOutcome<T>) {
        if let Err(f) = &outcome.result {
            self.invalid += 1;
            eprintln!(
                "{} line {}: {}",
                paint("error:", Style::Red, self.out.color_err),
                outcome.line,
                f.error
            );
        }
    }

    /// Prints a line's request, or reports it invalid.
    pub fn outcome<T: Serialize>(&mut self, outcome: LineOutcome<T>) {
        self.lines += 1;
        match &outcome.result {
            Ok(req) => self.request(req),
            Err(_) => self.invalid(&outcome),
        }
    }

    /// Counts a line that went into a request printed later (PutEvents batches).
    pub fn count_line(&mut self) {
        self.lines += 1;
    }

    pub fn finish(mut self) -> Result<()> {
        if self.out.format == OutputFormat::Json {
            self.write("]".into());
        }
        if let Some(e) = self.error.take()
            && !e.is_broken_pipe()
        {
            return Err(e);
        }
        if self.invalid > 0 {
            return Err(Error::invalid(
                "--file",
                format!(
                    "{} of {} lines are invalid (each is reported above)",
                    self.invalid, self.lines
                ),
                "fix those lines; nothing was sent",
            ));
        }
        Ok(())
    }
}
