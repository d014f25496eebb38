//! The running system's part of the blueprint: the shop's API (`setup --api`: an HTTP API
//! whose routes put the shop's cart events on the bus through the first-class
//! EventBridge-PutEvents integration) and the two Lambda functions (`setup --functions`: the
//! consumer on the carts queue and the mailer on the e-mail queue), with a role each that
//! grants named actions on named resources only.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Blueprint, PolicyArns};
use crate::error::{Error, Result};
use crate::event::CartEventKind;
use crate::setting;

/// The inline policy of the API's role and of each function's role.
pub const SYSTEM_POLICY_NAME: &str = "cartctl-system";
/// Requests a second the API's stage admits by default (steady rate).
pub const DEFAULT_API_RATE_LIMIT: f64 = 50.0;
/// Requests the API's stage admits at once by default (burst).
pub const DEFAULT_API_BURST_LIMIT: i32 = 100;
/// The DynamoDB actions each function may take on the ledger table, and no other.
pub const LEDGER_ACTIONS: [&str; 7] = [
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
];
/// Each function's timeout, in seconds.
pub const FUNCTION_TIMEOUT_SECS: i32 = 25;
/// Each function's memory, in MB.
pub const FUNCTION_MEMORY_MB: i32 = 128;
/// Records an event source mapping hands a function at once.
pub const BATCH_SIZE: i32 = 10;
/// How long a mapping may gather records before it invokes, in seconds.
pub const BATCHING_WINDOW_SECS: i32 = 1;
/// The visibility timeout of a function's source queue, in seconds: AWS asks for at least six
/// times the function's timeout plus the batching window ("Configuring an Amazon SQS queue to
/// trigger a Lambda function"), so a batch still running, or retried after a throttled
/// invocation, is not handed out again meanwhile.
pub const QUEUE_VISIBILITY_SECS: i32 = 6 * FUNCTION_TIMEOUT_SECS + BATCHING_WINDOW_SECS;
/// Concurrent batches the mailer's mapping may run by default (`--mailer-concurrency`): the
/// least `ScalingConfig.MaximumConcurrency` takes, so the account's send rate is shared by two.
pub const DEFAULT_MAILER_CONCURRENCY: i32 = 2;
/// The range `ScalingConfig.MaximumConcurrency` takes.
pub const MAILER_CONCURRENCY_RANGE: std::ops::RangeInclusive<i32> = 2..=1000;
/// How long the functions' and the API's logs are kept by default, in days (Lambda's own
/// default keeps them forever).
pub const DEFAULT_LOG_RETENTION_DAYS: i32 = 30;
/// The retentions CloudWatch Logs takes (PutRetentionPolicy), in days.
pub const LOG_RETENTION_DAYS: [i32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
/// The functions' log format: one JSON object a line, which CloudWatch Logs Insights queries
/// field by field.
pub const LOG_FORMAT: &str = "JSON";

/// `--log-retention`: a number of days CloudWatch Logs takes.
pub fn parse_log_retention(field: &str, text: &str) -> Result<i32> {
    let days = text.trim().trim_end_matches('d').parse::<i32>().ok();
    match days {
        Some(d) if LOG_RETENTION_DAYS.contains(&d) => Ok(d),
        _ => Err(Error::invalid(
            field,
            format!("`{text}` is not a retention CloudWatch Logs takes"),
            format!(
                "give a number of days among {}",
                LOG_RETENTION_DAYS.map(|d| d.to_string()).join(", ")
            ),
        )),
    }
}

/// `--mailer-concurrency`: the mailer mapping's `ScalingConfig.MaximumConcurrency`.
pub fn parse_mailer_concurrency(field: &str, n: i64) -> Result<i32> {
    match i32::try_from(n) {
        Ok(n) if MAILER_CONCURRENCY_RANGE.contains(&n) => Ok(n),
        _ => Err(Error::invalid(
            field,
            format!("{n} is not between 2 and 1000 (what Lambda's MaximumConcurrency takes)"),
            "give 2 (the default) or more: the account's send rate is shared by that many batches",
        )),
    }
}

/// The JSON access log line of the API's stage: who called, which route, what came back and
/// why it failed; never the body (it holds the customer's address).
pub const API_ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","time":"$context.requestTime","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","userArn":"$context.identity.userArn","jwtSubject":"$context.authorizer.claims.sub","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","latencyMs":"$context.responseLatency","integrationStatus":"$context.integrationStatus","integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error","error":"$context.error.message"}"#;

/// Who may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiAuth {
    /// SigV4-signed requests of principals allowed `execute-api:Invoke` (the default).
    Iam,
    /// A JWT from `issuer` (https) whose `aud` is one of `audience`.
    Jwt {
        /// The issuer's URL.
        issuer: String,
        /// The accepted audiences (at least one).
        audience: Vec<String>,
    },
    /// Anyone: only when asked (`--api-auth none`).
    None,
}

