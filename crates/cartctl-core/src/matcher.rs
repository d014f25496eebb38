//! EventBridge event patterns, evaluated locally: does a rule's pattern match an event?
//!
//! Follows the EventBridge user guide ("Event patterns", "Content filtering") and aws/event-ruler,
//! the library EventBridge matches with (its answers are the conformance table of
//! `tests/event_ruler.rs`). A pattern is checked whole before it is matched ([`parse`]), so an
//! invalid one is refused whatever the event holds.
//!
//! Every field of the pattern must match (`$or` takes any of its two or more sub-patterns); a
//! field's array lists the values it may take, each a literal (string, number compared as a
//! number, boolean, null) or a filter: `prefix`, `suffix` (a string or
//! `{"equals-ignore-case": …}`), `equals-ignore-case`, `wildcard` (`*` any run, `\*` a star; no
//! `**`), `anything-but` (a literal, a list, or `prefix`/`suffix`/`wildcard`/`equals-ignore-case`
//! of one string or a list), `numeric` (one or two comparisons), `exists`, and `cidr` (IPv4
//! masks below 32 bits, IPv6 below 128).
//!
//! The event is read as event-ruler reads it: the values of a field are its leaves, arrays
//! flattened at any depth; an object (or an array of objects) has no value of its own. A field
//! `exists` when it has a value, so an empty array does not exist; a filter other than
//! `exists: false` needs a value to match. A nested pattern is matched against each object
//! of an array on its own (fields of different elements never combine), and against nothing
//! when there is no object.

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

type Checked<T> = std::result::Result<T, PatternError>;

fn bad(what: impl Into<String>) -> PatternError {
    PatternError(what.into())
}

/// True if `pattern` (a rule's EventPattern, as JSON text) matches `event` (an event envelope:
/// `source`, `detail-type`, `detail`, `account`, `region`, …).
pub fn matches(pattern: &str, event: &Value) -> Checked<bool> {
    Ok(parse(pattern)?.matches(event))
}

/// Checks a pattern (JSON text) whole: the pattern to match events with, or why EventBridge
/// would refuse it.
pub fn parse(pattern: &str) -> Checked<Pattern> {
    let value: Value = serde_json::from_str(pattern).map_err(|e| bad(format!("not JSON: {e}")))?;
    let Value::Object(p) = value else {
        return Err(bad("a pattern is a JSON object"));
    };
    Pattern::parse(&p, "")
}

/// A checked event pattern: every one of its conditions must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq)]
enum Condition {
    /// A field whose value is a nested pattern.
    Nested(String, Pattern),
    /// A field whose values any of the filters must match.
    Values(String, Vec<Filter>),
    /// Any of two or more sub-patterns.
    Or(Vec<Pattern>),
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Literal(Value),
    Exists(bool),
    Prefix(String, bool),
    Suffix(String, bool),
    EqualsIgnoreCase(String),
    Wildcard(String),
    AnythingBut(Exclusion),
    Numeric(Vec<(Op, f64)>),
    Cidr(IpAddr, u32),
}

