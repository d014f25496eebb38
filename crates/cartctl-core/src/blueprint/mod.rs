//! `setup`'s blueprint: what the reminder flow needs in one region, as a [`Blueprint`] (names,
//! ARNs and policies, pure), which `cartctl-aws`'s `setup` applies idempotently or tears down,
//! and which [`Blueprint::template`] writes as a CloudFormation template (`template`).
//!
//! The resources: the event bus (unless `default`), the schedule group (unless `default`), the
//! Scheduler execution role (trusting `scheduler.amazonaws.com` for this account and group
//! only, allowed `events:PutEvents` on the bus and `sqs:SendMessage` on the reminder DLQ), the
//! reminder DLQ, and two routes, each a rule on the bus targeting a queue that has a redrive
//! policy to its own DLQ and a policy admitting only that rule: the carts route (the shop's
//! add, removal and checkout events, not reminders, to the consumer's queue `<prefix>-carts`)
//! and the reminders route (reminder events to the e-mail queue `<prefix>-email`).
//! Every resource is tagged [`TAG_KEY`] = the name prefix, and teardown removes only those.

mod system;
mod template;

pub use system::{
    API_ACCESS_LOG_FORMAT, API_ROUTES, ApiAuth, ApiSpec, Arch, BATCH_SIZE, BATCHING_WINDOW_SECS,
    DEFAULT_API_BURST_LIMIT, DEFAULT_API_RATE_LIMIT, DEFAULT_LOG_RETENTION_DAYS,
    DEFAULT_MAILER_CONCURRENCY, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECS, FunctionKind,
    FunctionsSpec, LEDGER_ACTIONS, LOG_FORMAT, LOG_RETENTION_DAYS, MAILER_CONCURRENCY_RANGE,
    QUEUE_VISIBILITY_SECS, RoleSpec, SYSTEM_POLICY_NAME, parse_log_retention,
    parse_mailer_concurrency,
};
pub use template::{CONTACT_LIST_PARAM, MailTopic};

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::event::DetailTypes;
use crate::reminder::DetailTypeTemplate;

/// The tag every resource setup makes carries; its value is the name prefix.
pub const TAG_KEY: &str = "cartctl:setup";
/// The inline policy of the Scheduler role.
pub const ROLE_POLICY_NAME: &str = "cartctl-reminders";
/// Deliveries to the e-mail queue before a message goes to its DLQ.
pub const MAX_RECEIVE_COUNT: u32 = 5;
/// How long the queues keep a message: 14 days, SQS's longest.
pub const RETENTION_SECS: u32 = 1_209_600;
/// The reminders rule's target id.
pub const TARGET_ID: &str = "email-queue";
/// The carts rule's target id.
pub const CARTS_TARGET_ID: &str = "carts-queue";
/// The mail-events rule's target id.
pub const MAIL_EVENTS_TARGET_ID: &str = "mail-events-queue";
/// The configuration set's event destination: SES's events to the default bus.
pub const MAIL_EVENT_DESTINATION: &str = "cartctl-events";
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
    /// The source of cart events and reminders (the rules match it).
    pub source: String,
    /// The detail-types of the shop's cart events (the carts rule matches them).
    pub detail_types: DetailTypes,
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
    /// The consumer's queue.
    pub carts_queue: String,
    /// The consumer queue's dead-letter queue.
    pub carts_dlq: String,
    /// The rule routing the shop's cart events to the consumer's queue.
    pub carts_rule: String,
    /// The detail-types of the shop's cart events.
    pub detail_types: DetailTypes,
    /// The shop's HTTP API (`setup --api`).
    pub api: String,
    /// The role API Gateway assumes to put events.
    pub api_role: String,
    /// The cart ledger's DynamoDB table.
    pub ledger: String,
    /// The SES configuration set the reminders go through (`setup --mail-from`).
    pub configuration_set: String,
    /// The contact list setup makes when the account has none (SES allows one per account;
    /// an existing one is adopted).
    pub contact_list: String,
    /// The rule on the default bus (where SES publishes) routing the configuration set's
    /// events to the consumer's queue.
    pub mail_events_rule: String,
}

