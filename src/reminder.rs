//! The reminder core: from cart parameters (user, product, due time and settings) to the exact
//! CreateSchedule request, and back from a stored schedule to the cart it reminds of.
//!
//! Pure: no I/O. Names and client tokens are deterministic, so a re-run or a retry asks for the
//! same schedule under the same name, and user ids never appear in names or ARNs.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::due::{Due, RELATIVE_MATCH_TOLERANCE};
use crate::error::{Error, Result};
use crate::limits;
use crate::nonce::TokenSeed;
use crate::shapes::{
    ActionAfterCompletion, CreateScheduleRequest, DeadLetterConfig, EventBridgeParameters,
    FlexibleMode, FlexibleTimeWindow, RetryPolicy, ScheduleDefinition, ScheduleState, Target,
};

/// Prefix of every schedule name cartctl derives.
pub const NAME_PREFIX: &str = "cart-";
/// What separates a staged reminder's name from its stage number.
const STAGE_SEPARATOR: &str = "-s";
/// Hex digits of each hash in a derived name.
const HASH_DIGITS: usize = 12;
/// Scheduler's defaults for a target's retry policy, which it fills in when none is sent.
const DEFAULT_RETRY_ATTEMPTS: u32 = 185;
const DEFAULT_EVENT_AGE_SECS: u32 = 86_400;

/// What every Scheduler context attribute starts with; Scheduler rewrites such text anywhere in
/// a target's Input, so reminder ids must not hold it.
pub const CONTEXT_ATTRIBUTE_PREFIX: &str = "<aws.scheduler.";

/// Who added what to the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cart {
    /// The user id, exactly as given (may hold any character).
    pub user: String,
    /// The product id, exactly as given.
    pub product: String,
}

impl Cart {
    /// Checks and builds a cart; `fields` name the user and product flags for errors.
    pub fn new(user: &str, product: &str, fields: (&str, &str)) -> Result<Cart> {
        limits::check_id(fields.0, user)?;
        limits::check_id(fields.1, product)?;
        Ok(Cart {
            user: user.to_owned(),
            product: product.to_owned(),
        })
    }

    /// The reminder's Input: `{"scheduled_event":"true","user":U,"product":P}`.
    pub fn reminder_input(&self) -> String {
        self.reminder_input_with(&ReminderExtras::default())
    }

    /// The reminder's Input with its extras: `scheduled_event`, `user`, `product`, then
    /// `stage` and `stages` for a staged reminder, then the detail's keys.
    pub fn reminder_input_with(&self, extras: &ReminderExtras) -> String {
        let mut m = Map::new();
        m.insert("scheduled_event".into(), Value::String("true".into()));
        m.insert("user".into(), Value::String(self.user.clone()));
        m.insert("product".into(), Value::String(self.product.clone()));
        if let Some(stage) = extras.stage {
            m.insert("stage".into(), stage.number.into());
            m.insert("stages".into(), stage.total.into());
        }
        for (k, v) in &extras.detail {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(m).to_string()
    }

    /// Reads a reminder Input back; `None` if it is not a cartctl reminder.
    pub fn from_reminder_input(input: &str) -> Option<Cart> {
        Self::parse_reminder_input(input).map(|(cart, _)| cart)
    }

    /// Reads a reminder Input back with its extras; `None` if it is not a cartctl reminder.
    pub fn parse_reminder_input(input: &str) -> Option<(Cart, ReminderExtras)> {
        let v: Value = serde_json::from_str(input).ok()?;
        let Value::Object(mut o) = v else { return None };
        if o.shift_remove("scheduled_event")?.as_str()? != "true" {
            return None;
        }
        let mut take = |key: &str| match o.shift_remove(key)? {
            Value::String(s) => Some(s),
            _ => None,
        };
        let cart = Cart {
            user: take("user")?,
            product: take("product")?,
        };
        let number = |v: Option<&Value>| {
            v.and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
        };
        let stage = match (number(o.get("stage")), number(o.get("stages"))) {
            (Some(number), Some(total)) if (1..=total).contains(&number) => {
                o.shift_remove("stage");
                o.shift_remove("stages");
                Some(Stage { number, total })
            }
            _ => None,
        };
        Some((cart, ReminderExtras { stage, detail: o }))
    }

    /// The add-to-cart event detail: `{"user":U,"product":P}` followed by the keys of `extra`.
    ///
    /// `extra` may repeat `user` or `product` only with the same value.
    pub fn event_detail(&self, extra: Option<&Map<String, Value>>, field: &str) -> Result<String> {
        let mut m = Map::new();
        m.insert("user".into(), Value::String(self.user.clone()));
        m.insert("product".into(), Value::String(self.product.clone()));
        for (k, v) in extra.into_iter().flatten() {
            if let Some(existing) = m.get(k) {
                if existing != v {
                    return Err(Error::invalid(
                        field,
                        format!("sets `{k}` to {v}, which contradicts --{k}"),
                        format!("remove `{k}` from the detail (--{k} sets it)"),
                    ));
                }
                continue;
            }
            m.insert(k.clone(), v.clone());
        }
        Ok(Value::Object(m).to_string())
    }
}

/// Keys of a reminder's Input that cartctl writes itself: a detail cannot set them.
const RESERVED_INPUT_KEYS: [&str; 3] = ["scheduled_event", "stage", "stages"];

/// Most follow-up stages one cart may have.
pub const MAX_STAGES: usize = 10;

/// A follow-up's place in a series of reminders for one cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// 1-based.
    pub number: u32,
    /// How many stages the series has.
    pub total: u32,
}

