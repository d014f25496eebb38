//! `setup`'s blueprint: what the reminder flow needs in one region, as a [`Blueprint`] (names,
//! ARNs and policies, pure), which `cartctl-aws`'s `setup` applies idempotently or tears down,
//! and which [`Blueprint::template`] writes as a CloudFormation template (`template`).
//!
//! The resources: the event bus (unless `default`), the schedule group (unless `default`), the
//! Scheduler execution role (trusting `scheduler.amazonaws.com` for this account and group
//! only, allowed `events:PutEvents` on the bus and `sqs:SendMessage` on the reminder DLQ), the
//! reminder DLQ, and the consumer side: a rule matching reminder events, targeting the e-mail
//! queue, which has a redrive policy to its own DLQ and a policy admitting only that rule.
//! Every resource is tagged [`TAG_KEY`] = the name prefix, and teardown removes only those.

mod template;

use serde_json::{Value, json};

use crate::error::{Error, Result};

/// The tag every resource setup makes carries; its value is the name prefix.
pub const TAG_KEY: &str = "cartctl:setup";
/// The inline policy of the Scheduler role.
pub const ROLE_POLICY_NAME: &str = "cartctl-reminders";
/// Deliveries to the e-mail queue before a message goes to its DLQ.
pub const MAX_RECEIVE_COUNT: u32 = 5;
/// How long the queues keep a message: 14 days, SQS's longest.
pub const RETENTION_SECS: u32 = 1_209_600;
/// The rule's target id.
pub const TARGET_ID: &str = "email-queue";
const PSEUDO_ACCOUNT: &str = "${AWS::AccountId}";
const PSEUDO_REGION: &str = "${AWS::Region}";
const PSEUDO_PARTITION: &str = "${AWS::Partition}";

/// Longest prefix: `<prefix>-reminders-dlq` is an SQS name (≤ 80) and `<prefix>-scheduler` a
/// role name (≤ 64).
const MAX_PREFIX_LEN: usize = 54;

/// What setup is asked to make.
#[derive(Debug, Clone)]
pub struct SetupRequest {
    /// The bus name.
    pub bus: String,
    /// The schedule group.
    pub group: String,
    /// The source of reminder events (the rule matches it).
    pub source: String,
    /// The name prefix (`cartctl-<bus>` unless given).
    pub prefix: Option<String>,
}

impl SetupRequest {
    /// The name prefix (given, else `cartctl-<bus>`), checked: what setup can refuse
    /// before it knows the account.
    pub fn checked_prefix(&self) -> Result<String> {
        let prefix = self
            .prefix
            .clone()
            .unwrap_or_else(|| format!("cartctl-{}", self.bus));
        check_prefix(&prefix)?;
        Ok(prefix)
    }
}

/// Names, ARNs and policies of everything setup makes, for one account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blueprint {
    /// The account id.
    pub account: String,
    /// The region.
    pub region: String,
    /// The ARN partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// The name prefix (and tag value).
    pub prefix: String,
    /// The bus.
    pub bus: String,
    /// The schedule group.
    pub group: String,
    /// The source reminders carry.
    pub source: String,
    /// The Scheduler role's name.
    pub role: String,
    /// The reminders' dead-letter queue.
    pub reminder_dlq: String,
    /// The e-mail consumer's queue.
    pub email_queue: String,
    /// The e-mail queue's dead-letter queue.
    pub email_dlq: String,
    /// The rule routing reminders to the e-mail queue.
    pub rule: String,
}

