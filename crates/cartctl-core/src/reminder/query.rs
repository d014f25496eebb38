//! Which reminders to list or delete, and the row each one is shown as: the filters (user,
//! product, due bounds, state), the `NamePrefix` they narrow ListSchedules to, the names that
//! cannot match (so their GetSchedule is saved), and the order rows are shown in.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{ReminderName, StoredSchedule};
use crate::due::Due;
use crate::error::{Error, Result};
use crate::shapes::ScheduleState;

/// Which reminders to list (or delete).
#[derive(Debug, Clone, Default)]
pub struct ReminderQuery {
    /// The schedule group.
    pub group: String,
    /// Only this user's reminders.
    pub user: Option<String>,
    /// Only reminders of this product.
    pub product: Option<String>,
    /// Only reminders due before this time.
    pub due_before: Option<DateTime<Utc>>,
    /// Only reminders due after this time.
    pub due_after: Option<DateTime<Utc>>,
    /// Only schedules in this state.
    pub state: Option<ScheduleState>,
    /// Also schedules cartctl did not create.
    pub include_foreign: bool,
}

/// One listed schedule, in the shape of the JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderRow {
    /// Schedule name.
    pub name: String,
    /// Schedule group.
    pub group: String,
    /// Schedule ARN.
    pub arn: String,
    /// ENABLED or DISABLED.
    pub state: String,
    /// The cart's user (none for a foreign schedule).
    pub user: Option<String>,
    /// The cart's product (none for a foreign schedule).
    pub product: Option<String>,
    /// Due time, RFC 3339 UTC (none unless the expression is a one-time `at()`).
    pub due: Option<String>,
    /// The schedule expression.
    pub schedule_expression: String,
    /// Its time zone.
    pub timezone: String,
    /// The target ARN (the bus).
    pub target_arn: String,
    /// A staged reminder's stage (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<u32>,
    /// A staged reminder's number of stages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stages: Option<u32>,
    /// The Input's keys beyond the cart and the stage (`schedule --detail`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Map<String, Value>>,
    /// The due instant, for sorting and filtering.
    #[serde(skip)]
    pub due_utc: Option<DateTime<Utc>>,
    /// The role Scheduler assumes to fire it.
    #[serde(skip)]
    pub role_arn: String,
}

impl ReminderRow {
    /// The row of a stored schedule.
    pub fn from_stored(s: &StoredSchedule) -> ReminderRow {
        let (cart, extras) = s.reminder().unzip();
        let extras = extras.unwrap_or_default();
        let due = s.due();
        ReminderRow {
            name: s.name.clone(),
            group: s.group.clone(),
            arn: s.arn.clone(),
            state: s.definition.state.as_str().to_owned(),
            user: cart.as_ref().map(|c| c.user.clone()),
            product: cart.map(|c| c.product),
            due: due.as_ref().map(Due::rfc3339),
            schedule_expression: s.definition.schedule_expression.clone(),
            timezone: s.definition.schedule_expression_timezone.clone(),
            target_arn: s.definition.target.arn.clone(),
            stage: extras.stage.map(|s| s.number),
            stages: extras.stage.map(|s| s.total),
            detail: (!extras.detail.is_empty()).then_some(extras.detail),
            due_utc: due.map(|d| d.utc()),
            role_arn: s.definition.target.role_arn.clone(),
        }
    }

    /// True if this is a cartctl reminder (a derived name and a reminder Input).
    pub fn is_reminder(&self) -> bool {
        self.user.is_some() && ReminderName::is_derived(&self.name)
    }
}

/// Parses `--due-before`/`--due-after`: RFC 3339, or a duration from now (`2h`, `1d`).
pub fn parse_time_bound(field: &str, text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = humantime::parse_duration(text.trim()).map_err(|_| {
        Error::invalid(
            field,
            format!("`{text}` is neither an RFC 3339 time nor a duration"),
            "give a time like 2026-12-24T18:00:00Z, or a duration from now like 2h or 1d",
        )
    })?;
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!("`{text}` is too far ahead"),
                "give a nearer time",
            )
        })
}

impl ReminderQuery {
    /// The NamePrefix to send: every name of a user's reminders starts with the hash of the user.
    pub fn name_prefix(&self) -> Option<String> {
        let mut prefix = ReminderName::user_prefix(self.user.as_deref()?);
        if let Some(product) = &self.product {
            prefix.push_str(&ReminderName::product_hash(product));
        }
        Some(prefix)
    }

    /// False for a name that cannot match, so its GetSchedule is saved.
    pub fn name_may_match(&self, name: &str) -> bool {
        (self.include_foreign || ReminderName::is_derived(name)) && self.matches_name_hashes(name)
    }

    fn matches_name_hashes(&self, name: &str) -> bool {
        if let Some(user) = &self.user
            && !name.starts_with(&ReminderName::user_prefix(user))
        {
            return false;
        }
        if let Some(product) = &self.product
            && !ReminderName::without_stage(name)
                .ends_with(&format!("-{}", ReminderName::product_hash(product)))
        {
            return false;
        }
        true
    }

    /// True if a row passes every filter.
    pub fn row_matches(&self, row: &ReminderRow) -> bool {
        if !self.include_foreign && !row.is_reminder() {
            return false;
        }
        if let Some(u) = &self.user
            && row.user.as_ref() != Some(u)
        {
            return false;
        }
        if let Some(p) = &self.product
            && row.product.as_ref() != Some(p)
        {
            return false;
        }
        if let Some(state) = self.state
            && row.state != state.as_str()
        {
            return false;
        }
        if self.due_before.is_some() || self.due_after.is_some() {
            let Some(due) = row.due_utc else { return false };
            if self.due_before.is_some_and(|b| due >= b) || self.due_after.is_some_and(|a| due <= a)
            {
                return false;
            }
        }
        true
    }
}

