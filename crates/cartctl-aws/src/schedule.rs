//! Sending a reminder: CreateSchedule, and what to do when the name is taken.
//!
//! A taken name is read back first: if the stored schedule already is the requested reminder,
//! that is success (`unchanged`), which makes re-runs and retries idempotent. Otherwise the
//! `--on-conflict` policy decides: fail (exit 5), skip, or replace with the full definition.

use serde::Serialize;

use crate::bulk::{self, BulkOptions, LineOutcome, ReminderLines};
use crate::retry::Attempts;
use crate::sdk::scheduler;
use crate::session::Session;
use cartctl_core::error::{AwsErrorKind, Error, Result};
use cartctl_core::lines::NumberedLine;
use cartctl_core::reminder::{Reminder, StoredSchedule};
use tokio::sync::mpsc;

/// What to do when a schedule of the same name exists with a different definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnConflict {
    /// Report it (exit code 5).
    #[default]
    Fail,
    /// Leave the existing schedule as it is.
    Skip,
    /// Overwrite it with the requested definition.
    Replace,
    /// Overwrite it only when the caller's rule says the requested reminder supersedes it
    /// (the consumer's: made by a later add, `cartctl_core::consumer::supersedes`); else
    /// leave it.
    ReplaceIf(Supersedes),
}

/// A caller's rule for [`OnConflict::ReplaceIf`]: whether a reminder with the Input `ours`
/// supersedes a stored schedule with the Input `theirs`.
#[derive(Clone, Copy)]
pub struct Supersedes(pub fn(ours: &str, theirs: &str) -> bool);

impl std::fmt::Debug for Supersedes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Supersedes(..)")
    }
}

impl PartialEq for Supersedes {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl Eq for Supersedes {}

/// What happened to one reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScheduleStatus {
    /// A new schedule was created.
    Created,
    /// The schedule already existed exactly as requested.
    Unchanged,
    /// A different schedule of that name exists and was left alone.
    Skipped,
    /// A different schedule of that name was overwritten.
    Replaced,
    /// `--restart`: the reminder existed due at another time and was moved.
    Rescheduled,
}

impl ScheduleStatus {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleStatus::Created => "created",
            ScheduleStatus::Unchanged => "unchanged",
            ScheduleStatus::Skipped => "skipped",
            ScheduleStatus::Replaced => "replaced",
            ScheduleStatus::Rescheduled => "rescheduled",
        }
    }
}

/// The result of `schedule` for one reminder, in the shape of the JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleOutcome {
    /// Schedule name.
    pub name: String,
    /// Schedule group.
    pub group: String,
    /// Schedule ARN.
    pub arn: String,
    /// The cart's user.
    pub user: String,
    /// The cart's product.
    pub product: String,
    /// Due time, RFC 3339 UTC.
    pub due: String,
    /// `at(…)`.
    pub schedule_expression: String,
    /// The expression's time zone.
    pub timezone: String,
    /// A staged reminder's stage (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<u32>,
    /// A staged reminder's number of stages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stages: Option<u32>,
    /// created, unchanged, skipped, replaced or rescheduled.
    pub status: ScheduleStatus,
}

impl ScheduleOutcome {
    fn new(reminder: &Reminder, arn: String, status: ScheduleStatus) -> Self {
        let d = &reminder.request.definition;
        ScheduleOutcome {
            name: reminder.request.name.clone(),
            group: reminder.request.group_name.clone(),
            arn,
            user: reminder.cart.user.clone(),
            product: reminder.cart.product.clone(),
            due: reminder.due.rfc3339(),
            schedule_expression: d.schedule_expression.clone(),
            timezone: d.schedule_expression_timezone.clone(),
            stage: reminder.extras.stage.map(|s| s.number),
            stages: reminder.extras.stage.map(|s| s.total),
            status,
        }
    }

    /// The outcome for a schedule that was left as stored: its own due time and expression.
    fn stored(reminder: &Reminder, stored: StoredSchedule, status: ScheduleStatus) -> Self {
        let mut o = ScheduleOutcome::new(reminder, stored.arn.clone(), status);
        if let Some(due) = stored.due() {
            o.due = due.rfc3339();
        }
        o.schedule_expression = stored.definition.schedule_expression;
        o.timezone = stored.definition.schedule_expression_timezone;
        o
    }
}

/// How many times a create is retried when the conflicting schedule vanished before it was read.
const VANISHED_RETRIES: usize = 3;

