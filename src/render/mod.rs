//! Rendering, all of it in the binary: the format (`text`, `json`, `ndjson`), the colour
//! decision (made once, from the terminal, `NO_COLOR` and `TERM`), a printer for stdout that
//! reports a closed pipe as an [`Error::Io`] of kind `BrokenPipe` (which `main` turns into a
//! quiet exit 0), text lines and tables ([`text`]), and bulk progress and summaries
//! ([`progress`]). The library returns data and never prints.
//!
//! The format never depends on whether stdout is a terminal; only colour does.

pub mod emf;
pub mod error;
pub mod html;
pub mod outcome;
pub mod progress;
pub mod prompt;
pub mod text;

use std::io::{self, IsTerminal, Write};
#[cfg(test)]
use std::sync::{Arc, Mutex};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use cartctl_aws::{Error, Result};

/// How results are written on stdout (`--output`, `CARTCTL_OUTPUT`, `output` in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// For people.
    #[default]
    Text,
    /// One JSON document.
    Json,
    /// One JSON object a line.
    Ndjson,
}

impl OutputFormat {
    /// The spelling of the format (`text`, `json`, `ndjson`), as `--output` takes it.
    pub fn name(self) -> String {
        let value = self.to_possible_value().expect("no format is skipped");
        value.get_name().to_owned()
    }
}

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Decides whether to colour a stream that `is_terminal` or not, given the environment.
    pub fn decide(self, is_terminal: bool, no_color: Option<&str>, term: Option<&str>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && no_color.is_none_or(str::is_empty) && term != Some("dumb")
            }
        }
    }

    /// Decides for stdout and stderr from the real environment.
    pub fn decide_for_streams(self) -> (bool, bool) {
        let no_color = std::env::var("NO_COLOR").ok();
        let term = std::env::var("TERM").ok();
        (
            self.decide(
                io::stdout().is_terminal(),
                no_color.as_deref(),
                term.as_deref(),
            ),
            self.decide(
                io::stderr().is_terminal(),
                no_color.as_deref(),
                term.as_deref(),
            ),
        )
    }
}

/// ANSI styles used in text output.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// Success.
    Green,
    /// Attention.
    Yellow,
    /// Failure.
    Red,
    /// Less important.
    Dim,
    /// Emphasis.
    Bold,
    /// A change.
    Cyan,
}

/// Wraps `text` in `style` when `color` is on.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    let code = match style {
        Style::Green => "32",
        Style::Yellow => "33",
        Style::Red => "31",
        Style::Dim => "2",
        Style::Bold => "1",
        Style::Cyan => "36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// What a captured stream holds.
#[cfg(test)]
pub type Buffer = Arc<Mutex<Vec<u8>>>;

/// Where a printer writes: the process's stdout and stderr, or two buffers (a test reads
/// what a command wrote, in-process).
#[derive(Debug, Clone, Default)]
pub enum Streams {
    /// stdout and stderr.
    #[default]
    Std,
    /// Two buffers: (stdout, stderr).
    #[cfg(test)]
    Captured(Buffer, Buffer),
}

/// The command's output: results on stdout in the chosen format, and on stderr the notes
/// (which `-q` silences), warnings and per-item errors (which it does not). Commands write
/// through it only.
#[derive(Debug)]
pub struct Printer {
    /// The format.
    pub format: OutputFormat,
    /// Whether text output is coloured.
    pub color: bool,
    /// Whether stderr is coloured.
    pub color_err: bool,
    /// `-q`: no notes, summaries or progress.
    pub quiet: bool,
    /// Where it writes.
    pub streams: Streams,
}

fn io_err(e: io::Error) -> Error {
    Error::Io {
        context: "writing to stdout".into(),
        source: e,
    }
}

impl Printer {
    /// A printer for `format` on stdout and stderr, colouring text when `color`.
    pub fn new(format: OutputFormat, color: bool) -> Self {
        Printer {
            format,
            color,
            color_err: false,
            quiet: false,
            streams: Streams::Std,
        }
    }

    /// A printer writing into two buffers, without colour: (printer, stdout, stderr).
    #[cfg(test)]
    pub fn captured(format: OutputFormat) -> (Self, Buffer, Buffer) {
        let (out, err) = (Arc::default(), Arc::default());
        let mut p = Printer::new(format, false);
        p.streams = Streams::Captured(Arc::clone(&out), Arc::clone(&err));
        (p, out, err)
    }

