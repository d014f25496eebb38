//! A bulk line: the fields one NDJSON object or CSV row may set ([`RawLine`]), how a line is
//! parsed, and how it becomes a reminder or a cart event with what the command line gives
//! every line ([`LineDefaults`]). Pure: reading files and stdin is the CLI's, sending is the
//! AWS library's.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::due::{Due, DueSpec};
use crate::error::{Error, Result};
use crate::event::{CartEvent, CartEventKind, EventSettings};
use crate::quiet::QuietHours;
use crate::reminder::{Cart, Reminder, ReminderExtras, ReminderSettings};

/// The fields one line may set; what a line leaves out comes from the command-line flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawLine {
    /// The user id.
    pub user: Option<String>,
    /// The product id.
    pub product: Option<String>,
    /// A duration from now (`schedule`).
    pub in_: Option<String>,
    /// A due time (`schedule`).
    pub at: Option<String>,
    /// The due time's zone (`schedule`).
    pub timezone: Option<String>,
    /// More detail keys (`put-event`, `schedule`): a JSON object.
    pub detail: Option<Value>,
    /// Restart the clock of an existing reminder (`schedule`).
    pub restart: Option<bool>,
    /// A schedule name (`delete`).
    pub name: Option<String>,
    /// The kind of cart event (`put-event`): add, remove or checkout.
    pub kind: Option<String>,
}

/// The column names a line may use.
pub const FIELDS: [&str; 9] = [
    "user", "product", "in", "at", "timezone", "detail", "restart", "name", "kind",
];

/// Reads a yes/no cell: true, false, yes, no, 1 or 0.
fn parse_flag(field: &str, text: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(Error::invalid(
            field,
            format!("must be true or false, not `{text}`"),
            format!("write `{field}` as true or false"),
        )),
    }
}

impl RawLine {
    /// The detail as an object, naming the field on error.
    pub fn detail_object(&self) -> Result<Option<Map<String, Value>>> {
        match &self.detail {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m.clone())),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => crate::reminder::parse_detail_object("detail", s).map(Some),
            Some(_) => Err(Error::invalid(
                "detail",
                "must be a JSON object",
                r#"write it like {"quantity": 2}"#,
            )),
        }
    }
}

/// One line read: its 1-based number in the input, and what it holds.
pub type NumberedLine = (u64, Result<RawLine>);

/// Parses one NDJSON line; `None` for a blank line. Errors name the offending field.
pub fn parse_ndjson_line(text: &str) -> Option<Result<RawLine>> {
    let text = text.trim().trim_start_matches('\u{feff}');
    if text.is_empty() {
        return None;
    }
    let fix = || {
        format!(
            "each line is a JSON object with the fields {}",
            FIELDS.join(", ")
        )
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Some(Err(Error::invalid(
                "line",
                format!("is not JSON ({e})"),
                fix(),
            )));
        }
    };
    let Value::Object(fields) = value else {
        return Some(Err(Error::invalid("line", "is not a JSON object", fix())));
    };
    let mut line = RawLine::default();
    for (key, value) in fields {
        let text = |v: Value| match v {
            Value::String(s) => Ok(Some(s)),
            Value::Null => Ok(None),
            other => Err(Error::invalid(
                key.as_str(),
                format!("must be a string, not {other}"),
                format!("write it as \"{key}\": \"...\""),
            )),
        };
        let set = match key.as_str() {
            "user" => text(value).map(|v| line.user = v),
            "product" => text(value).map(|v| line.product = v),
            "in" => text(value).map(|v| line.in_ = v),
            "at" => text(value).map(|v| line.at = v),
            "timezone" => text(value).map(|v| line.timezone = v),
            "detail" => {
                line.detail = Some(value);
                Ok(())
            }
            "name" => text(value).map(|v| line.name = v),
            "kind" => text(value).map(|v| line.kind = v),
            "restart" => match value {
                Value::Bool(b) => {
                    line.restart = Some(b);
                    Ok(())
                }
                Value::Null => Ok(()),
                Value::String(t) => parse_flag("restart", &t).map(|b| line.restart = Some(b)),
                other => Err(Error::invalid(
                    "restart",
                    format!("must be true or false, not {other}"),
                    "write it as \"restart\": true",
                )),
            },
            other => Err(Error::invalid(
                other,
                "is not a field of a line (unknown field)",
                fix(),
            )),
        };
        if let Err(e) = set {
            return Some(Err(e));
        }
    }
    Some(Ok(line))
}