/// What `anything-but` excludes.
#[derive(Debug, Clone, PartialEq)]
enum Exclusion {
    Literals(Vec<Value>),
    Prefixes(Vec<String>),
    Suffixes(Vec<String>),
    Wildcards(Vec<String>),
    IgnoringCase(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Pattern {
    fn parse(p: &Map<String, Value>, path: &str) -> Checked<Pattern> {
        let mut conditions = Vec::with_capacity(p.len());
        for (key, want) in p {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            conditions.push(match (key.as_str(), want) {
                ("$or", Value::Array(alternatives)) => {
                    if alternatives.len() < 2 {
                        return Err(bad(format!("`{here}` takes two or more patterns")));
                    }
                    let alts = alternatives
                        .iter()
                        .map(|alt| match alt {
                            Value::Object(alt) if !alt.is_empty() => Pattern::parse(alt, path),
                            _ => Err(bad(format!(
                                "each alternative of `{here}` is a non-empty object"
                            ))),
                        })
                        .collect::<Checked<Vec<_>>>()?;
                    Condition::Or(alts)
                }
                ("$or", _) => return Err(bad(format!("`{here}` takes an array of patterns"))),
                (_, Value::Object(sub)) if sub.is_empty() => {
                    return Err(bad(format!("`{here}` is an empty object")));
                }
                (_, Value::Object(sub)) => {
                    Condition::Nested(key.clone(), Pattern::parse(sub, &here)?)
                }
                (_, Value::Array(values)) if values.is_empty() => {
                    return Err(bad(format!(
                        "`{here}` is an empty array: it would match nothing"
                    )));
                }
                (_, Value::Array(values)) => Condition::Values(
                    key.clone(),
                    values
                        .iter()
                        .map(|v| Filter::parse(v, &here))
                        .collect::<Checked<_>>()?,
                ),
                (_, other) => {
                    return Err(bad(format!(
                        "the value of `{here}` must be an array or an object, not {other}"
                    )));
                }
            });
        }
        Ok(Pattern { conditions })
    }

    /// True if the event (an object, or nothing where a nested field is missing) matches.
    pub fn matches(&self, event: &Value) -> bool {
        self.matches_in(Some(event))
    }

    fn matches_in(&self, event: Option<&Value>) -> bool {
        self.conditions.iter().all(|c| match c {
            Condition::Or(alts) => alts.iter().any(|a| a.matches_in(event)),
            Condition::Nested(key, sub) => {
                let objects = objects(field_of(event, key));
                if objects.is_empty() {
                    sub.matches_in(None)
                } else {
                    objects.into_iter().any(|o| sub.matches_in(Some(o)))
                }
            }
            Condition::Values(key, filters) => {
                let leaves = leaves(field_of(event, key));
                filters.iter().any(|f| f.matches(&leaves))
            }
        })
    }
}

fn field_of<'a>(event: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match event? {
        Value::Object(m) => m.get(key),
        _ => None,
    }
}

/// A field's values: itself when it is a scalar, the scalars of an array at any depth.
fn leaves(field: Option<&Value>) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(_) => {}
            scalar => out.push(scalar),
        }
    }
    let mut out = Vec::new();
    if let Some(v) = field {
        walk(v, &mut out);
    }
    out
}

/// The objects a nested pattern is matched against: the field, or the objects of its array.
fn objects(field: Option<&Value>) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(_) => out.push(v),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(v) = field {
        walk(v, &mut out);
    }
    out
}

impl Filter {
    fn parse(want: &Value, here: &str) -> Checked<Filter> {
        let Value::Object(filter) = want else {
            return match want {
                Value::Array(_) => Err(bad(format!("`{here}` holds an array inside its array"))),
                literal => Ok(Filter::Literal(literal.clone())),
            };
        };
        let (op, arg) = single(filter)?;
        Ok(match op {
            "exists" => match arg {
                Value::Bool(b) => Filter::Exists(*b),
                _ => return Err(bad("`exists` takes true or false")),
            },
            "prefix" => {
                let (text, ignore_case) = text_or_ignoring_case(arg, "prefix")?;
                Filter::Prefix(text, ignore_case)
            }
            "suffix" => {
                let (text, ignore_case) = text_or_ignoring_case(arg, "suffix")?;
                Filter::Suffix(text, ignore_case)
            }
            "equals-ignore-case" => Filter::EqualsIgnoreCase(string(arg, "equals-ignore-case")?),
            "wildcard" => Filter::Wildcard(wildcard_pattern(arg)?),
            "anything-but" => Filter::AnythingBut(Exclusion::parse(arg)?),
            "numeric" => Filter::Numeric(numeric(arg)?),
            "cidr" => {
                let (net, bits) = cidr(arg)?;
                Filter::Cidr(net, bits)
            }
            other => return Err(bad(format!("unknown filter `{other}`"))),
        })
    }

