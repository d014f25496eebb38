//! `doctor`: checks of a configured set-up, one [`Check`] each, with the fix when one fails.
//!
//! Policies are read (GetRole, GetRolePolicy, attached managed policies) and evaluated locally
//! ([`cartctl_core::policy`]); the rules on the bus are matched against a sample reminder locally
//! ([`cartctl_core::matcher`]) and confirmed with TestEventPattern. The policy simulator is asked
//! only whether the caller may pass the role; where it is unavailable that check is skipped.

use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::{Value, json};

use crate::list::list_reminders;
use crate::retry::Retrier;
use crate::sdk::iam::Caller;
use crate::sdk::{Clients, events, iam, rules, scheduler, sqs};
use crate::session::Session;
use cartctl_core::Result;
use cartctl_core::matcher;
use cartctl_core::policy::{self, Decision, Trust};
use cartctl_core::reminder::query::ReminderQuery;
use cartctl_core::reminder::{Cart, DetailTypeTemplate};

/// How many scheduled reminders are read to check their bus and role.
pub const REMINDERS_CHECKED: usize = 100;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// All is well.
    Ok,
    /// Works, but not as it should (exit code stays 0).
    Warn,
    /// Broken: reminders will not be delivered.
    Fail,
    /// Not checked (what it needs is missing or cannot be asked).
    Skip,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Its name.
    pub check: &'static str,
    /// How it ended.
    pub status: Status,
    /// What was found.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    fn ok(check: &'static str, message: impl Into<String>) -> Check {
        Check {
            check,
            status: Status::Ok,
            message: message.into(),
            fix: None,
        }
    }

    fn fail(check: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            check,
            status: Status::Fail,
            message: message.into(),
            fix: Some(fix.into()),
        }
    }

    fn warn(check: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            status: Status::Warn,
            ..Check::fail(check, message, fix)
        }
    }

    fn skip(check: &'static str, message: impl Into<String>) -> Check {
        Check {
            status: Status::Skip,
            ..Check::ok(check, message)
        }
    }
}

/// What to check: the settings reminders are scheduled with.
#[derive(Debug, Clone)]
pub struct DoctorRequest {
    /// The bus name.
    pub bus: String,
    /// The schedule group.
    pub group: String,
    /// The Scheduler role.
    pub role_arn: Option<String>,
    /// The reminders' dead-letter queue.
    pub dlq_arn: Option<String>,
    /// The reminders' source.
    pub source: String,
    /// The reminders' detail-type template.
    pub detail_type: String,
}

/// What the checks found that later checks use.
struct Found<'a> {
    caller: Caller,
    region: String,
    bus_arn: String,
    role_policies: Option<Vec<Value>>,
    req: &'a DoctorRequest,
}

/// Runs every check; `each` sees each as it completes.
pub async fn diagnose(
    clients: &Clients,
    req: &DoctorRequest,
    retry: &Retrier,
    mut each: impl FnMut(&Check),
) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut record = |c: Check| {
        each(&c);
        checks.push(c);
    };
    let region = clients
        .config()
        .region()
        .map(|r| r.to_string())
        .unwrap_or_default();
    let caller = match retry.run(|_| iam::caller(&clients.sts)).await {
        Ok(c) => c,
        Err(e) => {
            record(Check::fail(
                "credentials",
                e.one_line(),
                "check the credentials, --profile and --region",
            ));
            return checks;
        }
    };
    record(Check::ok(
        "credentials",
        format!("account {} in {region}, as {}", caller.account, caller.arn),
    ));
    let bus_arn = format!(
        "arn:aws:events:{region}:{}:event-bus/{}",
        caller.account, req.bus
    );
    let mut found = Found {
        caller,
        region,
        bus_arn,
        role_policies: None,
        req,
    };
    let bus_ok = check_bus(clients, &mut found).await;
    record(bus_ok.clone());
    record(check_group(clients, req).await);
    for c in check_role(clients, &mut found).await {
        record(c);
    }
    for c in check_dlq(clients, &found).await {
        record(c);
    }
    if bus_ok.status == Status::Ok {
        record(check_rules(clients, &found).await);
    } else {
        record(Check::skip("consumer-rule", "the bus does not exist"));
    }
    record(check_reminders(clients, &found, retry).await);
    checks
}