/// Maps a CSV header's names to fields, refusing unknown or repeated columns.
pub fn csv_columns<'a>(headers: impl IntoIterator<Item = &'a str>) -> Result<Vec<usize>> {
    let mut seen = Vec::new();
    for h in headers {
        let h = h.trim().trim_start_matches('\u{feff}');
        let Some(i) = FIELDS.iter().position(|f| *f == h) else {
            return Err(Error::invalid(
                "file",
                format!("the CSV header has the unknown column `{h}`"),
                format!("use the columns {}", FIELDS.join(", ")),
            ));
        };
        if seen.contains(&i) {
            return Err(Error::invalid(
                "file",
                format!("the CSV header repeats the column `{h}`"),
                "name each column once",
            ));
        }
        seen.push(i);
    }
    Ok(seen)
}

/// Builds a line from a CSV record's cells given the header's field indices ([`csv_columns`]);
/// empty cells are absent.
pub fn csv_line<'a>(
    cells: impl IntoIterator<Item = &'a str>,
    columns: &[usize],
) -> Result<RawLine> {
    let mut line = RawLine::default();
    for (cell, &field) in cells.into_iter().zip(columns) {
        if cell.is_empty() {
            continue;
        }
        let v = Some(cell.to_owned());
        match FIELDS[field] {
            "user" => line.user = v,
            "product" => line.product = v,
            "in" => line.in_ = v,
            "at" => line.at = v,
            "timezone" => line.timezone = v,
            "name" => line.name = v,
            "kind" => line.kind = v,
            "restart" => line.restart = Some(parse_flag("restart", cell)?),
            _ => line.detail = Some(Value::String(cell.to_owned())),
        }
    }
    Ok(line)
}

/// Values from the command line that every line inherits unless it sets its own.
#[derive(Debug, Clone, Default)]
pub struct LineDefaults {
    /// `--user`
    pub user: Option<String>,
    /// `--product`
    pub product: Option<String>,
    /// `--in`
    pub in_: Option<String>,
    /// `--at`
    pub at: Option<String>,
    /// `--timezone`
    pub timezone: Option<String>,
    /// `--detail`
    pub detail: Option<Map<String, Value>>,
    /// `--restart`: every line's due time counts from now, moving existing reminders.
    pub restart: bool,
    /// `--quiet-hours`: due times inside move to the window's end (`schedule`).
    pub quiet_hours: Option<QuietHours>,
    /// `--kind`: the cart event of lines without a `kind` (`put-event`).
    pub kind: CartEventKind,
}

impl LineDefaults {
    fn cart(&self, raw: &RawLine) -> Result<Cart> {
        let pick = |line: &Option<String>, flag: &Option<String>, name: &str| {
            line.clone().or_else(|| flag.clone()).ok_or_else(|| {
                Error::invalid(
                    name,
                    "is missing",
                    format!("give `{name}` on the line, or a {name} for every line"),
                )
            })
        };
        let user = pick(&raw.user, &self.user, "user")?;
        let product = pick(&raw.product, &self.product, "product")?;
        Cart::new(&user, &product, ("user", "product"))
    }

