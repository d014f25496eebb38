//! Who added what to the cart, and what a reminder's Input carries: the cart's ids, its stage,
//! and the extra detail keys (a `detail` object), written and read back with serde.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::limits;

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
                        format!("sets `{k}` to {v}, which contradicts the given {k}"),
                        format!("remove `{k}` from the detail (the {k} is given on its own)"),
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
                        format!("remove `{key}` from the detail (the {key} is given on its own)"),
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

/// Parses a `detail`: it must be a JSON object.
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
