//! Reading bulk input: NDJSON or CSV lines from a file or stdin, one
//! [`RawLine`](cartctl_core::lines::RawLine) at a time (parsed by [`cartctl_core::lines`]).
//!
//! Lines are read on a thread of their own and handed over through a bounded channel, so a
//! file of any length is streamed with bounded memory, and a slow stdin is processed as it
//! arrives. A line that cannot be parsed is passed on as an error carrying its line number; the
//! other lines go on.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use cartctl_core::error::{Error, Result};
use cartctl_core::lines::{NumberedLine, csv_columns, csv_line, parse_ndjson_line};

/// How the lines of a bulk file are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object a line.
    Ndjson,
    /// A header row, then one row a record.
    Csv,
}

impl InputFormat {
    /// The format given, else the file's extension's; stdin needs it given.
    pub fn resolve(explicit: Option<InputFormat>, source: &InputSource) -> Result<InputFormat> {
        if let Some(f) = explicit {
            return Ok(f);
        }
        let fix = "give the format: ndjson or csv";
        match source {
            InputSource::Stdin => Err(Error::invalid(
                "format",
                "is required when the file is read from stdin",
                fix,
            )),
            InputSource::Path(p) => {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase);
                match ext.as_deref() {
                    Some("ndjson" | "jsonl" | "json") => Ok(InputFormat::Ndjson),
                    Some("csv") => Ok(InputFormat::Csv),
                    _ => Err(Error::invalid(
                        "format",
                        format!(
                            "cannot tell the format of `{}` from its extension",
                            p.display()
                        ),
                        fix,
                    )),
                }
            }
        }
    }
}

/// Where bulk input comes from: `--file PATH` or `--file -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// Standard input.
    Stdin,
    /// A file.
    Path(PathBuf),
}

impl InputSource {
    /// `-` is stdin; anything else is a path.
    pub fn parse(value: &str) -> InputSource {
        if value == "-" {
            InputSource::Stdin
        } else {
            InputSource::Path(PathBuf::from(value))
        }
    }

    /// The file's size in bytes, if it is a regular file (for a progress bar).
    pub fn size_bytes(&self) -> Option<u64> {
        match self {
            InputSource::Stdin => None,
            InputSource::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }

    fn open(&self) -> Result<Box<dyn Read + Send>> {
        match self {
            InputSource::Stdin => Ok(Box::new(io::stdin())),
            InputSource::Path(p) => File::open(p)
                .map(|f| Box::new(f) as Box<dyn Read + Send>)
                .map_err(|e| open_error(p, e)),
        }
    }
}

fn open_error(p: &Path, e: io::Error) -> Error {
    Error::invalid(
        "file",
        format!("cannot read `{}`: {e}", p.display()),
        "give a readable file, or - for stdin",
    )
}

/// How many input lines may wait between the reader and the senders.
const CHANNEL_CAPACITY: usize = 256;

/// Starts reading `source` on a thread; lines arrive on the returned channel in order.
///
/// Opening the file and reading a CSV header happen before this returns, so a missing file or
/// a bad header is an error at once. `bytes_read` counts the bytes consumed so far.
pub fn read_lines(
    source: &InputSource,
    format: InputFormat,
    bytes_read: Arc<AtomicU64>,
) -> Result<mpsc::Receiver<NumberedLine>> {
    let reader = BufReader::with_capacity(
        64 * 1024,
        CountingReader {
            inner: source.open()?,
            count: bytes_read,
        },
    );
    let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
    match format {
        InputFormat::Ndjson => {
            std::thread::spawn(move || read_ndjson(reader, tx));
        }
        InputFormat::Csv => {
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(false)
                .trim(csv::Trim::All)
                .from_reader(reader);
            let headers = csv
                .headers()
                .map_err(|e| {
                    Error::invalid(
                        "file",
                        format!("cannot read the CSV header: {e}"),
                        "the first row must name the columns",
                    )
                })?
                .clone();
            let columns = csv_columns(headers.iter())?;
            std::thread::spawn(move || read_csv(csv, columns, tx));
        }
    }
    Ok(rx)
}

struct CountingReader {
    inner: Box<dyn Read + Send>,
    count: Arc<AtomicU64>,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn read_ndjson(mut reader: impl BufRead, tx: mpsc::Sender<NumberedLine>) {
    let mut buf = Vec::new();
    let mut number = 0u64;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return,
            Ok(_) => {
                number += 1;
                let item = match std::str::from_utf8(&buf) {
                    Ok(text) => match parse_ndjson_line(text) {
                        None => continue,
                        Some(r) => r,
                    },
                    Err(_) => Err(Error::invalid(
                        "line",
                        "is not UTF-8",
                        "save the file as UTF-8",
                    )),
                };
                if tx.blocking_send((number, item)).is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = tx.blocking_send((
                    number + 1,
                    Err(Error::Io {
                        context: "reading the input".into(),
                        source: e,
                    }),
                ));
                return;
            }
        }
    }
}

