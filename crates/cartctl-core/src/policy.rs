//! IAM policies, evaluated locally for the few questions `doctor` asks ("may this role put
//! events on that bus?", "does it trust Scheduler?"), so the answer does not depend on the
//! policy simulator, which not every endpoint offers.
//!
//! The evaluation follows IAM's order: an explicit Deny wins, else an Allow allows, else the
//! request is implicitly denied. `Action`/`NotAction` match case-insensitively and
//! `Resource`/`NotResource` case-sensitively, both with `*` and `?` wildcards. In identity
//! policies ([`evaluate`]) conditions are not evaluated: a statement with a condition counts as
//! applying. Trust and resource policies ([`trusts`], [`allows_service`]) are evaluated with
//! their conditions against the request's context (the `aws:SourceAccount` and `aws:SourceArn`
//! a service sends): the string and ARN operators, `…IfExists`, and `ForAnyValue:` /
//! `ForAllValues:` on the single values those keys have. A condition on another key cannot be
//! told locally, and says so.

use serde_json::Value;

/// What the policies say about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A statement allows it and none denies it.
    Allowed,
    /// A statement denies it.
    Denied,
    /// No statement allows it.
    NotAllowed,
}

/// The decision of `docs` (policy documents) for `action` on `resource`.
pub fn evaluate(docs: &[Value], action: &str, resource: &str) -> Decision {
    let mut allowed = false;
    for st in docs.iter().flat_map(statements) {
        if !applies(st, action, resource) {
            continue;
        }
        match st.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return Decision::Denied,
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    if allowed {
        Decision::Allowed
    } else {
        Decision::NotAllowed
    }
}

/// A policy's statements (`Statement` may be one object or a list).
pub fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

/// A string or a list of strings, as policies write them.
pub fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn applies(st: &Value, action: &str, resource: &str) -> bool {
    let action_ok = match (st.get("Action"), st.get("NotAction")) {
        (Some(a), _) => strings(Some(a))
            .iter()
            .any(|p| glob(&p.to_lowercase(), &action.to_lowercase())),
        (None, Some(n)) => !strings(Some(n))
            .iter()
            .any(|p| glob(&p.to_lowercase(), &action.to_lowercase())),
        (None, None) => false,
    };
    let resource_ok = match (st.get("Resource"), st.get("NotResource")) {
        (Some(r), _) => strings(Some(r)).iter().any(|p| glob(p, resource)),
        (None, Some(n)) => !strings(Some(n)).iter().any(|p| glob(p, resource)),
        // A trust policy has no Resource: the role itself.
        (None, None) => true,
    };
    action_ok && resource_ok
}

/// `*` matches any run of characters, `?` any one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// `ours` merged into `existing` by statement id: each statement of `ours` replaces the one of
/// `existing` with its `Sid`, or is added; every other statement of `existing` is kept, so a
/// policy someone else wrote keeps what it allows. A statement of `existing` that is one of
/// `ours` but for its `Sid` (written before it had one) is not kept twice.
pub fn merge_by_sid(existing: Option<&Value>, ours: &Value) -> Value {
    let ours_st = statements(ours);
    let sid = |st: &Value| st.get("Sid").and_then(Value::as_str).map(str::to_owned);
    let without_sid = |st: &Value| {
        let mut st = st.clone();
        if let Value::Object(m) = &mut st {
            m.remove("Sid");
        }
        st
    };
    let our_sids: Vec<String> = ours_st.iter().filter_map(|st| sid(st)).collect();
    let our_bodies: Vec<Value> = ours_st.iter().map(|st| without_sid(st)).collect();
    let mut merged: Vec<Value> = existing
        .map(statements)
        .unwrap_or_default()
        .into_iter()
        .filter(|st| !sid(st).is_some_and(|s| our_sids.contains(&s)))
        .filter(|st| !our_bodies.contains(&without_sid(st)))
        .cloned()
        .collect();
    merged.extend(ours_st.into_iter().cloned());
    let mut doc = serde_json::Map::new();
    doc.insert(
        "Version".into(),
        ours.get("Version").cloned().unwrap_or(Value::Null),
    );
    if let Some(id) = existing.and_then(|e| e.get("Id")) {
        doc.insert("Id".into(), id.clone());
    }
    doc.insert("Statement".into(), Value::Array(merged));
    Value::Object(doc)
}

/// The request context a service sends: condition keys (compared without case, as IAM
/// does) and their values.
pub type Context<'a> = [(&'a str, &'a str)];

/// Whether a statement's `Condition` holds in `ctx`: `Some(true)` or `Some(false)`, or `None`
/// when it cannot be told (an operator or a key this evaluator does not know).
pub fn condition_holds(condition: Option<&Value>, ctx: &Context<'_>) -> Option<bool> {
    let Some(Value::Object(ops)) = condition else {
        return Some(true);
    };
    let mut all = Some(true);
    for (op, keys) in ops {
        let Value::Object(keys) = keys else {
            return None;
        };
        for (key, expected) in keys {
            let held = operator_holds(op, key, &strings(Some(expected)), ctx);
            all = match (all, held) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
        }
    }
    all
}

/// One operator of a condition block on one key.
fn operator_holds(op: &str, key: &str, expected: &[&str], ctx: &Context<'_>) -> Option<bool> {
    let op = op
        .strip_prefix("ForAnyValue:")
        .or_else(|| op.strip_prefix("ForAllValues:"))
        .unwrap_or(op);
    let (op, if_exists) = match op.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (op, false),
    };
    let value = ctx
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| *v);
    let Some(value) = value else {
        // A key the context does not hold: with IfExists it holds; else it cannot be told here.
        return if if_exists { Some(true) } else { None };
    };
    let any = |f: &dyn Fn(&str) -> bool| expected.iter().any(|e| f(e));
    let held = match op {
        "StringEquals" | "ArnEquals" => any(&|e| e == value),
        "StringEqualsIgnoreCase" => any(&|e| e.eq_ignore_ascii_case(value)),
        "StringLike" | "ArnLike" => any(&|e| glob(e, value)),
        "StringNotEquals" | "ArnNotEquals" => !any(&|e| e == value),
        "StringNotEqualsIgnoreCase" => !any(&|e| e.eq_ignore_ascii_case(value)),
        "StringNotLike" | "ArnNotLike" => !any(&|e| glob(e, value)),
        _ => return None,
    };
    Some(held)
}