impl ApiAuth {
    /// The mode from the flags: `--api-auth iam|jwt|none` (default `iam`, or `jwt` when an
    /// issuer is given), `--api-jwt-issuer`, `--api-jwt-audience`.
    pub fn parse(mode: Option<&str>, issuer: Option<&str>, audience: &[String]) -> Result<ApiAuth> {
        let mode = mode.unwrap_or(if issuer.is_some() { "jwt" } else { "iam" });
        match (mode, issuer) {
            ("iam" | "none", Some(_)) => Err(Error::invalid(
                "--api-jwt-issuer",
                format!("is given with --api-auth {mode}"),
                "drop it, or pass --api-auth jwt",
            )),
            ("iam", None) => Ok(ApiAuth::Iam),
            ("none", None) => Ok(ApiAuth::None),
            ("jwt", None) => Err(Error::invalid(
                "--api-jwt-issuer",
                "is required with --api-auth jwt",
                "give the identity provider's https issuer URL",
            )),
            ("jwt", Some(issuer)) => {
                let host = issuer.strip_prefix("https://").unwrap_or_default();
                if host.is_empty() || host.starts_with('/') || issuer.contains(char::is_whitespace)
                {
                    return Err(Error::invalid(
                        "--api-jwt-issuer",
                        format!("`{issuer}` is not an https URL"),
                        "give the issuer as https://…, such as https://cognito-idp.<region>.amazonaws.com/<pool id>",
                    ));
                }
                if audience.is_empty() || audience.iter().any(|a| a.trim().is_empty()) {
                    return Err(Error::invalid(
                        "--api-jwt-audience",
                        "is required with a JWT issuer (one or more, none empty)",
                        "give the client id the tokens are issued for",
                    ));
                }
                Ok(ApiAuth::Jwt {
                    issuer: issuer.to_owned(),
                    audience: audience.to_vec(),
                })
            }
            (other, _) => Err(Error::invalid(
                "--api-auth",
                format!("`{other}` is not iam, jwt or none"),
                "pass --api-auth iam (the default), jwt or none",
            )),
        }
    }

    /// The routes' `AuthorizationType`.
    pub fn authorization_type(&self) -> &'static str {
        match self {
            ApiAuth::Iam => "AWS_IAM",
            ApiAuth::Jwt { .. } => "JWT",
            ApiAuth::None => "NONE",
        }
    }
}

/// What `setup --api` asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiSpec {
    /// Who may call it.
    pub auth: ApiAuth,
    /// The stage's steady rate, requests a second.
    pub rate_limit: f64,
    /// The stage's burst.
    pub burst_limit: i32,
    /// Days the access log is kept.
    pub log_retention_days: i32,
}

impl ApiSpec {
    /// Checks the throttling limits; the access log is kept [`DEFAULT_LOG_RETENTION_DAYS`].
    pub fn new(auth: ApiAuth, rate_limit: f64, burst_limit: i32) -> Result<ApiSpec> {
        if !(rate_limit.is_finite() && rate_limit > 0.0) {
            return Err(Error::invalid(
                "--api-rate-limit",
                format!("`{rate_limit}` is not a positive number of requests a second"),
                "give a rate such as 50",
            ));
        }
        if burst_limit < 1 {
            return Err(Error::invalid(
                "--api-burst-limit",
                format!("`{burst_limit}` is not a positive number of requests"),
                "give a burst such as 100",
            ));
        }
        Ok(ApiSpec {
            auth,
            rate_limit,
            burst_limit,
            log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
        })
    }
}

