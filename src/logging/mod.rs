//! `-v` logging: cartctl's and the AWS SDK's tracing events on stderr, with secrets masked.

use std::io::{self, Write};

pub mod redact;

use redact::Redactor;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

/// A stderr writer that masks secrets in every line it is given.
#[derive(Clone)]
struct RedactingStderr(Redactor);

/// One formatted event, buffered so it is redacted whole.
struct Buffered {
    redactor: Redactor,
    buf: Vec<u8>,
}

impl Write for Buffered {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Buffered {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let _ = io::stderr()
            .lock()
            .write_all(self.redactor.redact(&text).as_bytes());
    }
}

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = Buffered;
    fn make_writer(&'a self) -> Self::Writer {
        Buffered {
            redactor: self.0.clone(),
            buf: Vec::new(),
        }
    }
}

/// Installs the subscriber for `verbosity` (the count of -v); nothing is logged without -v.
/// `CARTCTL_LOG` (`target=level,…`) replaces the levels -v picks.
pub fn init(verbosity: u8, color: bool, redactor: Redactor) {
    let filter = match verbosity {
        0 => return,
        1 => "cartctl=debug,aws_config=info",
        2 => {
            "cartctl=trace,aws_config=debug,aws_smithy_runtime=debug,aws_sdk_scheduler=debug,aws_sdk_eventbridge=debug,aws_sdk_sqs=debug"
        }
        _ => "trace",
    };
    let targets: Targets = std::env::var("CARTCTL_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| filter.parse().expect("a valid filter"));
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(color)
        .with_writer(RedactingStderr(redactor));
    tracing_subscriber::registry()
        .with(layer)
        .with(targets)
        .init();
}
