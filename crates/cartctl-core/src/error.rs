//! The library's error type and the exit code each kind of failure maps to.
//!
//! Every variant renders as one or two lines: what was wrong, then how to fix it. The binary prints
//! the `Display` form on stderr and exits with [`Error::exit_code`].

use std::fmt;

/// Exit codes of the command contract (see the README).
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// AWS, network or credential error.
    pub const AWS: u8 = 1;
    /// Invalid input; nothing was sent.
    pub const INVALID: u8 = 2;
    /// Partial failure of a bulk command; each failed item was reported.
    pub const PARTIAL: u8 = 3;
    /// A named resource does not exist.
    pub const NOT_FOUND: u8 = 4;
    /// A resource already exists with a different definition.
    pub const CONFLICT: u8 = 5;
    /// `tail` timed out before `--max-events` arrived.
    pub const TIMED_OUT: u8 = 124;
    /// Interrupted (SIGINT).
    pub const INTERRUPTED: u8 = 130;
}

/// Everything that can go wrong in cartctl, classified by what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the user is invalid. Nothing was sent.
    #[error("invalid {field}: {problem}{}", hint(.fix))]
    Invalid {
        /// The field: the name the caller gave it (`--in`, `detail.user`), or else its key
        /// (`scheduler_role_arn`, `in`: see `setting`), which each front end shows its own
        /// way (the CLI as a flag).
        field: String,
        /// What is wrong with the value.
        problem: String,
        /// How to fix it (may be empty).
        fix: String,
    },
    /// AWS answered with an error, or could not be reached.
    #[error("{0}")]
    Aws(#[from] AwsError),
    /// A named resource does not exist.
    #[error("{what}{}", hint(.fix))]
    NotFound {
        /// What was not found.
        what: String,
        /// How to fix it.
        fix: String,
    },
    /// A resource exists with a different definition.
    #[error("{what}{}", hint(.fix))]
    Conflict {
        /// What conflicts.
        what: String,
        /// How to resolve it.
        fix: String,
    },
    /// Some items of a bulk command failed; each was already reported.
    #[error("{failed} of {total} {noun} failed")]
    Partial {
        /// How many items failed.
        failed: u64,
        /// How many items there were.
        total: u64,
        /// What the items are ("lines", "schedules").
        noun: &'static str,
    },
    /// Some of `doctor`'s checks failed; each was shown with its fix.
    #[error("{failed} of {total} checks failed (each is shown above with its fix)")]
    ChecksFailed {
        /// How many checks failed.
        failed: u64,
        /// How many checks ran.
        total: u64,
    },
    /// A wait ended before what was awaited arrived.
    #[error("{0}")]
    TimedOut(String),
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
    /// Reading input or writing output failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being read or written.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// What comes between an error and its fix when it is shown on two lines.
const HINT_SEPARATOR: &str = "\n  hint: ";

fn hint(fix: &str) -> String {
    if fix.is_empty() {
        String::new()
    } else {
        format!("{HINT_SEPARATOR}{fix}")
    }
}

impl Error {
    /// An invalid value for `field`, with the fix to apply.
    pub fn invalid(
        field: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// The process exit code for this error, as the command contract fixes it.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid { .. } => exit::INVALID,
            Error::Aws(e) => match e.kind {
                AwsErrorKind::NotFound => exit::NOT_FOUND,
                AwsErrorKind::Conflict => exit::CONFLICT,
                _ => exit::AWS,
            },
            Error::NotFound { .. } => exit::NOT_FOUND,
            Error::Conflict { .. } => exit::CONFLICT,
            Error::Partial { .. } => exit::PARTIAL,
            Error::ChecksFailed { .. } => exit::AWS,
            Error::TimedOut(_) => exit::TIMED_OUT,
            Error::Interrupted => exit::INTERRUPTED,
            Error::Terminated { code, .. } => *code,
            Error::Io { .. } => exit::AWS,
        }
    }

    /// Replaces the fix of an error that has one (a front end's own advice: a flag, a command).
    pub fn with_fix(self, fix: impl Into<String>) -> Self {
        let fix = fix.into();
        match self {
            Error::Invalid { field, problem, .. } => Error::Invalid {
                field,
                problem,
                fix,
            },
            Error::NotFound { what, .. } => Error::NotFound { what, fix },
            Error::Conflict { what, .. } => Error::Conflict { what, fix },
            Error::Aws(e) => Error::Aws(AwsError { fix, ..e }),
            other => other,
        }
    }

    /// Renames the field of an `Invalid` error (a setting's key becomes a flag, say).
    pub fn with_field(self, rename: impl Fn(&str) -> String) -> Self {
        match self {
            Error::Invalid {
                field,
                problem,
                fix,
            } => Error::Invalid {
                field: rename(&field),
                problem,
                fix,
            },
            other => other,
        }
    }

    /// True if stdout was closed by its reader (`cartctl … | head -1`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// True if retrying the same request later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Aws(e) if e.is_retryable())
    }

    /// True if the service answered that the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Aws(e) if e.kind == AwsErrorKind::NotFound)
    }

    /// The error on one line (the hint after `; `), for a JSON field or a table cell.
    pub fn one_line(&self) -> String {
        self.to_string().replace(HINT_SEPARATOR, "; ")
    }
}

