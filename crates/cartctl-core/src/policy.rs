//! IAM policies, evaluated locally for the few questions `doctor` asks ("may this role put
//! events on that bus?", "does it trust Scheduler?"), so the answer does not depend on the
//! policy simulator, which not every endpoint offers.
//!
//! The evaluation follows IAM's order: an explicit Deny wins, else an Allow allows, else the
//! request is implicitly denied. `Action`/`NotAction` match case-insensitively and
//! `Resource`/`NotResource` case-sensitively, both with `*` and `?` wildcards. Conditions are
//! not evaluated: a statement with a condition counts as applying (an Allow that a condition
//! narrows is reported as allowing).

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

/// What a role's trust policy says about a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// The service may assume the role, with `aws:SourceAccount` and `aws:SourceArn`
    /// conditions (the confused-deputy protection AWS recommends).
    Scoped,
    /// The service may assume the role, for any account's resources.
    Unscoped,
    /// The service may not assume the role.
    None,
}

/// Whether `trust` (a role's trust policy) lets `service` assume the role.
pub fn trusts(trust: &Value, service: &str) -> Trust {
    let mut result = Trust::None;
    for st in statements(trust) {
        let principal = st.get("Principal");
        let services = strings(principal.and_then(|p| p.get("Service")));
        let named = services.contains(&service) || principal.and_then(Value::as_str) == Some("*");
        let assume = strings(st.get("Action"))
            .iter()
            .any(|a| glob(&a.to_lowercase(), "sts:assumerole"));
        if !named || !assume {
            continue;
        }
        match st.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return Trust::None,
            Some("Allow") => {
                let text = st
                    .get("Condition")
                    .map(Value::to_string)
                    .unwrap_or_default();
                let scoped = text.contains("aws:SourceAccount") && text.contains("aws:SourceArn");
                if scoped {
                    result = Trust::Scoped;
                } else if result == Trust::None {
                    result = Trust::Unscoped;
                }
            }
            _ => {}
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn trust_policies() {
        let scoped = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "1", "aws:SourceArn": "x"}}}]});
        assert_eq!(trusts(&scoped, "scheduler.amazonaws.com"), Trust::Scoped);
        let open = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "scheduler.amazonaws.com"]},
            "Action": ["sts:AssumeRole"]}]});
        assert_eq!(trusts(&open, "scheduler.amazonaws.com"), Trust::Unscoped);
        let lambda = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}]});
        assert_eq!(trusts(&lambda, "scheduler.amazonaws.com"), Trust::None);
    }
}
