//! One reminder, checked and ready to send: the exact CreateSchedule request (a series of them
//! for staged reminders), its client tokens, and the comparison with a stored schedule that
//! makes re-runs idempotent.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Cart, MAX_STAGES, ReminderExtras, ReminderName, ReminderSettings, Stage};
use crate::due::{Due, RELATIVE_MATCH_TOLERANCE};
use crate::error::{Error, Result};
use crate::ids::TokenSeed;
use crate::shapes::{
    CreateScheduleRequest, DeadLetterConfig, EventBridgeParameters, RetryPolicy,
    ScheduleDefinition, Target,
};

/// Scheduler's defaults for a target's retry policy, which it fills in when none is sent.
const DEFAULT_RETRY_ATTEMPTS: u32 = 185;
const DEFAULT_EVENT_AGE_SECS: u32 = 86_400;

/// One reminder, checked and ready to send.
#[derive(Debug, Clone)]
pub struct Reminder {
    /// The cart it reminds of.
    pub cart: Cart,
    /// When it is due.
    pub due: Due,
    /// The exact CreateSchedule request.
    pub request: CreateScheduleRequest,
    /// The ClientToken of an UpdateSchedule that replaces a stored schedule with this one
    /// (never the create's: AWS would answer it with the create's result).
    pub update_client_token: String,
    /// `--restart`: the due time counts from now even when the reminder exists, so a stored
    /// reminder due at another time is moved instead of found unchanged.
    pub restart: bool,
    /// Its stage and extra detail keys.
    pub extras: ReminderExtras,
}

impl Reminder {
    /// Builds the reminder for `cart`, due at `due`, targeting the bus `bus_arn`.
    ///
    /// `name` overrides the derived schedule name.
    pub fn new(
        cart: Cart,
        due: Due,
        name: Option<ReminderName>,
        settings: &ReminderSettings,
        bus_arn: &str,
    ) -> Result<Reminder> {
        Self::with_extras(
            cart,
            ReminderExtras::default(),
            due,
            name,
            settings,
            bus_arn,
        )
    }

    /// Builds the reminder for `cart` carrying `extras`; a staged reminder's name gets the
    /// stage's suffix.
    pub fn with_extras(
        cart: Cart,
        extras: ReminderExtras,
        due: Due,
        name: Option<ReminderName>,
        settings: &ReminderSettings,
        bus_arn: &str,
    ) -> Result<Reminder> {
        let field = if name.is_some() { "name" } else { "in" };
        let mut name = name.unwrap_or_else(|| ReminderName::for_cart(&cart));
        if let Some(stage) = extras.stage {
            name = name.staged(stage, field)?;
        }
        let detail_type = settings.check_cart(&cart, &extras)?;
        let target = Target {
            arn: bus_arn.to_owned(),
            role_arn: settings.role_arn.clone(),
            input: cart.reminder_input_with(&extras),
            event_bridge_parameters: EventBridgeParameters {
                detail_type,
                source: settings.source.clone(),
            },
            retry_policy: settings.retry_policy(),
            dead_letter_config: settings
                .dlq_arn
                .as_ref()
                .map(|arn| DeadLetterConfig { arn: arn.clone() }),
        };
        let definition = settings.definition(&due, target);
        let mut request = CreateScheduleRequest {
            name: name.as_str().to_owned(),
            group_name: settings.group.clone(),
            definition,
            client_token: String::new(),
        };
        request.client_token = match &settings.client_token {
            Some(t) => t.clone(),
            None => derived_client_token(&request, &settings.token_seed),
        };
        let update_client_token = settings
            .token_seed
            .token(format!("UpdateSchedule {}", request.client_token).as_bytes());
        Ok(Reminder {
            cart,
            due,
            request,
            update_client_token,
            restart: false,
            extras,
        })
    }

    /// One reminder per due time: one due time gives one reminder as [`Reminder::with_extras`]
    /// does; several give the stages of a series (`stage` and `stages` in the Input, a `-s<N>`
    /// suffix on the name). Stages come in increasing due order, at most [`MAX_STAGES`].
    pub fn series(
        cart: Cart,
        extras: ReminderExtras,
        dues: Vec<Due>,
        name: Option<ReminderName>,
        settings: &ReminderSettings,
        bus_arn: &str,
    ) -> Result<Vec<Reminder>> {
        check_series(&dues, name.as_ref())?;
        let total = dues.len() as u32;
        dues.into_iter()
            .zip(1..)
            .map(|(due, number)| {
                let stage = (total > 1).then_some(Stage { number, total });
                let extras = ReminderExtras {
                    stage,
                    ..extras.clone()
                };
                Self::with_extras(cart.clone(), extras, due, name.clone(), settings, bus_arn)
            })
            .collect()
    }

    /// The schedule name.
    pub fn name(&self) -> &str {
        &self.request.name
    }