impl Blueprint {
    /// Checks the names and lays out the resources.
    pub fn new(req: &SetupRequest, account: &str, region: &str) -> Result<Blueprint> {
        let prefix = req.checked_prefix()?;
        let partition = if region.starts_with("cn-") {
            "aws-cn"
        } else if region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        };
        Ok(Blueprint {
            account: account.to_owned(),
            region: region.to_owned(),
            partition: partition.to_owned(),
            bus: req.bus.clone(),
            group: req.group.clone(),
            source: req.source.clone(),
            role: format!("{prefix}-scheduler"),
            reminder_dlq: format!("{prefix}-reminders-dlq"),
            email_queue: format!("{prefix}-email"),
            email_dlq: format!("{prefix}-email-dlq"),
            rule: reminder_rule_name(&prefix),
            prefix,
        })
    }

    /// The blueprint of a CloudFormation template: the account, region and partition are the
    /// stack's pseudo parameters, so the template deploys anywhere.
    pub fn for_template(req: &SetupRequest) -> Result<Blueprint> {
        let mut bp = Blueprint::new(req, PSEUDO_ACCOUNT, PSEUDO_REGION)?;
        bp.partition = PSEUDO_PARTITION.to_owned();
        Ok(bp)
    }

    /// `[(TAG_KEY, prefix)]`.
    pub fn tags(&self) -> [(&str, &str); 1] {
        [(TAG_KEY, self.prefix.as_str())]
    }

    fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            self.partition, self.account
        )
    }

    /// The bus ARN.
    pub fn bus_arn(&self) -> String {
        self.arn("events", &self.region, &format!("event-bus/{}", self.bus))
    }

    /// The schedule group's ARN.
    pub fn group_arn(&self) -> String {
        let resource = format!("schedule-group/{}", self.group);
        self.arn("scheduler", &self.region, &resource)
    }

    /// The Scheduler role's ARN.
    pub fn role_arn(&self) -> String {
        self.arn("iam", "", &format!("role/{}", self.role))
    }

    /// The ARN of the queue named `name`.
    pub fn queue_arn(&self, name: &str) -> String {
        self.arn("sqs", &self.region, name)
    }

    /// The rule's ARN.
    pub fn rule_arn(&self) -> String {
        let path = if self.bus == "default" {
            self.rule.clone()
        } else {
            format!("{}/{}", self.bus, self.rule)
        };
        self.arn("events", &self.region, &format!("rule/{path}"))
    }

    /// The ARNs the policies name, as literal strings.
    pub fn arns(&self) -> PolicyArns {
        PolicyArns {
            account: json!(self.account),
            bus: json!(self.bus_arn()),
            group: json!(self.group_arn()),
            reminder_dlq: json!(self.queue_arn(&self.reminder_dlq)),
            email_queue: json!(self.queue_arn(&self.email_queue)),
            email_dlq: json!(self.queue_arn(&self.email_dlq)),
            rule: json!(self.rule_arn()),
        }
    }

    /// The role's trust policy: Scheduler, for schedules of this account and group only (the
    /// confused-deputy conditions the Scheduler user guide recommends).
    pub fn trust_policy(&self) -> Value {
        trust_policy(&self.arns())
    }

    /// The role's permissions: put events on the bus, send to the reminder DLQ.
    pub fn role_policy(&self) -> Value {
        role_policy(&self.arns())
    }

    /// The rule's pattern: reminder events of the configured source.
    pub fn rule_pattern(&self) -> Value {
        json!({"source": [self.source], "detail": {"scheduled_event": ["true"]}})
    }

    /// The e-mail queue's policy: EventBridge may send, for this rule only.
    pub fn email_queue_policy(&self) -> Value {
        email_queue_policy(&self.arns())
    }

    /// The e-mail queue's redrive policy.
    pub fn redrive_policy(&self) -> Value {
        redrive_policy(&self.arns().email_dlq)
    }

    /// The `cartctl.toml` that uses what setup made.
    pub fn config_toml(&self) -> String {
        [
            ("event_bus", self.bus.clone()),
            ("schedule_group", self.group.clone()),
            ("scheduler_role_arn", self.role_arn()),
            ("dlq_arn", self.queue_arn(&self.reminder_dlq)),
            ("source", self.source.clone()),
        ]
        .iter()
        .map(|(k, v)| format!("{k} = {}\n", Value::String(v.clone())))
        .collect()
    }
}