/// Whether a statement names `service` as its principal (or everyone).
fn names_service(st: &Value, service: &str) -> bool {
    let principal = st.get("Principal");
    strings(principal.and_then(|p| p.get("Service"))).contains(&service)
        || principal.and_then(Value::as_str) == Some("*")
        || strings(principal.and_then(|p| p.get("AWS"))).contains(&"*")
}

/// What a role's trust policy says about a service assuming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The service may assume the role, scoped by `aws:SourceAccount` and `aws:SourceArn`
    /// conditions that hold for this account and group (the confused-deputy protection AWS
    /// recommends).
    Scoped,
    /// The service may assume the role, for any account's resources.
    Unscoped,
    /// A condition may or may not hold (a key or operator this evaluator does not know).
    Unknown(String),
    /// The trust names the service, but its conditions do not hold here (another account,
    /// another group): the service's every attempt is refused.
    Mismatch(String),
    /// The service may not assume the role.
    None,
}

/// Whether `trust` (a role's trust policy) lets `service` assume the role, with the context
/// the service sends (`aws:SourceAccount`, `aws:SourceArn`).
pub fn trusts(trust: &Value, service: &str, ctx: &Context<'_>) -> Trust {
    let mut best = Trust::None;
    let rank = |t: &Trust| match t {
        Trust::Scoped => 4,
        Trust::Unscoped => 3,
        Trust::Unknown(_) => 2,
        Trust::Mismatch(_) => 1,
        Trust::None => 0,
    };
    for st in statements(trust) {
        let assume = strings(st.get("Action"))
            .iter()
            .any(|a| glob(&a.to_lowercase(), "sts:assumerole"));
        if !names_service(st, service) || !assume {
            continue;
        }
        let condition = st.get("Condition");
        let found = match (
            st.get("Effect").and_then(Value::as_str),
            condition_holds(condition, ctx),
        ) {
            (Some("Deny"), Some(false)) => continue,
            (Some("Deny"), _) => return Trust::None,
            (Some("Allow"), Some(true)) => {
                let text = condition.map(Value::to_string).unwrap_or_default();
                if text.contains("aws:SourceAccount") && text.contains("aws:SourceArn") {
                    Trust::Scoped
                } else {
                    Trust::Unscoped
                }
            }
            (Some("Allow"), Some(false)) => Trust::Mismatch(condition_text(condition)),
            (Some("Allow"), None) => Trust::Unknown(condition_text(condition)),
            _ => continue,
        };
        if rank(&found) > rank(&best) {
            best = found;
        }
    }
    best
}

