//! The reminders already scheduled: each targets the bus with the configured role.

use futures::{StreamExt, TryStreamExt};

use super::{Check, Found, REMINDERS_CHECKED, error_check};
use crate::list::list_reminders;
use crate::retry::Retrier;
use crate::sdk::Clients;
use cartctl_core::reminder::query::ReminderQuery;

pub(super) async fn check_reminders(
    clients: &Clients,
    found: &Found<'_>,
    retry: &Retrier,
) -> Check {
    let query = ReminderQuery {
        group: found.req.group.clone(),
        ..ReminderQuery::default()
    };
    let rows = list_reminders(&clients.scheduler, &query, 8, retry)
        .take(REMINDERS_CHECKED)
        .try_collect::<Vec<_>>()
        .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return error_check("reminders", e),
    };
    let role = found.req.role_arn.as_deref().unwrap_or_default();
    let astray: Vec<&str> = rows
        .iter()
        .filter(|r| r.target_arn != found.bus_arn || (!role.is_empty() && r.role_arn != role))
        .map(|r| r.name.as_str())
        .collect();
    match astray.first() {
        None if rows.is_empty() => Check::ok("reminders", "no reminders scheduled yet"),
        None => Check::ok(
            "reminders",
            format!(
                "{} reminders checked: all target {} with the configured role",
                rows.len(),
                found.bus_arn
            ),
        ),
        Some(first) => Check::fail(
            "reminders",
            format!(
                "{} of {} reminders checked target another bus or role (first: {first})",
                astray.len(),
                rows.len()
            ),
            "re-create them with these settings: `cartctl schedule … --on-conflict replace`",
        ),
    }
}
