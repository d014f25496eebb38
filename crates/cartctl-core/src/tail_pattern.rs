//! What a tail listens for, and the names and policies of what it creates: the event pattern
//! built from `tail`'s flags, the canary `--wait-ready` sends, the queue policy that admits only
//! the tail's rule. Pure: the AWS calls are in `cartctl-aws`'s `tail`.

use serde_json::{Map, Value, json};

use crate::arn::parse_arn;
use crate::error::{Error, Result};
use crate::shapes::PutEventsEntry;

/// Prefix of every queue and rule a tail creates.
pub const RESOURCE_PREFIX: &str = "cartctl-tail-";
/// Tag holding a resource's creation time (RFC 3339).
pub const CREATED_AT_TAG: &str = "cartctl:created-at";
/// Source of the canary event `--wait-ready` publishes.
pub const CANARY_SOURCE: &str = "cartctl.tail";
const CANARY_DETAIL_TYPE: &str = "cartctl tail canary";
/// The id of the rule's one target, the queue.
pub const TARGET_ID: &str = "cartctl-tail";
/// How long the queue keeps a message nobody read (the shortest SQS allows is 60 s).
pub const RETENTION_SECS: u32 = 3600;

/// What to show: the flags of `tail`, before they become an event pattern.
#[derive(Debug, Clone, Default)]
pub struct TailFilter {
    /// Only events of this source.
    pub source: Option<String>,
    /// Only events of this detail-type.
    pub detail_type: Option<String>,
    /// Only events whose detail's user is this.
    pub user: Option<String>,
    /// Only events whose detail's product is this.
    pub product: Option<String>,
    /// Only reminders: detail.scheduled_event = "true".
    pub scheduled_only: bool,
    /// An EventBridge pattern, merged with the filters above.
    pub pattern: Option<String>,
}

/// A random id for a tail's resources: 10 hex digits.
pub fn new_tail_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    format!("{:010x}", h.finish() & 0xff_ffff_ffff)
}

/// How the caller names the filters in errors (the CLI by its flags); keys by default.
type Names<'a> = &'a dyn Fn(&str) -> String;

fn insert_leaf(
    pattern: &mut Map<String, Value>,
    path: &[&str],
    values: Value,
    (flag, field): (&str, &str),
) -> Result<()> {
    let (last, parents) = path.split_last().expect("a path has a leaf");
    let mut node = pattern;
    for p in parents {
        let entry = node.entry(p.to_string()).or_insert_with(|| json!({}));
        node = entry.as_object_mut().ok_or_else(|| {
            Error::invalid(
                field,
                format!("`{p}` must be an object to combine it with {flag}"),
                format!("drop {flag}, or write the condition into {field}"),
            )
        })?;
    }
    if node.contains_key(*last) {
        return Err(Error::invalid(
            field,
            format!("sets `{}`, which {flag} sets too", path.join(".")),
            format!("use either {flag} or that key of {field}"),
        ));
    }
    node.insert(last.to_string(), values);
    Ok(())
}

impl TailFilter {
    /// The EventBridge pattern of the rule. Without any filter it matches every event. Errors
    /// name each filter by its key (`source`, `pattern`).
    pub fn pattern(&self) -> Result<Map<String, Value>> {
        self.pattern_named(&|key| key.to_owned())
    }

    /// [`TailFilter::pattern`], naming each filter in errors as `name` gives it.
    pub fn pattern_named(&self, name: Names<'_>) -> Result<Map<String, Value>> {
        let field = name("pattern");
        let mut p = match &self.pattern {
            None => Map::new(),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(m)) if !m.is_empty() => m,
                Ok(_) => {
                    return Err(Error::invalid(
                        &field,
                        "must be a non-empty JSON object",
                        r#"give a pattern such as '{"detail": {"quantity": [{"numeric": [">", 1]}]}}'"#,
                    ));
                }
                Err(e) => {
                    return Err(Error::invalid(
                        &field,
                        format!("is not JSON ({e})"),
                        r#"give a pattern such as '{"source": ["putToCartService"]}'"#,
                    ));
                }
            },
        };
        check_pattern(&p, "", &field)?;
        let leaves: [(Option<&String>, &[&str], &str); 4] = [
            (self.source.as_ref(), &["source"], "source"),
            (self.detail_type.as_ref(), &["detail-type"], "detail_type"),
            (self.user.as_ref(), &["detail", "user"], "user"),
            (self.product.as_ref(), &["detail", "product"], "product"),
        ];
        for (value, path, key) in leaves {
            if let Some(v) = value {
                let flag = name(key);
                if v.is_empty() {
                    return Err(Error::invalid(
                        &flag,
                        "is empty",
                        format!("give a value to {flag}, or leave it out"),
                    ));
                }
                insert_leaf(&mut p, path, json!([v]), (&flag, &field))?;
            }
        }
        if self.scheduled_only {
            let flag = name("scheduled_only");
            let path = ["detail", "scheduled_event"];
            insert_leaf(&mut p, &path, json!(["true"]), (&flag, &field))?;
        }
        if p.is_empty() {
            // EventBridge needs a condition: every event has a source.
            p.insert("source".into(), json!([{ "prefix": "" }]));
        }
        Ok(p)
    }
}