/// A rule on the bus delivering to a queue, which has a redrive policy to its own DLQ.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The rule's name.
    pub rule: String,
    /// The bus it is on.
    pub bus: String,
    /// Its event pattern.
    pub pattern: Value,
    /// The target queue.
    pub queue: String,
    /// The target queue's dead-letter queue.
    pub dlq: String,
    /// The rule's target id.
    pub target_id: &'static str,
    /// The statement id of the queue policy's statement admitting the rule.
    pub queue_sid: &'static str,
    /// The rule's description.
    pub description: &'static str,
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
            carts_queue: format!("{prefix}-carts"),
            carts_dlq: format!("{prefix}-carts-dlq"),
            carts_rule: format!("{prefix}-carts"),
            detail_types: req.detail_types.clone(),
            api: format!("{prefix}-api"),
            api_role: format!("{prefix}-api"),
            ledger: format!("{prefix}-carts"),
            configuration_set: format!("{prefix}-mail"),
            contact_list: format!("{prefix}-contacts"),
            mail_events_rule: format!("{prefix}-mail-events"),
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

    /// The ARN of `resource` of `service` in `region` (empty for IAM) of this account.
    pub fn arn(&self, service: &str, region: &str, resource: &str) -> String {
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

    /// The ledger table's ARN.
    pub fn ledger_arn(&self) -> String {
        self.arn("dynamodb", &self.region, &format!("table/{}", self.ledger))
    }

    /// The reminders rule's ARN.
    pub fn rule_arn(&self) -> String {
        self.rule_arn_of(&self.rule)
    }

    /// The ARN of the rule `name` on the bus.
    pub fn rule_arn_of(&self, name: &str) -> String {
        self.rule_arn_on(&self.bus, name)
    }

    /// The ARN of the rule `name` on `bus`.
    pub fn rule_arn_on(&self, bus: &str, name: &str) -> String {
        let path = if bus == "default" {
            name.to_owned()
        } else {
            format!("{bus}/{name}")
        };
        self.arn("events", &self.region, &format!("rule/{path}"))
    }

    /// The default bus's ARN: where SES publishes the configuration set's events (the only
    /// bus an SES event destination may name).
    pub fn default_bus_arn(&self) -> String {
        self.arn("events", &self.region, "event-bus/default")
    }

    /// The configuration set's ARN (`ses:SendEmail` is authorised on it too).
    pub fn configuration_set_arn(&self) -> String {
        self.arn(
            "ses",
            &self.region,
            &format!("configuration-set/{}", self.configuration_set),
        )
    }

    /// The ARN of the contact list `name`.
    pub fn contact_list_arn(&self, name: &str) -> String {
        self.arn("ses", &self.region, &format!("contact-list/{name}"))
    }

    /// The mail-events route: SES's events about the reminders (bounces, complaints…), from
    /// the default bus to the consumer's queue.
    pub fn mail_events_route(&self) -> Route {
        Route {
            rule: self.mail_events_rule.clone(),
            bus: "default".into(),
            pattern: self.mail_events_pattern(),
            queue: self.carts_queue.clone(),
            dlq: self.carts_dlq.clone(),
            target_id: MAIL_EVENTS_TARGET_ID,
            queue_sid: CARTS_QUEUE_SID,
            description: "SES's events about the cart reminders to the consumer's queue (cartctl setup)",
        }
    }

    /// The mail-events rule's pattern: SES's events of this configuration set.
    pub fn mail_events_pattern(&self) -> Value {
        use crate::mail::events::{DETAIL_TYPES, SES_SOURCE, TAG_CONFIGURATION_SET};
        let mut tags = serde_json::Map::new();
        tags.insert(
            TAG_CONFIGURATION_SET.into(),
            json!([self.configuration_set]),
        );
        json!({
            "source": [SES_SOURCE],
            "detail-type": DETAIL_TYPES,
            "detail": {"mail": {"tags": tags}},
        })
    }

    /// The reminders route: reminder events to the e-mail queue.
    pub fn reminder_route(&self) -> Route {
        Route {
            rule: self.rule.clone(),
            bus: self.bus.clone(),
            pattern: self.rule_pattern(),
            queue: self.email_queue.clone(),
            dlq: self.email_dlq.clone(),
            target_id: TARGET_ID,
            queue_sid: EMAIL_QUEUE_SID,
            description: "cart reminders to the e-mail queue (cartctl setup)",
        }
    }

    /// The carts route: the shop's cart events to the consumer's queue.
    pub fn carts_route(&self) -> Route {
        Route {
            rule: self.carts_rule.clone(),
            bus: self.bus.clone(),
            pattern: self.carts_rule_pattern(),
            queue: self.carts_queue.clone(),
            dlq: self.carts_dlq.clone(),
            target_id: CARTS_TARGET_ID,
            queue_sid: CARTS_QUEUE_SID,
            description: "the shop's cart events to the consumer's queue (cartctl setup)",
        }
    }

    /// Both routes, the consumer's first.
    pub fn routes(&self) -> [Route; 2] {
        [self.carts_route(), self.reminder_route()]
    }

    /// The carts rule's pattern: the shop's source, the three kinds' detail-types (a template
    /// with `{user}` or `{product}` as a wildcard, and its fixed form, which the API puts), and
    /// no `scheduled_event` (reminders carry the add's detail-type too).
    pub fn carts_rule_pattern(&self) -> Value {
        let d = &self.detail_types;
        let mut types: Vec<Value> = [&d.add, &d.removed, &d.checkout]
            .into_iter()
            .map(detail_type_pattern)
            .collect();
        // The fixed forms the shop's API puts, where they differ from the templates.
        for t in [&d.add, &d.removed, &d.checkout] {
            if t.fixed() != t.as_str() {
                types.push(json!(t.fixed()));
            }
        }
        json!({
            "source": [self.source],
            "detail-type": types,
            "detail": {"scheduled_event": [{"exists": false}]},
        })
    }

    /// The policy of a route's queue: EventBridge may send, for that route's rule only (the
    /// consumer's queue: and for the mail-events rule, which SES's events come through).
    pub fn route_queue_policy(&self, route: &Route) -> Value {
        let rule = if route.queue == self.carts_queue {
            json!([
                self.rule_arn_of(&self.carts_rule),
                self.rule_arn_on("default", &self.mail_events_rule)
            ])
        } else {
            json!(self.rule_arn_on(&route.bus, &route.rule))
        };
        queue_policy(route.queue_sid, &json!(self.queue_arn(&route.queue)), &rule)
    }

    /// The redrive policy of a route's queue.
    pub fn route_redrive_policy(&self, route: &Route) -> Value {
        redrive_policy(&json!(self.queue_arn(&route.dlq)))
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
            carts_queue: json!(self.queue_arn(&self.carts_queue)),
            carts_dlq: json!(self.queue_arn(&self.carts_dlq)),
            carts_rule: json!(self.rule_arn_of(&self.carts_rule)),
            ledger: json!(self.ledger_arn()),
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
            ("detail_type", self.detail_types.add.as_str().to_owned()),
            (
                "removed_detail_type",
                self.detail_types.removed.as_str().to_owned(),
            ),
            (
                "checkout_detail_type",
                self.detail_types.checkout.as_str().to_owned(),
            ),
            ("carts_queue", self.carts_queue.clone()),
            ("email_queue", self.email_queue.clone()),
            ("ledger_table", self.ledger.clone()),
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
    /// The consumer's queue.
    pub carts_queue: Value,
    /// The consumer queue's dead-letter queue.
    pub carts_dlq: Value,
    /// The rule routing cart events to the consumer's queue.
    pub carts_rule: Value,
    /// The cart ledger's table.
    pub ledger: Value,
}

/// The statement id of the trust policy's statement setup writes; other statements of an
/// existing role are kept (merged by statement id).
pub const TRUST_SID: &str = "SchedulerAssumesRole";
/// The statement id of the e-mail queue's statement.
pub const EMAIL_QUEUE_SID: &str = "ReminderRule";
/// The statement id of the consumer queue's statement.
pub const CARTS_QUEUE_SID: &str = "CartsRule";

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
    queue_policy(EMAIL_QUEUE_SID, &a.email_queue, &a.rule)
}