/// Sorts rows by due time (schedules without one last), then by name.
pub fn sort_rows(rows: &mut [ReminderRow]) {
    rows.sort_by(|a, b| {
        (a.due_utc.is_none(), a.due_utc, &a.name).cmp(&(b.due_utc.is_none(), b.due_utc, &b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminder::Cart;

    fn row(user: &str, product: &str, due: &str, state: &str) -> ReminderRow {
        let cart = Cart::new(user, product, ("u", "p")).unwrap();
        let due: DateTime<Utc> = due.parse().unwrap();
        ReminderRow {
            name: ReminderName::for_cart(&cart).as_str().to_owned(),
            group: "g".into(),
            arn: "arn".into(),
            state: state.into(),
            user: Some(user.into()),
            product: Some(product.into()),
            due: Some(crate::due::format_utc(due)),
            schedule_expression: format!("at({})", due.format("%Y-%m-%dT%H:%M:%S")),
            timezone: "UTC".into(),
            target_arn: "bus".into(),
            stage: None,
            stages: None,
            detail: None,
            due_utc: Some(due),
            role_arn: String::new(),
        }
    }

    #[test]
    fn prefix_narrows_to_a_user_or_a_cart() {
        let q = ReminderQuery {
            user: Some("alice".into()),
            ..Default::default()
        };
        assert_eq!(q.name_prefix().as_deref(), Some("cart-2bd806c97f0e-"));
        let q = ReminderQuery {
            user: Some("alice".into()),
            product: Some("sku-1".into()),
            ..Default::default()
        };
        assert_eq!(
            q.name_prefix().as_deref(),
            Some("cart-2bd806c97f0e-57156ade504c")
        );
        assert_eq!(ReminderQuery::default().name_prefix(), None);
    }

    #[test]
    fn names_are_filtered_before_reading() {
        let mine = "cart-2bd806c97f0e-57156ade504c";
        let q = ReminderQuery::default();
        assert!(q.name_may_match(mine));
        assert!(!q.name_may_match("nightly-report"));
        let q = ReminderQuery {
            product: Some("sku-1".into()),
            ..Default::default()
        };
        assert!(q.name_may_match(mine));
        assert!(!q.name_may_match("cart-2bd806c97f0e-000000000000"));
        let q = ReminderQuery {
            include_foreign: true,
            ..Default::default()
        };
        assert!(q.name_may_match("nightly-report"));
    }

    #[test]
    fn rows_are_filtered_by_user_product_state_and_due() {
        let r = row("alice", "sku-1", "2030-01-01T00:00:00Z", "ENABLED");
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(ReminderQuery::default().row_matches(&r));
        assert!(
            !ReminderQuery {
                user: Some("bob".into()),
                ..Default::default()
            }
            .row_matches(&r)
        );
        assert!(
            !ReminderQuery {
                product: Some("sku-2".into()),
                ..Default::default()
            }
            .row_matches(&r)
        );
        assert!(
            !ReminderQuery {
                state: Some(ScheduleState::Disabled),
                ..Default::default()
            }
            .row_matches(&r)
        );
        assert!(
            ReminderQuery {
                due_before: Some(t("2030-01-01T00:00:01Z")),
                ..Default::default()
            }
            .row_matches(&r)
        );
        assert!(
            !ReminderQuery {
                due_before: Some(t("2030-01-01T00:00:00Z")),
                ..Default::default()
            }
            .row_matches(&r)
        );
        assert!(
            ReminderQuery {
                due_after: Some(t("2029-12-31T23:59:59Z")),
                ..Default::default()
            }
            .row_matches(&r)
        );
        assert!(
            !ReminderQuery {
                due_after: Some(t("2030-01-01T00:00:00Z")),
                ..Default::default()
            }
            .row_matches(&r)
        );
        let mut foreign = r.clone();
        foreign.user = None;
        foreign.product = None;
        assert!(!ReminderQuery::default().row_matches(&foreign));
        assert!(
            ReminderQuery {
                include_foreign: true,
                ..Default::default()
            }
            .row_matches(&foreign)
        );
    }

    #[test]
    fn rows_sort_by_due_then_name_with_undated_last() {
        let mut rows = vec![
            row("c", "p", "2030-01-03T00:00:00Z", "ENABLED"),
            row("a", "p", "2030-01-01T00:00:00Z", "ENABLED"),
            row("b", "p", "2030-01-02T00:00:00Z", "ENABLED"),
        ];
        let mut undated = row("z", "p", "2030-01-01T00:00:00Z", "ENABLED");
        undated.due_utc = None;
        rows.insert(0, undated);
        sort_rows(&mut rows);
        let users: Vec<_> = rows.iter().map(|r| r.user.clone().unwrap()).collect();
        assert_eq!(users, ["a", "b", "c", "z"]);
    }

    #[test]
    fn time_bounds_take_rfc3339_or_a_duration() {
        let now: DateTime<Utc> = "2026-11-29T00:00:00Z".parse().unwrap();
        assert_eq!(
            parse_time_bound("--due-before", "2h", now).unwrap(),
            now + chrono::Duration::hours(2)
        );
        assert_eq!(
            parse_time_bound("--due-before", "2027-01-01T01:00:00+01:00", now).unwrap(),
            "2027-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        let e = parse_time_bound("--due-after", "later", now).unwrap_err();
        assert!(e.to_string().starts_with("invalid --due-after"));
    }
}
