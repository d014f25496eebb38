//! The blueprint as a CloudFormation template: the same resources `setup` makes, where every
//! reference to another resource of the stack is a `Ref` or an `Fn::GetAtt` (so CloudFormation
//! creates a rule after its bus and queue, a queue after its dead-letter queue, a role after
//! its group), and the account, region and partition are the stack's pseudo parameters.
//!
//! The Scheduler role has a name, so a stack needs `CAPABILITY_NAMED_IAM`.

use serde_json::{Map, Value, json};

use crate::setting;

use super::{
    API_ACCESS_LOG_FORMAT, API_ROUTES, ApiAuth, ApiSpec, BATCH_SIZE, BATCHING_WINDOW_SECS,
    Blueprint, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECS, FunctionKind, FunctionsSpec, LOG_FORMAT,
    PolicyArns, QUEUE_VISIBILITY_SECS, RETENTION_SECS, ROLE_POLICY_NAME, Route, TAG_KEY,
    queue_policy, redrive_policy, role_policy, trust_policy,
};

/// The logical ids of the template's resources.
const BUS: &str = "ReminderBus";
const GROUP: &str = "ReminderGroup";
const REMINDER_DLQ: &str = "ReminderDlq";
const ROLE: &str = "SchedulerRole";
const EMAIL_DLQ: &str = "EmailDlq";
const EMAIL_QUEUE: &str = "EmailQueue";
const EMAIL_QUEUE_POLICY: &str = "EmailQueuePolicy";
const RULE: &str = "ReminderRule";
const CARTS_DLQ: &str = "CartsDlq";
const CARTS_QUEUE: &str = "CartsQueue";
const CARTS_QUEUE_POLICY: &str = "CartsQueuePolicy";
const CARTS_RULE: &str = "CartsRule";
const SENDER: &str = "SenderIdentity";
/// The parameter and condition that make the sender's identity part of the stack.
const CREATE_SENDER: &str = "CreateSenderIdentity";
const CREATE_SENDER_CONDITION: &str = "CreateSender";
const API_LOGS: &str = "ApiAccessLogs";
const CONTACT_LIST: &str = "ContactList";
/// The template parameter naming the account's contact list.
pub const CONTACT_LIST_PARAM: &str = "ContactListName";
const CREATE_CONTACT_LIST: &str = "CreateContactList";
const CREATE_CONTACT_LIST_CONDITION: &str = "MakeContactList";
const MAIL_SET: &str = "MailConfigurationSet";
const MAIL_DESTINATION: &str = "MailEventDestination";
const MAIL_EVENTS_RULE: &str = "MailEventsRule";
const LEDGER: &str = "CartLedger";
const API_ROLE: &str = "ApiRole";
const CODE_BUCKET: &str = "CodeBucket";

/// The logical ids of a function's role, function, mapping, and its code key parameter.
struct FunctionIds {
    role: &'static str,
    function: &'static str,
    mapping: &'static str,
    code_key: &'static str,
    logs: &'static str,
}

const CONSUMER_IDS: FunctionIds = FunctionIds {
    role: "ConsumerRole",
    function: "ConsumerFunction",
    mapping: "ConsumerMapping",
    code_key: "ConsumerCodeKey",
    logs: "ConsumerLogs",
};
const MAILER_IDS: FunctionIds = FunctionIds {
    role: "MailerRole",
    function: "MailerFunction",
    mapping: "MailerMapping",
    code_key: "MailerCodeKey",
    logs: "MailerLogs",
};
const API: &str = "ShopApi";
const API_AUTHORIZER: &str = "ApiAuthorizer";
const API_STAGE: &str = "ApiStage";
/// The logical ids of each API route and its integration, in [`API_ROUTES`]'s order.
const API_ROUTE_IDS: [(&str, &str); 3] = [
    ("CartRoute", "CartIntegration"),
    ("CartRemoveRoute", "CartRemoveIntegration"),
    ("CartCheckoutRoute", "CartCheckoutIntegration"),
];

/// The logical ids of a route's resources: dead-letter queue, queue, queue policy, rule.
struct RouteIds {
    dlq: &'static str,
    queue: &'static str,
    policy: &'static str,
    rule: &'static str,
}

const EMAIL_IDS: RouteIds = RouteIds {
    dlq: EMAIL_DLQ,
    queue: EMAIL_QUEUE,
    policy: EMAIL_QUEUE_POLICY,
    rule: RULE,
};
const CARTS_IDS: RouteIds = RouteIds {
    dlq: CARTS_DLQ,
    queue: CARTS_QUEUE,
    policy: CARTS_QUEUE_POLICY,
    rule: CARTS_RULE,
};

