//! EventBridge event patterns, evaluated locally: does a rule's pattern match an event?
//!
//! Follows the EventBridge user guide ("Event patterns", "Content filtering") and Event Ruler:
//! every field of the pattern must match (`$or` takes any of its sub-patterns); a field's
//! array lists the values it may take, each a literal (string, number compared as a number,
//! boolean, null) or a filter: `prefix`, `suffix`, `equals-ignore-case`, `wildcard`,
//! `anything-but` (of literals, a list, or a `prefix`/`suffix`/`equals-ignore-case`/`wildcard`),
//! `numeric` (up to two comparisons), `exists`, and `cidr`. When the event's field is an array,
//! the field matches if any element does. A missing field matches only `{"exists": false}`.

use std::net::IpAddr;

use serde_json::{Map, Value};

/// Why a pattern cannot be evaluated: it is not a pattern EventBridge would accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Outcome = std::result::Result<bool, PatternError>;

fn bad(what: impl Into<String>) -> PatternError {
    PatternError(what.into())
}

/// True if `pattern` (a rule's EventPattern, as JSON text) matches `event` (an event envelope:
/// `source`, `detail-type`, `detail`, `account`, `region`, …).
pub fn matches(pattern: &str, event: &Value) -> Outcome {
    let pattern: Value =
        serde_json::from_str(pattern).map_err(|e| bad(format!("not JSON: {e}")))?;
    let Value::Object(p) = pattern else {
        return Err(bad("a pattern is a JSON object"));
    };
    match_object(&p, Some(event))
}