/// What a reminder's Input carries besides the cart: its stage, and extra detail keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReminderExtras {
    /// The stage of a staged reminder.
    pub stage: Option<Stage>,
    /// Keys merged after `scheduled_event`, `user` and `product` (and the stage).
    pub detail: Map<String, Value>,
}

impl ReminderExtras {
    /// Extras carrying `detail` (from `field`), refused if it sets a key cartctl writes or
    /// contradicts the cart; a repeated `user` or `product` with the same value is dropped.
    pub fn with_detail(
        cart: &Cart,
        detail: Option<Map<String, Value>>,
        field: &str,
    ) -> Result<Self> {
        let mut detail = detail.unwrap_or_default();
        for key in RESERVED_INPUT_KEYS {
            if detail.contains_key(key) {
                return Err(Error::invalid(
                    field,
                    format!("sets `{key}`, which cartctl writes itself"),
                    format!("remove `{key}` from the detail"),
                ));
            }
        }
        for (key, id) in [("user", &cart.user), ("product", &cart.product)] {
            match detail.get(key) {
                Some(Value::String(v)) if v == id => {
                    // Keeps the other keys in the order given.
                    detail.shift_remove(key);
                }
                Some(v) => {
                    return Err(Error::invalid(
                        field,
                        format!("sets `{key}` to {v}, which contradicts the reminder's {key}"),
                        format!("remove `{key}` from the detail (--{key} sets it)"),
                    ));
                }
                None => {}
            }
        }
        Ok(ReminderExtras {
            stage: None,
            detail,
        })
    }
}

/// Parses `--detail`: it must be a JSON object.
pub fn parse_detail_object(field: &str, text: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(Error::invalid(
            field,
            format!("must be a JSON object, not {}", json_kind(&other)),
            r#"give an object such as '{"quantity": 2}'"#,
        )),
        Err(e) => Err(Error::invalid(
            field,
            format!("is not JSON ({e})"),
            r#"give an object such as '{"quantity": 2}'"#,
        )),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first 12 hex digits of SHA-256 of `text`.
fn short_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))[..HASH_DIGITS].to_owned()
}

/// Lower-case hex digits of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A schedule name: 1–64 characters of `[0-9a-zA-Z-_.]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReminderName(String);

impl ReminderName {
    /// The deterministic name of a cart's reminder:
    /// `cart-<sha256(user)[..12]>-<sha256(product)[..12]>`.
    pub fn for_cart(cart: &Cart) -> ReminderName {
        ReminderName(format!(
            "{}{}",
            Self::user_prefix(&cart.user),
            Self::product_hash(&cart.product)
        ))
    }

    /// The name prefix shared by every reminder of `user` (`cart-<hash>-`), for `NamePrefix`.
    pub fn user_prefix(user: &str) -> String {
        format!("{NAME_PREFIX}{}-", short_hash(user))
    }

    /// The last part of every reminder name of `product` (its 12 hex digits).
    pub fn product_hash(product: &str) -> String {
        short_hash(product)
    }

    /// Checks a user-given name (`--name`).
    pub fn parse(field: &str, value: &str) -> Result<ReminderName> {
        limits::check_name(field, value)?;
        Ok(ReminderName(value.to_owned()))
    }