fn get_att(id: &str, attribute: &str) -> Value {
    json!({"Fn::GetAtt": [id, attribute]})
}

fn reference(id: &str) -> Value {
    json!({"Ref": id})
}

/// Strings holding a pseudo parameter become `{"Fn::Sub": …}`, everywhere in a template.
fn substitute_pseudo(v: Value) -> Value {
    match v {
        Value::String(s) if s.contains("${AWS::") => json!({"Fn::Sub": s}),
        Value::Array(items) => Value::Array(items.into_iter().map(substitute_pseudo).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, substitute_pseudo(v)))
                .collect(),
        ),
        other => other,
    }
}

/// An SES event type (`RENDERING_FAILURE`) as CloudFormation spells it (`renderingFailure`).
fn stack_event_type(api: &str) -> String {
    let mut out = String::new();
    for (i, word) in api.split('_').enumerate() {
        let lower = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut c = lower.chars();
            out.extend(c.next().map(|f| f.to_ascii_uppercase()));
            out.push_str(c.as_str());
        }
    }
    out
}

/// The reminders' topic of the contact list, as a template makes it.
#[derive(Debug, Clone)]
pub struct MailTopic {
    /// Its name (`mail_topic`).
    pub name: String,
    /// What SES's unsubscribe page shows of it.
    pub display_name: String,
    /// What it is about.
    pub description: String,
    /// The consent regime: its default subscription.
    pub consent: crate::mail::Consent,
}

impl Blueprint {
    /// The policies' ARNs as the template names them: the stack's own resources by
    /// `Fn::GetAtt`, the account's default bus and group by their ARNs.
    fn template_arns(&self) -> PolicyArns {
        let literal = self.arns();
        PolicyArns {
            account: literal.account,
            bus: if self.bus == "default" {
                literal.bus
            } else {
                get_att(BUS, "Arn")
            },
            group: if self.group == "default" {
                literal.group
            } else {
                get_att(GROUP, "Arn")
            },
            reminder_dlq: get_att(REMINDER_DLQ, "Arn"),
            email_queue: get_att(EMAIL_QUEUE, "Arn"),
            email_dlq: get_att(EMAIL_DLQ, "Arn"),
            rule: get_att(RULE, "Arn"),
            carts_queue: get_att(CARTS_QUEUE, "Arn"),
            carts_dlq: get_att(CARTS_DLQ, "Arn"),
            carts_rule: get_att(CARTS_RULE, "Arn"),
            ledger: get_att(LEDGER, "Arn"),
        }
    }

    /// A route's four resources.
    fn route_resources(
        &self,
        route: &Route,
        ids: &RouteIds,
        queue: &dyn Fn(&str, Value) -> Value,
        tags: &Value,
    ) -> Vec<(&'static str, Value)> {
        let (queue_arn, rule_arn) = (get_att(ids.queue, "Arn"), get_att(ids.rule, "Arn"));
        let redrive = redrive_policy(&get_att(ids.dlq, "Arn"));
        vec![
            (ids.dlq, queue(&route.dlq, json!({}))),
            (
                ids.queue,
                queue(
                    &route.queue,
                    json!({"RedrivePolicy": redrive, "VisibilityTimeout": QUEUE_VISIBILITY_SECS}),
                ),
            ),
            (
                ids.policy,
                json!({"Type": "AWS::SQS::QueuePolicy", "Properties": {
                    "Queues": [reference(ids.queue)],
                    "PolicyDocument": queue_policy(route.queue_sid, &queue_arn, &rule_arn),
                }}),
            ),
            (
                ids.rule,
                json!({"Type": "AWS::Events::Rule", "Properties": {
                    "Name": route.rule,
                    "EventBusName": self.template_bus(),
                    "EventPattern": route.pattern,
                    "State": "ENABLED",
                    "Targets": [{"Id": route.target_id, "Arn": queue_arn}],
                    "Tags": tags,
                }}),
            ),
        ]
    }

    /// The bus as the template names it.
    fn template_bus(&self) -> Value {
        if self.bus == "default" {
            json!("default")
        } else {
            reference(BUS)
        }
    }