/// The ARNs (and the account) the policies of a blueprint name: strings for `setup`, and
/// references to the stack's own resources in a template, so CloudFormation knows what each
/// resource depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyArns {
    /// The account id.
    pub account: Value,
    /// The bus.
    pub bus: Value,
    /// The schedule group.
    pub group: Value,
    /// The reminders' dead-letter queue.
    pub reminder_dlq: Value,
    /// The e-mail queue.
    pub email_queue: Value,
    /// The e-mail queue's dead-letter queue.
    pub email_dlq: Value,
    /// The rule routing reminders to the e-mail queue.
    pub rule: Value,
}

/// The statement id of the trust policy's statement setup writes; other statements of an
/// existing role are kept (merged by statement id).
pub const TRUST_SID: &str = "SchedulerAssumesRole";
/// The statement id of the e-mail queue's statement.
pub const EMAIL_QUEUE_SID: &str = "ReminderRule";

fn trust_policy(a: &PolicyArns) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": TRUST_SID,
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {
                "aws:SourceAccount": a.account,
                "aws:SourceArn": a.group,
            }},
        }],
    })
}

fn role_policy(a: &PolicyArns) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "PutReminders", "Effect": "Allow", "Action": "events:PutEvents",
             "Resource": a.bus},
            {"Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage",
             "Resource": a.reminder_dlq},
        ],
    })
}

fn email_queue_policy(a: &PolicyArns) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": EMAIL_QUEUE_SID,
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": a.email_queue,
            "Condition": {"ArnEquals": {"aws:SourceArn": a.rule}},
        }],
    })
}

fn redrive_policy(dlq: &Value) -> Value {
    json!({
        "deadLetterTargetArn": dlq,
        "maxReceiveCount": MAX_RECEIVE_COUNT,
    })
}

/// The rule setup makes for a name prefix: `<prefix>-reminders`.
pub fn reminder_rule_name(prefix: &str) -> String {
    format!("{prefix}-reminders")
}