fn read_csv<R: Read>(mut csv: csv::Reader<R>, columns: Vec<usize>, tx: mpsc::Sender<NumberedLine>) {
    let mut record = csv::StringRecord::new();
    loop {
        let item = match csv.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) => {
                let number = record.position().map(|p| p.line()).unwrap_or(0);
                if record.iter().all(str::is_empty) {
                    continue;
                }
                (number, csv_line(record.iter(), &columns))
            }
            Err(e) => {
                let number = e.position().map(|p| p.line()).unwrap_or(0);
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                let item = (
                    number,
                    Err(Error::invalid(
                        "line",
                        format!("is not a valid CSV row ({e})"),
                        "give one cell per column of the header",
                    )),
                );
                if fatal {
                    let _ = tx.blocking_send(item);
                    return;
                }
                item
            }
        };
        if tx.blocking_send(item).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(source: &str, format: InputFormat) -> Vec<NumberedLine> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, source).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut rx = read_lines(
                &InputSource::Path(path),
                format,
                Arc::new(AtomicU64::new(0)),
            )
            .unwrap();
            let mut out = Vec::new();
            while let Some(l) = rx.recv().await {
                out.push(l);
            }
            out
        })
    }

    #[test]
    fn ndjson_lines_keep_their_numbers_and_skip_blanks() {
        let got = collect(
            "{\"user\":\"a\",\"product\":\"p\",\"in\":\"1d\"}\n\n{\"user\":\"b\",\"at\":\"2030-01-01T00:00\",\"timezone\":\"UTC\"}\n{bad\n{\"usr\":\"x\"}\n",
            InputFormat::Ndjson,
        );
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].0, 1);
        let first = got[0].1.as_ref().unwrap();
        assert_eq!(first.user.as_deref(), Some("a"));
        assert_eq!(first.in_.as_deref(), Some("1d"));
        assert_eq!(got[1].0, 3);
        assert_eq!(got[1].1.as_ref().unwrap().timezone.as_deref(), Some("UTC"));
        assert_eq!(got[2].0, 4);
        assert!(got[2].1.is_err());
        let e = got[3].1.as_ref().unwrap_err().to_string();
        assert!(
            e.starts_with("invalid usr: is not a field of a line"),
            "{e}"
        );
    }

    #[test]
    fn ndjson_detail_is_an_object() {
        let got = collect(
            "{\"user\":\"a\",\"product\":\"p\",\"detail\":{\"q\":2}}\n{\"user\":\"a\",\"product\":\"p\",\"detail\":[1]}\n",
            InputFormat::Ndjson,
        );
        let d = got[0].1.as_ref().unwrap().detail_object().unwrap().unwrap();
        assert_eq!(d["q"], 2);
        assert!(got[1].1.as_ref().unwrap().detail_object().is_err());
    }

    #[test]
    fn csv_rows_map_columns_and_quote_correctly() {
        let got = collect(
            "user,product,in,detail\nalice,sku-1,1d,\n\"o\"\"brien, jr\",sku-2,,\"{\"\"q\"\": 2}\"\nbad,row\n",
            InputFormat::Csv,
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, 2);
        let a = got[0].1.as_ref().unwrap();
        assert_eq!(
            (a.user.as_deref(), a.product.as_deref(), a.in_.as_deref()),
            (Some("alice"), Some("sku-1"), Some("1d"))
        );
        assert_eq!(a.detail, None);
        let b = got[1].1.as_ref().unwrap();
        assert_eq!(b.user.as_deref(), Some("o\"brien, jr"));
        assert_eq!(b.in_, None);
        assert_eq!(b.detail_object().unwrap().unwrap()["q"], 2);
        assert_eq!(got[2].0, 4);
        assert!(got[2].1.is_err());
    }

    #[test]
    fn csv_header_is_checked_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, "user,product,when\n").unwrap();
        let e = read_lines(
            &InputSource::Path(path),
            InputFormat::Csv,
            Default::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown column `when`"), "{e}");
        assert!(e.is_invalid());
    }

    #[test]
    fn formats_come_from_flag_or_extension() {
        let p = |s: &str| InputSource::Path(PathBuf::from(s));
        assert_eq!(
            InputFormat::resolve(None, &p("a.ndjson")).unwrap(),
            InputFormat::Ndjson
        );
        assert_eq!(
            InputFormat::resolve(None, &p("a.JSONL")).unwrap(),
            InputFormat::Ndjson
        );
        assert_eq!(
            InputFormat::resolve(None, &p("a.csv")).unwrap(),
            InputFormat::Csv
        );
        assert_eq!(
            InputFormat::resolve(Some(InputFormat::Csv), &p("a.txt")).unwrap(),
            InputFormat::Csv
        );
        assert!(InputFormat::resolve(None, &p("a.txt")).is_err());
        assert!(InputFormat::resolve(None, &InputSource::Stdin).is_err());
        assert_eq!(
            InputFormat::resolve(Some(InputFormat::Ndjson), &InputSource::Stdin).unwrap(),
            InputFormat::Ndjson
        );
    }

    #[test]
    fn missing_file_is_invalid_input() {
        let e = read_lines(
            &InputSource::Path(PathBuf::from("/nonexistent/cart.ndjson")),
            InputFormat::Ndjson,
            Default::default(),
        )
        .unwrap_err();
        assert!(e.is_invalid());
        assert!(e.to_string().starts_with("invalid file:"), "{e}");
    }
}
