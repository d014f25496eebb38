//! The Scheduler role: it exists, it trusts Scheduler for this account and group (its
//! conditions evaluated with the values Scheduler sends), it may put events on the bus, and the
//! caller may pass it to Scheduler.

use serde_json::Value;

use super::{Check, Found, error_check};
use crate::sdk::iam::Caller;
use crate::sdk::{Clients, iam};
use cartctl_core::policy::{self, Decision, Trust};

/// The service that assumes the role, and to which the caller passes it.
const SCHEDULER: &str = "scheduler.amazonaws.com";

/// The role's name from its ARN (the part after `role/` and any path).
pub(super) fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

pub(super) async fn check_role(clients: &Clients, found: &mut Found<'_>) -> Vec<Check> {
    let Some(role_arn) = found.req.role_arn.clone() else {
        return vec![Check::fail(
            "role",
            "no Scheduler role is configured",
            "pass --role-arn, set CARTCTL_SCHEDULER_ROLE_ARN, or run `cartctl setup --write-config`",
        )];
    };
    let name = role_name(&role_arn);
    let role = match iam::get_role(&clients.iam, name).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            return vec![Check::fail(
                "role",
                format!("role {role_arn} does not exist"),
                "run `cartctl setup`, or pass the ARN of an existing role with --role-arn",
            )];
        }
        Err(e) => return vec![error_check("role", e)],
    };
    let mut checks = vec![Check::ok("role", format!("role {} exists", role.arn))];
    checks.push(trust_check(&role.trust, name, found));
    match iam::role_policies(&clients.iam, name).await {
        Ok(docs) => {
            checks.push(permission_check(
                "role-put-events",
                &docs,
                "events:PutEvents",
                &found.bus_arn,
                &format!("role {name}"),
            ));
            found.role_policies = Some(docs);
        }
        Err(e) => checks.push(error_check("role-put-events", e)),
    }
    checks.push(check_pass_role(clients, &found.caller, &role.arn).await);
    checks
}

/// The trust policy, evaluated with what Scheduler sends when it assumes the role for a
/// schedule of this group: `aws:SourceAccount` (the account) and `aws:SourceArn` (the group).
fn trust_check(trust: &Value, name: &str, found: &Found<'_>) -> Check {
    let group_arn = found.group_arn();
    let ctx = [
        ("aws:SourceAccount", found.caller.account.as_str()),
        ("aws:SourceArn", group_arn.as_str()),
    ];
    match policy::trusts(trust, SCHEDULER, &ctx) {
        Trust::Scoped => Check::ok(
            "role-trust",
            "trusts scheduler.amazonaws.com, for this account and group",
        ),
        Trust::Unscoped => Check::warn(
            "role-trust",
            "trusts scheduler.amazonaws.com without the aws:SourceAccount and aws:SourceArn conditions",
            "add them to the trust policy (confused-deputy protection); `cartctl setup` writes them",
        ),
        Trust::Unknown(condition) => Check::warn(
            "role-trust",
            format!(
                "trusts scheduler.amazonaws.com under a condition doctor cannot evaluate: {condition}"
            ),
            format!(
                "make sure it holds for account {} and {group_arn}",
                found.caller.account
            ),
        ),
        Trust::Mismatch(condition) => Check::fail(
            "role-trust",
            format!(
                "trusts scheduler.amazonaws.com only where {condition}, not for account {} and {group_arn}: every reminder (and its dead letter) is dropped",
                found.caller.account
            ),
            format!(
                "set aws:SourceAccount to {} and aws:SourceArn to {group_arn} (or run `cartctl setup`)",
                found.caller.account
            ),
        ),
        Trust::None => Check::fail(
            "role-trust",
            format!(
                "role {name} does not trust scheduler.amazonaws.com: Scheduler cannot assume it"
            ),
            "let scheduler.amazonaws.com sts:AssumeRole in its trust policy (`cartctl setup` does)",
        ),
    }
}

pub(super) fn permission_check(
    check: &'static str,
    docs: &[Value],
    action: &str,
    resource: &str,
    who: &str,
) -> Check {
    match policy::evaluate(docs, action, resource) {
        Decision::Allowed => Check::ok(check, format!("{who} may {action} on {resource}")),
        Decision::Denied => Check::fail(
            check,
            format!("{who} is denied {action} on {resource}"),
            format!("remove the Deny of {action} from its policies"),
        ),
        Decision::NotAllowed => Check::fail(
            check,
            format!("{who} may not {action} on {resource}"),
            format!("allow {action} on {resource} in its policies (`cartctl setup` does)"),
        ),
    }
}

/// The principal the simulator takes for a caller: an assumed role's session is its role, by
/// the role's real ARN (with its path: an SSO role lives under `/aws-reserved/…`, and the
/// simulator knows no role without it). `None` for the root user.
pub(super) async fn simulator_principal(clients: &Clients, caller_arn: &str) -> Option<String> {
    let Some((_, path)) = caller_arn.split_once(":assumed-role/") else {
        return (!caller_arn.ends_with(":root")).then(|| caller_arn.to_owned());
    };
    let role = path.split('/').next()?;
    match iam::get_role(&clients.iam, role).await {
        Ok(Some(r)) => Some(r.arn),
        // Without GetRole, the ARN without a path: right for roles at `/`.
        _ => Some(assumed_role_arn(caller_arn)?),
    }
}

/// `arn:…:sts::A:assumed-role/R/session` as `arn:…:iam::A:role/R` (no path known).
fn assumed_role_arn(caller_arn: &str) -> Option<String> {
    let (head, path) = caller_arn.split_once(":assumed-role/")?;
    let role = path.split('/').next()?;
    Some(format!(
        "{}:role/{role}",
        head.replacen(":sts:", ":iam:", 1)
    ))
}

async fn check_pass_role(clients: &Clients, caller: &Caller, role_arn: &str) -> Check {
    let Some(principal) = simulator_principal(clients, &caller.arn).await else {
        return Check::ok("pass-role", "the account's root user may pass any role");
    };
    // What CreateSchedule's PassRole carries: the role is passed to Scheduler (AWS's own
    // managed policies allow PassRole under that condition only).
    let context = [("iam:PassedToService", SCHEDULER)];
    match iam::simulate(&clients.iam, &principal, "iam:PassRole", role_arn, &context).await {
        Ok(true) => Check::ok("pass-role", format!("{principal} may pass the role")),
        Ok(false) => Check::fail(
            "pass-role",
            format!(
                "{principal} may not iam:PassRole the role to Scheduler: CreateSchedule will be refused"
            ),
            format!(
                "allow iam:PassRole on {role_arn} (iam:PassedToService {SCHEDULER}) to whoever runs cartctl"
            ),
        ),
        Err(e) => {
            let why = match &e {
                crate::Error::Aws(a) => format!("{} answered {}", a.operation, a.code),
                other => other.to_string(),
            };
            Check::skip(
                "pass-role",
                format!("not checked: the policy simulator is unavailable ({why})"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_simulated_as_its_role() {
        assert_eq!(
            assumed_role_arn("arn:aws:sts::123456789012:assumed-role/Deploy/ci-42").as_deref(),
            Some("arn:aws:iam::123456789012:role/Deploy")
        );
        assert_eq!(
            assumed_role_arn("arn:aws-cn:sts::123456789012:assumed-role/D/s").as_deref(),
            Some("arn:aws-cn:iam::123456789012:role/D")
        );
        assert_eq!(
            assumed_role_arn("arn:aws:iam::123456789012:user/alice"),
            None
        );
    }
}