    /// The name of stage `stage` of a series named `self`: `<name>-s<N>` (within the user's
    /// name prefix when `self` is derived); `field` names the flag that gave `self`.
    pub fn staged(&self, stage: Stage, field: &str) -> Result<ReminderName> {
        let name = format!("{}{STAGE_SEPARATOR}{}", self.0, stage.number);
        limits::check_name(field, &name).map_err(|_| {
            Error::invalid(
                field,
                format!(
                    "`{name}` (the name of stage {}) is longer than 64 characters",
                    stage.number
                ),
                format!(
                    "give a name of at most {} characters",
                    64 - (name.len() - self.0.len())
                ),
            )
        })?;
        Ok(ReminderName(name))
    }

    /// `name` without a stage suffix (`-s<N>`), if it has one.
    pub fn without_stage(name: &str) -> &str {
        match name.rsplit_once(STAGE_SEPARATOR) {
            Some((base, n))
                if !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && !n.starts_with('0') =>
            {
                base
            }
            _ => name,
        }
    }

    /// True if `name` has the shape of a derived reminder name (a stage's included).
    pub fn is_derived(name: &str) -> bool {
        let Some(rest) = Self::without_stage(name).strip_prefix(NAME_PREFIX) else {
            return false;
        };
        let mut parts = rest.split('-');
        let is_hash = |p: Option<&str>| {
            p.is_some_and(|p| {
                p.len() == HASH_DIGITS
                    && p.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            })
        };
        is_hash(parts.next()) && is_hash(parts.next()) && parts.next().is_none()
    }

    /// The name as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReminderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A detail-type template: `{user}` and `{product}` are replaced by the cart's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailTypeTemplate(String);

/// The default detail-type template.
pub const DEFAULT_DETAIL_TYPE: &str = "item {product} added to Cart";
/// The default event source.
pub const DEFAULT_SOURCE: &str = "putToCartService";

impl DetailTypeTemplate {
    /// Wraps a template; it is checked once rendered.
    pub fn new(template: &str) -> DetailTypeTemplate {
        DetailTypeTemplate(template.to_owned())
    }