    /// True if the filter matches the field's values (`leaves`).
    fn matches(&self, leaves: &[&Value]) -> bool {
        match self {
            Filter::Exists(wanted) => leaves.is_empty() != *wanted,
            other => leaves.iter().any(|leaf| other.matches_leaf(leaf)),
        }
    }

    fn matches_leaf(&self, leaf: &Value) -> bool {
        let text = leaf.as_str();
        match self {
            Filter::Literal(want) => literal_eq(want, leaf),
            Filter::Exists(_) => unreachable!("matched on the field"),
            Filter::Prefix(p, ic) => {
                text.is_some_and(|t| affix(t, p, *ic, |a, b| a.starts_with(b)))
            }
            Filter::Suffix(s, ic) => text.is_some_and(|t| affix(t, s, *ic, |a, b| a.ends_with(b))),
            Filter::EqualsIgnoreCase(s) => {
                text.is_some_and(|t| t.to_lowercase() == s.to_lowercase())
            }
            Filter::Wildcard(w) => text.is_some_and(|t| wildcard(w, t)),
            Filter::AnythingBut(ex) => !ex.excludes(leaf),
            Filter::Numeric(cmp) => leaf.as_f64().is_some_and(|x| {
                cmp.iter().all(|(op, n)| match op {
                    Op::Eq => x == *n,
                    Op::Lt => x < *n,
                    Op::Le => x <= *n,
                    Op::Gt => x > *n,
                    Op::Ge => x >= *n,
                })
            }),
            Filter::Cidr(net, bits) => text
                .and_then(|t| t.parse::<IpAddr>().ok())
                .is_some_and(|ip| within(*net, *bits, ip)),
        }
    }
}

fn affix(text: &str, part: &str, ignore_case: bool, test: fn(&str, &str) -> bool) -> bool {
    if ignore_case {
        test(&text.to_lowercase(), &part.to_lowercase())
    } else {
        test(text, part)
    }
}

impl Exclusion {
    fn parse(arg: &Value) -> Checked<Exclusion> {
        Ok(match arg {
            Value::Array(values) => {
                if values.iter().any(|v| v.is_object() || v.is_array()) {
                    return Err(bad("`anything-but` lists literals only"));
                }
                Exclusion::Literals(values.clone())
            }
            Value::Object(m) => {
                let (op, inner) = single(m)?;
                let strings = strings(inner, op)?;
                match op {
                    "prefix" => Exclusion::Prefixes(strings),
                    "suffix" => Exclusion::Suffixes(strings),
                    "wildcard" => Exclusion::Wildcards(
                        strings
                            .into_iter()
                            .map(|w| wildcard_pattern(&Value::String(w)))
                            .collect::<Checked<_>>()?,
                    ),
                    "equals-ignore-case" => Exclusion::IgnoringCase(strings),
                    other => return Err(bad(format!("`anything-but` cannot hold `{other}`"))),
                }
            }
            literal => Exclusion::Literals(vec![literal.clone()]),
        })
    }

    fn excludes(&self, leaf: &Value) -> bool {
        let text = leaf.as_str();
        match self {
            Exclusion::Literals(values) => values.iter().any(|v| literal_eq(v, leaf)),
            Exclusion::Prefixes(ps) => {
                text.is_some_and(|t| ps.iter().any(|p| t.starts_with(p.as_str())))
            }
            Exclusion::Suffixes(ss) => {
                text.is_some_and(|t| ss.iter().any(|s| t.ends_with(s.as_str())))
            }
            Exclusion::Wildcards(ws) => text.is_some_and(|t| ws.iter().any(|w| wildcard(w, t))),
            Exclusion::IgnoringCase(vs) => {
                text.is_some_and(|t| vs.iter().any(|v| v.to_lowercase() == t.to_lowercase()))
            }
        }
    }
}