/// How an AWS failure is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsErrorKind {
    /// The service said the resource does not exist.
    NotFound,
    /// The service said the resource already exists.
    Conflict,
    /// The service refused a change because another change to the same resource was under way
    /// (a ConflictException from UpdateSchedule or DeleteSchedule): worth retrying.
    ConcurrentChange,
    /// An account quota is used up (EventBridge's LimitExceededException, Scheduler's
    /// ServiceQuotaExceededException): retrying or slowing down will not help.
    Quota,
    /// The service asked us to slow down.
    Throttling,
    /// The service refused because a change made moments ago has not reached all of it yet (a
    /// role Scheduler cannot assume yet, a queue name still reserved after its deletion, a queue
    /// too new to be a dead-letter target): waiting is the fix.
    Settling,
    /// The service failed (5xx, InternalFailure).
    ServerError,
    /// The service refused the request for another reason (validation, access denied, …).
    Client,
    /// No credentials could be found or loaded.
    Credentials,
    /// The request never got an answer (timeout, reset, lost connection): it may have been applied.
    Network,
    /// The endpoint could not be reached at all (connection refused, no such host): nothing
    /// was sent, and retrying at once will not help.
    Unreachable,
    /// Local configuration is missing or wrong (no region, bad profile).
    Config,
}

/// An AWS failure: which call, the service's code and message, and how to fix it when we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    /// The API operation (`CreateSchedule`).
    pub operation: &'static str,
    /// The classification.
    pub kind: AwsErrorKind,
    /// The service's error code (`ConflictException`), or a short label for local failures.
    pub code: String,
    /// The service's message, or the cause chain of a local failure.
    pub message: String,
    /// How to fix it, if known.
    pub fix: String,
}

impl AwsError {
    /// True if the same request may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            AwsErrorKind::Throttling
                | AwsErrorKind::ServerError
                | AwsErrorKind::Network
                | AwsErrorKind::ConcurrentChange
                | AwsErrorKind::Settling
        )
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.operation, self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        f.write_str(&hint(&self.fix))
    }
}

impl std::error::Error for AwsError {}

impl AwsError {
    /// The error on one line (the hint after `; `), for a JSON field or a table cell.
    pub fn one_line(&self) -> String {
        self.to_string().replace(HINT_SEPARATOR, "; ")
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_renders_field_problem_and_fix_on_two_lines() {
        let e = Error::invalid(
            "--in",
            "`0s` is not in the future",
            "give a positive duration",
        );
        assert_eq!(
            e.to_string(),
            "invalid --in: `0s` is not in the future\n  hint: give a positive duration"
        );
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn aws_errors_map_to_contract_codes() {
        let mk = |kind| {
            Error::Aws(AwsError {
                operation: "GetSchedule",
                kind,
                code: "X".into(),
                message: "m".into(),
                fix: String::new(),
            })
        };
        assert_eq!(mk(AwsErrorKind::NotFound).exit_code(), 4);
        assert_eq!(mk(AwsErrorKind::Conflict).exit_code(), 5);
        assert_eq!(mk(AwsErrorKind::Throttling).exit_code(), 1);
        assert!(mk(AwsErrorKind::Throttling).is_retryable());
        assert!(!mk(AwsErrorKind::Client).is_retryable());
        assert_eq!(
            mk(AwsErrorKind::Client).to_string(),
            "GetSchedule failed: X: m"
        );
    }
}