    fn due(&self, raw: &RawLine, now: DateTime<Utc>) -> Result<Due> {
        let (in_, at) = if raw.in_.is_some() || raw.at.is_some() {
            (raw.in_.as_deref(), raw.at.as_deref())
        } else {
            (self.in_.as_deref(), self.at.as_deref())
        };
        let spec = match (in_, at) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "in",
                    "and `at` are both given",
                    "give either `in` or `at`",
                ));
            }
            (Some(d), None) => DueSpec::In(d),
            (None, Some(t)) => DueSpec::At(t),
            (None, None) => {
                return Err(Error::invalid(
                    "in",
                    "is missing (no `in` or `at`)",
                    "give `in` or `at` on the line, or a due time for every line",
                ));
            }
        };
        let tz = raw.timezone.as_deref().or(self.timezone.as_deref());
        let due = Due::resolve(spec, tz, now, ("in", "at", "timezone"))?;
        Ok(match &self.quiet_hours {
            Some(q) => due.deferred(q),
            None => due,
        })
    }

    /// The reminder a line asks for, its due time counted from `now`.
    pub fn reminder(
        &self,
        raw: &RawLine,
        settings: &ReminderSettings,
        bus_arn: &str,
        now: DateTime<Utc>,
    ) -> Result<Reminder> {
        if raw.name.is_some() {
            return Err(Error::invalid(
                "name",
                "is for delete lines; a reminder's name is derived from user and product",
                "remove `name` from the line",
            ));
        }
        let cart = self.cart(raw)?;
        let due = self.due(raw, now)?;
        let detail = raw.detail_object()?.or_else(|| self.detail.clone());
        let extras = ReminderExtras::with_detail(&cart, detail, "detail")?;
        let mut reminder = Reminder::with_extras(cart, extras, due, None, settings, bus_arn)?;
        reminder.restart = raw.restart.unwrap_or(self.restart);
        Ok(reminder)
    }

    /// The event a line asks for.
    pub fn event(&self, raw: &RawLine, settings: &EventSettings) -> Result<CartEvent> {
        let restart = raw.restart.map(|b| b.to_string());
        for (field, value) in [
            ("in", &raw.in_),
            ("at", &raw.at),
            ("timezone", &raw.timezone),
            ("restart", &restart),
            ("name", &raw.name),
        ] {
            if value.is_some() {
                return Err(Error::invalid(
                    field,
                    "is not a field of a put-event line (an event has no due time or name)",
                    format!("remove `{field}` from the line"),
                ));
            }
        }
        let kind = match &raw.kind {
            Some(k) => CartEventKind::parse("kind", k)?,
            None => self.kind,
        };
        let user = raw
            .user
            .clone()
            .or_else(|| self.user.clone())
            .ok_or_else(|| {
                Error::invalid(
                    "user",
                    "is missing",
                    "give `user` on the line, or a user for every line",
                )
            })?;
        let product = raw.product.clone().or_else(|| self.product.clone());
        if kind.has_product() && product.is_none() {
            return Err(Error::invalid(
                "product",
                "is missing",
                "give `product` on the line, or a product for every line",
            ));
        }
        let line_detail = raw.detail_object()?;
        let detail = line_detail.as_ref().or(self.detail.as_ref());
        CartEvent::of_kind(
            kind,
            &user,
            product.as_deref(),
            detail,
            settings,
            ("user", "product", "detail"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminder::{DEFAULT_DETAIL_TYPE, DEFAULT_SOURCE, RawReminderSettings};

    const ROLE: &str = "arn:aws:iam::123456789012:role/cart-reminder";
    const BUS: &str = "arn:aws:events:us-east-1:123456789012:event-bus/default";

    fn now() -> DateTime<Utc> {
        "2026-11-29T07:56:52Z".parse().unwrap()
    }

    fn settings() -> ReminderSettings {
        ReminderSettings::parse(&RawReminderSettings {
            group: "default",
            role_arn: Some(ROLE),
            source: DEFAULT_SOURCE,
            detail_type: DEFAULT_DETAIL_TYPE,
            ..Default::default()
        })
        .unwrap()
    }

    fn line(json: &str) -> RawLine {
        parse_ndjson_line(json).unwrap().unwrap()
    }

    #[test]
    fn ndjson_errors_name_the_field_and_a_bom_is_skipped() {
        let e = parse_ndjson_line(r#"{"user": 42, "product": "p"}"#)
            .unwrap()
            .unwrap_err();
        assert!(
            e.to_string().starts_with("invalid user: must be a string"),
            "{e}"
        );
        let e = parse_ndjson_line(r#"{"user": "u", "in": ["1d"]}"#)
            .unwrap()
            .unwrap_err();
        assert!(
            e.to_string().starts_with("invalid in: must be a string"),
            "{e}"
        );
        let e = parse_ndjson_line("[1]").unwrap().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid line: is not a JSON object"),
            "{e}"
        );
        let e = parse_ndjson_line(r#"{"usr": "x"}"#).unwrap().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid usr: is not a field of a line"),
            "{e}"
        );
        assert!(parse_ndjson_line("  \n").is_none());
        let ok = line("\u{feff}{\"user\": \"u\", \"timezone\": null, \"restart\": \"yes\"}");
        assert_eq!(
            (ok.user.as_deref(), ok.timezone, ok.restart),
            (Some("u"), None, Some(true))
        );
    }

    #[test]
    fn a_detail_is_an_object_or_its_json_text() {
        let d = line(r#"{"detail": {"q": 2}}"#)
            .detail_object()
            .unwrap()
            .unwrap();
        assert_eq!(d["q"], 2);
        let d = line(r#"{"detail": "{\"q\": 3}"}"#)
            .detail_object()
            .unwrap()
            .unwrap();
        assert_eq!(d["q"], 3);
        assert_eq!(line(r#"{"detail": ""}"#).detail_object().unwrap(), None);
        assert!(line(r#"{"detail": [1]}"#).detail_object().is_err());
    }

    #[test]
    fn csv_cells_map_to_the_headers_fields_and_empty_cells_are_absent() {
        let columns = csv_columns(["\u{feff}user", "product", "restart", "detail"]).unwrap();
        let l = csv_line(["alice", "", "no", r#"{"q": 2}"#], &columns).unwrap();
        assert_eq!(l.user.as_deref(), Some("alice"));
        assert_eq!((l.product.as_deref(), l.restart), (None, Some(false)));
        assert_eq!(l.detail_object().unwrap().unwrap()["q"], 2);
        let e = csv_line(["a", "p", "maybe", ""], &columns).unwrap_err();
        assert!(e.to_string().starts_with("invalid restart:"), "{e}");
        let e = csv_columns(["user", "when"]).unwrap_err();
        assert!(e.to_string().contains("unknown column `when`"), "{e}");
        let e = csv_columns(["user", "user"]).unwrap_err();
        assert!(e.to_string().contains("repeats the column `user`"), "{e}");
    }

    #[test]
    fn a_line_takes_what_it_leaves_out_from_the_flags_and_counts_from_now() {
        let defaults = LineDefaults {
            product: Some("sku-1".into()),
            in_: Some("1d".into()),
            ..LineDefaults::default()
        };
        let r = defaults
            .reminder(&line(r#"{"user": "alice"}"#), &settings(), BUS, now())
            .unwrap();
        assert_eq!(
            (r.cart.user.as_str(), r.cart.product.as_str()),
            ("alice", "sku-1")
        );
        assert_eq!(
            r.request.definition.schedule_expression,
            "at(2026-11-30T07:56:52)"
        );
        // A line's own due time replaces the flags' whole (its `at` is not mixed with `--in`).
        let r = defaults
            .reminder(
                &line(r#"{"user": "bo", "at": "2027-01-02T03:04:05", "timezone": "UTC"}"#),
                &settings(),
                BUS,
                now(),
            )
            .unwrap();
        assert_eq!(
            r.request.definition.schedule_expression,
            "at(2027-01-02T03:04:05)"
        );
        for (json, starts) in [
            (r#"{"product": "p"}"#, "invalid user: is missing"),
            (
                r#"{"user": "u", "in": "1d", "at": "2027-01-02T03:04:05"}"#,
                "invalid in: and `at` are both given",
            ),
            (r#"{"user": "u", "name": "cart-x"}"#, "invalid name:"),
        ] {
            let e = defaults
                .reminder(&line(json), &settings(), BUS, now())
                .unwrap_err();
            assert!(e.to_string().starts_with(starts), "{json}: {e}");
        }
        let bare = LineDefaults::default();
        let e = bare
            .reminder(
                &line(r#"{"user": "u", "product": "p"}"#),
                &settings(),
                BUS,
                now(),
            )
            .unwrap_err();
        assert!(e.to_string().starts_with("invalid in: is missing"), "{e}");
    }

    #[test]
    fn an_event_line_has_no_due_time_and_a_checkout_no_product() {
        let events = EventSettings::parse("shop", DEFAULT_SOURCE, DEFAULT_DETAIL_TYPE).unwrap();
        let defaults = LineDefaults::default();
        let e = defaults
            .event(
                &line(r#"{"user": "u", "product": "p", "in": "1d"}"#),
                &events,
            )
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid in: is not a field of a put-event line"),
            "{e}"
        );
        let e = defaults
            .event(&line(r#"{"user": "u"}"#), &events)
            .unwrap_err();
        assert!(
            e.to_string().starts_with("invalid product: is missing"),
            "{e}"
        );
        let checkout = defaults
            .event(&line(r#"{"user": "u", "kind": "checkout"}"#), &events)
            .unwrap();
        assert_eq!(
            (checkout.kind, checkout.product),
            (CartEventKind::Checkout, None)
        );
    }
}
