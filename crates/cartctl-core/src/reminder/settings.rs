//! Settings shared by every reminder of a run (group, role, source, detail-type template,
//! retry policy, dead-letter queue, …), checked once from their raw values.

use super::{CONTEXT_ATTRIBUTE_PREFIX, Cart, ReminderExtras};
use crate::due::Due;
use crate::error::{Error, Result};
use crate::ids::TokenSeed;
use crate::limits;
use crate::setting;
use crate::shapes::{
    ActionAfterCompletion, FlexibleMode, FlexibleTimeWindow, RetryPolicy, ScheduleDefinition,
    ScheduleState, Target,
};

/// A detail-type template: `{user}` and `{product}` are replaced by the cart's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailTypeTemplate(String);

/// The default detail-type template.
pub use crate::setting::DEFAULT_DETAIL_TYPE;
/// The default event source.
pub use crate::setting::DEFAULT_SOURCE;

impl DetailTypeTemplate {
    /// Wraps a template; it is checked once rendered.
    pub fn new(template: &str) -> DetailTypeTemplate {
        DetailTypeTemplate(template.to_owned())
    }

    /// Substitutes the cart's ids and checks the 1–128 character limit.
    pub fn render(&self, cart: &Cart, field: &str) -> Result<String> {
        self.render_ids_checked(&cart.user, Some(&cart.product), field)
    }

    /// Substitutes the ids (`{product}` stays as written when there is none), unchecked.
    pub fn render_ids(&self, user: &str, product: Option<&str>) -> String {
        let marked = self.0.replace("{user}", "\u{0}USER\u{0}");
        let marked = match product {
            Some(p) => marked.replace("{product}", p),
            None => marked,
        };
        marked.replace("\u{0}USER\u{0}", user)
    }

    /// [`DetailTypeTemplate::render_ids`], checked against the 1–128 character limit.
    pub fn render_ids_checked(
        &self,
        user: &str,
        product: Option<&str>,
        field: &str,
    ) -> Result<String> {
        let out = self.render_ids(user, product);
        limits::check_detail_type(field, &out)?;
        Ok(out)
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The detail-type of an event whose ids are not known where it is made: the template
    /// without its placeholders, spaces collapsed (`item {product} added to Cart` → `item added
    /// to Cart`). An HTTP API's EventBridge-PutEvents integration maps a detail-type only to a
    /// fixed value or one request field, so the shop's API routes put this; the carts rule and
    /// the consumer accept it beside the rendered form.
    pub fn fixed(&self) -> String {
        let stripped = self.0.replace("{user}", " ").replace("{product}", " ");
        stripped.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Settings shared by every reminder of a run, already checked.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// The schedule group.
    pub group: String,
    /// The role Scheduler assumes.
    pub role_arn: String,
    /// The Source of the reminder event.
    pub source: String,
    /// The DetailType template of the reminder event.
    pub detail_type: DetailTypeTemplate,
    /// A description for the schedule.
    pub description: Option<String>,
    /// A flexible window in minutes (OFF when `None`).
    pub flexible_window_minutes: Option<u32>,
    /// Keep the schedule after it fired (ActionAfterCompletion NONE).
    pub keep_after_completion: bool,
    /// Target retry attempts.
    pub max_retries: Option<u32>,
    /// Target maximum event age in seconds.
    pub max_event_age_secs: Option<u32>,
    /// Dead-letter queue ARN.
    pub dlq_arn: Option<String>,
    /// Create it disabled.
    pub disabled: bool,
    /// An explicit ClientToken (else derived from the request and `token_seed`).
    pub client_token: Option<String>,
    /// The seed of this invocation's client tokens.
    pub token_seed: TokenSeed,
}

/// The raw settings, as given, before they are checked; errors name each by its key.
#[derive(Debug, Clone, Default)]
pub struct RawReminderSettings<'a> {
    /// The schedule group (`schedule_group`).
    pub group: &'a str,
    /// The role Scheduler assumes (`scheduler_role_arn`).
    pub role_arn: Option<&'a str>,
    /// The reminder event's source (`source`).
    pub source: &'a str,
    /// The reminder event's detail-type template (`detail_type`).
    pub detail_type: &'a str,
    /// The schedule's description (`description`).
    pub description: Option<&'a str>,
    /// A flexible window, as a duration (`flexible_window`).
    pub flexible_window: Option<&'a str>,
    /// Keep the schedule after it fired (`keep_after_completion`).
    pub keep_after_completion: bool,
    /// The target's retry attempts (`max_retries`).
    pub max_retries: Option<u32>,
    /// The target's maximum event age, as a duration (`max_event_age`).
    pub max_event_age: Option<&'a str>,
    /// The dead-letter queue (`dlq_arn`).
    pub dlq_arn: Option<&'a str>,
    /// Create it disabled (`disabled`).
    pub disabled: bool,
    /// An explicit ClientToken (`client_token`).
    pub client_token: Option<&'a str>,
}

impl ReminderSettings {
    /// Checks what depends on the cart and its extras: the rendered detail-type, and the size
    /// of the event Scheduler will put. Returns the detail-type.
    pub fn check_cart(&self, cart: &Cart, extras: &ReminderExtras) -> Result<String> {
        for (field, id) in [("user", &cart.user), ("product", &cart.product)] {
            if id.contains(CONTEXT_ATTRIBUTE_PREFIX) {
                return Err(Error::invalid(
                    field,
                    format!(
                        "`{id}` contains `{CONTEXT_ATTRIBUTE_PREFIX}`, which Scheduler replaces with the schedule's context when it fires"
                    ),
                    "use an id without `<aws.scheduler.` (the reminder would carry another id than the one given)",
                ));
            }
        }
        let detail_type = self.detail_type.render(cart, setting::DETAIL_TYPE.key)?;
        let size = self.source.len() + detail_type.len() + cart.reminder_input_with(extras).len();
        if size >= limits::PUT_EVENTS_MAX_BYTES {
            let (field, fix) = if extras.detail.is_empty() {
                ("user/product", "use shorter ids")
            } else {
                ("detail", "send fewer or shorter detail keys")
            };
            return Err(Error::invalid(
                field,
                format!(
                    "the reminder event would be {size} bytes; EventBridge takes less than 256 KB"
                ),
                fix,
            ));
        }
        Ok(detail_type)
    }

