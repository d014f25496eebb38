//! Output: the format (`text`, `json`, `ndjson`), the colour decision (made once, from the
//! terminal, `NO_COLOR` and `TERM`), and a printer for stdout that reports a closed pipe as
//! an [`Error::Io`] of kind `BrokenPipe` (which the binary turns into a quiet exit 0).
//!
//! The format never depends on whether stdout is a terminal; only colour does.

use std::io::{self, IsTerminal, Write};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::due::humanize_from;
use crate::error::{Error, Result};
use crate::schedule::{ScheduleOutcome, ScheduleStatus};

/// How results are written on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    /// The accepted spellings.
    pub const VALUES: [&'static str; 3] = ["text", "json", "ndjson"];
}

impl FromStr for OutputFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "text" => Ok(OutputFormat::Text),
            "json" => Ok(OutputFormat::Json),
            "ndjson" => Ok(OutputFormat::Ndjson),
            _ => Err(Error::invalid(
                "--output",
                format!("`{s}` is not a format"),
                "use text, json or ndjson (flag -o, or CARTCTL_OUTPUT)",
            )),
        }
    }
}

/// `--color auto|always|never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    /// The accepted spellings.
    pub const VALUES: [&'static str; 3] = ["auto", "always", "never"];

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

impl FromStr for ColorChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(ColorChoice::Auto),
            "always" => Ok(ColorChoice::Always),
            "never" => Ok(ColorChoice::Never),
            _ => Err(Error::invalid(
                "--color",
                format!("`{s}` is not a choice"),
                "use auto, always or never",
            )),
        }
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

/// Writes results on stdout in the chosen format.
#[derive(Debug)]
pub struct Printer {
    /// The format.
    pub format: OutputFormat,
    /// Whether text output is coloured.
    pub color: bool,
}

fn io_err(e: io::Error) -> Error {
    Error::Io {
        context: "writing to stdout".into(),
        source: e,
    }
}

impl Printer {
    /// A printer for `format`, colouring text when `color`.
    pub fn new(format: OutputFormat, color: bool) -> Self {
        Printer { format, color }
    }

    /// Writes a line of text and flushes.
    pub fn line(&self, text: &str) -> Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{text}")
            .and_then(|_| out.flush())
            .map_err(io_err)
    }

    /// Writes bytes as they are (a completion script, a man page) and flushes.
    pub fn write_raw(&self, bytes: &[u8]) -> Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(io_err)
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
    // The preset pads every cell with a space on both sides: drop the outer ones.
    t.to_string()
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of text for a schedule outcome:
/// `created   cart-…  alice  sku-1  due 2026-11-30T07:56:52Z (in 1d)`.
pub fn schedule_line(o: &ScheduleOutcome, now: DateTime<Utc>, color: bool) -> String {
    let style = match o.status {
        ScheduleStatus::Created => Style::Green,
        ScheduleStatus::Unchanged => Style::Dim,
        ScheduleStatus::Skipped => Style::Yellow,
        ScheduleStatus::Replaced => Style::Cyan,
    };
    let when = DateTime::parse_from_rfc3339(&o.due)
        .map(|d| humanize_from(d.with_timezone(&Utc), now))
        .unwrap_or_default();
    format!(
        "{} {} (group {}) for user {:?}, product {:?}: due {} ({when}), {} {}",
        paint(&format!("{:<9}", o.status.as_str()), style, color),
        paint(&o.name, Style::Bold, color),
        o.group,
        o.user,
        o.product,
        o.due,
        o.schedule_expression,
        o.timezone,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn formats_parse() {
        assert_eq!(
            "ndjson".parse::<OutputFormat>().unwrap(),
            OutputFormat::Ndjson
        );
        let e = "yaml".parse::<OutputFormat>().unwrap_err();
        assert!(e.to_string().starts_with("invalid --output"), "{e}");
        assert!("sometimes".parse::<ColorChoice>().is_err());
    }

    #[test]
    fn paint_only_when_colouring() {
        assert_eq!(paint("x", Style::Red, false), "x");
        assert_eq!(paint("x", Style::Red, true), "\x1b[31mx\x1b[0m");
    }
}