/// The one key of a filter object.
fn single(filter: &Map<String, Value>) -> Checked<(&str, &Value)> {
    let mut it = filter.iter();
    match (it.next(), it.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        _ => Err(bad("a filter object has exactly one key")),
    }
}

fn string(arg: &Value, name: &str) -> Checked<String> {
    arg.as_str()
        .map(str::to_owned)
        .ok_or_else(|| bad(format!("`{name}` takes a string")))
}

/// One string, or a non-empty list of strings.
fn strings(arg: &Value, name: &str) -> Checked<Vec<String>> {
    match arg {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => items.iter().map(|i| string(i, name)).collect(),
        _ => Err(bad(format!("`{name}` takes a string or a list of strings"))),
    }
}

/// `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}`.
fn text_or_ignoring_case(arg: &Value, name: &str) -> Checked<(String, bool)> {
    match arg {
        Value::String(s) => Ok((s.clone(), false)),
        Value::Object(m) => match single(m)? {
            ("equals-ignore-case", Value::String(s)) => Ok((s.clone(), true)),
            _ => Err(bad(format!(
                "`{name}` takes a string or {{\"equals-ignore-case\": string}}"
            ))),
        },
        _ => Err(bad(format!("`{name}` takes a string"))),
    }
}

/// A wildcard pattern, checked: no two `*` in a row (event-ruler refuses them).
fn wildcard_pattern(arg: &Value) -> Checked<String> {
    let w = string(arg, "wildcard")?;
    let mut chars = w.chars().peekable();
    let mut star = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
                star = false;
            }
            '*' if star => return Err(bad(format!("`wildcard` `{w}` has consecutive `*`"))),
            '*' => star = true,
            _ => star = false,
        }
    }
    Ok(w)
}

fn literal_eq(want: &Value, leaf: &Value) -> bool {
    match (want, leaf) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn numeric(arg: &Value) -> Checked<Vec<(Op, f64)>> {
    let Value::Array(parts) = arg else {
        return Err(bad(
            "`numeric` takes an array such as [\">\", 0, \"<=\", 5]",
        ));
    };
    if parts.is_empty() || parts.len() % 2 != 0 || parts.len() > 4 {
        return Err(bad("`numeric` takes one or two (operator, number) pairs"));
    }
    parts
        .chunks(2)
        .map(|pair| {
            let (Some(op), Some(n)) = (pair[0].as_str(), pair[1].as_f64()) else {
                return Err(bad("`numeric` pairs are an operator and a number"));
            };
            let op = match op {
                "=" => Op::Eq,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                ">=" => Op::Ge,
                other => return Err(bad(format!("unknown numeric operator `{other}`"))),
            };
            Ok((op, n))
        })
        .collect()
}

/// `cidr`: an address and a mask shorter than the address (event-ruler refuses `/32` and
/// `/128`: a host is matched with its literal address).
fn cidr(arg: &Value) -> Checked<(IpAddr, u32)> {
    let arg = string(arg, "cidr")?;
    let (net, bits) = arg
        .split_once('/')
        .ok_or_else(|| bad("`cidr` takes an address/prefix such as 10.0.0.0/24"))?;
    let net: IpAddr = net.parse().map_err(|_| bad(format!("bad cidr `{arg}`")))?;
    let bits: u32 = bits.parse().map_err(|_| bad(format!("bad cidr `{arg}`")))?;
    let width = if net.is_ipv4() { 32 } else { 128 };
    if bits >= width {
        return Err(bad(format!(
            "`cidr` `{arg}`: the mask must be under {width} bits"
        )));
    }
    Ok((net, bits))
}

fn within(net: IpAddr, bits: u32, ip: IpAddr) -> bool {
    let same = |a: u128, b: u128, width: u32| {
        let shift = width.saturating_sub(bits.min(width));
        (a >> shift) == (b >> shift)
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => same(u32::from(n).into(), u32::from(i).into(), 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => same(u128::from(n), u128::from(i), 128),
        _ => false,
    }
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