    /// Adds the mailer's sender to a template: its SES email identity, made only when the
    /// `CreateSenderIdentity` parameter is `true` (one that exists, such as `setup
    /// --mail-from` makes, would fail the stack), and kept when the stack goes (identities are
    /// often shared). SES e-mails an address a link to verify it once the stack makes it.
    pub fn add_sender(&self, t: &mut Value, sender: &crate::mail::Sender) {
        t["Parameters"][CREATE_SENDER] = json!({
            "Type": "String", "AllowedValues": ["true", "false"], "Default": "false",
            "Description": format!("true to make the SES identity of {} with the stack (false when it exists already)", sender.address.as_str()),
        });
        t["Conditions"][CREATE_SENDER_CONDITION] =
            json!({"Fn::Equals": [reference(CREATE_SENDER), "true"]});
        t["Resources"][SENDER] = json!({
            "Type": "AWS::SES::EmailIdentity",
            "Condition": CREATE_SENDER_CONDITION,
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {"EmailIdentity": sender.address.as_str()},
        });
        t["Outputs"]["MailFrom"] = json!({"Value": sender.header()});
    }

    /// Adds lawful e-mail to a template: the account's contact list with the reminders'
    /// topic (made only when `CreateContactList` is `true`: SES allows one list per account,
    /// and an account that has one names it in `ContactListName`; kept when the stack goes),
    /// the configuration set (suppressing bounces and complaints for its sends: the account's
    /// own suppression list is not a CloudFormation resource) whose EventBridge destination is
    /// the default bus, and the mail-events rule from there to the consumer's queue, whose
    /// policy admits it. Functions added after it read the list from the parameter.
    pub fn add_mail(&self, t: &mut Value, topic: &MailTopic) {
        use crate::mail::events::EVENT_TYPES;
        let tags = json!([{"Key": TAG_KEY, "Value": self.prefix}]);
        t["Parameters"][CONTACT_LIST_PARAM] = json!({
            "Type": "String", "Default": self.contact_list,
            "Description": "the account's SES contact list (SES allows one per account): the one it has, or the one the stack makes",
        });
        t["Parameters"][CREATE_CONTACT_LIST] = json!({
            "Type": "String", "AllowedValues": ["true", "false"], "Default": "false",
            "Description": "true to make the contact list with the stack (false when the account has one: give its name, with the topic added)",
        });
        t["Conditions"][CREATE_CONTACT_LIST_CONDITION] =
            json!({"Fn::Equals": [reference(CREATE_CONTACT_LIST), "true"]});
        let r = &mut t["Resources"];
        r[CONTACT_LIST] = json!({
            "Type": "AWS::SES::ContactList",
            "Condition": CREATE_CONTACT_LIST_CONDITION,
            "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {
                "ContactListName": reference(CONTACT_LIST_PARAM),
                "Description": "Customers of the shop and their e-mail subscriptions",
                "Topics": [{
                    "TopicName": topic.name, "DisplayName": topic.display_name,
                    "Description": topic.description,
                    "DefaultSubscriptionStatus": topic.consent.default_status().as_str(),
                }],
                "Tags": tags,
            },
        });
        r[MAIL_SET] = json!({"Type": "AWS::SES::ConfigurationSet", "Properties": {
            "Name": self.configuration_set,
            "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
        }});
        let types: Vec<String> = EVENT_TYPES.iter().map(|t| stack_event_type(t)).collect();
        r[MAIL_DESTINATION] = substitute_pseudo(json!({
            "Type": "AWS::SES::ConfigurationSetEventDestination", "Properties": {
                "ConfigurationSetName": reference(MAIL_SET),
                "EventDestination": {
                    "Name": super::MAIL_EVENT_DESTINATION, "Enabled": true,
                    "MatchingEventTypes": types,
                    "EventBridgeDestination": {"EventBusArn": self.default_bus_arn()},
                },
        }}));
        let route = self.mail_events_route();
        r[MAIL_EVENTS_RULE] = json!({"Type": "AWS::Events::Rule", "Properties": {
            "Name": route.rule, "EventBusName": "default", "EventPattern": route.pattern,
            "State": "ENABLED",
            "Targets": [{"Id": route.target_id, "Arn": get_att(CARTS_QUEUE, "Arn")}],
        }});
        r[CARTS_QUEUE_POLICY]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["ArnEquals"]
            ["aws:SourceArn"] =
            json!([get_att(CARTS_RULE, "Arn"), get_att(MAIL_EVENTS_RULE, "Arn")]);
        t["Outputs"]["ConfigurationSet"] = json!({"Value": reference(MAIL_SET)});
    }

    /// The cart ledger: on demand, encrypted, TTL on `expires_at`, point-in-time recovery;
    /// kept when the stack goes (it holds the customers' state).
    fn ledger_resource(&self, tags: &Value) -> Value {
        use crate::ledger::{EXPIRES_AT, PK, SK};
        json!({"Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {
                "TableName": self.ledger,
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [
                    {"AttributeName": PK, "AttributeType": "S"},
                    {"AttributeName": SK, "AttributeType": "S"},
                ],
                "KeySchema": [
                    {"AttributeName": PK, "KeyType": "HASH"},
                    {"AttributeName": SK, "KeyType": "RANGE"},
                ],
                "SSESpecification": {"SSEEnabled": true},
                "TimeToLiveSpecification": {"AttributeName": EXPIRES_AT, "Enabled": true},
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
                "Tags": tags,
        }})
    }

    /// A log group of the stack, kept `days`.
    fn log_group_resource(&self, name: &str, days: i32) -> Value {
        json!({"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": name, "RetentionInDays": days,
            "Tags": [{"Key": TAG_KEY, "Value": self.prefix}],
        }})
    }

    /// Adds the shop's HTTP API to a template: its role, the API, the JWT authorizer when it
    /// takes JWTs, a route and EventBridge-PutEvents integration per kind, the `$default` stage.
    pub fn add_api(&self, t: &mut Value, spec: &ApiSpec) {
        let arns = self.template_arns();
        let role = self.api_role_with(&arns);
        let tags = json!({TAG_KEY: self.prefix});
        let mut r = Map::new();
        r.insert(
            API_ROLE.into(),
            json!({"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": role.name,
                "AssumeRolePolicyDocument": role.trust,
                "Policies": [{"PolicyName": role.policy_name, "PolicyDocument": role.policy}],
                "Tags": [{"Key": TAG_KEY, "Value": self.prefix}],
            }}),
        );
        r.insert(
            API.into(),
            json!({"Type": "AWS::ApiGatewayV2::Api", "Properties": {
                "Name": self.api, "ProtocolType": "HTTP", "Tags": tags,
            }}),
        );
        let authorizer = match &spec.auth {
            ApiAuth::Jwt { issuer, audience } => {
                r.insert(API_AUTHORIZER.into(), json!({"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {
                    "ApiId": reference(API), "AuthorizerType": "JWT", "Name": format!("{}-jwt", self.prefix),
                    "IdentitySource": ["$request.header.Authorization"],
                    "JwtConfiguration": {"Issuer": issuer, "Audience": audience},
                }}));
                Some(reference(API_AUTHORIZER))
            }
            _ => None,
        };
        for ((key, kind), (route_id, integration_id)) in API_ROUTES.into_iter().zip(API_ROUTE_IDS) {
            let mut params: Map<String, Value> = self
                .integration_parameters(kind)
                .into_iter()
                .map(|(k, v)| (k, json!(v)))
                .collect();
            params.insert("EventBusName".into(), self.template_bus());
            r.insert(
                integration_id.into(),
                json!({"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
                    "ApiId": reference(API), "IntegrationType": "AWS_PROXY",
                    "IntegrationSubtype": "EventBridge-PutEvents", "PayloadFormatVersion": "1.0",
                    "CredentialsArn": get_att(API_ROLE, "Arn"), "RequestParameters": params,
                }}),
            );
            let mut props = json!({
                "ApiId": reference(API), "RouteKey": key,
                "Target": {"Fn::Join": ["/", ["integrations", reference(integration_id)]]},
                "AuthorizationType": spec.auth.authorization_type(),
            });
            if let Some(a) = &authorizer {
                props["AuthorizerId"] = a.clone();
            }
            r.insert(
                route_id.into(),
                json!({"Type": "AWS::ApiGatewayV2::Route", "Properties": props}),
            );
        }
        r.insert(
            API_LOGS.into(),
            self.log_group_resource(&self.api_log_group(), spec.log_retention_days),
        );
        r.insert(API_STAGE.into(), json!({"Type": "AWS::ApiGatewayV2::Stage", "Properties": {
            "ApiId": reference(API), "StageName": "$default", "AutoDeploy": true,
            "DefaultRouteSettings": {"ThrottlingRateLimit": spec.rate_limit, "ThrottlingBurstLimit": spec.burst_limit},
            "AccessLogSettings": {"DestinationArn": get_att(API_LOGS, "Arn"), "Format": API_ACCESS_LOG_FORMAT},
            "Tags": tags,
        }}));
        for (id, resource) in r {
            t["Resources"][id] = substitute_pseudo(resource);
        }
        t["Outputs"]["ApiUrl"] = json!({"Value": get_att(API, "ApiEndpoint")});
    }

    /// A function's environment in a template: the stack's bus, role, DLQ and group by
    /// reference.
    fn template_environment(
        &self,
        kind: FunctionKind,
        spec: &FunctionsSpec,
        arns: &PolicyArns,
    ) -> Map<String, Value> {
        let mut env: Map<String, Value> = self
            .function_environment(kind, spec)
            .into_iter()
            .map(|(k, v)| (k, json!(v)))
            .collect();
        env.insert(setting::LEDGER_TABLE.env.into(), reference(LEDGER));
        env.insert(
            setting::env_var(setting::EVENT_BUS.key),
            self.template_bus(),
        );
        if kind == FunctionKind::Consumer {
            env.insert(
                setting::env_var(setting::SCHEDULER_ROLE_ARN.key),
                get_att(ROLE, "Arn"),
            );
            env.insert(
                setting::env_var(setting::DLQ_ARN.key),
                arns.reminder_dlq.clone(),
            );
            if self.group != "default" {
                env.insert(
                    setting::env_var(setting::SCHEDULE_GROUP.key),
                    reference(GROUP),
                );
            }
        }
        env
    }

    /// Adds the consumer and mailer functions to a template: a role each, the function (its
    /// code from the `CodeBucket` parameter's `ConsumerCodeKey` / `MailerCodeKey`), and the
    /// event source mapping from its queue.
    pub fn add_functions(&self, t: &mut Value, spec: &FunctionsSpec) {
        let arns = self.template_arns();
        let mut r = Map::new();
        for (kind, ids) in [
            (FunctionKind::Consumer, CONSUMER_IDS),
            (FunctionKind::Mailer, MAILER_IDS),
        ] {
            let role = self.function_role_with(kind, spec, &arns, &get_att(ROLE, "Arn"));
            r.insert(
                ids.role.into(),
                json!({"Type": "AWS::IAM::Role", "Properties": {
                    "RoleName": role.name,
                    "AssumeRolePolicyDocument": role.trust,
                    "Policies": [{"PolicyName": role.policy_name, "PolicyDocument": role.policy}],
                    "Tags": [{"Key": TAG_KEY, "Value": self.prefix}],
                }}),
            );
            let mut env = self.template_environment(kind, spec, &arns);
            if t["Parameters"].get(CONTACT_LIST_PARAM).is_some() {
                env.insert(
                    setting::CONTACT_LIST.env.into(),
                    reference(CONTACT_LIST_PARAM),
                );
            }
            r.insert(
                ids.logs.into(),
                self.log_group_resource(&self.log_group(kind), spec.log_retention_days),
            );
            r.insert(
                ids.function.into(),
                json!({"Type": "AWS::Lambda::Function", "Properties": {
                    "FunctionName": self.function_name(kind),
                    "Runtime": "provided.al2023", "Handler": "bootstrap",
                    "Architectures": [spec.arch.as_str()],
                    "Role": get_att(ids.role, "Arn"),
                    "Timeout": FUNCTION_TIMEOUT_SECS, "MemorySize": FUNCTION_MEMORY_MB,
                    "Environment": {"Variables": env},
                    "LoggingConfig": {"LogFormat": LOG_FORMAT, "LogGroup": reference(ids.logs)},
                    "Code": {"S3Bucket": reference(CODE_BUCKET), "S3Key": reference(ids.code_key)},
                    "Tags": [{"Key": TAG_KEY, "Value": self.prefix}],
                }}),
            );
            let queue = match kind {
                FunctionKind::Consumer => get_att(CARTS_QUEUE, "Arn"),
                FunctionKind::Mailer => get_att(EMAIL_QUEUE, "Arn"),
            };
            let mut mapping = json!({
                "EventSourceArn": queue, "FunctionName": reference(ids.function),
                "BatchSize": BATCH_SIZE, "MaximumBatchingWindowInSeconds": BATCHING_WINDOW_SECS,
                "FunctionResponseTypes": ["ReportBatchItemFailures"], "Enabled": true,
            });
            if kind == FunctionKind::Mailer {
                mapping["ScalingConfig"] = json!({"MaximumConcurrency": spec.mailer_concurrency});
            }
            r.insert(
                ids.mapping.into(),
                json!({"Type": "AWS::Lambda::EventSourceMapping", "Properties": mapping}),
            );
            t["Parameters"][ids.code_key] = json!({"Type": "String",
                "Default": format!("cartctl/{}/{}/bootstrap.zip", spec.arch.as_str(), kind.as_str()),
                "Description": format!("the {} function's bootstrap.zip in CodeBucket", kind.as_str())});
        }
        t["Parameters"][CODE_BUCKET] = json!({"Type": "String",
            "Description": "the S3 bucket holding the functions' zips (scripts/build-lambdas), in the stack's region"});
        for (id, resource) in r {
            t["Resources"][id] = substitute_pseudo(resource);
        }
    }

    /// The same resources as a CloudFormation template (JSON).
    pub fn template(&self) -> Value {
        let arns = self.template_arns();
        let tags = json!([{"Key": TAG_KEY, "Value": self.prefix}]);
        let queue = |name: &str, extra: Value| {
            let mut props = json!({
                "QueueName": name,
                "SqsManagedSseEnabled": true,
                "MessageRetentionPeriod": RETENTION_SECS,
                "Tags": tags,
            });
            if let (Value::Object(p), Value::Object(e)) = (&mut props, extra) {
                p.extend(e);
            }
            json!({"Type": "AWS::SQS::Queue", "Properties": props})
        };
        let mut resources = Map::new();
        if self.bus != "default" {
            resources.insert(
                BUS.into(),
                json!({"Type": "AWS::Events::EventBus",
                "Properties": {"Name": self.bus, "Tags": tags}}),
            );
        }
        if self.group != "default" {
            resources.insert(
                GROUP.into(),
                json!({"Type": "AWS::Scheduler::ScheduleGroup",
                "Properties": {"Name": self.group, "Tags": tags}}),
            );
        }
        resources.insert(REMINDER_DLQ.into(), queue(&self.reminder_dlq, json!({})));
        resources.insert(LEDGER.into(), self.ledger_resource(&tags));
        resources.insert(ROLE.into(), json!({"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": self.role,
            "AssumeRolePolicyDocument": trust_policy(&arns),
            "Policies": [{"PolicyName": ROLE_POLICY_NAME, "PolicyDocument": role_policy(&arns)}],
            "Tags": tags,
        }}));
        for (route, ids) in [
            (self.carts_route(), CARTS_IDS),
            (self.reminder_route(), EMAIL_IDS),
        ] {
            for (id, resource) in self.route_resources(&route, &ids, &queue, &tags) {
                resources.insert(id.into(), resource);
            }
        }
        substitute_pseudo(json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": format!("cartctl reminder flow ({}); deploy with CAPABILITY_NAMED_IAM", self.prefix),
            "Resources": resources,
            "Outputs": {
                "SchedulerRoleArn": {"Value": get_att(ROLE, "Arn")},
                "ReminderDlqArn": {"Value": arns.reminder_dlq},
                "EmailQueueArn": {"Value": arns.email_queue},
                "CartsQueueArn": {"Value": arns.carts_queue},
                "LedgerTable": {"Value": reference(LEDGER)},
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::SetupRequest;
    use super::*;

    fn blueprint(bus: &str, group: &str) -> Blueprint {
        let req = SetupRequest {
            bus: bus.into(),
            group: group.into(),
            source: "putToCartService".into(),
            detail_types: crate::event::DetailTypes::default(),
            prefix: None,
        };
        Blueprint::for_template(&req).unwrap()
    }

    fn template(bus: &str, group: &str) -> Value {
        blueprint(bus, group).template()
    }

    /// The functions of the tests' stack (code from S3, a required-consent mailer).
    fn functions_spec() -> FunctionsSpec {
        FunctionsSpec {
            arch: crate::blueprint::Arch::Arm64,
            mail_from: "shop@example.com".into(),
            identity: "shop@example.com".into(),
            log_retention_days: 14,
            mailer_concurrency: 3,
            contact_list: "shop-contacts".into(),
            topic: "cart-reminders".into(),
            consent: "required".into(),
            postal_address: "1 Shop Street".into(),
            holdout_percent: "0".into(),
            attribution_window: "7d".into(),
        }
    }

    /// Every string of `v` with the path that leads to it.
    fn strings<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
        match v {
            Value::String(s) => out.push((path, s)),
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    strings(x, format!("{path}[{i}]"), out);
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    strings(x, format!("{path}.{k}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn resources_of_the_stack_are_named_by_ref_or_get_att_only() {
        let t = template("shop", "carts");
        let names = [
            "shop",
            "carts",
            "cartctl-shop-scheduler",
            "cartctl-shop-reminders-dlq",
            "cartctl-shop-email",
            "cartctl-shop-email-dlq",
            "cartctl-shop-reminders",
            "cartctl-shop-carts",
        ];
        let mut found = Vec::new();
        strings(&t, String::new(), &mut found);
        let stray: Vec<_> = found
            .iter()
            .filter(|(path, s)| {
                // A resource's own name, and the tag value (the prefix), are not references.
                let own = [
                    ".Name",
                    ".RoleName",
                    ".QueueName",
                    ".TableName",
                    ".PolicyName",
                    ".Id",
                ]
                .iter()
                .any(|p| path.ends_with(p))
                    || (path.contains(".Tags[") && path.ends_with(".Value"))
                    || path.starts_with(".Description");
                !own && names.iter().any(|n| s.contains(n))
            })
            .collect();
        assert!(stray.is_empty(), "named by string: {stray:?}");
        let r = &t["Resources"];
        assert_eq!(r[RULE]["Properties"]["EventBusName"], json!({"Ref": BUS}));
        assert_eq!(
            r[RULE]["Properties"]["Targets"][0]["Arn"],
            get_att(EMAIL_QUEUE, "Arn")
        );
        assert_eq!(
            r[EMAIL_QUEUE]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"],
            get_att(EMAIL_DLQ, "Arn")
        );
        let trust = &r[ROLE]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(
            trust["Condition"]["StringEquals"]["aws:SourceArn"],
            get_att(GROUP, "Arn")
        );
        assert_eq!(r[RULE]["Properties"]["Tags"][0]["Key"], TAG_KEY);
        assert_eq!(
            r[CARTS_RULE]["Properties"]["Targets"][0]["Arn"],
            get_att(CARTS_QUEUE, "Arn")
        );
        assert_eq!(
            r[CARTS_QUEUE_POLICY]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["ArnEquals"]
                ["aws:SourceArn"],
            get_att(CARTS_RULE, "Arn")
        );
    }

    #[test]
    fn mail_parts_bring_ses_events_to_the_consumers_queue_and_the_functions_read_the_list() {
        let bp = blueprint("shop", "carts");
        let mut t = bp.template();
        let topic = MailTopic {
            name: "cart-reminders".into(),
            display_name: "Cart reminders".into(),
            description: "Items left in your cart".into(),
            consent: crate::mail::Consent::Required,
        };
        bp.add_mail(&mut t, &topic);
        let spec = FunctionsSpec {
            contact_list: format!("${{{CONTACT_LIST_PARAM}}}"),
            ..functions_spec()
        };
        bp.add_functions(&mut t, &spec);
        let r = &t["Resources"];
        // The list is made only when asked (an account has one at most), and kept.
        assert_eq!(r[CONTACT_LIST]["Condition"], CREATE_CONTACT_LIST_CONDITION);
        assert_eq!(r[CONTACT_LIST]["DeletionPolicy"], "Retain");
        assert_eq!(
            r[CONTACT_LIST]["Properties"]["Topics"][0]["DefaultSubscriptionStatus"],
            "OPT_OUT"
        );
        assert_eq!(
            t["Parameters"][CONTACT_LIST_PARAM]["Default"],
            "cartctl-shop-contacts"
        );
        // The set suppresses for its sends and publishes, in CloudFormation's words, to the
        // default bus.
        assert_eq!(r[MAIL_SET]["Properties"]["Name"], "cartctl-shop-mail");
        let dest = &r[MAIL_DESTINATION]["Properties"]["EventDestination"];
        assert_eq!(
            dest["MatchingEventTypes"],
            json!([
                "bounce",
                "complaint",
                "delivery",
                "reject",
                "renderingFailure",
                "subscription"
            ])
        );
        assert_eq!(
            dest["EventBridgeDestination"]["EventBusArn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"})
        );
        // The rule on the default bus reaches the consumer's queue, whose policy admits it.
        assert_eq!(r[MAIL_EVENTS_RULE]["Properties"]["EventBusName"], "default");
        assert_eq!(
            r[MAIL_EVENTS_RULE]["Properties"]["Targets"][0]["Arn"],
            get_att(CARTS_QUEUE, "Arn")
        );
        assert_eq!(
            r[CARTS_QUEUE_POLICY]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["ArnEquals"]
                ["aws:SourceArn"],
            json!([get_att(CARTS_RULE, "Arn"), get_att(MAIL_EVENTS_RULE, "Arn")])
        );
        // Both functions read the list from the parameter, and their roles name it.
        for f in ["ConsumerFunction", "MailerFunction"] {
            assert_eq!(
                r[f]["Properties"]["Environment"]["Variables"]["CARTCTL_CONTACT_LIST"],
                reference(CONTACT_LIST_PARAM),
                "{f}"
            );
        }
        let role = r["ConsumerRole"].to_string();
        assert!(role.contains("contact-list/${ContactListName}"), "{role}");
    }

    #[test]
    fn stack_event_types_are_cloudformations_words() {
        assert_eq!(stack_event_type("BOUNCE"), "bounce");
        assert_eq!(stack_event_type("RENDERING_FAILURE"), "renderingFailure");
        assert_eq!(stack_event_type("DELIVERY_DELAY"), "deliveryDelay");
    }

    #[test]
    fn functions_name_the_stacks_resources_and_take_their_code_from_s3() {
        let bp = blueprint("shop", "carts");
        let mut t = bp.template();
        let spec = functions_spec();
        bp.add_functions(&mut t, &spec);
        let r = &t["Resources"];
        let env = &r["ConsumerFunction"]["Properties"]["Environment"]["Variables"];
        assert_eq!(env["CARTCTL_SCHEDULER_ROLE_ARN"], get_att(ROLE, "Arn"));
        assert_eq!(env["CARTCTL_SCHEDULE_GROUP"], reference(GROUP));
        assert_eq!(env["CARTCTL_EVENT_BUS"], reference(BUS));
        assert_eq!(
            r["ConsumerMapping"]["Properties"]["EventSourceArn"],
            get_att(CARTS_QUEUE, "Arn")
        );
        assert_eq!(
            r["MailerMapping"]["Properties"]["EventSourceArn"],
            get_att(EMAIL_QUEUE, "Arn")
        );
        assert_eq!(
            r["MailerFunction"]["Properties"]["Code"]["S3Key"],
            reference("MailerCodeKey")
        );
        assert_eq!(
            t["Parameters"]["ConsumerCodeKey"]["Default"],
            "cartctl/arm64/consumer/bootstrap.zip"
        );
        // Each function logs JSON to a log group of the stack, kept as long as asked.
        for (f, logs) in [
            ("ConsumerFunction", "ConsumerLogs"),
            ("MailerFunction", "MailerLogs"),
        ] {
            assert_eq!(
                r[f]["Properties"]["LoggingConfig"],
                json!({"LogFormat": "JSON", "LogGroup": reference(logs)})
            );
            assert_eq!(r[logs]["Properties"]["RetentionInDays"], 14);
        }
        assert_eq!(
            r["MailerLogs"]["Properties"]["LogGroupName"],
            "/aws/lambda/cartctl-shop-mailer"
        );
        assert_eq!(
            r["MailerMapping"]["Properties"]["ScalingConfig"],
            json!({"MaximumConcurrency": 3})
        );
        assert!(
            r["ConsumerMapping"]["Properties"]
                .get("ScalingConfig")
                .is_none()
        );
        for q in [CARTS_QUEUE, EMAIL_QUEUE] {
            assert_eq!(r[q]["Properties"]["VisibilityTimeout"], 151, "{q}");
        }
        let pass = r["ConsumerRole"]["Properties"]["Policies"][0]["PolicyDocument"].to_string();
        assert!(
            pass.contains("SchedulerRole"),
            "the role it passes is the stack's: {pass}"
        );
    }

    #[test]
    fn the_sender_is_made_only_when_asked_and_kept_and_the_api_logs_its_calls() {
        let bp = blueprint("shop", "carts");
        let mut t = bp.template();
        let sender = crate::mail::Sender::parse("--mail-from", "shop@example.com").unwrap();
        bp.add_sender(&mut t, &sender);
        let identity = &t["Resources"][SENDER];
        assert_eq!(identity["Condition"], CREATE_SENDER_CONDITION);
        assert_eq!(identity["DeletionPolicy"], "Retain");
        assert_eq!(identity["UpdateReplacePolicy"], "Retain");
        assert_eq!(t["Parameters"][CREATE_SENDER]["Default"], "false");
        assert_eq!(
            t["Conditions"][CREATE_SENDER_CONDITION],
            json!({"Fn::Equals": [{"Ref": CREATE_SENDER}, "true"]})
        );
        let mut spec = ApiSpec::new(ApiAuth::Iam, 10.0, 20).unwrap();
        spec.log_retention_days = 90;
        bp.add_api(&mut t, &spec);
        let r = &t["Resources"];
        assert_eq!(r[API_LOGS]["Properties"]["RetentionInDays"], 90);
        assert_eq!(
            r[API_LOGS]["Properties"]["LogGroupName"],
            "/aws/apigateway/cartctl-shop-api"
        );
        let access = &r[API_STAGE]["Properties"]["AccessLogSettings"];
        assert_eq!(access["DestinationArn"], get_att(API_LOGS, "Arn"));
        assert_eq!(access["Format"], API_ACCESS_LOG_FORMAT);
    }

    #[test]
    fn the_default_bus_and_group_are_named_by_their_arns() {
        let t = template("default", "default");
        let r = &t["Resources"];
        assert!(r.get(BUS).is_none() && r.get(GROUP).is_none());
        assert_eq!(r[RULE]["Properties"]["EventBusName"], "default");
        let trust = &r[ROLE]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(
            trust["Condition"]["StringEquals"]["aws:SourceArn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/default"})
        );
        assert!(!t.to_string().contains("arn:aws:"), "no partition written");
    }
}