fn error_check(check: &'static str, e: crate::Error) -> Check {
    Check::fail(
        check,
        e.one_line(),
        "see the error; doctor needs read access to check this",
    )
}

async fn check_bus(clients: &Clients, found: &mut Found<'_>) -> Check {
    match events::bus_exists(&clients.events, &found.req.bus).await {
        Ok(Some(arn)) => {
            found.bus_arn = arn;
            Check::ok("bus", format!("event bus {} exists", found.bus_arn))
        }
        Ok(None) => Check::fail(
            "bus",
            format!("event bus `{}` does not exist", found.req.bus),
            format!(
                "run `cartctl setup --bus {}`, or pass the right --bus",
                found.req.bus
            ),
        ),
        Err(e) => error_check("bus", e),
    }
}

async fn check_group(clients: &Clients, req: &DoctorRequest) -> Check {
    if req.group == scheduler::DEFAULT_GROUP {
        return Check::ok("group", "schedule group default (every account has it)");
    }
    match scheduler::group_arn(&clients.scheduler, &req.group).await {
        Ok(Some(arn)) => Check::ok("group", format!("schedule group {arn} exists")),
        Ok(None) => Check::fail(
            "group",
            format!("schedule group `{}` does not exist", req.group),
            format!(
                "run `cartctl setup --group {}`, or pass the right --group",
                req.group
            ),
        ),
        Err(e) => error_check("group", e),
    }
}

/// The role's name from its ARN (the part after `role/` and any path).
fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