/// Creates the reminder's schedule, resolving a name conflict by `on_conflict`. `attempts` tells
/// about earlier attempts: when one may have been applied (its answer was lost), finding the
/// identical schedule means this run created it.
pub async fn send_reminder(
    client: &aws_sdk_scheduler::Client,
    reminder: &Reminder,
    on_conflict: OnConflict,
    attempts: Attempts,
) -> Result<ScheduleOutcome> {
    let req = &reminder.request;
    reminder.due.check_still_ahead(chrono::Utc::now())?;
    for _ in 0..VANISHED_RETRIES {
        match scheduler::create(client, req).await {
            Ok(arn) => return Ok(ScheduleOutcome::new(reminder, arn, ScheduleStatus::Created)),
            Err(Error::Aws(e)) if e.kind == AwsErrorKind::Conflict => {}
            Err(e) => return Err(e),
        }
        let stored = match scheduler::get(client, &req.group_name, &req.name).await {
            Ok(s) => s,
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(e),
        };
        let diff = reminder.differences(&stored);
        if reminder.restart && diff == ["due time"] {
            let arn = scheduler::update(client, req, &reminder.update_client_token).await?;
            let status = ScheduleStatus::Rescheduled;
            return Ok(ScheduleOutcome::new(reminder, arn, status));
        }
        if diff.is_empty() {
            let status = if attempts.maybe_applied {
                ScheduleStatus::Created
            } else {
                ScheduleStatus::Unchanged
            };
            return Ok(ScheduleOutcome::stored(reminder, stored, status));
        }
        return resolve_conflict(client, reminder, stored, &diff, on_conflict).await;
    }
    Err(Error::Conflict {
        what: format!(
            "schedule `{}` in group `{}` keeps being created and deleted by someone else",
            req.name, req.group_name
        ),
        fix: "retry when nothing else writes to that schedule".into(),
    })
}

/// A schedule of that name exists and differs from the reminder in `diff`: `on_conflict` says
/// what happens.
async fn resolve_conflict(
    client: &aws_sdk_scheduler::Client,
    reminder: &Reminder,
    stored: StoredSchedule,
    diff: &[&'static str],
    on_conflict: OnConflict,
) -> Result<ScheduleOutcome> {
    let req = &reminder.request;
    match on_conflict {
        OnConflict::Skip => Ok(ScheduleOutcome::stored(
            reminder,
            stored,
            ScheduleStatus::Skipped,
        )),
        OnConflict::Replace => {
            let arn = scheduler::update(client, req, &reminder.update_client_token).await?;
            Ok(ScheduleOutcome::new(
                reminder,
                arn,
                ScheduleStatus::Replaced,
            ))
        }
        OnConflict::ReplaceIf(Supersedes(rule)) => {
            if rule(
                &req.definition.target.input,
                &stored.definition.target.input,
            ) {
                let arn = scheduler::update(client, req, &reminder.update_client_token).await?;
                Ok(ScheduleOutcome::new(
                    reminder,
                    arn,
                    ScheduleStatus::Rescheduled,
                ))
            } else {
                Ok(ScheduleOutcome::stored(
                    reminder,
                    stored,
                    ScheduleStatus::Skipped,
                ))
            }
        }
        OnConflict::Fail => Err(Error::Conflict {
            what: format!(
                "schedule `{}` in group `{}` already exists with a different {}",
                req.name,
                req.group_name,
                diff.join(", ")
            ),
            fix: "replace it, or skip it".into(),
        }),
    }
}

impl Session {
    /// Creates one reminder's schedule, resolving a name conflict by `on_conflict`.
    pub async fn schedule(
        &self,
        reminder: &Reminder,
        on_conflict: OnConflict,
    ) -> Result<ScheduleOutcome> {
        self.check_group(&reminder.request.group_name).await?;
        let client = &self.clients().await?.scheduler;
        self.retrier()
            .run(|attempts| send_reminder(client, reminder, on_conflict, attempts))
            .await
    }

    /// Schedules a reminder's stages one after the other; `each` gets every stage's outcome as
    /// it is known (a failed stage does not stop the others; an error `each` returns does).
    pub async fn schedule_stages(
        &self,
        stages: &[Reminder],
        on_conflict: OnConflict,
        mut each: impl FnMut(&Reminder, Result<ScheduleOutcome>) -> Result<()>,
    ) -> Result<()> {
        for stage in stages {
            each(stage, self.schedule(stage, on_conflict).await)?;
        }
        Ok(())
    }

    /// Schedules the reminder of every line, `concurrency` at a time; `sink` gets each line's
    /// outcome as it completes.
    pub async fn schedule_lines(
        &self,
        lines: mpsc::Receiver<NumberedLine>,
        lines_to: ReminderLines<'_>,
        on_conflict: OnConflict,
        concurrency: usize,
        sink: impl FnMut(LineOutcome<ScheduleOutcome>),
    ) -> Result<()> {
        self.check_group(&lines_to.settings.group).await?;
        let client = &self.clients().await?.scheduler;
        let options = BulkOptions {
            concurrency,
            retry: self.retrier(),
        };
        bulk::schedule_lines(lines, lines_to, client, on_conflict, options, sink).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_spelling_matches_json() {
        for s in [
            ScheduleStatus::Created,
            ScheduleStatus::Unchanged,
            ScheduleStatus::Skipped,
            ScheduleStatus::Replaced,
            ScheduleStatus::Rescheduled,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
