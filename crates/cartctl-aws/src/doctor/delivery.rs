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
/// gives one, else the local matcher's (which agrees with event-ruler): an answer without a
/// `Result` is no answer.
async fn rule_matches(clients: &Clients, pattern: &str, sample: &Value) -> bool {
    let local = matcher::matches(pattern, sample);
    match events::test_pattern(&clients.events, pattern, &sample.to_string()).await {
        Ok(Some(answer)) => answer,
        Ok(None) | Err(_) => local.unwrap_or(false),
    }
}

/// What a route check looks for: the check's name, the sample event, what it is called, and
/// what happens to it when nothing delivers it.
struct RouteCheck {
    name: &'static str,
    sample: Value,
    what: &'static str,
    /// One of them, with its article.
    one: &'static str,
    lost: &'static str,
    fix: String,
    /// A missing route is only a warning (another consumer may be in use).
    optional: bool,
}

/// `mailer-rule`: an enabled rule on the bus matches a reminder and delivers it.
pub(super) async fn check_rules(clients: &Clients, found: &Found<'_>) -> Check {
    let sample = sample(
        found.req,
        &found.partition,
        &found.caller.account,
        &found.region,
    );
    let fix = format!(
        "add an enabled rule on {} matching {{\"source\": [\"{}\"], \"detail\": {{\"scheduled_event\": [\"true\"]}}}} with the e-mail queue as target (`cartctl setup` does)",
        found.req.bus, found.req.source
    );
    let route = RouteCheck {
        name: "mailer-rule",
        sample,
        what: "reminders",
        one: "a reminder",
        lost: "PutEvents succeeds and the reminder is lost without a trace",
        fix,
        optional: false,
    };
    check_route(clients, found, route).await
}

/// `consumer-rule`: an enabled rule on the bus matches an add-to-cart event and delivers it
/// (to the consumer's queue); only a warning when none does, for whoever schedules reminders
/// another way.
pub(super) async fn check_carts_rule(clients: &Clients, found: &Found<'_>) -> Check {
    let cart = Cart {
        user: "doctor-sample-user".into(),
        product: "doctor-sample-product".into(),
    };
    let detail_type = DetailTypeTemplate::new(&found.req.detail_type)
        .render(&cart, cartctl_core::setting::DETAIL_TYPE.key)
        .unwrap_or_else(|_| found.req.detail_type.clone());
    let sample = json!({
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000000",
        "detail-type": detail_type,
        "source": found.req.source,
        "account": found.caller.account,
        "time": "2026-01-01T00:00:00Z",
        "region": found.region,
        "resources": [],
        "detail": {"user": cart.user, "product": cart.product},
    });
    let route = RouteCheck {
        name: "consumer-rule",
        sample,
        what: "add-to-cart events",
        one: "an add-to-cart event",
        lost: "nothing turns the shop's events into reminders (fine if they are scheduled another way)",
        fix: "run `cartctl setup` (it makes the <prefix>-carts rule and queue the consumer reads)"
            .into(),
        optional: true,
    };
    check_route(clients, found, route).await
}

async fn check_route(clients: &Clients, found: &Found<'_>, route: RouteCheck) -> Check {
    let ev = &clients.events;
    let bus = &found.req.bus;
    let name = route.name;
    let all = match rules::rules_on(ev, bus).await {
        Ok(r) => r,
        Err(e) => return error_check(name, e),
    };
    let mut why_not = Vec::new();
    for rule in &all {
        let Some(pattern) = &rule.pattern else {
            continue;
        };
        if !rule_matches(clients, pattern, &route.sample).await {
            continue;
        }
        if !rule.enabled {
            why_not.push(format!(
                "rule {} matches {} but is DISABLED",
                rule.name, route.what
            ));
            continue;
        }
        let targets = match rules::targets(ev, bus, &rule.name).await {
            Ok(t) => t,
            Err(e) => return error_check(name, e),
        };
        if targets.is_empty() {
            why_not.push(format!(
                "rule {} matches {} but has no target",
                rule.name, route.what
            ));
            continue;
        }
        return match delivery_to(clients, found, name, rule, &targets[0].1).await {
            Ok(()) => Check::ok(
                name,
                format!(
                    "rule {} matches {} and delivers to {}",
                    rule.name, route.what, targets[0].1
                ),
            ),
            Err(check) => check,
        };
    }
    let why = why_not
        .into_iter()
        .next()
        .unwrap_or_else(|| format!("no rule on bus {bus} matches {}", route.one));
    let message = format!("{why}: {}", route.lost);
    if route.optional {
        Check::warn(name, message, route.fix)
    } else {
        Check::fail(name, message, route.fix)
    }
}

/// Checks that `rule` can deliver to its target `target`: for a queue, that it exists, that its
/// policy lets EventBridge send for this rule, and that its key is one EventBridge can use.
/// Other targets are taken as they are.
async fn delivery_to(
    clients: &Clients,
    found: &Found<'_>,
    name: &'static str,
    rule: &RuleInfo,
    target: &str,
) -> Result<(), Check> {
    if !target.contains(":sqs:") {
        return Ok(());
    }
    let fail = |message: String, fix: String| Err(Check::fail(name, message, fix));
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
        Err(e) => return Err(error_check(name, e)),
    };
    let attrs = match sqs::attributes(&clients.sqs, &url).await {
        Ok(a) => a,
        Err(e) => return Err(error_check(name, e)),
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
            mail_from: None,
            api_url: None,
            carts_queue: None,
            email_queue: None,
            ledger_table: None,
            lists: None,
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
