//! Deleting reminders by name, a bounded number at a time, each retried on its own; a schedule
//! that is gone after an attempt whose answer was lost counts as deleted, not missing.

use futures::StreamExt;
use serde::Serialize;

use crate::aws::scheduler;
use crate::error::{AwsError, AwsErrorKind, Error, Result};
use crate::retry::Retrier;

/// What became of one schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteResult {
    /// It was deleted.
    Deleted,
    /// It did not exist.
    Missing,
    /// Deleting it failed.
    Failed(AwsError),
}

/// A failed deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeleteFailure {
    /// The schedule.
    pub name: String,
    /// Why.
    pub error: String,
    /// The error itself.
    #[serde(skip)]
    pub cause: Option<AwsError>,
}

/// The result of `delete`, in the shape of the JSON output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeleteReport {
    /// Deleted schedules.
    pub deleted: Vec<String>,
    /// Named schedules that did not exist.
    pub missing: Vec<String>,
    /// Schedules that could not be deleted.
    pub failed: Vec<DeleteFailure>,
}

impl DeleteReport {
    /// Records one result.
    pub fn add(&mut self, name: String, result: DeleteResult) {
        match result {
            DeleteResult::Deleted => self.deleted.push(name),
            DeleteResult::Missing => self.missing.push(name),
            DeleteResult::Failed(error) => self.failed.push(DeleteFailure {
                name,
                error: error.one_line(),
                cause: Some(error),
            }),
        }
    }

    /// Sorts each list by name, for stable output.
    pub fn sort(&mut self) {
        self.deleted.sort();
        self.missing.sort();
        self.failed.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// The exit status: 3 if any deletion failed, else 4 if a schedule was missing (unless
    /// `missing_ok`), else success.
    pub fn into_result(self, group: &str, missing_ok: bool) -> Result<()> {
        let succeeded = self.deleted.len() + self.missing.len();
        if succeeded == 0
            && let [only] = self.failed.as_slice()
            && let Some(cause) = &only.cause
        {
            // One deletion, and it failed: its own error, not a partial failure.
            return Err(Error::Aws(cause.clone()));
        }
        if !self.failed.is_empty() {
            return Err(Error::Partial {
                failed: self.failed.len() as u64,
                total: (self.deleted.len() + self.missing.len() + self.failed.len()) as u64,
                noun: "deletions",
            });
        }
        if !self.missing.is_empty() && !missing_ok {
            return Err(Error::NotFound {
                what: format!(
                    "no schedule named {} in group `{group}`",
                    self.missing
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                fix: "check the names with `cartctl list --all`, or pass --missing-ok".into(),
            });
        }
        Ok(())
    }
}

/// Deletes one schedule, retrying as the policy says.
pub async fn delete_one(
    client: &aws_sdk_scheduler::Client,
    group: &str,
    name: &str,
    retry: &Retrier,
) -> DeleteResult {
    let r = retry
        .run(|attempts| async move {
            match scheduler::delete(client, group, name, None).await {
                Ok(()) => Ok(DeleteResult::Deleted),
                Err(e) if e.is_not_found() => {
                    Ok(if attempts.maybe_applied {
                        // An earlier attempt deleted it; its answer was lost.
                        DeleteResult::Deleted
                    } else {
                        DeleteResult::Missing
                    })
                }
                Err(e) => Err(e),
            }
        })
        .await;
    r.unwrap_or_else(|e| {
        DeleteResult::Failed(match e {
            Error::Aws(a) => a,
            other => AwsError {
                operation: "DeleteSchedule",
                kind: AwsErrorKind::Network,
                code: "Error".into(),
                message: other.to_string(),
                fix: String::new(),
            },
        })
    })
}

/// Deletes every named schedule of `group`, `concurrency` at a time; `each` sees every result.
pub async fn delete_all(
    client: &aws_sdk_scheduler::Client,
    group: &str,
    names: Vec<String>,
    concurrency: usize,
    retry: &Retrier,
    mut each: impl FnMut(&str, &DeleteResult),
) -> DeleteReport {
    let mut report = DeleteReport::default();
    let mut results = futures::stream::iter(names)
        .map(|name| async move {
            let r = delete_one(client, group, &name, retry).await;
            (name, r)
        })
        .buffer_unordered(concurrency);
    while let Some((name, r)) = results.next().await {
        each(&name, &r);
        report.add(name, r);
    }
    report.sort();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_exit_codes() {
        let mut r = DeleteReport::default();
        r.add("a".into(), DeleteResult::Deleted);
        assert!(r.clone().into_result("g", false).is_ok());
        r.add("b".into(), DeleteResult::Missing);
        assert_eq!(
            r.clone().into_result("g", false).unwrap_err().exit_code(),
            4
        );
        assert!(r.clone().into_result("g", true).is_ok());
        r.add(
            "c".into(),
            DeleteResult::Failed(AwsError {
                operation: "DeleteSchedule",
                kind: AwsErrorKind::ServerError,
                code: "InternalServerException".into(),
                message: "boom".into(),
                fix: String::new(),
            }),
        );
        assert_eq!(r.clone().into_result("g", true).unwrap_err().exit_code(), 3);
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"deleted": ["a"], "missing": ["b"], "failed": [{"name": "c", "error": "DeleteSchedule failed: InternalServerException: boom"}]})
        );
    }
}
