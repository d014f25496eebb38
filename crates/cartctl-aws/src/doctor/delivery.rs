//! Where reminders go: the dead-letter queue Scheduler sends failures to, and the rule on the
//! bus that takes reminders to the e-mail queue — matched against a sample reminder (locally,
//! and by TestEventPattern, whose answer wins), enabled, with a queue target that exists, lets
//! the rule send, and is not encrypted with a key EventBridge cannot use.

use serde_json::{Value, json};

use super::role::{permission_check, role_name};
use super::{Check, Found, error_check};
use crate::sdk::rules::RuleInfo;
use crate::sdk::{Clients, events, rules, sqs};
use cartctl_core::matcher;
use cartctl_core::policy::{self, Decision};
use cartctl_core::reminder::{Cart, DetailTypeTemplate};

/// The AWS managed key of SQS: EventBridge cannot send to a queue it encrypts (the key's
/// policy cannot be changed to let events.amazonaws.com use it).
const SQS_MANAGED_KEY: &str = "alias/aws/sqs";
const EVENTS: &str = "events.amazonaws.com";

pub(super) async fn check_dlq(clients: &Clients, found: &Found<'_>) -> Vec<Check> {
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
        Some(key) if !key.is_empty() && key != SQS_MANAGED_KEY => Check::warn(
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
pub fn sample_reminder(req: &super::DoctorRequest, account: &str, region: &str) -> Value {
    sample(req, "aws", account, region)
}

fn sample(req: &super::DoctorRequest, partition: &str, account: &str, region: &str) -> Value {
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
        "resources": [format!("arn:{partition}:scheduler:{region}:{account}:schedule/{}/sample", req.group)],
        "detail": detail,
    })
}

/// Whether a rule matches the sample: EventBridge's own answer (TestEventPattern) where it
/// gives one, else the local matcher's.
async fn rule_matches(clients: &Clients, pattern: &str, sample: &Value) -> bool {
    let local = matcher::matches(pattern, sample);
    match events::test_pattern(&clients.events, pattern, &sample.to_string()).await {
        Ok(answer) => answer,
        Err(_) => local.unwrap_or(false),
    }
}

pub(super) async fn check_rules(clients: &Clients, found: &Found<'_>) -> Check {
    let ev = &clients.events;
    let bus = &found.req.bus;
    let sample = sample(
        found.req,
        &found.partition,
        &found.caller.account,
        &found.region,
    );
    let all = match rules::rules_on(ev, bus).await {
        Ok(r) => r,
        Err(e) => return error_check("consumer-rule", e),
    };
    let mut why_not = Vec::new();
    for rule in &all {
        let Some(pattern) = &rule.pattern else {
            continue;
        };
        if !rule_matches(clients, pattern, &sample).await {
            continue;
        }
        if !rule.enabled {
            why_not.push(format!(
                "rule {} matches reminders but is DISABLED",
                rule.name
            ));
            continue;
        }
        let targets = match rules::targets(ev, bus, &rule.name).await {
            Ok(t) => t,
            Err(e) => return error_check("consumer-rule", e),
        };
        if targets.is_empty() {
            why_not.push(format!(
                "rule {} matches reminders but has no target",
                rule.name
            ));
            continue;
        }
        match delivery_to(clients, found, rule, &targets[0].1).await {
            Ok(()) => {
                return Check::ok(
                    "consumer-rule",
                    format!(
                        "rule {} matches reminders and delivers to {}",
                        rule.name, targets[0].1
                    ),
                );
            }
            Err(check) => return check,
        }
    }
    let fix = format!(
        "add an enabled rule on {bus} matching {{\"source\": [\"{}\"], \"detail\": {{\"scheduled_event\": [\"true\"]}}}} with the e-mail queue as target (`cartctl setup` does)",
        found.req.source
    );
    let why = why_not
        .into_iter()
        .next()
        .unwrap_or_else(|| format!("no rule on bus {bus} matches a reminder"));
    Check::fail(
        "consumer-rule",
        format!("{why}: PutEvents succeeds and the reminder is lost without a trace"),
        fix,
    )
}

/// Checks that `rule` can deliver to its target `target`: for a queue, that it exists, that its
/// policy lets EventBridge send for this rule, and that its key is one EventBridge can use.
/// Other targets are taken as they are.
async fn delivery_to(
    clients: &Clients,
    found: &Found<'_>,
    rule: &RuleInfo,
    target: &str,
) -> Result<(), Check> {
    if !target.contains(":sqs:") {
        return Ok(());
    }
    let fail = |message: String, fix: String| Err(Check::fail("consumer-rule", message, fix));
    let url = match sqs::url_of_arn(&clients.sqs, target).await {
        Ok(url) => url,
        Err(e) if e.is_not_found() => {
            return fail(
                format!(
                    "rule {} targets the queue {target}, which does not exist",
                    rule.name
                ),
                "create the queue, or point the rule at one (`cartctl setup` does)".into(),
            );
        }
        Err(e) => return Err(error_check("consumer-rule", e)),
    };
    let attrs = match sqs::attributes(&clients.sqs, &url).await {
        Ok(a) => a,
        Err(e) => return Err(error_check("consumer-rule", e)),
    };
    if attrs.get("KmsMasterKeyId").map(String::as_str) == Some(SQS_MANAGED_KEY) {
        return fail(
            format!("the queue {target} is encrypted with the AWS managed key {SQS_MANAGED_KEY}, which EventBridge cannot use: every delivery fails"),
            "use SSE-SQS (SqsManagedSseEnabled, `cartctl setup` does) or a customer managed key that lets events.amazonaws.com use it".into(),
        );
    }
    let doc = attrs
        .get("Policy")
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
        .unwrap_or(Value::Null);
    let ctx = [
        ("aws:SourceArn", rule.arn.as_str()),
        ("aws:SourceAccount", found.caller.account.as_str()),
    ];
    match policy::allows_service(&doc, EVENTS, "sqs:SendMessage", target, &ctx) {
        Decision::Allowed => Ok(()),
        _ => fail(
            format!(
                "the queue {target}'s policy does not let rule {} send (events.amazonaws.com, aws:SourceArn {})",
                rule.name, rule.arn
            ),
            format!(
                "allow events.amazonaws.com sqs:SendMessage on {target} where aws:SourceArn is {} (`cartctl setup` does)",
                rule.arn
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_reminder_is_what_scheduler_puts() {
        let req = super::super::DoctorRequest {
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
        let cn = sample(&req, "aws-cn", "123456789012", "cn-north-1");
        assert!(
            cn["resources"][0]
                .as_str()
                .unwrap()
                .starts_with("arn:aws-cn:scheduler:")
        );
    }
}