/// Checks the shape EventBridge requires of a pattern: every value is an object (a nested field)
/// or a non-empty array (the matching values); `$or` holds an array of at least two patterns.
fn check_pattern(p: &Map<String, Value>, path: &str, field: &str) -> Result<()> {
    for (key, value) in p {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let bad = |what: &str| {
            Error::invalid(
                field,
                format!("`{here}` {what}"),
                r#"each field takes an array of values, e.g. {"source": ["shop"]}, or an object of fields"#,
            )
        };
        match value {
            Value::Array(items) if key == "$or" => {
                if items.len() < 2 {
                    return Err(bad("must hold at least two patterns"));
                }
                for item in items {
                    match item {
                        Value::Object(inner) => check_pattern(inner, path, field)?,
                        _ => return Err(bad("must hold patterns (objects)")),
                    }
                }
            }
            Value::Object(inner) if key != "$or" => check_pattern(inner, &here, field)?,
            Value::Array(items) if items.is_empty() => return Err(bad("is an empty array")),
            Value::Array(_) => {}
            _ => return Err(bad("must be an array or an object")),
        }
    }
    Ok(())
}

/// The rule's pattern: the filter's, or (with `--wait-ready`) the filter's or this tail's canary.
pub fn rule_pattern(filter: &Map<String, Value>, canary_id: Option<&str>) -> String {
    match canary_id {
        None => Value::Object(filter.clone()).to_string(),
        Some(id) => json!({
            "$or": [
                filter,
                {"source": [CANARY_SOURCE], "detail": {"tail_id": [id]}}
            ]
        })
        .to_string(),
    }
}

/// The canary event `--wait-ready` publishes: only this tail's rule matches its id.
pub fn canary_entry(bus: &str, id: &str) -> PutEventsEntry {
    PutEventsEntry {
        source: CANARY_SOURCE.into(),
        detail_type: CANARY_DETAIL_TYPE.into(),
        detail: json!({ "tail_id": id }).to_string(),
        event_bus_name: bus.into(),
        resources: vec![],
    }
}

/// True if the envelope is this tail's canary.
pub fn is_canary(envelope: &Value, id: &str) -> bool {
    envelope["source"] == CANARY_SOURCE && envelope["detail"]["tail_id"] == id
}

/// The queue policy: only EventBridge may send, and only for this rule.
pub fn queue_policy(queue_arn: &str, rule_arn: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "cartctl-tail-rule-only",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}
        }]
    })
    .to_string()
}

/// The rule ARN EventBridge gives a rule named `rule` on the bus `bus_arn`.
pub fn rule_arn_for(bus_arn: &str, rule: &str) -> Option<String> {
    let a = parse_arn(bus_arn)?;
    let bus = a.resource.strip_prefix("event-bus/")?;
    let path = if bus == "default" {
        rule.to_owned()
    } else {
        format!("{bus}/{rule}")
    };
    Some(format!(
        "arn:{}:events:{}:{}:rule/{path}",
        a.partition, a.region, a.account
    ))
}

