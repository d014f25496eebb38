//! Deleting reminders by name, a bounded number at a time, each retried on its own; a schedule
//! that is gone after an attempt whose answer was lost counts as deleted, not missing.

use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::bulk::{BulkOptions, LineOutcome, each_line};
use crate::list::list_reminders;
use crate::retry::Retrier;
use crate::sdk::scheduler;
use crate::session::Session;
use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};
use cartctl_core::limits;
use cartctl_core::lines::{NumberedLine, RawLine};
use cartctl_core::reminder::query::ReminderQuery;

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
                fix: "check the names and the group, or accept missing schedules".into(),
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

/// What one line of `delete --file` names: a schedule, or a cart's (or a user's) reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteTarget {
    /// `{"name": N}`: the schedule of that name.
    Name(String),
    /// `{"user": U}` or `{"user": U, "product": P}`: every cartctl reminder of that user (of
    /// that product), stages included.
    Cart {
        /// The user.
        user: String,
        /// The product, if given.
        product: Option<String>,
    },
}

impl DeleteTarget {
    /// Reads a line: `name`, or `user` with an optional `product`; nothing else.
    pub fn from_line(raw: &RawLine) -> Result<DeleteTarget> {
        let fix = "give `name`, or `user` (and `product`)";
        let restart = raw.restart.map(|b| b.to_string());
        let detail = raw.detail.as_ref().map(Value::to_string);
        for (field, value) in [
            ("in", &raw.in_),
            ("at", &raw.at),
            ("timezone", &raw.timezone),
            ("detail", &detail),
            ("restart", &restart),
        ] {
            if value.is_some() {
                return Err(Error::invalid(
                    field,
                    "is not a field of a delete line",
                    fix,
                ));
            }
        }
        match (&raw.name, &raw.user, &raw.product) {
            (Some(name), None, None) => {
                limits::check_name("name", name)?;
                Ok(DeleteTarget::Name(name.clone()))
            }
            (Some(_), _, _) => Err(Error::invalid(
                "name",
                "and `user`/`product` are both given",
                "give either `name`, or `user` (and `product`)",
            )),
            (None, Some(user), product) => {
                limits::check_id("user", user)?;
                if let Some(p) = product {
                    limits::check_id("product", p)?;
                }
                Ok(DeleteTarget::Cart {
                    user: user.clone(),
                    product: product.clone(),
                })
            }
            (None, None, Some(_)) => Err(Error::invalid("user", "is missing", fix)),
            (None, None, None) => Err(Error::invalid("line", "names nothing to delete", fix)),
        }
    }
}

/// What one line of `delete --file` did, in the shape of its JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineDeletion {
    /// The schedule the line named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user the line named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The product the line named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The schedules deleted (with `--dry-run`: that would be).
    pub deleted: Vec<String>,
    /// `deleted`, `missing` (nothing to delete) or `would_delete`.
    pub status: &'static str,
}

/// Deletes what `target` names from `group` (`dry_run`: only finds it).
pub async fn delete_target(
    client: &aws_sdk_scheduler::Client,
    group: &str,
    target: &DeleteTarget,
    dry_run: bool,
    retry: &Retrier,
) -> Result<LineDeletion> {
    let (mut out, names) = match target {
        DeleteTarget::Name(name) => (
            LineDeletion {
                name: Some(name.clone()),
                user: None,
                product: None,
                deleted: Vec::new(),
                status: "missing",
            },
            vec![name.clone()],
        ),
        DeleteTarget::Cart { user, product } => {
            let query = ReminderQuery {
                group: group.to_owned(),
                user: Some(user.clone()),
                product: product.clone(),
                ..ReminderQuery::default()
            };
            let rows = list_reminders(client, &query, CART_READS, retry);
            let mut names: Vec<String> = rows.map_ok(|r| r.name).try_collect().await?;
            names.sort();
            let out = LineDeletion {
                name: None,
                user: Some(user.clone()),
                product: product.clone(),
                deleted: Vec::new(),
                status: "missing",
            };
            (out, names)
        }
    };
    if dry_run {
        out.status = "would_delete";
        out.deleted = names;
        return Ok(out);
    }
    for name in names {
        match delete_one(client, group, &name, retry).await {
            DeleteResult::Deleted => out.deleted.push(name),
            DeleteResult::Missing => {}
            DeleteResult::Failed(e) => return Err(Error::Aws(e)),
        }
    }
    if !out.deleted.is_empty() {
        out.status = "deleted";
    }
    Ok(out)
}