async fn check_role(clients: &Clients, found: &mut Found<'_>) -> Vec<Check> {
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
    checks.push(match policy::trusts(&role.trust, "scheduler.amazonaws.com") {
        Trust::Scoped => Check::ok("role-trust", "trusts scheduler.amazonaws.com, for this account and group"),
        Trust::Unscoped => Check::warn(
            "role-trust",
            "trusts scheduler.amazonaws.com without the aws:SourceAccount and aws:SourceArn conditions",
            "add them to the trust policy (confused-deputy protection); `cartctl setup` writes them",
        ),
        Trust::None => Check::fail(
            "role-trust",
            format!("role {name} does not trust scheduler.amazonaws.com: Scheduler cannot assume it"),
            "let scheduler.amazonaws.com sts:AssumeRole in its trust policy (`cartctl setup` does)",
        ),
    });
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

fn permission_check(
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

/// The principal the simulator takes for a caller: an assumed role's session is its role.
fn simulator_principal(caller_arn: &str) -> Option<String> {
    if let Some((head, path)) = caller_arn.split_once(":assumed-role/") {
        let role = path.split('/').next()?;
        let head = head.replacen(":sts:", ":iam:", 1);
        return Some(format!("{head}:role/{role}"));
    }
    (!caller_arn.ends_with(":root")).then(|| caller_arn.to_owned())
}

async fn check_pass_role(clients: &Clients, caller: &Caller, role_arn: &str) -> Check {
    let Some(principal) = simulator_principal(&caller.arn) else {
        return Check::ok("pass-role", "the account's root user may pass any role");
    };
    match iam::simulate(&clients.iam, &principal, "iam:PassRole", role_arn).await {
        Ok(true) => Check::ok("pass-role", format!("{principal} may pass the role")),
        Ok(false) => Check::fail(
            "pass-role",
            format!("{principal} may not iam:PassRole the role: CreateSchedule will be refused"),
            format!("allow iam:PassRole on {role_arn} to whoever runs cartctl"),
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

async fn check_dlq(clients: &Clients, found: &Found<'_>) -> Vec<Check> {
    let Some(dlq) = &found.req.dlq_arn else {
        return vec![Check::skip(
            "dlq",
            "no dead-letter queue configured (--dlq-arn)",
        )];
    };
    let name = dlq.rsplit(':').next().unwrap_or(dlq);
    if name.ends_with(".fifo") {
        return vec![Check::fail(
            "dlq",
            format!("{dlq} is a FIFO queue: Scheduler sends dead letters to standard queues only"),
            "use a standard queue (`cartctl setup` makes one)",
        )];
    }
    let url = match sqs::queue_url(&clients.sqs, name).await {
        Ok(Some(url)) => url,
        Ok(None) => {
            return vec![Check::fail(
                "dlq",
                format!("queue {dlq} does not exist"),
                "run `cartctl setup`, or pass the ARN of an existing queue with --dlq-arn",
            )];
        }
        Err(e) => return vec![error_check("dlq", e)],
    };
    let attrs = sqs::attributes(&clients.sqs, &url)
        .await
        .unwrap_or_default();
    let mut checks = vec![match attrs.get("KmsMasterKeyId") {
        Some(key) if key != "alias/aws/sqs" => Check::warn(
            "dlq",
            format!("{dlq} is encrypted with the KMS key {key}"),
            "the role also needs kms:GenerateDataKey and kms:Decrypt on that key",
        ),
        _ => Check::ok("dlq", format!("{dlq} is a standard queue")),
    }];
    if let Some(docs) = &found.role_policies {
        let who = format!(
            "role {}",
            role_name(found.req.role_arn.as_deref().unwrap_or(""))
        );
        checks.push(permission_check(
            "dlq-send",
            docs,
            "sqs:SendMessage",
            dlq,
            &who,
        ));
    }
    checks
}

/// A reminder as Scheduler puts it on the bus, for matching the rules against.
pub fn sample_reminder(req: &DoctorRequest, account: &str, region: &str) -> Value {
    let cart = Cart {
        user: "doctor-sample-user".into(),
        product: "doctor-sample-product".into(),
    };
    let detail_type = DetailTypeTemplate::new(&req.detail_type)
        .render(&cart, cartctl_core::setting::DETAIL_TYPE.key)
        .unwrap_or_else(|_| req.detail_type.clone());
    let detail: Value =
        serde_json::from_str(&cart.reminder_input()).expect("reminder input is JSON");
    json!({
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000000",
        "detail-type": detail_type,
        "source": req.source,
        "account": account,
        "time": "2026-01-01T00:00:00Z",
        "region": region,
        "resources": [format!("arn:aws:scheduler:{region}:{account}:schedule/{}/sample", req.group)],
        "detail": detail,
    })
}

async fn check_rules(clients: &Clients, found: &Found<'_>) -> Check {
    let ev = &clients.events;
    let bus = &found.req.bus;
    let sample = sample_reminder(found.req, &found.caller.account, &found.region);
    let all = match rules::rules_on(ev, bus).await {
        Ok(r) => r,
        Err(e) => return error_check("consumer-rule", e),
    };
    let mut disabled = Vec::new();
    let mut untargeted = Vec::new();
    for rule in &all {
        let Some(pattern) = &rule.pattern else {
            continue;
        };
        let matched = match matcher::matches(pattern, &sample) {
            Ok(m) => m,
            Err(_) => events::test_pattern(ev, pattern, &sample.to_string())
                .await
                .unwrap_or(false),
        };
        if !matched {
            continue;
        }
        if !rule.enabled {
            disabled.push(rule.name.clone());
            continue;
        }
        match rules::targets(ev, bus, &rule.name).await {
            Ok(t) if !t.is_empty() => {
                let confirmed = events::test_pattern(ev, pattern, &sample.to_string()).await;
                let note = match confirmed {
                    Ok(true) => " (TestEventPattern agrees)",
                    _ => "",
                };
                return Check::ok(
                    "consumer-rule",
                    format!(
                        "rule {} matches reminders{note} and targets {}",
                        rule.name, t[0].1
                    ),
                );
            }
            Ok(_) => untargeted.push(rule.name.clone()),
            Err(e) => return error_check("consumer-rule", e),
        }
    }
    let fix = format!(
        "add an enabled rule on {bus} matching {{\"source\": [\"{}\"], \"detail\": {{\"scheduled_event\": [\"true\"]}}}} with the e-mail queue as target (`cartctl setup` does)",
        found.req.source
    );
    let why = if let Some(name) = disabled.first() {
        format!("rule {name} matches reminders but is DISABLED")
    } else if let Some(name) = untargeted.first() {
        format!("rule {name} matches reminders but has no target")
    } else {
        format!("no rule on bus {bus} matches a reminder")
    };
    Check::fail(
        "consumer-rule",
        format!("{why}: PutEvents succeeds and the reminder is lost without a trace"),
        fix,
    )
}

async fn check_reminders(clients: &Clients, found: &Found<'_>, retry: &Retrier) -> Check {
    let query = ReminderQuery {
        group: found.req.group.clone(),
        ..ReminderQuery::default()
    };
    let rows = list_reminders(&clients.scheduler, &query, 8, retry)
        .take(REMINDERS_CHECKED)
        .try_collect::<Vec<_>>()
        .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return error_check("reminders", e),
    };
    let role = found.req.role_arn.as_deref().unwrap_or_default();
    let astray: Vec<&str> = rows
        .iter()
        .filter(|r| r.target_arn != found.bus_arn || (!role.is_empty() && r.role_arn != role))
        .map(|r| r.name.as_str())
        .collect();
    match astray.first() {
        None if rows.is_empty() => Check::ok("reminders", "no reminders scheduled yet"),
        None => Check::ok(
            "reminders",
            format!(
                "{} reminders checked: all target {} with the configured role",
                rows.len(),
                found.bus_arn
            ),
        ),
        Some(first) => Check::fail(
            "reminders",
            format!(
                "{} of {} reminders checked target another bus or role (first: {first})",
                astray.len(),
                rows.len()
            ),
            "re-create them with these settings: `cartctl schedule … --on-conflict replace`",
        ),
    }
}

impl Session {
    /// Runs `doctor`'s checks; `each` sees each as it completes.
    pub async fn doctor(
        &self,
        req: &DoctorRequest,
        each: impl FnMut(&Check),
    ) -> Result<Vec<Check>> {
        let clients = self.clients().await?;
        Ok(diagnose(clients, req, self.retrier(), each).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulator_is_asked_about_roles_not_sessions() {
        assert_eq!(
            simulator_principal("arn:aws:sts::123456789012:assumed-role/Deploy/ci-42").as_deref(),
            Some("arn:aws:iam::123456789012:role/Deploy")
        );
        assert_eq!(
            simulator_principal("arn:aws:iam::123456789012:user/alice").as_deref(),
            Some("arn:aws:iam::123456789012:user/alice")
        );
        assert_eq!(simulator_principal("arn:aws:iam::123456789012:root"), None);
    }

    #[test]
    fn the_sample_reminder_is_what_scheduler_puts() {
        let req = DoctorRequest {
            bus: "shop".into(),
            group: "carts".into(),
            role_arn: None,
            dlq_arn: None,
            source: "putToCartService".into(),
            detail_type: "item {product} added to Cart".into(),
        };
        let e = sample_reminder(&req, "123456789012", "us-east-1");
        assert_eq!(e["detail"]["scheduled_event"], "true");
        assert_eq!(e["detail-type"], "item doctor-sample-product added to Cart");
        let pattern = r#"{"source":["putToCartService"],"detail":{"scheduled_event":["true"]}}"#;
        assert!(matcher::matches(pattern, &e).unwrap());
    }
}