/// A function's processor architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// Graviton (the default: cheaper a millisecond).
    Arm64,
    /// x86_64.
    X86_64,
}

impl Arch {
    /// From `--arch`.
    pub fn parse(text: &str) -> Result<Arch> {
        match text {
            "arm64" | "aarch64" => Ok(Arch::Arm64),
            "x86_64" | "amd64" => Ok(Arch::X86_64),
            other => Err(Error::invalid(
                "--arch",
                format!("`{other}` is not arm64 or x86_64"),
                "pass --arch arm64 (the default) or --arch x86_64",
            )),
        }
    }

    /// As Lambda spells it, and as `scripts/build-lambdas` names its directories.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Arm64 => "arm64",
            Arch::X86_64 => "x86_64",
        }
    }
}

/// What `setup --functions` asks for (the zips themselves are read by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionsSpec {
    /// Their architecture.
    pub arch: Arch,
    /// The mailer's sender (`Name <address>` or the address).
    pub mail_from: String,
    /// The SES identity that covers it (the address or its domain).
    pub identity: String,
    /// Days the functions' logs are kept.
    pub log_retention_days: i32,
    /// Batches of the mailer at once (its mapping's `MaximumConcurrency`): each container
    /// paces its sends to the account's rate divided by this.
    pub mailer_concurrency: i32,
    /// The account's contact list the reminders go under (the consumer records consent on
    /// it; the mailer reads it).
    pub contact_list: String,
    /// Its topic of cart reminders.
    pub topic: String,
    /// The consent regime (`implied`, `required`).
    pub consent: String,
    /// The shop's postal address.
    pub postal_address: String,
    /// The mailer's holdout share (`holdout_percent`).
    pub holdout_percent: String,
    /// The consumer's attribution window (`attribution_window`).
    pub attribution_window: String,
}

/// One of the two functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// The carts queue's consumer.
    Consumer,
    /// The e-mail queue's mailer.
    Mailer,
}

impl FunctionKind {
    /// Both, the consumer first.
    pub const BOTH: [FunctionKind; 2] = [FunctionKind::Consumer, FunctionKind::Mailer];

    /// The binary's name (`consumer`, `mailer`).
    pub fn as_str(self) -> &'static str {
        match self {
            FunctionKind::Consumer => "consumer",
            FunctionKind::Mailer => "mailer",
        }
    }
}

/// One route of the API: its key and the kind of cart event it puts.
pub const API_ROUTES: [(&str, CartEventKind); 3] = [
    ("POST /cart", CartEventKind::Add),
    ("POST /cart/remove", CartEventKind::Remove),
    ("POST /cart/checkout", CartEventKind::Checkout),
];

/// A role of the system: its name, trust and inline policy.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleSpec {
    /// The role's name.
    pub name: String,
    /// Its trust policy.
    pub trust: Value,
    /// The inline policy's name.
    pub policy_name: &'static str,
    /// The inline policy.
    pub policy: Value,
    /// Its description.
    pub description: String,
}

/// A trust policy: `service` may assume the role, for this account only.
fn service_trust(sid: &str, service: &str, account: &Value) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }],
    })
}

impl Blueprint {
    /// The Scheduler role as a [`RoleSpec`].
    pub fn scheduler_role(&self) -> RoleSpec {
        RoleSpec {
            name: self.role.clone(),
            trust: self.trust_policy(),
            policy_name: super::ROLE_POLICY_NAME,
            policy: self.role_policy(),
            description: format!(
                "EventBridge Scheduler puts cart reminders ({})",
                self.prefix
            ),
        }
    }

    /// The API's role: API Gateway may put events on this bus, nothing else.
    pub fn api_role(&self) -> RoleSpec {
        self.api_role_with(&self.arns())
    }