/// GetSchedule calls in flight for one line's cart (the lines themselves run concurrently).
const CART_READS: usize = 4;

/// Deletes what every line names, `options.concurrency` lines at a time; `sink` gets each
/// line's outcome as it completes. A name or cart with nothing to delete is `missing`, not a
/// failure: cancelling is idempotent.
pub async fn delete_lines(
    rx: mpsc::Receiver<NumberedLine>,
    client: &aws_sdk_scheduler::Client,
    group: &str,
    dry_run: bool,
    options: BulkOptions<'_>,
    sink: impl FnMut(LineOutcome<LineDeletion>),
) {
    let delete = |target: DeleteTarget| async move {
        delete_target(client, group, &target, dry_run, options.retry).await
    };
    each_line(
        rx,
        options.concurrency,
        DeleteTarget::from_line,
        delete,
        sink,
    )
    .await;
}

impl Session {
    /// Deletes the named schedules of `group`, `concurrency` at a time; `each` sees every
    /// result as it comes.
    pub async fn delete(
        &self,
        group: &str,
        names: Vec<String>,
        concurrency: usize,
        each: impl FnMut(&str, &DeleteResult),
    ) -> Result<DeleteReport> {
        let client = &self.clients().await?.scheduler;
        Ok(delete_all(client, group, names, concurrency, self.retrier(), each).await)
    }

    /// Deletes what every line of a `delete --file` names (`dry_run`: only finds it),
    /// `concurrency` lines at a time; `sink` gets each line's outcome as it completes.
    pub async fn delete_lines(
        &self,
        lines: mpsc::Receiver<NumberedLine>,
        group: &str,
        dry_run: bool,
        concurrency: usize,
        sink: impl FnMut(LineOutcome<LineDeletion>),
    ) -> Result<()> {
        self.check_group(group).await?;
        let client = &self.clients().await?.scheduler;
        let options = BulkOptions {
            concurrency,
            retry: self.retrier(),
        };
        delete_lines(lines, client, group, dry_run, options, sink).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(json: &str) -> Result<DeleteTarget> {
        let raw = cartctl_core::lines::parse_ndjson_line(json).unwrap()?;
        DeleteTarget::from_line(&raw)
    }

    #[test]
    fn delete_lines_name_a_schedule_or_a_cart() {
        assert_eq!(
            line(r#"{"name":"n-1"}"#).unwrap(),
            DeleteTarget::Name("n-1".into())
        );
        assert_eq!(
            line(r#"{"user":"u","product":"p"}"#).unwrap(),
            DeleteTarget::Cart {
                user: "u".into(),
                product: Some("p".into())
            }
        );
        assert_eq!(
            line(r#"{"user":"u"}"#).unwrap(),
            DeleteTarget::Cart {
                user: "u".into(),
                product: None
            }
        );
        for (json, field) in [
            (r#"{"name":"a b"}"#, "name"),
            (r#"{"name":"n","user":"u"}"#, "name"),
            (r#"{"product":"p"}"#, "user"),
            (r#"{}"#, "line"),
            (r#"{"user":""}"#, "user"),
            (r#"{"user":"u","in":"1d"}"#, "in"),
            (r#"{"name":"n","restart":true}"#, "restart"),
        ] {
            let e = line(json).unwrap_err();
            assert!(e.is_invalid(), "{json}");
            assert!(e.to_string().contains(field), "{json}: {e}");
        }
    }

    #[test]
    fn report_outcomes() {
        let mut r = DeleteReport::default();
        r.add("a".into(), DeleteResult::Deleted);
        assert!(r.clone().into_result("g", false).is_ok());
        r.add("b".into(), DeleteResult::Missing);
        assert!(matches!(
            r.clone().into_result("g", false),
            Err(cartctl_core::Error::NotFound { .. })
        ));
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
        assert!(matches!(
            r.clone().into_result("g", true),
            Err(cartctl_core::Error::Partial { .. })
        ));
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"deleted": ["a"], "missing": ["b"], "failed": [{"name": "c", "error": "DeleteSchedule failed: InternalServerException: boom"}]})
        );
    }
}