    /// The target's retry policy, if a retry setting is given.
    pub(super) fn retry_policy(&self) -> Option<RetryPolicy> {
        (self.max_retries.is_some() || self.max_event_age_secs.is_some()).then_some(RetryPolicy {
            maximum_event_age_in_seconds: self.max_event_age_secs,
            maximum_retry_attempts: self.max_retries,
        })
    }

    /// The schedule definition of a reminder due at `due` with `target`.
    pub(super) fn definition(&self, due: &Due, target: Target) -> ScheduleDefinition {
        ScheduleDefinition {
            schedule_expression: due.expression(),
            schedule_expression_timezone: due.timezone().to_owned(),
            description: self.description.clone(),
            state: if self.disabled {
                ScheduleState::Disabled
            } else {
                ScheduleState::Enabled
            },
            flexible_time_window: match self.flexible_window_minutes {
                None => FlexibleTimeWindow {
                    mode: FlexibleMode::Off,
                    maximum_window_in_minutes: None,
                },
                Some(m) => FlexibleTimeWindow {
                    mode: FlexibleMode::Flexible,
                    maximum_window_in_minutes: Some(m),
                },
            },
            target,
            action_after_completion: if self.keep_after_completion {
                ActionAfterCompletion::None
            } else {
                ActionAfterCompletion::Delete
            },
        }
    }

    /// Checks every setting; the first bad one is reported by its key (see
    /// [`crate::setting`]).
    pub fn parse(raw: &RawReminderSettings<'_>) -> Result<ReminderSettings> {
        limits::check_name(setting::SCHEDULE_GROUP.key, raw.group)?;
        let role_key = setting::SCHEDULER_ROLE_ARN.key;
        let role_arn = raw.role_arn.filter(|s| !s.is_empty()).ok_or_else(|| {
            Error::invalid(
                role_key,
                "is required to schedule a reminder",
                "give the ARN of the role Scheduler assumes (arn:aws:iam::<account>:role/<name>)",
            )
        })?;
        crate::arn::check_role_arn(role_key, role_arn)?;
        limits::check_source(setting::SOURCE.key, raw.source)?;
        if raw.detail_type.is_empty() {
            limits::check_detail_type(setting::DETAIL_TYPE.key, raw.detail_type)?;
        }
        if let Some(d) = raw.description {
            limits::check_description("description", d)?;
        }
        let flexible_window_minutes = raw
            .flexible_window
            .map(|w| limits::parse_flexible_window("flexible_window", w))
            .transpose()?;
        if let Some(n) = raw.max_retries {
            limits::check_retry_attempts("max_retries", n)?;
        }
        let max_event_age_secs = raw
            .max_event_age
            .map(|a| limits::parse_event_age("max_event_age", a))
            .transpose()?;
        if let Some(arn) = raw.dlq_arn {
            crate::arn::check_sqs_arn(setting::DLQ_ARN.key, arn)?;
        }
        if let Some(t) = raw.client_token {
            limits::check_client_token("client_token", t)?;
        }
        Ok(ReminderSettings {
            group: raw.group.to_owned(),
            role_arn: role_arn.to_owned(),
            source: raw.source.to_owned(),
            detail_type: DetailTypeTemplate::new(raw.detail_type),
            description: raw.description.map(str::to_owned),
            flexible_window_minutes,
            keep_after_completion: raw.keep_after_completion,
            max_retries: raw.max_retries,
            max_event_age_secs,
            dlq_arn: raw.dlq_arn.map(str::to_owned),
            disabled: raw.disabled,
            client_token: raw.client_token.map(str::to_owned),
            token_seed: TokenSeed::fresh(),
        })
    }
}
