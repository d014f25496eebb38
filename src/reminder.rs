//! The reminder core: from cart parameters (user, product, due time and settings) to the exact
//! CreateSchedule request, and back from a stored schedule to the cart it reminds of.
//!
//! Pure: no I/O. Names and client tokens are deterministic, so a re-run or a retry asks for the
//! same schedule under the same name, and user ids never appear in names or ARNs.

use std::fmt;

use chrono::{DateTime, Utc};
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
        let mut m = Map::new();
        m.insert("scheduled_event".into(), Value::String("true".into()));
        m.insert("user".into(), Value::String(self.user.clone()));
        m.insert("product".into(), Value::String(self.product.clone()));
        Value::Object(m).to_string()
    }

    /// Reads a reminder Input back; `None` if it is not a cartctl reminder.
    pub fn from_reminder_input(input: &str) -> Option<Cart> {
        let v: Value = serde_json::from_str(input).ok()?;
        let o = v.as_object()?;
        if o.get("scheduled_event")?.as_str()? != "true" {
            return None;
        }
        Some(Cart {
            user: o.get("user")?.as_str()?.to_owned(),
            product: o.get("product")?.as_str()?.to_owned(),
        })
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

    /// True if `name` has the shape of a derived reminder name.
    pub fn is_derived(name: &str) -> bool {
        let Some(rest) = name.strip_prefix(NAME_PREFIX) else {
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
    /// Checks what depends on the cart: the rendered detail-type, and the size of the event
    /// Scheduler will put. Returns the detail-type.
    pub fn check_cart(&self, cart: &Cart) -> Result<String> {
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
        let size = self.source.len() + detail_type.len() + cart.reminder_input().len();
        if size >= limits::PUT_EVENTS_MAX_BYTES {
            return Err(Error::invalid(
                "--user/--product",
                format!(
                    "the reminder event would be {size} bytes; EventBridge takes less than 256 KB"
                ),
                "use shorter ids",
            ));
        }
        Ok(detail_type)
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
        let name = name.unwrap_or_else(|| ReminderName::for_cart(&cart));
        let detail_type = settings.check_cart(&cart)?;
        let input = cart.reminder_input();
        let retry_policy = (settings.max_retries.is_some()
            || settings.max_event_age_secs.is_some())
        .then_some(RetryPolicy {
            maximum_event_age_in_seconds: settings.max_event_age_secs,
            maximum_retry_attempts: settings.max_retries,
        });
        let definition = ScheduleDefinition {
            schedule_expression: due.expression(),
            schedule_expression_timezone: due.timezone().to_owned(),
            description: settings.description.clone(),
            state: if settings.disabled {
                ScheduleState::Disabled
            } else {
                ScheduleState::Enabled
            },
            flexible_time_window: match settings.flexible_window_minutes {
                None => FlexibleTimeWindow {
                    mode: FlexibleMode::Off,
                    maximum_window_in_minutes: None,
                },
                Some(m) => FlexibleTimeWindow {
                    mode: FlexibleMode::Flexible,
                    maximum_window_in_minutes: Some(m),
                },
            },
            target: Target {
                arn: bus_arn.to_owned(),
                role_arn: settings.role_arn.clone(),
                input,
                event_bridge_parameters: EventBridgeParameters {
                    detail_type,
                    source: settings.source.clone(),
                },
                retry_policy,
                dead_letter_config: settings
                    .dlq_arn
                    .as_ref()
                    .map(|arn| DeadLetterConfig { arn: arn.clone() }),
            },
            action_after_completion: if settings.keep_after_completion {
                ActionAfterCompletion::None
            } else {
                ActionAfterCompletion::Delete
            },
        };
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
        })
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
            let e = settings.check_cart(&cart).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains(field), "{e}");
        }
        // Text that merely looks alike is fine.
        let cart = Cart::new("<aws.schedule>", "sku-1", ("--user", "--product")).unwrap();
        assert!(settings.check_cart(&cart).is_ok());
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