/// A queue's policy: EventBridge may send to `queue`, for the rule `rule` only.
fn queue_policy(sid: &str, queue: &Value, rule: &Value) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue,
            "Condition": {"ArnEquals": {"aws:SourceArn": rule}},
        }],
    })
}

/// A detail-type template as an event pattern value: the text itself, or a wildcard where
/// `{user}` and `{product}` stand (`*` and `\` in the text escaped, `**` collapsed).
fn detail_type_pattern(template: &DetailTypeTemplate) -> Value {
    let t = template.as_str();
    if !t.contains("{user}") && !t.contains("{product}") {
        return json!(t);
    }
    let mut w = String::new();
    let mut rest = t;
    while !rest.is_empty() {
        if let Some(after) = rest
            .strip_prefix("{user}")
            .or(rest.strip_prefix("{product}"))
        {
            if !w.ends_with('*') || w.ends_with("\\*") {
                w.push('*');
            }
            rest = after;
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        if c == '*' || c == '\\' {
            w.push('\\');
        }
        w.push(c);
        rest = &rest[c.len_utf8()..];
    }
    json!({"wildcard": w})
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
            detail_types: DetailTypes::default(),
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
                    detail_types: DetailTypes::default(),
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
            detail_types: DetailTypes::default(),
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
            detail_types: DetailTypes::default(),
            prefix: Some(p.into()),
        };
        for bad in ["", "a b", &"x".repeat(55), "a/b"] {
            let e = Blueprint::new(&req(bad), "123456789012", "us-east-1").unwrap_err();
            assert!(e.is_invalid());
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

    #[test]
    fn the_carts_rule_matches_the_shops_three_events_and_no_reminder() {
        let b = blueprint("shop");
        assert_eq!(b.carts_rule, "cartctl-shop-carts");
        assert_eq!(b.carts_dlq, "cartctl-shop-carts-dlq");
        let pattern = b.carts_rule_pattern().to_string();
        let event = |dt: &str, detail: Value| json!({"source": "putToCartService", "detail-type": dt, "detail": detail});
        let up = json!({"user": "u", "product": "p"});
        for (dt, detail) in [
            ("item p added to Cart", up.clone()),
            ("item added to Cart", up.clone()),
            ("item removed from Cart", up.clone()),
            ("item p removed from Cart", up.clone()),
            ("cart checked out", json!({"user": "u"})),
        ] {
            assert!(
                crate::matcher::matches(&pattern, &event(dt, detail)).unwrap(),
                "{dt}"
            );
        }
        let reminder = json!({"scheduled_event": "true", "user": "u", "product": "p"});
        assert!(
            !crate::matcher::matches(&pattern, &event("item p added to Cart", reminder)).unwrap()
        );
        assert!(
            !crate::matcher::matches(&pattern, &event("cartctl marker expired", up.clone()))
                .unwrap()
        );
        let other = json!({"source": "elsewhere", "detail-type": "cart checked out", "detail": {"user": "u"}});
        assert!(!crate::matcher::matches(&pattern, &other).unwrap());
        // Literal stars and backslashes are escaped; placeholders side by side make one star.
        let w = detail_type_pattern(&DetailTypeTemplate::new("a*b\\c {user}{product} d"));
        assert_eq!(w, json!({"wildcard": "a\\*b\\\\c * d"}));
        let policy = b.route_queue_policy(&b.carts_route());
        assert_eq!(policy["Statement"][0]["Sid"], CARTS_QUEUE_SID);
        // The consumer's queue takes the carts rule's events and SES's, by the mail-events
        // rule on the default bus (the only bus SES publishes to).
        assert_eq!(
            policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
            json!([
                "arn:aws:events:eu-west-1:123456789012:rule/shop/cartctl-shop-carts",
                "arn:aws:events:eu-west-1:123456789012:rule/cartctl-shop-mail-events"
            ])
        );
        let mail = b.mail_events_route();
        assert_eq!(
            (mail.bus.as_str(), mail.queue.as_str()),
            ("default", "cartctl-shop-carts")
        );
        let bounce = json!({"source": "aws.ses", "detail-type": "Email Bounced",
            "detail": {"eventType": "Bounce", "mail": {"tags": {"ses:configuration-set": ["cartctl-shop-mail"]}}}});
        assert!(crate::matcher::matches(&mail.pattern.to_string(), &bounce).unwrap());
        let other_set = json!({"source": "aws.ses", "detail-type": "Email Bounced",
            "detail": {"mail": {"tags": {"ses:configuration-set": ["another"]}}}});
        assert!(!crate::matcher::matches(&mail.pattern.to_string(), &other_set).unwrap());
        assert!(
            b.config_toml()
                .contains("carts_queue = \"cartctl-shop-carts\"")
        );
    }
}