/// Checks how many events a tail waits for.
pub fn check_max_events(n: u64) -> Result<u64> {
    if n == 0 {
        return Err(Error::invalid(
            "max_events",
            "must be at least 1",
            "give how many events to wait for",
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_filter_matches_every_event() {
        let p = TailFilter::default().pattern().unwrap();
        assert_eq!(Value::Object(p), json!({"source": [{"prefix": ""}]}));
    }

    #[test]
    fn flags_become_pattern_leaves_and_merge_with_pattern() {
        let f = TailFilter {
            source: Some("putToCartService".into()),
            detail_type: Some("item sku-1 added to Cart".into()),
            user: Some("alice".into()),
            product: Some("sku-1".into()),
            scheduled_only: true,
            pattern: Some(
                r#"{"detail": {"quantity": [{"numeric": [">", 1]}]}, "account": ["123456789012"]}"#
                    .into(),
            ),
        };
        assert_eq!(
            Value::Object(f.pattern().unwrap()),
            json!({
                "detail": {"quantity": [{"numeric": [">", 1]}], "user": ["alice"], "product": ["sku-1"], "scheduled_event": ["true"]},
                "account": ["123456789012"],
                "source": ["putToCartService"],
                "detail-type": ["item sku-1 added to Cart"]
            })
        );
    }

    #[test]
    fn contradicting_or_bad_patterns_are_refused() {
        let both = TailFilter {
            source: Some("a".into()),
            pattern: Some(r#"{"source": ["b"]}"#.into()),
            ..Default::default()
        };
        assert!(
            both.pattern()
                .unwrap_err()
                .to_string()
                .contains("which source sets too")
        );
        let scalar = TailFilter {
            user: Some("a".into()),
            pattern: Some(r#"{"detail": "x"}"#.into()),
            ..Default::default()
        };
        assert!(scalar.pattern().is_err());
        for bad in [
            "[]",
            "{}",
            "nope",
            "1",
            r#"{"source": "shop"}"#,
            r#"{"detail": {"user": []}}"#,
            r#"{"$or": [{"source": ["a"]}]}"#,
            r#"{"$or": [1, 2]}"#,
        ] {
            let f = TailFilter {
                pattern: Some(bad.into()),
                ..Default::default()
            };
            assert!(f.pattern().unwrap_err().is_invalid(), "{bad}");
        }
        let empty = TailFilter {
            user: Some(String::new()),
            ..Default::default()
        };
        assert!(empty.pattern().is_err());
    }

    #[test]
    fn canary_is_matched_only_by_its_own_tail() {
        let filter = TailFilter {
            source: Some("shop".into()),
            ..Default::default()
        }
        .pattern()
        .unwrap();
        let p: Value = serde_json::from_str(&rule_pattern(&filter, Some("abc"))).unwrap();
        assert_eq!(p["$or"][0], json!({"source": ["shop"]}));
        assert_eq!(
            p["$or"][1],
            json!({"source": ["cartctl.tail"], "detail": {"tail_id": ["abc"]}})
        );
        let canary: Value = serde_json::from_str(&canary_entry("b", "abc").detail).unwrap();
        assert_eq!(canary, json!({"tail_id": "abc"}));
        let env = json!({"source": "cartctl.tail", "detail": {"tail_id": "abc"}});
        assert!(is_canary(&env, "abc"));
        assert!(!is_canary(&env, "abd"));
        assert_eq!(rule_pattern(&filter, None), r#"{"source":["shop"]}"#);
    }

    #[test]
    fn policy_admits_only_the_rule() {
        let p: Value = serde_json::from_str(&queue_policy("arn:q", "arn:r")).unwrap();
        let st = &p["Statement"][0];
        assert_eq!(st["Principal"], json!({"Service": "events.amazonaws.com"}));
        assert_eq!(st["Action"], "sqs:SendMessage");
        assert_eq!(st["Resource"], "arn:q");
        assert_eq!(
            st["Condition"],
            json!({"ArnEquals": {"aws:SourceArn": "arn:r"}})
        );
        assert_eq!(p["Statement"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn rule_arns_follow_the_bus() {
        assert_eq!(
            rule_arn_for(
                "arn:aws:events:eu-west-1:123456789012:event-bus/default",
                "r"
            )
            .unwrap(),
            "arn:aws:events:eu-west-1:123456789012:rule/r"
        );
        assert_eq!(
            rule_arn_for("arn:aws:events:eu-west-1:123456789012:event-bus/shop", "r").unwrap(),
            "arn:aws:events:eu-west-1:123456789012:rule/shop/r"
        );
    }

    #[test]
    fn ids_are_hex_and_distinct() {
        let a = new_tail_id();
        assert_eq!(a.len(), 10);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, new_tail_id());
    }
}
