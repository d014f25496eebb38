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
pub mod progress;
pub mod text;

use std::io::{self, IsTerminal, Write};

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
    // Two spaces between columns, none before the first; trim_fmt drops the line ends' padding.
    for column in t.column_iter_mut() {
        column.set_padding((0, 2));
    }
    t.trim_fmt()
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