fn condition_text(condition: Option<&Value>) -> String {
    condition.map(Value::to_string).unwrap_or_default()
}

/// What a resource policy (a queue's) says about `service` doing `action` on `resource` with
/// `ctx`: an explicit Deny wins, else an Allow whose conditions hold allows. `Unknown` reads as
/// not allowed, and says why.
pub fn allows_service(
    doc: &Value,
    service: &str,
    action: &str,
    resource: &str,
    ctx: &Context<'_>,
) -> Decision {
    let mut allowed = false;
    for st in statements(doc) {
        if !names_service(st, service) || !applies(st, action, resource) {
            continue;
        }
        match (
            st.get("Effect").and_then(Value::as_str),
            condition_holds(st.get("Condition"), ctx),
        ) {
            (Some("Deny"), Some(true) | None) => return Decision::Denied,
            (Some("Allow"), Some(true)) => allowed = true,
            _ => {}
        }
    }
    if allowed {
        Decision::Allowed
    } else {
        Decision::NotAllowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_by_sid_keeps_what_others_wrote() {
        let theirs = serde_json::json!({"Version": "2012-10-17", "Id": "q", "Statement": [
            {"Sid": "Backups", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
             "Action": "sqs:SendMessage", "Resource": "arn:q"},
            {"Sid": "ReminderRule", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "old"},
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:q", "Principal": "x"},
        ]});
        let ours = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "ReminderRule", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:q",
             "Principal": "x"},
        ]});
        let merged = merge_by_sid(Some(&theirs), &ours);
        let sids: Vec<_> = statements(&merged)
            .iter()
            .map(|s| s.get("Sid").and_then(Value::as_str).unwrap_or(""))
            .collect();
        // Theirs kept, ours replaced, and the Sid-less copy of ours not kept twice.
        assert_eq!(sids, ["Backups", "ReminderRule"]);
        assert_eq!(merged["Statement"][1]["Resource"], "arn:q");
        assert_eq!(merged["Id"], "q");
        assert_eq!(merge_by_sid(None, &ours)["Statement"], ours["Statement"]);
    }
    use serde_json::json;

    const BUS: &str = "arn:aws:events:us-east-1:123456789012:event-bus/shop";

    #[test]
    fn allow_deny_and_wildcards() {
        let allow = json!({"Statement": {"Effect": "Allow", "Action": "events:PutEvents", "Resource": BUS}});
        assert_eq!(
            evaluate(std::slice::from_ref(&allow), "events:PutEvents", BUS),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(std::slice::from_ref(&allow), "events:putevents", BUS),
            Decision::Allowed
        );
        let other = "arn:aws:events:us-east-1:123456789012:event-bus/other";
        assert_eq!(
            evaluate(std::slice::from_ref(&allow), "events:PutEvents", other),
            Decision::NotAllowed
        );
        let star = json!({"Statement": [{"Effect": "Allow", "Action": "events:*", "Resource": "arn:aws:events:*:123456789012:event-bus/*"}]});
        assert_eq!(
            evaluate(std::slice::from_ref(&star), "events:PutEvents", BUS),
            Decision::Allowed
        );
        let deny =
            json!({"Statement": [{"Effect": "Deny", "Action": ["events:Put*"], "Resource": "*"}]});
        assert_eq!(
            evaluate(&[star, deny], "events:PutEvents", BUS),
            Decision::Denied
        );
        let not_action =
            json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]});
        assert_eq!(
            evaluate(std::slice::from_ref(&not_action), "events:PutEvents", BUS),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(&[not_action], "iam:PassRole", BUS),
            Decision::NotAllowed
        );
        assert_eq!(evaluate(&[], "events:PutEvents", BUS), Decision::NotAllowed);
    }

    #[test]
    fn globs() {
        assert!(glob("a*c", "abbc"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "abbc"));
        assert!(glob("*", ""));
        assert!(glob("arn:*:x", "arn:aws:events:x"));
        assert!(!glob("arn:*:x", "arn:aws:events:y"));
    }

    #[test]
    fn trust_policies_are_evaluated_with_the_context_scheduler_sends() {
        let group = "arn:aws:scheduler:us-east-1:123456789012:schedule-group/carts";
        let ctx = [
            ("aws:SourceAccount", "123456789012"),
            ("aws:SourceArn", group),
        ];
        let with = |cond: Value| {
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole", "Condition": cond}]})
        };
        let scoped = with(
            json!({"StringEquals": {"aws:SourceAccount": "123456789012", "aws:SourceArn": group}}),
        );
        assert_eq!(
            trusts(&scoped, "scheduler.amazonaws.com", &ctx),
            Trust::Scoped
        );
        // The keys are there, for another account or another group: every reminder is dropped.
        let other_account = with(
            json!({"StringEquals": {"aws:SourceAccount": "999999999999", "aws:SourceArn": group}}),
        );
        assert!(matches!(
            trusts(&other_account, "scheduler.amazonaws.com", &ctx),
            Trust::Mismatch(_)
        ));
        let other_group = with(
            json!({"StringEquals": {"aws:SourceAccount": "123456789012"},
            "ArnEquals": {"aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule-group/other"}}),
        );
        assert!(matches!(
            trusts(&other_group, "scheduler.amazonaws.com", &ctx),
            Trust::Mismatch(_)
        ));
        // Wildcards are evaluated.
        let any_group = with(
            json!({"StringEquals": {"aws:SourceAccount": "123456789012"},
            "ArnLike": {"aws:SourceArn": "arn:aws:scheduler:*:123456789012:schedule-group/*"}}),
        );
        assert_eq!(
            trusts(&any_group, "scheduler.amazonaws.com", &ctx),
            Trust::Scoped
        );
        let unknown = with(json!({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}));
        assert!(matches!(
            trusts(&unknown, "scheduler.amazonaws.com", &ctx),
            Trust::Unknown(_)
        ));
        let open = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "scheduler.amazonaws.com"]},
            "Action": ["sts:AssumeRole"]}]});
        assert_eq!(
            trusts(&open, "scheduler.amazonaws.com", &ctx),
            Trust::Unscoped
        );
        let lambda = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}]});
        assert_eq!(
            trusts(&lambda, "scheduler.amazonaws.com", &ctx),
            Trust::None
        );
    }

    #[test]
    fn queue_policies_let_a_rule_send_or_not() {
        let q = "arn:aws:sqs:us-east-1:123456789012:email";
        let rule = "arn:aws:events:us-east-1:123456789012:rule/shop/r";
        let doc = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage", "Resource": q, "Condition": {"ArnEquals": {"aws:SourceArn": rule}}}]});
        let ctx = [("aws:SourceArn", rule)];
        assert_eq!(
            allows_service(&doc, "events.amazonaws.com", "sqs:SendMessage", q, &ctx),
            Decision::Allowed
        );
        let other = [(
            "aws:SourceArn",
            "arn:aws:events:us-east-1:123456789012:rule/shop/x",
        )];
        assert_eq!(
            allows_service(&doc, "events.amazonaws.com", "sqs:SendMessage", q, &other),
            Decision::NotAllowed
        );
        assert_eq!(
            allows_service(&doc, "sns.amazonaws.com", "sqs:SendMessage", q, &ctx),
            Decision::NotAllowed
        );
    }
}