/// A prefix is 1–54 characters of letters, digits, `-` and `_` (valid in every resource name).
fn check_prefix(prefix: &str) -> Result<()> {
    let ok = !prefix.is_empty()
        && prefix.len() <= MAX_PREFIX_LEN
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "name_prefix",
            format!(
                "`{prefix}` must be 1 to {MAX_PREFIX_LEN} letters, digits, - or _ (it starts every resource name)"
            ),
            "give a shorter plain prefix, such as cartctl-shop",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blueprint(bus: &str) -> Blueprint {
        let req = SetupRequest {
            bus: bus.into(),
            group: "carts".into(),
            source: "putToCartService".into(),
            prefix: None,
        };
        Blueprint::new(&req, "123456789012", "eu-west-1").unwrap()
    }

    #[test]
    fn names_and_arns() {
        let b = blueprint("shop");
        assert_eq!(b.role, "cartctl-shop-scheduler");
        assert_eq!(
            b.role_arn(),
            "arn:aws:iam::123456789012:role/cartctl-shop-scheduler"
        );
        assert_eq!(
            b.bus_arn(),
            "arn:aws:events:eu-west-1:123456789012:event-bus/shop"
        );
        assert_eq!(
            b.group_arn(),
            "arn:aws:scheduler:eu-west-1:123456789012:schedule-group/carts"
        );
        assert_eq!(
            b.rule_arn(),
            "arn:aws:events:eu-west-1:123456789012:rule/shop/cartctl-shop-reminders"
        );
        assert_eq!(
            blueprint("default").rule_arn(),
            "arn:aws:events:eu-west-1:123456789012:rule/cartctl-default-reminders"
        );
        assert_eq!(
            b.queue_arn(&b.reminder_dlq),
            "arn:aws:sqs:eu-west-1:123456789012:cartctl-shop-reminders-dlq"
        );
        let cn = Blueprint::new(
            &SetupRequest {
                prefix: Some("x".into()),
                ..SetupRequest {
                    bus: "b".into(),
                    group: "g".into(),
                    source: "s".into(),
                    prefix: None,
                }
            },
            "123456789012",
            "cn-north-1",
        )
        .unwrap();
        assert!(cn.role_arn().starts_with("arn:aws-cn:iam::"));
    }

    #[test]
    fn the_trust_policy_guards_against_confused_deputies() {
        let b = blueprint("shop");
        let t = b.trust_policy();
        let st = &t["Statement"][0];
        assert_eq!(st["Principal"]["Service"], "scheduler.amazonaws.com");
        assert_eq!(
            st["Condition"]["StringEquals"]["aws:SourceAccount"],
            "123456789012"
        );
        assert_eq!(
            st["Condition"]["StringEquals"]["aws:SourceArn"],
            b.group_arn()
        );
        let p = b.role_policy();
        assert_eq!(p["Statement"][0]["Resource"], b.bus_arn());
        assert_eq!(p["Statement"][1]["Action"], "sqs:SendMessage");
    }

    #[test]
    fn the_rule_matches_reminders_and_only_them() {
        let b = blueprint("shop");
        let pattern = b.rule_pattern().to_string();
        let reminder = json!({"source": "putToCartService", "detail-type": "item p added to Cart",
            "detail": {"scheduled_event": "true", "user": "u", "product": "p"}});
        let added = json!({"source": "putToCartService", "detail-type": "item p added to Cart",
            "detail": {"user": "u", "product": "p"}});
        assert!(crate::matcher::matches(&pattern, &reminder).unwrap());
        assert!(!crate::matcher::matches(&pattern, &added).unwrap());
    }

    #[test]
    fn config_and_template_use_the_same_names() {
        let b = blueprint("shop");
        let toml = b.config_toml();
        assert!(
            toml.contains(&format!("scheduler_role_arn = \"{}\"", b.role_arn())),
            "{toml}"
        );
        assert!(toml.contains("event_bus = \"shop\""), "{toml}");
        let t = b.template();
        let r = &t["Resources"];
        assert_eq!(
            r["SchedulerRole"]["Properties"]["RoleName"],
            b.role.as_str()
        );
        assert_eq!(
            r["ReminderRule"]["Properties"]["EventPattern"],
            b.rule_pattern()
        );
        assert_eq!(
            r["EmailQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"],
            b.redrive_policy()["maxReceiveCount"]
        );
        assert!(
            blueprint("default").template()["Resources"]
                .get("ReminderBus")
                .is_none()
        );
        // For a stack: no account in the template, pseudo parameters instead.
        let req = SetupRequest {
            bus: "shop".into(),
            group: "carts".into(),
            source: "s".into(),
            prefix: None,
        };
        let t = Blueprint::for_template(&req).unwrap().template();
        let text = t.to_string();
        assert!(!text.contains("123456789012"), "{text}");
        assert_eq!(
            t["Outputs"]["SchedulerRoleArn"]["Value"],
            json!({"Fn::GetAtt": ["SchedulerRole", "Arn"]})
        );
    }

    #[test]
    fn prefixes_are_checked() {
        let req = |p: &str| SetupRequest {
            bus: "shop".into(),
            group: "g".into(),
            source: "s".into(),
            prefix: Some(p.into()),
        };
        for bad in ["", "a b", &"x".repeat(55), "a/b"] {
            let e = Blueprint::new(&req(bad), "123456789012", "us-east-1").unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().starts_with("invalid name_prefix:"), "{e}");
        }
        // A long bus name makes a default prefix too long.
        let long = SetupRequest {
            bus: "b".repeat(60),
            prefix: None,
            ..req("x")
        };
        assert!(Blueprint::new(&long, "123456789012", "us-east-1").is_err());
    }
}