    pub(super) fn api_role_with(&self, a: &PolicyArns) -> RoleSpec {
        RoleSpec {
            name: self.api_role.clone(),
            trust: service_trust(
                "ApiGatewayAssumesRole",
                "apigateway.amazonaws.com",
                &a.account,
            ),
            policy_name: SYSTEM_POLICY_NAME,
            policy: json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "PutCartEvents", "Effect": "Allow", "Action": "events:PutEvents", "Resource": a.bus},
            ]}),
            description: format!(
                "the shop's API puts cart events on the bus ({})",
                self.prefix
            ),
        }
    }

    /// The request parameters of the route putting `kind`: the shop's source, the kind's fixed
    /// detail-type (an integration cannot build one from the body), the body as the detail, the bus.
    pub fn integration_parameters(&self, kind: CartEventKind) -> BTreeMap<String, String> {
        let (template, _) = self.detail_types.of(kind);
        BTreeMap::from([
            ("Source".to_owned(), self.source.clone()),
            ("DetailType".to_owned(), template.fixed()),
            ("Detail".to_owned(), "$request.body".to_owned()),
            ("EventBusName".to_owned(), self.bus.clone()),
        ])
    }

    /// The API's base URL, once its id is known.
    pub fn api_url(&self, api_id: &str) -> String {
        let suffix = if self.partition == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("https://{api_id}.execute-api.{}.{suffix}", self.region)
    }

    /// The name of a function.
    pub fn function_name(&self, kind: FunctionKind) -> String {
        format!("{}-{}", self.prefix, kind.as_str())
    }

    /// A function's log group (Lambda's default name, which setup makes with a retention).
    pub fn log_group(&self, kind: FunctionKind) -> String {
        format!("/aws/lambda/{}", self.function_name(kind))
    }

    /// The API stage's access log group.
    pub fn api_log_group(&self) -> String {
        format!("/aws/apigateway/{}", self.api)
    }

    /// The ARN of the log group `name` (without the `:*` of its streams).
    pub fn log_group_arn(&self, name: &str) -> String {
        self.arn("logs", &self.region, &format!("log-group:{name}"))
    }

    /// A function's queue (its event source).
    pub fn function_queue(&self, kind: FunctionKind) -> &str {
        match kind {
            FunctionKind::Consumer => &self.carts_queue,
            FunctionKind::Mailer => &self.email_queue,
        }
    }

    /// A function's role: its queue, its log group, and its own work only.
    pub fn function_role(&self, kind: FunctionKind, f: &FunctionsSpec) -> RoleSpec {
        self.function_role_with(kind, f, &self.arns(), &json!(self.role_arn()))
    }

    pub(super) fn function_role_with(
        &self,
        kind: FunctionKind,
        f: &FunctionsSpec,
        a: &PolicyArns,
        scheduler_role: &Value,
    ) -> RoleSpec {
        let queue = match kind {
            FunctionKind::Consumer => &a.carts_queue,
            FunctionKind::Mailer => &a.email_queue,
        };
        // Setup makes the log group (with its retention); the function only writes to it.
        let log_group = self.log_group_arn(&self.log_group(kind));
        let contact_list = self.contact_list_arn(&f.contact_list);
        let mut statements = vec![
            json!({"Sid": "ItsQueue", "Effect": "Allow", "Resource": queue, "Action": [
                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]}),
            // The item actions the consumer and the mailer make (a transaction's writes are
            // authorised item by item), on the ledger only.
            json!({"Sid": "TheLedger", "Effect": "Allow", "Resource": a.ledger, "Action": LEDGER_ACTIONS}),
            json!({"Sid": "ItsLogStreams", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                   "Resource": format!("{log_group}:*")}),
        ];
        match kind {
            FunctionKind::Consumer => {
                let schedules = self.arn(
                    "scheduler",
                    &self.region,
                    &format!("schedule/{}/*", self.group),
                );
                statements.extend([
                    json!({"Sid": "Reminders", "Effect": "Allow", "Resource": schedules, "Action": [
                        "scheduler:CreateSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"]}),
                    // ListSchedules has no resource type: it is granted on `*` or not at all.
                    json!({"Sid": "Markers", "Effect": "Allow", "Action": "scheduler:ListSchedules", "Resource": "*"}),
                    json!({"Sid": "ItsGroupAndBus", "Effect": "Allow", "Action": ["scheduler:GetScheduleGroup", "events:DescribeEventBus"],
                           "Resource": [a.group, a.bus]}),
                    json!({"Sid": "PassSchedulerRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": scheduler_role,
                           "Condition": {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}}),
                    // The consent a cart event carries, recorded on the customer's contact.
                    json!({"Sid": "RecordConsent", "Effect": "Allow", "Resource": contact_list,
                           "Action": ["ses:GetContact", "ses:CreateContact", "ses:UpdateContact"]}),
                ]);
            }
            FunctionKind::Mailer => {
                let identity = self.arn("ses", &self.region, &format!("identity/{}", f.identity));
                statements.extend([
                    // SES authorises a send against the identity and the configuration set.
                    json!({"Sid": "SendFromTheSender", "Effect": "Allow", "Action": "ses:SendEmail",
                           "Resource": [identity, self.configuration_set_arn()]}),
                    json!({"Sid": "ReadConsent", "Effect": "Allow", "Action": "ses:GetContact", "Resource": contact_list}),
                    // GetAccount (the send rate) and GetSuppressedDestination have no resource type.
                    json!({"Sid": "SendRateAndSuppression", "Effect": "Allow", "Resource": "*",
                           "Action": ["ses:GetAccount", "ses:GetSuppressedDestination"]}),
                ]);
            }
        }
        RoleSpec {
            name: self.function_name(kind),
            trust: service_trust("LambdaAssumesRole", "lambda.amazonaws.com", &a.account),
            policy_name: SYSTEM_POLICY_NAME,
            policy: json!({"Version": "2012-10-17", "Statement": statements}),
            description: format!(
                "the cart reminders' {} function ({})",
                kind.as_str(),
                self.prefix
            ),
        }
    }

    /// A function's `CARTCTL_*` environment: the same settings the CLI reads.
    pub fn function_environment(
        &self,
        kind: FunctionKind,
        f: &FunctionsSpec,
    ) -> BTreeMap<String, String> {
        let mut env: Vec<(&str, String)> = vec![
            (setting::LEDGER_TABLE.key, self.ledger.clone()),
            (setting::EVENT_BUS.key, self.bus.clone()),
            (setting::SOURCE.key, self.source.clone()),
            (
                setting::DETAIL_TYPE.key,
                self.detail_types.add.as_str().to_owned(),
            ),
        ];
        match kind {
            FunctionKind::Consumer => env.extend([
                (
                    setting::ATTRIBUTION_WINDOW.key,
                    f.attribution_window.clone(),
                ),
                (setting::CONTACT_LIST.key, f.contact_list.clone()),
                (setting::MAIL_TOPIC.key, f.topic.clone()),
                (setting::SCHEDULE_GROUP.key, self.group.clone()),
                (setting::SCHEDULER_ROLE_ARN.key, self.role_arn()),
                (setting::DLQ_ARN.key, self.queue_arn(&self.reminder_dlq)),
                (
                    setting::REMOVED_DETAIL_TYPE.key,
                    self.detail_types.removed.as_str().to_owned(),
                ),
                (
                    setting::CHECKOUT_DETAIL_TYPE.key,
                    self.detail_types.checkout.as_str().to_owned(),
                ),
            ]),
            FunctionKind::Mailer => env.extend([
                (setting::MAIL_FROM.key, f.mail_from.clone()),
                (setting::CONTACT_LIST.key, f.contact_list.clone()),
                (setting::MAIL_TOPIC.key, f.topic.clone()),
                (setting::CONSENT.key, f.consent.clone()),
                (
                    setting::CONFIGURATION_SET.key,
                    self.configuration_set.clone(),
                ),
                (setting::MAIL_POSTAL_ADDRESS.key, f.postal_address.clone()),
                (setting::HOLDOUT_PERCENT.key, f.holdout_percent.clone()),
                (
                    setting::MAILER_CONCURRENCY.key,
                    f.mailer_concurrency.to_string(),
                ),
            ]),
        }
        env.into_iter()
            .map(|(k, v)| (setting::env_var(k), v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::SetupRequest;
    use crate::event::DetailTypes;

    fn blueprint() -> Blueprint {
        let req = SetupRequest {
            bus: "shop".into(),
            group: "carts".into(),
            source: "putToCartService".into(),
            detail_types: DetailTypes::default(),
            prefix: None,
        };
        Blueprint::new(&req, "123456789012", "eu-west-1").unwrap()
    }

    fn spec() -> FunctionsSpec {
        FunctionsSpec {
            arch: Arch::Arm64,
            mail_from: "Shop <shop@example.com>".into(),
            identity: "example.com".into(),
            log_retention_days: 30,
            mailer_concurrency: 2,
            contact_list: "shop-contacts".into(),
            topic: "cart-reminders".into(),
            consent: "implied".into(),
            postal_address: "1 Shop Street".into(),
            holdout_percent: "0".into(),
            attribution_window: "7d".into(),
        }
    }

    #[test]
    fn api_auth_defaults_to_iam_and_checks_the_jwt_flags() {
        assert_eq!(ApiAuth::parse(None, None, &[]).unwrap(), ApiAuth::Iam);
        assert_eq!(
            ApiAuth::parse(Some("none"), None, &[]).unwrap(),
            ApiAuth::None
        );
        let aud = vec!["client-1".to_owned()];
        let jwt = ApiAuth::parse(None, Some("https://issuer.example.com/pool"), &aud).unwrap();
        assert_eq!(jwt.authorization_type(), "JWT");
        for (mode, issuer, audience, field) in [
            (
                None,
                Some("http://issuer.example.com"),
                &aud,
                "--api-jwt-issuer",
            ),
            (None, Some("https://"), &aud, "--api-jwt-issuer"),
            (Some("jwt"), None, &aud, "--api-jwt-issuer"),
            (
                None,
                Some("https://issuer.example.com"),
                &vec![],
                "--api-jwt-audience",
            ),
            (
                Some("iam"),
                Some("https://issuer.example.com"),
                &aud,
                "--api-jwt-issuer",
            ),
            (Some("open"), None, &aud, "--api-auth"),
        ] {
            let e = ApiAuth::parse(mode, issuer, audience).unwrap_err();
            assert!(e.is_invalid());
            assert!(
                e.to_string().starts_with(&format!("invalid {field}:")),
                "{e}"
            );
        }
        assert!(ApiSpec::new(ApiAuth::Iam, 0.0, 10).is_err());
        assert!(ApiSpec::new(ApiAuth::Iam, 5.0, 0).is_err());
        assert_eq!(Arch::parse("aarch64").unwrap(), Arch::Arm64);
        assert!(Arch::parse("riscv").is_err());
    }

    #[test]
    fn queues_outlast_six_function_timeouts_and_retentions_are_cloudwatchs() {
        // AWS: at least six times the function's timeout, plus the batching window.
        assert_eq!(QUEUE_VISIBILITY_SECS, 151);
        assert_eq!(parse_log_retention("--log-retention", "30").unwrap(), 30);
        assert_eq!(parse_log_retention("--log-retention", "365d").unwrap(), 365);
        for bad in ["0", "31", "forever", "-1", ""] {
            let e = parse_log_retention("--log-retention", bad).unwrap_err();
            assert!(e.is_invalid(), "{bad}");
            assert!(e.to_string().contains("1, 3, 5, 7, 14, 30"), "{e}");
        }
        assert_eq!(
            parse_mailer_concurrency("--mailer-concurrency", 2).unwrap(),
            2
        );
        for bad in [0, 1, 1001, i64::MAX] {
            assert!(parse_mailer_concurrency("--mailer-concurrency", bad).is_err());
        }
        let b = blueprint();
        assert_eq!(b.api_log_group(), "/aws/apigateway/cartctl-shop-api");
        assert_eq!(
            b.log_group_arn(&b.log_group(FunctionKind::Consumer)),
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/cartctl-shop-consumer"
        );
        // The access log is one JSON object, and never holds the request's body.
        let format: Value = serde_json::from_str(API_ACCESS_LOG_FORMAT).unwrap();
        assert!(format["requestId"].is_string() && format["integrationError"].is_string());
        assert!(!API_ACCESS_LOG_FORMAT.contains("body"));
    }

    #[test]
    fn routes_put_what_the_carts_rule_and_the_consumer_accept() {
        let b = blueprint();
        let pattern = b.carts_rule_pattern().to_string();
        for (key, kind) in API_ROUTES {
            let p = b.integration_parameters(kind);
            assert_eq!(p["Detail"], "$request.body", "{key}");
            assert_eq!(p["EventBusName"], "shop");
            let detail = if kind.has_product() {
                json!({"user": "u", "product": "p"})
            } else {
                json!({"user": "u"})
            };
            let event =
                json!({"source": p["Source"], "detail-type": p["DetailType"], "detail": detail});
            assert!(crate::matcher::matches(&pattern, &event).unwrap(), "{key}");
            let product = kind.has_product().then_some("p");
            assert_eq!(
                b.detail_types.kind_of(&p["DetailType"], "u", product),
                Some(kind)
            );
        }
        let role = b.api_role();
        assert_eq!(role.name, "cartctl-shop-api");
        assert_eq!(role.policy["Statement"][0]["Resource"], b.bus_arn());
        assert_eq!(
            role.trust["Statement"][0]["Principal"]["Service"],
            "apigateway.amazonaws.com"
        );
        assert_eq!(
            b.api_url("abc123"),
            "https://abc123.execute-api.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn function_roles_name_their_resources() {
        let b = blueprint();
        let consumer = b.function_role(FunctionKind::Consumer, &spec());
        let text = consumer.policy.to_string();
        assert!(
            text.contains("arn:aws:scheduler:eu-west-1:123456789012:schedule/carts/*"),
            "{text}"
        );
        assert!(
            text.contains("arn:aws:sqs:eu-west-1:123456789012:cartctl-shop-carts"),
            "{text}"
        );
        // The consumer's only SES actions record consent, on the contact list alone.
        let consent = consumer.policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|st| st["Sid"] == "RecordConsent")
            .unwrap();
        assert_eq!(
            consent["Resource"],
            "arn:aws:ses:eu-west-1:123456789012:contact-list/shop-contacts"
        );
        assert!(!text.contains("ses:SendEmail"), "{text}");
        let pass = consumer.policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|st| st["Action"] == "iam:PassRole")
            .unwrap();
        assert_eq!(pass["Resource"], b.role_arn());
        assert_eq!(
            pass["Condition"]["StringEquals"]["iam:PassedToService"],
            "scheduler.amazonaws.com"
        );
        let mailer = b.function_role(FunctionKind::Mailer, &spec());
        let text = mailer.policy.to_string();
        assert!(
            text.contains("arn:aws:ses:eu-west-1:123456789012:identity/example.com"),
            "{text}"
        );
        assert!(
            text.contains("log-group:/aws/lambda/cartctl-shop-mailer:*"),
            "{text}"
        );
        assert!(!text.contains("scheduler:"), "{text}");
        // The functions only write their logs: setup makes the group, with its retention.
        for role in [&consumer, &mailer] {
            let text = role.policy.to_string();
            assert!(!text.contains("logs:CreateLogGroup"), "{text}");
            let streams = role.policy["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .find(|st| st["Sid"] == "ItsLogStreams")
                .unwrap();
            assert!(
                streams["Resource"].as_str().unwrap().ends_with(":*"),
                "{streams}"
            );
        }
        // Only the two actions without a resource type are granted on `*`.
        for role in [&consumer, &mailer] {
            for st in role.policy["Statement"].as_array().unwrap() {
                if st["Resource"] == "*" {
                    assert!(
                        [
                            json!("scheduler:ListSchedules"),
                            json!(["ses:GetAccount", "ses:GetSuppressedDestination"])
                        ]
                        .contains(&st["Action"])
                    );
                }
            }
        }
        let env = b.function_environment(FunctionKind::Consumer, &spec());
        assert_eq!(env["CARTCTL_SCHEDULER_ROLE_ARN"], b.role_arn());
        assert_eq!(env["CARTCTL_SCHEDULE_GROUP"], "carts");
        let env = b.function_environment(FunctionKind::Mailer, &spec());
        assert_eq!(env["CARTCTL_MAIL_FROM"], "Shop <shop@example.com>");
        assert_eq!(env["CARTCTL_MAILER_CONCURRENCY"], "2");
        assert!(!env.contains_key("CARTCTL_SCHEDULER_ROLE_ARN"));
    }
}
