//! The library's error type, classified by what the user can do about it.
//!
//! Every variant renders as one or two lines: what was wrong, then how to fix it. The binary prints
//! the `Display` form on stderr and maps the kind to its exit code; the library knows nothing of
//! processes.

use std::fmt;

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

    /// True if the error is invalid input (nothing was sent).
    pub fn is_invalid(&self) -> bool {
        matches!(self, Error::Invalid { .. })
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
        assert!(e.is_invalid());
    }

    #[test]
    fn aws_errors_are_classified() {
        let mk = |kind| {
            Error::Aws(AwsError {
                operation: "GetSchedule",
                kind,
                code: "X".into(),
                message: "m".into(),
                fix: String::new(),
            })
        };
        assert!(mk(AwsErrorKind::NotFound).is_not_found());
        assert!(mk(AwsErrorKind::Throttling).is_retryable());
        assert!(!mk(AwsErrorKind::Client).is_retryable());
        assert_eq!(
            mk(AwsErrorKind::Client).to_string(),
            "GetSchedule failed: X: m"
        );
    }
}