    /// Substitutes the cart's ids and checks the 1–128 character limit.
    pub fn render(&self, cart: &Cart, field: &str) -> Result<String> {
        let out = self
            .0
            .replace("{user}", "\u{0}USER\u{0}")
            .replace("{product}", &cart.product)
            .replace("\u{0}USER\u{0}", &cart.user);
        limits::check_detail_type(field, &out)?;
        Ok(out)
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

/// The raw settings flags, as strings, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct RawReminderSettings<'a> {
    /// `--group`
    pub group: &'a str,
    /// `--role-arn`
    pub role_arn: Option<&'a str>,
    /// `--source`
    pub source: &'a str,
    /// `--detail-type`
    pub detail_type: &'a str,
    /// `--description`
    pub description: Option<&'a str>,
    /// `--flexible-window`
    pub flexible_window: Option<&'a str>,
    /// `--keep-after-completion`
    pub keep_after_completion: bool,
    /// `--max-retries`
    pub max_retries: Option<u32>,
    /// `--max-event-age`
    pub max_event_age: Option<&'a str>,
    /// `--dlq-arn`
    pub dlq_arn: Option<&'a str>,
    /// `--disabled`
    pub disabled: bool,
    /// `--client-token`
    pub client_token: Option<&'a str>,
}

impl ReminderSettings {
    /// Checks what depends on the cart and its extras: the rendered detail-type, and the size
    /// of the event Scheduler will put. Returns the detail-type.
    pub fn check_cart(&self, cart: &Cart, extras: &ReminderExtras) -> Result<String> {
        for (field, id) in [("--user", &cart.user), ("--product", &cart.product)] {
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
        let detail_type = self.detail_type.render(cart, "--detail-type")?;
        let size = self.source.len() + detail_type.len() + cart.reminder_input_with(extras).len();
        if size >= limits::PUT_EVENTS_MAX_BYTES {
            let (field, fix) = if extras.detail.is_empty() {
                ("--user/--product", "use shorter ids")
            } else {
                ("--detail", "send fewer or shorter detail keys")
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
    fn retry_policy(&self) -> Option<RetryPolicy> {
        (self.max_retries.is_some() || self.max_event_age_secs.is_some()).then_some(RetryPolicy {
            maximum_event_age_in_seconds: self.max_event_age_secs,
            maximum_retry_attempts: self.max_retries,
        })
    }

    /// The schedule definition of a reminder due at `due` with `target`.
    fn definition(&self, due: &Due, target: Target) -> ScheduleDefinition {
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

    /// Checks every setting; the first bad one is reported with its flag.
    pub fn parse(raw: &RawReminderSettings<'_>) -> Result<ReminderSettings> {
        limits::check_name("--group", raw.group)?;
        let role_arn = raw.role_arn.filter(|s| !s.is_empty()).ok_or_else(|| {
            Error::invalid(
                "--role-arn",
                "is required to schedule a reminder",
                "pass --role-arn arn:aws:iam::<account>:role/<name> or set CARTCTL_SCHEDULER_ROLE_ARN",
            )
        })?;
        crate::arn::check_role_arn("--role-arn", role_arn)?;
        limits::check_source("--source", raw.source)?;
        if raw.detail_type.is_empty() {
            limits::check_detail_type("--detail-type", raw.detail_type)?;
        }
        if let Some(d) = raw.description {
            limits::check_description("--description", d)?;
        }
        let flexible_window_minutes = raw
            .flexible_window
            .map(|w| limits::parse_flexible_window("--flexible-window", w))
            .transpose()?;
        if let Some(n) = raw.max_retries {
            limits::check_retry_attempts("--max-retries", n)?;
        }
        let max_event_age_secs = raw
            .max_event_age
            .map(|a| limits::parse_event_age("--max-event-age", a))
            .transpose()?;
        if let Some(arn) = raw.dlq_arn {
            crate::arn::check_sqs_arn("--dlq-arn", arn)?;
        }
        if let Some(t) = raw.client_token {
            limits::check_client_token("--client-token", t)?;
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
        let field = if name.is_some() { "--name" } else { "--in" };
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
/// before, and a `--name` that leaves room for the stage suffix.
pub fn check_series(dues: &[Due], name: Option<&ReminderName>) -> Result<()> {
    if let Some(name) = name
        && dues.len() > 1
    {
        let last = Stage {
            number: dues.len() as u32,
            total: dues.len() as u32,
        };
        name.staged(last, "--name")?;
    }
    if dues.is_empty() || dues.len() > MAX_STAGES {
        return Err(Error::invalid(
            "--in",
            format!(
                "gives {} stages; a reminder has 1 to {MAX_STAGES}",
                dues.len()
            ),
            "give --in once per stage, such as --in 30m --in 4h --in 1d",
        ));
    }
    for (n, pair) in dues.windows(2).enumerate() {
        if pair[1].utc() <= pair[0].utc() {
            return Err(Error::invalid(
                "--in",
                format!("stage {} is not later than stage {}", n + 2, n + 1),
                "give the stages in increasing order, such as --in 30m --in 4h --in 1d",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::due::DueSpec;

    const ROLE: &str = "arn:aws:iam::123456789012:role/cart-reminder";
    const BUS: &str = "arn:aws:events:us-east-1:123456789012:event-bus/default";

    fn now() -> DateTime<Utc> {
        "2026-11-29T07:56:52Z".parse().unwrap()
    }

    fn raw() -> RawReminderSettings<'static> {
        RawReminderSettings {
            group: "default",
            role_arn: Some(ROLE),
            source: DEFAULT_SOURCE,
            detail_type: DEFAULT_DETAIL_TYPE,
            ..Default::default()
        }
    }

    fn reminder(
        user: &str,
        product: &str,
        spec: DueSpec<'_>,
        raw: &RawReminderSettings<'_>,
    ) -> Reminder {
        let cart = Cart::new(user, product, ("--user", "--product")).unwrap();
        let due = Due::resolve(spec, None, now(), ("--in", "--at", "--timezone")).unwrap();
        let settings = ReminderSettings::parse(raw).unwrap();
        Reminder::new(cart, due, None, &settings, BUS).unwrap()
    }

    fn stored_from(r: &Reminder, modified: DateTime<Utc>) -> StoredSchedule {
        StoredSchedule {
            arn: "arn".into(),
            name: r.name().into(),
            group: "default".into(),
            definition: r.request.definition.clone(),
            last_modified: Some(modified),
            extra_fields: vec![],
        }
    }

    #[test]
    fn name_is_two_short_hashes() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let name = ReminderName::for_cart(&cart);
        // sha256("alice") = 2bd806c97f0e…, sha256("sku-1") = 57156ade504c…
        assert_eq!(name.as_str(), "cart-2bd806c97f0e-57156ade504c");
        assert!(ReminderName::is_derived(name.as_str()));
        assert!(limits::check_name("name", name.as_str()).is_ok());
        assert!(
            name.as_str()
                .starts_with(&ReminderName::user_prefix("alice"))
        );
        assert!(!name.as_str().contains("alice"));
    }

    #[test]
    fn derived_names_are_recognised() {
        assert!(ReminderName::is_derived("cart-0123456789ab-0123456789ab"));
        assert!(!ReminderName::is_derived("cart-0123456789ab-0123456789a"));
        assert!(!ReminderName::is_derived("cart-0123456789AB-0123456789ab"));
        assert!(!ReminderName::is_derived(
            "cart-0123456789ab-0123456789ab-x"
        ));
        assert!(!ReminderName::is_derived("other-0123456789ab-0123456789ab"));
        // Stages: `-s<N>`, N without a leading zero.
        assert!(ReminderName::is_derived(
            "cart-0123456789ab-0123456789ab-s3"
        ));
        assert!(ReminderName::is_derived(
            "cart-0123456789ab-0123456789ab-s10"
        ));
        assert!(!ReminderName::is_derived(
            "cart-0123456789ab-0123456789ab-s0"
        ));
        assert!(!ReminderName::is_derived(
            "cart-0123456789ab-0123456789ab-s"
        ));
        assert!(!ReminderName::is_derived("cart-0123456789ab-s1"));
        assert_eq!(ReminderName::without_stage("a-b-s12"), "a-b");
        assert_eq!(ReminderName::without_stage("a-b-s01"), "a-b-s01");
        assert_eq!(ReminderName::without_stage("a-b"), "a-b");
    }

    fn dues(specs: &[&str]) -> Vec<Due> {
        specs
            .iter()
            .map(|d| {
                Due::resolve(DueSpec::In(d), None, now(), ("--in", "--at", "--timezone")).unwrap()
            })
            .collect()
    }

    #[test]
    fn detail_keys_follow_the_cart_and_stage_and_read_back() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let detail = parse_detail_object(
            "--detail",
            r#"{"cart_id":"c-42","user":"alice","quantity":2,"items":["a"]}"#,
        )
        .unwrap();
        let mut extras = ReminderExtras::with_detail(&cart, Some(detail), "--detail").unwrap();
        extras.stage = Some(Stage {
            number: 2,
            total: 3,
        });
        let input = cart.reminder_input_with(&extras);
        assert_eq!(
            input,
            r#"{"scheduled_event":"true","user":"alice","product":"sku-1","stage":2,"stages":3,"cart_id":"c-42","quantity":2,"items":["a"]}"#
        );
        let (back, back_extras) = Cart::parse_reminder_input(&input).unwrap();
        assert_eq!(back, cart);
        assert_eq!(back_extras, extras);
        // In the order written (maps compare without order).
        let keys: Vec<&String> = back_extras.detail.keys().collect();
        assert_eq!(keys, ["cart_id", "quantity", "items"]);
        // A plain reminder has no extras; a stage beyond its total is detail, not a stage.
        let (_, plain) = Cart::parse_reminder_input(&cart.reminder_input()).unwrap();
        assert_eq!(plain, ReminderExtras::default());
        let odd = r#"{"scheduled_event":"true","user":"a","product":"b","stage":4,"stages":3}"#;
        let (_, odd) = Cart::parse_reminder_input(odd).unwrap();
        assert_eq!(odd.stage, None);
        assert_eq!(odd.detail.len(), 2);
    }

    #[test]
    fn details_that_set_what_cartctl_writes_are_refused() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        for (detail, needle) in [
            (r#"{"scheduled_event":"true"}"#, "`scheduled_event`"),
            (r#"{"stage":1}"#, "`stage`"),
            (r#"{"stages":1}"#, "`stages`"),
            (r#"{"user":"bob"}"#, "contradicts"),
            (r#"{"product":1}"#, "contradicts"),
        ] {
            let d = parse_detail_object("--detail", detail).unwrap();
            let e = ReminderExtras::with_detail(&cart, Some(d), "--detail").unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("--detail"), "{e}");
            assert!(e.to_string().contains(needle), "{detail}: {e}");
        }
        // Too large for one event: refused naming --detail.
        let big = serde_json::json!({"note": "x".repeat(256 * 1024)});
        let extras =
            ReminderExtras::with_detail(&cart, big.as_object().cloned(), "--detail").unwrap();
        let settings = ReminderSettings::parse(&raw()).unwrap();
        let e = settings.check_cart(&cart, &extras).unwrap_err();
        assert!(e.to_string().contains("--detail"), "{e}");
    }

    #[test]
    fn a_series_has_one_named_reminder_per_stage() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        let settings = ReminderSettings::parse(&raw()).unwrap();
        let base = ReminderName::for_cart(&cart);
        let series = Reminder::series(
            cart.clone(),
            ReminderExtras::default(),
            dues(&["30m", "4h", "1d"]),
            None,
            &settings,
            BUS,
        )
        .unwrap();
        let names: Vec<&str> = series.iter().map(Reminder::name).collect();
        assert_eq!(names, [1, 2, 3].map(|n| format!("{base}-s{n}")));
        for (n, r) in series.iter().enumerate() {
            assert!(r.name().starts_with(&ReminderName::user_prefix("alice")));
            let (_, extras) =
                Cart::parse_reminder_input(&r.request.definition.target.input).unwrap();
            assert_eq!(
                extras.stage,
                Some(Stage {
                    number: n as u32 + 1,
                    total: 3
                })
            );
        }
        // One due time: the plain reminder, no suffix, no stage.
        let one = Reminder::series(
            cart.clone(),
            ReminderExtras::default(),
            dues(&["1d"]),
            None,
            &settings,
            BUS,
        )
        .unwrap();
        assert_eq!(one[0].name(), base.as_str());
        assert_eq!(
            one[0].request.definition.target.input,
            cart.reminder_input()
        );
        // Out of order, too many, or a --name with no room for the suffix: refused.
        for (d, name, needle) in [
            (dues(&["4h", "30m"]), None, "increasing"),
            (dues(&["1h"; 11]), None, "1 to 10"),
            (dues(&["1h", "2h"]), Some("n".repeat(63)), "64"),
        ] {
            let name = name.map(|n| ReminderName::parse("--name", &n).unwrap());
            let e = Reminder::series(
                cart.clone(),
                ReminderExtras::default(),
                d,
                name,
                &settings,
                BUS,
            )
            .unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains(needle), "{e}");
        }
    }

    #[test]
    fn input_is_built_with_serde_and_round_trips_hostile_ids() {
        for (user, product) in [
            ("alice", "sku-1"),
            (r#"o"brien\"#, "a\nb\tc"),
            ("ünïcødé 🛒", "\u{1}\u{7f}"),
            ("{user}", "}{"),
        ] {
            let cart = Cart::new(user, product, ("--user", "--product")).unwrap();
            let input = cart.reminder_input();
            let v: Value = serde_json::from_str(&input).unwrap();
            assert_eq!(v["scheduled_event"], "true");
            assert_eq!(v["user"], user);
            assert_eq!(v["product"], product);
            assert_eq!(Cart::from_reminder_input(&input), Some(cart));
        }
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        assert_eq!(
            cart.reminder_input(),
            r#"{"scheduled_event":"true","user":"alice","product":"sku-1"}"#
        );
    }

    #[test]
    fn foreign_inputs_are_not_carts() {
        assert!(Cart::from_reminder_input("not json").is_none());
        assert!(Cart::from_reminder_input(r#"{"user":"a","product":"b"}"#).is_none());
        assert!(
            Cart::from_reminder_input(r#"{"scheduled_event":true,"user":"a","product":"b"}"#)
                .is_none()
        );
        assert!(
            Cart::from_reminder_input(r#"{"scheduled_event":"true","user":1,"product":"b"}"#)
                .is_none()
        );
    }

    #[test]
    fn event_detail_merges_extra_keys_after_ids() {
        let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
        assert_eq!(
            cart.event_detail(None, "--detail").unwrap(),
            r#"{"user":"alice","product":"sku-1"}"#
        );
        let extra = parse_detail_object("--detail", r#"{"quantity":2,"user":"alice"}"#).unwrap();
        assert_eq!(
            cart.event_detail(Some(&extra), "--detail").unwrap(),
            r#"{"user":"alice","product":"sku-1","quantity":2}"#
        );
        let clash = parse_detail_object("--detail", r#"{"user":"bob"}"#).unwrap();
        let e = cart.event_detail(Some(&clash), "--detail").unwrap_err();
        assert!(e.to_string().contains("contradicts --user"), "{e}");
    }

    #[test]
    fn detail_must_be_an_object() {
        for bad in ["[1]", "\"s\"", "1", "null", "{", ""] {
            let e = parse_detail_object("--detail", bad).unwrap_err();
            assert!(e.to_string().starts_with("invalid --detail"), "{e}");
        }
    }

    #[test]
    fn detail_type_template_substitutes_once() {
        let cart = Cart::new("{product}", "sku-1", ("--user", "--product")).unwrap();
        let t = DetailTypeTemplate::new("{user} put {product} in the cart");
        assert_eq!(
            t.render(&cart, "--detail-type").unwrap(),
            "{product} put sku-1 in the cart"
        );
        let long = Cart::new("u", &"p".repeat(120), ("--user", "--product")).unwrap();
        let e = DetailTypeTemplate::new(DEFAULT_DETAIL_TYPE)
            .render(&long, "--detail-type")
            .unwrap_err();
        assert!(e.to_string().contains("after substitution"), "{e}");
    }

    #[test]
    fn ids_holding_a_context_attribute_are_refused() {
        let settings = ReminderSettings::parse(&raw()).unwrap();
        for (user, product, field) in [
            ("<aws.scheduler.execution-id>", "sku-1", "--user"),
            ("alice", "x<aws.scheduler.schedule-arn>", "--product"),
        ] {
            let cart = Cart::new(user, product, ("--user", "--product")).unwrap();
            let e = settings
                .check_cart(&cart, &ReminderExtras::default())
                .unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains(field), "{e}");
        }
        // Text that merely looks alike is fine.
        let cart = Cart::new("<aws.schedule>", "sku-1", ("--user", "--product")).unwrap();
        assert!(
            settings
                .check_cart(&cart, &ReminderExtras::default())
                .is_ok()
        );
    }

    #[test]
    fn request_has_the_designed_defaults() {
        let r = reminder("alice", "sku-1", DueSpec::In("1d"), &raw());
        let v = serde_json::to_value(&r.request).unwrap();
        assert_eq!(v["ScheduleExpression"], "at(2026-11-30T07:56:52)");
        assert_eq!(v["ScheduleExpressionTimezone"], "UTC");
        assert_eq!(v["FlexibleTimeWindow"], serde_json::json!({"Mode": "OFF"}));
        assert_eq!(v["ActionAfterCompletion"], "DELETE");
        assert_eq!(v["State"], "ENABLED");
        assert_eq!(v["Target"]["Arn"], BUS);
        assert_eq!(v["Target"]["RoleArn"], ROLE);
        assert_eq!(
            v["Target"]["EventBridgeParameters"]["Source"],
            "putToCartService"
        );
        assert_eq!(
            v["Target"]["EventBridgeParameters"]["DetailType"],
            "item sku-1 added to Cart"
        );
        assert!(v["Target"].get("RetryPolicy").is_none());
        let token = v["ClientToken"].as_str().unwrap();
        assert_eq!(token.len(), 64);
        assert!(limits::check_client_token("t", token).is_ok());
    }

    #[test]
    fn client_tokens_are_stable_within_an_invocation_and_new_in_the_next() {
        let settings = ReminderSettings::parse(&raw()).unwrap();
        let build = |at: &str, settings: &ReminderSettings| {
            let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
            let due =
                Due::resolve(DueSpec::At(at), None, now(), ("--in", "--at", "--timezone")).unwrap();
            Reminder::new(cart, due, None, settings, BUS).unwrap()
        };
        // One invocation: the same request, the same token (its retries reuse it).
        let a = build("2026-12-24T18:00", &settings);
        let b = build("2026-12-24T18:00", &settings);
        let c = build("2026-12-24T18:01", &settings);
        assert_eq!(a.request.client_token, b.request.client_token);
        assert_ne!(a.request.client_token, c.request.client_token);
        // The next invocation (a new parse): a new token for the identical request.
        let next = ReminderSettings::parse(&raw()).unwrap();
        assert_ne!(
            a.request.client_token,
            build("2026-12-24T18:00", &next).request.client_token
        );
        // UpdateSchedule never reuses the create's token.
        assert_ne!(a.update_client_token, a.request.client_token);
        assert_eq!(a.update_client_token, b.update_client_token);
        assert!(limits::check_client_token("t", &a.update_client_token).is_ok());
        let explicit = RawReminderSettings {
            client_token: Some("my-token"),
            ..raw()
        };
        assert_eq!(
            reminder("alice", "sku-1", DueSpec::In("1d"), &explicit)
                .request
                .client_token,
            "my-token"
        );
    }

    #[test]
    fn optional_settings_reach_the_request() {
        let full = RawReminderSettings {
            description: Some("reminder"),
            flexible_window: Some("15m"),
            keep_after_completion: true,
            max_retries: Some(3),
            max_event_age: Some("1h"),
            dlq_arn: Some("arn:aws:sqs:us-east-1:123456789012:dlq"),
            disabled: true,
            ..raw()
        };
        let v =
            serde_json::to_value(&reminder("a", "p", DueSpec::In("1d"), &full).request).unwrap();
        assert_eq!(v["Description"], "reminder");
        assert_eq!(
            v["FlexibleTimeWindow"],
            serde_json::json!({"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15})
        );
        assert_eq!(v["ActionAfterCompletion"], "NONE");
        assert_eq!(v["State"], "DISABLED");
        assert_eq!(
            v["Target"]["RetryPolicy"],
            serde_json::json!({"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3})
        );
        assert_eq!(
            v["Target"]["DeadLetterConfig"]["Arn"],
            "arn:aws:sqs:us-east-1:123456789012:dlq"
        );
    }

    #[test]
    fn settings_are_checked() {
        let cases: Vec<(RawReminderSettings<'static>, &str)> = vec![
            (
                RawReminderSettings {
                    role_arn: None,
                    ..raw()
                },
                "--role-arn",
            ),
            (
                RawReminderSettings {
                    role_arn: Some("nope"),
                    ..raw()
                },
                "--role-arn",
            ),
            (
                RawReminderSettings {
                    group: "bad group",
                    ..raw()
                },
                "--group",
            ),
            (
                RawReminderSettings {
                    source: "aws.shop",
                    ..raw()
                },
                "--source",
            ),
            (
                RawReminderSettings {
                    detail_type: "",
                    ..raw()
                },
                "--detail-type",
            ),
            (
                RawReminderSettings {
                    flexible_window: Some("0m"),
                    ..raw()
                },
                "--flexible-window",
            ),
            (
                RawReminderSettings {
                    max_retries: Some(186),
                    ..raw()
                },
                "--max-retries",
            ),
            (
                RawReminderSettings {
                    max_event_age: Some("30s"),
                    ..raw()
                },
                "--max-event-age",
            ),
            (
                RawReminderSettings {
                    dlq_arn: Some("arn:aws:sns:us-east-1:123456789012:t"),
                    ..raw()
                },
                "--dlq-arn",
            ),
            (
                RawReminderSettings {
                    client_token: Some("bad token"),
                    ..raw()
                },
                "--client-token",
            ),
        ];
        for (raw, field) in cases {
            let e = ReminderSettings::parse(&raw).unwrap_err();
            assert!(
                e.to_string().starts_with(&format!("invalid {field}:")),
                "{field}: {e}"
            );
        }
    }

    #[test]
    fn identical_stored_schedule_has_no_differences() {
        let r = reminder("alice", "sku-1", DueSpec::At("2026-12-24T18:00"), &raw());
        assert!(r.differences(&stored_from(&r, now())).is_empty());
    }

    #[test]
    fn stored_defaults_are_normalised() {
        let r = reminder("alice", "sku-1", DueSpec::At("2026-12-24T18:00"), &raw());
        let mut s = stored_from(&r, now());
        s.definition.target.retry_policy = Some(RetryPolicy {
            maximum_event_age_in_seconds: Some(86_400),
            maximum_retry_attempts: Some(185),
        });
        s.definition.description = Some(String::new());
        s.definition.target.input =
            r#"{"product":"sku-1","user":"alice","scheduled_event":"true"}"#.into();
        assert!(r.differences(&s).is_empty());
    }

    #[test]
    fn differing_fields_are_named() {
        let r = reminder("alice", "sku-1", DueSpec::At("2026-12-24T18:00"), &raw());
        let mut s = stored_from(&r, now());
        s.definition.schedule_expression = "at(2026-12-24T18:01:00)".into();
        s.definition.target.role_arn = "arn:aws:iam::123456789012:role/other".into();
        s.definition.action_after_completion = ActionAfterCompletion::None;
        s.extra_fields.push("KMS key");
        assert_eq!(
            r.differences(&s),
            vec!["due time", "action after completion", "role", "KMS key"]
        );
    }

    #[test]
    fn relative_due_matches_a_schedule_created_that_long_before_it() {
        // Created 2 h ago with --in 1d: re-running --in 1d now is the same reminder.
        let earlier = now() - chrono::Duration::hours(2);
        let first = {
            let cart = Cart::new("alice", "sku-1", ("--user", "--product")).unwrap();
            let due = Due::resolve(
                DueSpec::In("1d"),
                None,
                earlier,
                ("--in", "--at", "--timezone"),
            )
            .unwrap();
            Reminder::new(
                cart,
                due,
                None,
                &ReminderSettings::parse(&raw()).unwrap(),
                BUS,
            )
            .unwrap()
        };
        let stored = stored_from(&first, earlier + chrono::Duration::seconds(2));
        let again = reminder("alice", "sku-1", DueSpec::In("1d"), &raw());
        assert!(again.differences(&stored).is_empty());
        let longer = reminder("alice", "sku-1", DueSpec::In("2d"), &raw());
        assert_eq!(longer.differences(&stored), vec!["due time"]);
        let absolute = reminder(
            "alice",
            "sku-1",
            DueSpec::At("2026-11-30T07:56:52Z"),
            &raw(),
        );
        assert_eq!(absolute.differences(&stored), vec!["due time"]);
    }
}