    /// The fields in which a stored schedule differs from this reminder (empty: it is this
    /// reminder, and re-creating it would change nothing).
    ///
    /// A relative due time (`--in D`) matches a stored schedule that is due D after it was
    /// last modified, so re-running the same command later still finds it unchanged.
    pub fn differences(&self, stored: &StoredSchedule) -> Vec<&'static str> {
        let want = &self.request.definition;
        let have = &stored.definition;
        let mut diff = Vec::new();
        // A restart compares the due time itself: the clock starts again now.
        let relative = self.due.relative().filter(|_| !self.restart);
        let due_matches = match (relative, stored.last_modified) {
            (Some(d), Some(modified)) => {
                let stored_due = Due::from_expression(
                    &have.schedule_expression,
                    Some(&have.schedule_expression_timezone),
                );
                stored_due.is_some_and(|sd| {
                    let lag = (sd.utc() - modified).num_seconds();
                    let want = d.as_secs() as i64;
                    (lag - want).unsigned_abs() <= RELATIVE_MATCH_TOLERANCE.as_secs()
                }) && have.schedule_expression_timezone == want.schedule_expression_timezone
            }
            _ => {
                have.schedule_expression == want.schedule_expression
                    && have.schedule_expression_timezone == want.schedule_expression_timezone
            }
        };
        if !due_matches {
            diff.push("due time");
        }
        if have.description.as_deref().unwrap_or("") != want.description.as_deref().unwrap_or("") {
            diff.push("description");
        }
        if have.state != want.state {
            diff.push("state");
        }
        if have.flexible_time_window != want.flexible_time_window {
            diff.push("flexible time window");
        }
        if have.action_after_completion != want.action_after_completion {
            diff.push("action after completion");
        }
        let (ht, wt) = (&have.target, &want.target);
        if ht.arn != wt.arn {
            diff.push("target bus");
        }
        if ht.role_arn != wt.role_arn {
            diff.push("role");
        }
        let same_input = serde_json::from_str::<Value>(&ht.input)
            .ok()
            .zip(serde_json::from_str::<Value>(&wt.input).ok())
            .is_some_and(|(a, b)| a == b);
        if !same_input {
            diff.push("input");
        }
        if ht.event_bridge_parameters.source != wt.event_bridge_parameters.source {
            diff.push("source");
        }
        if ht.event_bridge_parameters.detail_type != wt.event_bridge_parameters.detail_type {
            diff.push("detail-type");
        }
        if normalized_retry(&ht.retry_policy) != normalized_retry(&wt.retry_policy) {
            diff.push("retry policy");
        }
        if ht.dead_letter_config != wt.dead_letter_config {
            diff.push("dead-letter queue");
        }
        diff.extend(stored.extra_fields.iter().copied());
        diff
    }
}

/// Checks a series before it is built: 1 to [`MAX_STAGES`] due times, each later than the one
/// before, and a given name that leaves room for the stage suffix.
pub fn check_series(dues: &[Due], name: Option<&ReminderName>) -> Result<()> {
    if let Some(name) = name
        && dues.len() > 1
    {
        let last = Stage {
            number: dues.len() as u32,
            total: dues.len() as u32,
        };
        name.staged(last, "name")?;
    }
    if dues.is_empty() || dues.len() > MAX_STAGES {
        return Err(Error::invalid(
            "in",
            format!(
                "gives {} stages; a reminder has 1 to {MAX_STAGES}",
                dues.len()
            ),
            "give one due time per stage, such as 30m, 4h and 1d",
        ));
    }
    for (n, pair) in dues.windows(2).enumerate() {
        if pair[1].utc() <= pair[0].utc() {
            return Err(Error::invalid(
                "in",
                format!("stage {} is not later than stage {}", n + 2, n + 1),
                "give the stages in increasing order, such as 30m, 4h and 1d",
            ));
        }
    }
    Ok(())
}

fn normalized_retry(p: &Option<RetryPolicy>) -> (u32, u32) {
    let p = p.as_ref();
    (
        p.and_then(|p| p.maximum_retry_attempts)
            .unwrap_or(DEFAULT_RETRY_ATTEMPTS),
        p.and_then(|p| p.maximum_event_age_in_seconds)
            .unwrap_or(DEFAULT_EVENT_AGE_SECS),
    )
}

/// A ClientToken derived from the request and the invocation's seed: the same request gets the
/// same token within one invocation (so its retries are recognised as such), and a new one in
/// the next invocation (AWS answers a reused token with the earlier result, so a re-create after
/// a delete would report `created` and create nothing).
pub fn derived_client_token(request: &CreateScheduleRequest, seed: &TokenSeed) -> String {
    let mut unsigned = request.clone();
    unsigned.client_token = String::new();
    let json = serde_json::to_string(&unsigned).expect("a request always serializes");
    seed.token(json.as_bytes())
}

/// A schedule as GetSchedule returned it, in the request's shape, for comparison.
#[derive(Debug, Clone)]
pub struct StoredSchedule {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: String,
    /// Its definition, with the API's defaults filled in where it omitted a field.
    pub definition: ScheduleDefinition,
    /// When it was created or last updated.
    pub last_modified: Option<DateTime<Utc>>,
    /// Fields cartctl never sets that the stored schedule has (a KMS key, a start date, …).
    pub extra_fields: Vec<&'static str>,
}

impl StoredSchedule {
    /// The cart this schedule reminds of, if it is a cartctl reminder.
    pub fn cart(&self) -> Option<Cart> {
        Cart::from_reminder_input(&self.definition.target.input)
    }

    /// The cart and extras of this schedule, if it is a cartctl reminder.
    pub fn reminder(&self) -> Option<(Cart, ReminderExtras)> {
        Cart::parse_reminder_input(&self.definition.target.input)
    }

    /// Its due time, if its expression is a one-time `at()`.
    pub fn due(&self) -> Option<Due> {
        Due::from_expression(
            &self.definition.schedule_expression,
            Some(&self.definition.schedule_expression_timezone),
        )
    }
}
