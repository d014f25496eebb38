//! Exit codes: the command contract's, and the one place the library's kinds of failure become
//! them. The library knows nothing of processes; a signal that ends a command and a command
//! that has said everything on stdout are the binary's own ways to stop.

use cartctl_aws::Error;
use cartctl_core::error::AwsErrorKind;

/// AWS, network or credential error; a local failure.
pub const AWS: u8 = 1;
/// Invalid input; nothing was sent.
pub const INVALID: u8 = 2;
/// Partial failure of a bulk command; each failed item was reported.
pub const PARTIAL: u8 = 3;
/// A named resource does not exist.
pub const NOT_FOUND: u8 = 4;
/// A resource already exists with a different definition.
pub const CONFLICT: u8 = 5;
/// A wait ended before what was awaited arrived (`tail --timeout`).
pub const TIMED_OUT: u8 = 124;
/// Interrupted (SIGINT).
pub const INTERRUPTED: u8 = 130;

/// How a command stopped without a failure of the library's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    /// The user interrupted the command (SIGINT).
    #[error("interrupted")]
    Interrupted,
    /// A signal ended the command (SIGTERM, SIGHUP).
    #[error("stopped by {signal}")]
    Terminated {
        /// The signal's name.
        signal: &'static str,
        /// 128 + the signal's number.
        code: u8,
    },
    /// An exit with this code and no message: the command said what it had to on stdout
    /// (`match` without a match exits 1).
    #[error("exit {0}")]
    Silent(u8),
}

impl Stop {
    /// Ended by SIGTERM.
    pub const SIGTERM: Stop = Stop::Terminated {
        signal: "SIGTERM",
        code: 143,
    };
    /// Ended by SIGHUP.
    pub const SIGHUP: Stop = Stop::Terminated {
        signal: "SIGHUP",
        code: 129,
    };

    /// The exit code.
    pub fn code(self) -> u8 {
        match self {
            Stop::Interrupted => INTERRUPTED,
            Stop::Terminated { code, .. } | Stop::Silent(code) => code,
        }
    }
}

/// The exit code the contract gives a library error.
pub fn of_error(e: &Error) -> u8 {
    match e {
        Error::Invalid { .. } => INVALID,
        Error::Aws(e) => match e.kind {
            AwsErrorKind::NotFound => NOT_FOUND,
            AwsErrorKind::Conflict => CONFLICT,
            _ => AWS,
        },
        Error::NotFound { .. } => NOT_FOUND,
        Error::Conflict { .. } => CONFLICT,
        Error::Partial { .. } => PARTIAL,
        Error::ChecksFailed { .. } | Error::Io { .. } => AWS,
        Error::TimedOut(_) => TIMED_OUT,
    }
}

/// The exit code of a command's error: a stop's, else the library's error's in its chain,
/// else 1 (a local failure, as an I/O error of the library's is).
pub fn code(e: &anyhow::Error) -> u8 {
    if let Some(stop) = e.downcast_ref::<Stop>() {
        return stop.code();
    }
    e.chain()
        .find_map(|link| link.downcast_ref::<Error>())
        .map_or(AWS, of_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartctl_core::error::AwsError;

    fn aws(kind: AwsErrorKind) -> Error {
        Error::Aws(AwsError {
            operation: "GetSchedule",
            kind,
            code: "X".into(),
            message: "m".into(),
            fix: String::new(),
        })
    }

    #[test]
    fn library_errors_map_to_the_contracts_codes() {
        assert_eq!(of_error(&Error::invalid("--in", "is bad", "fix")), 2);
        assert_eq!(of_error(&aws(AwsErrorKind::NotFound)), 4);
        assert_eq!(of_error(&aws(AwsErrorKind::Conflict)), 5);
        assert_eq!(of_error(&aws(AwsErrorKind::Throttling)), 1);
        let partial = Error::Partial {
            failed: 1,
            total: 2,
            noun: "lines",
        };
        assert_eq!(of_error(&partial), 3);
        assert_eq!(of_error(&Error::TimedOut("t".into())), 124);
    }

    #[test]
    fn stops_and_wrapped_errors_keep_their_codes() {
        assert_eq!(code(&Stop::Interrupted.into()), 130);
        assert_eq!(code(&Stop::SIGTERM.into()), 143);
        assert_eq!(code(&Stop::SIGHUP.into()), 129);
        assert_eq!(code(&Stop::Silent(1).into()), 1);
        let wrapped = anyhow::Error::from(aws(AwsErrorKind::NotFound)).context("reading");
        assert_eq!(code(&wrapped), 4);
        assert_eq!(code(&anyhow::anyhow!("local")), 1);
    }
}