    /// Writes `bytes` on stdout and flushes.
    fn out(&self, bytes: &[u8]) -> io::Result<()> {
        match &self.streams {
            Streams::Std => {
                let mut out = io::stdout().lock();
                out.write_all(bytes).and_then(|_| out.flush())
            }
            #[cfg(test)]
            Streams::Captured(out, _) => {
                out.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// Writes one line on stderr (a closed stderr is not worth failing a command for).
    pub fn err_line(&self, text: &str) {
        match &self.streams {
            Streams::Std => {
                let _ = writeln!(io::stderr().lock(), "{text}");
            }
            #[cfg(test)]
            Streams::Captured(_, err) => {
                let mut err = err.lock().unwrap_or_else(|e| e.into_inner());
                let _ = writeln!(err, "{text}");
            }
        }
    }

    /// A note on stderr, unless `-q`: what was done beside the results, or that there were none.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            self.err_line(text);
        }
    }

    /// A note marked `note:`, unless `-q`: something the user may want to know.
    pub fn remark(&self, text: &str) {
        if !self.quiet {
            self.err_line(&format!(
                "{} {text}",
                paint("note:", Style::Yellow, self.color_err)
            ));
        }
    }

    /// A warning, marked `warning:`, even with `-q`.
    pub fn warn(&self, text: &str) {
        self.err_line(&format!(
            "{} {text}",
            paint("warning:", Style::Yellow, self.color_err)
        ));
    }

    /// One item's failure, marked `error:`, even with `-q` (the command goes on, and its exit
    /// code says some failed).
    pub fn item_error(&self, text: &str) {
        self.err_line(&format!(
            "{} {text}",
            paint("error:", Style::Red, self.color_err)
        ));
    }

    /// Writes a line of text and flushes.
    pub fn line(&self, text: &str) -> Result<()> {
        self.out(format!("{text}\n").as_bytes()).map_err(io_err)
    }

    /// Writes bytes as they are (a completion script, a man page) and flushes.
    pub fn write_raw(&self, bytes: &[u8]) -> Result<()> {
        self.out(bytes).map_err(io_err)
    }

    /// Writes a value as pretty JSON (`json`) or as one compact line (`ndjson`, `text`).
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = if self.format == OutputFormat::Json {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .expect("output values always serialize");
        self.line(&text)
    }

    /// Writes a request for `--dry-run`: pretty JSON, or one line with `ndjson`.
    pub fn request<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = if self.format == OutputFormat::Ndjson {
            serde_json::to_string(value)
        } else {
            serde_json::to_string_pretty(value)
        }
        .expect("requests always serialize");
        self.line(&text)
    }
}

/// A plain text table: a header row, then the rows, columns aligned and separated by spaces,
/// with no borders and no padding at the line ends.
pub fn plain_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for row in rows {
        t.add_row(row);
    }
    // Two spaces between columns, none before the first; trim_fmt drops the line ends' padding.
    for column in t.column_iter_mut() {
        column.set_padding((0, 2));
    }
    t.trim_fmt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(buf: &Buffer) -> String {
        String::from_utf8(buf.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn results_go_to_stdout_notes_to_stderr_and_quiet_silences_only_the_notes() {
        for quiet in [false, true] {
            let (mut p, out, err) = Printer::captured(OutputFormat::Text);
            p.quiet = quiet;
            p.line("created alice").unwrap();
            p.note("wrote report.html");
            p.remark("left in place");
            p.warn("could not remove rule r");
            p.item_error("alice: refused");
            assert_eq!(text(&out), "created alice\n");
            let notes = "wrote report.html\nnote: left in place\n";
            let always = "warning: could not remove rule r\nerror: alice: refused\n";
            let expected = if quiet {
                always.to_owned()
            } else {
                format!("{notes}{always}")
            };
            assert_eq!(text(&err), expected, "quiet {quiet}");
        }
    }

    #[test]
    fn json_is_pretty_one_line_with_ndjson() {
        let (p, out, _) = Printer::captured(OutputFormat::Json);
        p.json(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(text(&out), "{\n  \"a\": 1\n}\n");
        let (p, out, _) = Printer::captured(OutputFormat::Ndjson);
        p.json(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(text(&out), "{\"a\":1}\n");
    }

    #[test]
    fn color_is_decided_by_terminal_no_color_and_term() {
        let auto = ColorChoice::Auto;
        assert!(auto.decide(true, None, Some("xterm")));
        assert!(auto.decide(true, Some(""), None));
        assert!(!auto.decide(false, None, Some("xterm")));
        assert!(!auto.decide(true, Some("1"), Some("xterm")));
        assert!(!auto.decide(true, None, Some("dumb")));
        assert!(ColorChoice::Always.decide(false, Some("1"), Some("dumb")));
        assert!(!ColorChoice::Never.decide(true, None, None));
    }

    #[test]
    fn plain_tables_align_columns_two_spaces_apart_without_padding_at_the_ends() {
        let t = plain_table(
            &["NAME", "N"],
            [
                vec!["a".into(), "1".into()],
                vec!["long-name".into(), "22".into()],
            ],
        );
        assert_eq!(t, "NAME       N\na          1\nlong-name  22");
    }

    #[test]
    fn paint_only_when_colouring() {
        assert_eq!(paint("x", Style::Red, false), "x");
        assert_eq!(paint("x", Style::Red, true), "\x1b[31mx\x1b[0m");
    }
}