fn match_object(pattern: &Map<String, Value>, event: Option<&Value>) -> Outcome {
    for (key, want) in pattern {
        let ok = if key == "$or" {
            let Value::Array(alternatives) = want else {
                return Err(bad("`$or` takes an array of patterns"));
            };
            let mut any = false;
            for alt in alternatives {
                let Value::Object(alt) = alt else {
                    return Err(bad("each `$or` alternative is an object"));
                };
                any |= match_object(alt, event)?;
            }
            any
        } else {
            let field = field_of(event, key);
            match want {
                Value::Object(sub) => match field {
                    Some(Value::Array(items)) => {
                        let mut any = false;
                        for item in items {
                            any |= match_object(sub, Some(item))?;
                        }
                        any
                    }
                    other => match_object(sub, other)?,
                },
                Value::Array(values) => match_values(values, field)?,
                other => {
                    return Err(bad(format!(
                        "the value of `{key}` must be an array or an object, not {other}"
                    )));
                }
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn field_of<'a>(event: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match event? {
        Value::Object(m) => m.get(key),
        _ => None,
    }
}

/// Any of `values` matches the field.
fn match_values(values: &[Value], field: Option<&Value>) -> Outcome {
    let mut any = false;
    for v in values {
        any |= match_one(v, field)?;
    }
    Ok(any)
}

fn match_one(want: &Value, field: Option<&Value>) -> Outcome {
    if let Value::Object(m) = want
        && let Some(exists) = m.get("exists")
    {
        let Value::Bool(exists) = exists else {
            return Err(bad("`exists` takes true or false"));
        };
        let present = field.is_some_and(|f| !f.is_object());
        return Ok(*exists == present);
    }
    let Some(field) = field else {
        // Still checked, so a bad filter is an error whatever the event holds.
        match_leaf(want, &Value::Null)?;
        return Ok(false);
    };
    let leaves: Vec<&Value> = match field {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let mut any = false;
    for leaf in leaves {
        any |= match_leaf(want, leaf)?;
    }
    Ok(any)
}

/// One value of a pattern against one leaf of the event.
fn match_leaf(want: &Value, leaf: &Value) -> Outcome {
    let Value::Object(filter) = want else {
        return Ok(literal_eq(want, leaf));
    };
    let (op, arg) = single(filter)?;
    let text = leaf.as_str();
    match op {
        "prefix" => string_filter(arg, text, |t, p| t.starts_with(p), "prefix"),
        "suffix" => string_filter(arg, text, |t, s| t.ends_with(s), "suffix"),
        "equals-ignore-case" => {
            let arg = arg
                .as_str()
                .ok_or_else(|| bad("`equals-ignore-case` takes a string"))?;
            Ok(text.is_some_and(|t| t.to_lowercase() == arg.to_lowercase()))
        }
        "wildcard" => {
            let arg = arg
                .as_str()
                .ok_or_else(|| bad("`wildcard` takes a string"))?;
            Ok(text.is_some_and(|t| wildcard(arg, t)))
        }
        "anything-but" => anything_but(arg, leaf),
        "numeric" => numeric(arg, leaf),
        "cidr" => cidr(arg, text),
        other => Err(bad(format!("unknown filter `{other}`"))),
    }
}

/// The one key of a filter object.
fn single(filter: &Map<String, Value>) -> Result<(&str, &Value), PatternError> {
    let mut it = filter.iter();
    match (it.next(), it.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        _ => Err(bad("a filter object has exactly one key")),
    }
}

/// `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}`.
fn string_filter(
    arg: &Value,
    text: Option<&str>,
    test: fn(&str, &str) -> bool,
    name: &str,
) -> Outcome {
    let Some(text) = text else { return Ok(false) };
    match arg {
        Value::String(s) => Ok(test(text, s)),
        Value::Object(m) => match single(m)? {
            ("equals-ignore-case", Value::String(s)) => {
                Ok(test(&text.to_lowercase(), &s.to_lowercase()))
            }
            _ => Err(bad(format!(
                "`{name}` takes a string or {{\"equals-ignore-case\": string}}"
            ))),
        },
        _ => Err(bad(format!("`{name}` takes a string"))),
    }
}

fn literal_eq(want: &Value, leaf: &Value) -> bool {
    match (want, leaf) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn anything_but(arg: &Value, leaf: &Value) -> Outcome {
    let hit = match arg {
        Value::Array(values) => values.iter().any(|v| literal_eq(v, leaf)),
        Value::Object(m) => {
            let (op, inner) = single(m)?;
            if !matches!(op, "prefix" | "suffix" | "equals-ignore-case" | "wildcard") {
                return Err(bad(format!("`anything-but` cannot hold `{op}`")));
            }
            match (op, inner) {
                ("equals-ignore-case", Value::Array(values)) => {
                    let text = leaf.as_str().map(str::to_lowercase);
                    values
                        .iter()
                        .any(|v| v.as_str().is_some_and(|v| Some(v.to_lowercase()) == text))
                }
                _ => match_leaf(arg, leaf)?,
            }
        }
        literal => literal_eq(literal, leaf),
    };
    Ok(!hit)
}

fn numeric(arg: &Value, leaf: &Value) -> Outcome {
    let Value::Array(parts) = arg else {
        return Err(bad(
            "`numeric` takes an array such as [\">\", 0, \"<=\", 5]",
        ));
    };
    if parts.is_empty() || parts.len() % 2 != 0 || parts.len() > 4 {
        return Err(bad("`numeric` takes one or two (operator, number) pairs"));
    }
    let Some(x) = leaf.as_f64() else {
        return Ok(false);
    };
    for pair in parts.chunks(2) {
        let (Some(op), Some(n)) = (pair[0].as_str(), pair[1].as_f64()) else {
            return Err(bad("`numeric` pairs are an operator and a number"));
        };
        let ok = match op {
            "=" => x == n,
            "<" => x < n,
            "<=" => x <= n,
            ">" => x > n,
            ">=" => x >= n,
            other => return Err(bad(format!("unknown numeric operator `{other}`"))),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn cidr(arg: &Value, text: Option<&str>) -> Outcome {
    let arg = arg.as_str().ok_or_else(|| bad("`cidr` takes a string"))?;
    let (net, bits) = arg
        .split_once('/')
        .ok_or_else(|| bad("`cidr` takes an address/prefix such as 10.0.0.0/24"))?;
    let net: IpAddr = net.parse().map_err(|_| bad(format!("bad cidr `{arg}`")))?;
    let bits: u32 = bits.parse().map_err(|_| bad(format!("bad cidr `{arg}`")))?;
    let Some(ip) = text.and_then(|t| t.parse::<IpAddr>().ok()) else {
        return Ok(false);
    };
    let within = |a: u128, b: u128, width: u32| {
        let shift = width.saturating_sub(bits.min(width));
        (a >> shift) == (b >> shift)
    };
    Ok(match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => within(u32::from(n).into(), u32::from(i).into(), 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => within(u128::from(n), u128::from(i), 128),
        _ => false,
    })
}

/// `*` matches any run of characters; `\*` is a literal star.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut parts: Vec<String> = vec![String::new()];
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => parts.last_mut().expect("never empty").push(n),
                None => parts.last_mut().expect("never empty").push('\\'),
            },
            '*' => parts.push(String::new()),
            c => parts.last_mut().expect("never empty").push(c),
        }
    }
    let (first, rest) = parts.split_first().expect("never empty");
    let Some(mut tail) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return tail.is_empty();
    };
    for part in middle {
        match tail.find(part.as_str()) {
            Some(i) => tail = &tail[i + part.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reminder() -> Value {
        json!({
            "version": "0", "id": "1", "account": "123456789012", "region": "us-east-1",
            "source": "putToCartService", "detail-type": "item sku-1 added to Cart",
            "resources": ["arn:aws:scheduler:us-east-1:123456789012:schedule/default/cart-x"],
            "detail": {"scheduled_event": "true", "user": "alice", "product": "sku-1",
                       "quantity": 2, "tags": ["gift", "sale"], "ip": "10.0.3.7",
                       "cart": {"items": [{"sku": "a"}, {"sku": "b"}]}}
        })
    }

    fn m(pattern: Value) -> bool {
        matches(&pattern.to_string(), &reminder()).unwrap()
    }

    #[test]
    fn literals_and_nesting() {
        assert!(m(json!({"source": ["putToCartService"]})));
        assert!(m(json!({"source": ["other", "putToCartService"]})));
        assert!(!m(json!({"source": ["other"]})));
        assert!(m(json!({"detail": {"scheduled_event": ["true"]}})));
        // The string "true" is not the boolean true.
        assert!(!m(json!({"detail": {"scheduled_event": [true]}})));
        assert!(m(json!({"detail": {"quantity": [2.0]}})));
        assert!(!m(json!({"detail": {"missing": ["x"]}})));
        // Every field must match.
        assert!(!m(
            json!({"source": ["putToCartService"], "detail": {"user": ["bob"]}})
        ));
        // Arrays in the event: any element.
        assert!(m(json!({"detail": {"tags": ["sale"]}})));
        assert!(m(json!({"detail": {"cart": {"items": {"sku": ["b"]}}}})));
        assert!(m(json!({})));
    }

    #[test]
    fn filters() {
        assert!(m(json!({"detail-type": [{"prefix": "item "}]})));
        assert!(m(json!({"detail-type": [{"suffix": "to Cart"}]})));
        assert!(m(
            json!({"detail-type": [{"suffix": {"equals-ignore-case": "TO CART"}}]})
        ));
        assert!(m(
            json!({"source": [{"equals-ignore-case": "PUTTOCARTSERVICE"}]})
        ));
        assert!(m(
            json!({"detail-type": [{"wildcard": "item * added to *"}]})
        ));
        assert!(!m(
            json!({"detail-type": [{"wildcard": "item * removed *"}]})
        ));
        assert!(m(json!({"detail": {"user": [{"anything-but": "bob"}]}})));
        assert!(!m(
            json!({"detail": {"user": [{"anything-but": ["alice", "bob"]}]}})
        ));
        assert!(!m(
            json!({"detail": {"user": [{"anything-but": {"prefix": "al"}}]}})
        ));
        assert!(m(
            json!({"detail": {"quantity": [{"numeric": [">", 1, "<=", 2]}]}})
        ));
        assert!(!m(json!({"detail": {"quantity": [{"numeric": [">", 2]}]}})));
        assert!(m(json!({"detail": {"user": [{"exists": true}]}})));
        assert!(m(json!({"detail": {"coupon": [{"exists": false}]}})));
        assert!(!m(json!({"detail": {"user": [{"exists": false}]}})));
        assert!(m(json!({"detail": {"ip": [{"cidr": "10.0.0.0/16"}]}})));
        assert!(!m(json!({"detail": {"ip": [{"cidr": "10.1.0.0/16"}]}})));
        assert!(m(
            json!({"$or": [{"source": ["x"]}, {"detail": {"user": ["alice"]}}]})
        ));
        assert!(!m(
            json!({"$or": [{"source": ["x"]}, {"detail": {"user": ["bob"]}}]})
        ));
    }

    #[test]
    fn wildcards_escape_stars() {
        assert!(wildcard("a*c", "abbbc"));
        assert!(wildcard("*", ""));
        assert!(wildcard("a\\*c", "a*c"));
        assert!(!wildcard("a\\*c", "abc"));
        assert!(!wildcard("ab*ba", "aba"));
        assert!(wildcard("*.png", "x.png"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        for p in [
            "[1]",
            "{\"source\": \"x\"}",
            "{\"source\": [{\"nope\": 1}]}",
            "{\"n\": [{\"numeric\": [\">\"]}]}",
            "{\"$or\": {}}",
            "not json",
        ] {
            assert!(matches(p, &reminder()).is_err(), "{p}");
        }
    }
}
