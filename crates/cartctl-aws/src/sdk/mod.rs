//! Talking to AWS: loading the configuration (profile, region, endpoint, credentials) without
//! slow metadata-service waits, building the service clients, and turning SDK errors into
//! [`AwsError`]s that carry the service's own code and message.

pub mod apigw;
pub mod cloudwatch;
pub mod dynamodb;
pub mod events;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod rules;
pub mod scheduler;
pub mod ses;
pub mod sqs;

use std::error::Error as StdError;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{Region, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};

/// How long the region lookup may wait for the EC2 metadata service before giving up.
const REGION_LOOKUP_TIMEOUT: Duration = Duration::from_millis(1200);
/// Connect timeout of the EC2 metadata service client used for credentials.
const IMDS_CONNECT_TIMEOUT: Duration = Duration::from_millis(300);
/// Read timeout of the EC2 metadata service client used for credentials.
const IMDS_READ_TIMEOUT: Duration = Duration::from_millis(800);
/// Connect timeout of service calls.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// Timeout of one attempt of a service call.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// How much longer than its `WaitTimeSeconds` a long poll may take before it counts as lost:
/// AWS answers an empty poll after the whole wait plus the round trip.
pub const LONG_POLL_MARGIN: Duration = Duration::from_secs(10);

/// The timeouts of a long poll that waits `wait`: the attempt may last the wait plus
/// [`LONG_POLL_MARGIN`], so an idle poll is never cut off and sent again while AWS still holds
/// it (a message handed to an abandoned poll stays invisible for the visibility timeout).
pub fn long_poll_timeouts(wait: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(wait + LONG_POLL_MARGIN)
        .build()
}

/// The codes of failures that happen before (or instead of) an answer from AWS.
pub mod codes {
    /// No region could be found.
    pub const NO_REGION: &str = "NoRegion";
    /// No credentials could be loaded.
    pub const NO_CREDENTIALS: &str = "NoCredentials";
    /// The request never got an answer, or the endpoint could not be reached.
    pub const NETWORK_ERROR: &str = "NetworkError";
}

/// Attempts the SDK makes per request (cartctl retries items on top of these).
const SDK_MAX_ATTEMPTS: u32 = 3;

/// Tags as the REST services take them: a map of keys to values.
pub(crate) fn tag_map(tags: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
    tags.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The retry configuration of writes: one attempt. cartctl retries writes itself
/// ([`crate::retry`]) so it can tell an answer that was lost from one never sent.
pub fn write_retry_config() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(1)
}

/// Where and as whom to call AWS: the global flags, before anything is resolved.
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    /// `--profile` (else the SDK reads `AWS_PROFILE`).
    pub profile: Option<String>,
    /// `--region` (else `AWS_REGION`, the profile, or the EC2 metadata service).
    pub region: Option<String>,
    /// `--endpoint-url` (else the SDK reads `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`).
    pub endpoint_url: Option<String>,
}

impl AwsSettings {
    /// True when Scheduler and EventBridge calls go to AWS itself: no `--endpoint-url`, and no
    /// `AWS_ENDPOINT_URL` or `AWS_ENDPOINT_URL_SCHEDULER` / `_EVENTBRIDGE` in `env` (unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` makes the SDK ignore them). An endpoint set only in
    /// a profile counts as AWS: the answer errs on the side that asks for `--force`.
    pub fn targets_aws(&self, env: impl Fn(&str) -> Option<String>) -> bool {
        if self.endpoint_url.is_some() {
            return false;
        }
        let ignored = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v == "true");
        ignored
            || [
                "AWS_ENDPOINT_URL",
                "AWS_ENDPOINT_URL_SCHEDULER",
                "AWS_ENDPOINT_URL_EVENTBRIDGE",
            ]
            .iter()
            .all(|k| env(k).is_none_or(|v| v.is_empty()))
    }

    /// Checks the flags that can be checked without the network.
    pub fn check(&self) -> Result<()> {
        if let Some(url) = &self.endpoint_url {
            let ok = (url.starts_with("http://") || url.starts_with("https://"))
                && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
            if !ok {
                return Err(Error::invalid(
                    "endpoint_url",
                    format!("`{url}` is not an http(s) URL"),
                    "give a URL such as http://127.0.0.1:5000",
                ));
            }
        }
        if let Some(region) = &self.region {
            let ok = !region.is_empty()
                && region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                return Err(Error::invalid(
                    "region",
                    format!("`{region}` is not a region name"),
                    "give a region such as us-east-1 or eu-west-1",
                ));
            }
        }
        if let Some(profile) = &self.profile
            && profile.trim().is_empty()
        {
            return Err(Error::invalid(
                "profile",
                "is empty",
                "give a profile name from ~/.aws/config",
            ));
        }
        Ok(())
    }
}

/// The service clients of one run, sharing one configuration and credential cache.
#[derive(Debug, Clone)]
pub struct Clients {
    /// EventBridge Scheduler.
    pub scheduler: aws_sdk_scheduler::Client,
    /// EventBridge.
    pub events: aws_sdk_eventbridge::Client,
    /// SQS (`tail`, `setup`, `doctor`).
    pub sqs: aws_sdk_sqs::Client,
    /// IAM (`setup`, `doctor`).
    pub iam: aws_sdk_iam::Client,
    /// STS (who is calling, in which account).
    pub sts: aws_sdk_sts::Client,
    /// CloudWatch (`stats`).
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    /// SES v2 (the mailer, `setup --mail-from`, `doctor`).
    pub ses: aws_sdk_sesv2::Client,
    /// DynamoDB (the cart ledger: the consumer, the mailer, `forget`, `report`).
    pub dynamodb: aws_sdk_dynamodb::Client,
    config: SdkConfig,
}

impl Clients {
    /// Loads the configuration and builds the clients.
    ///
    /// Fails fast (well under 2 s) when no region is configured, instead of waiting on the EC2
    /// metadata service; missing credentials are reported on the first call with the fix.
    pub async fn connect(settings: &AwsSettings) -> Result<Clients> {
        settings.check()?;
        // One HTTPS client (rustls with ring) for the services and the credential and region
        // providers alike; ring is already needed by SSO, so no second crypto library is built.
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let provider_config = ProviderConfig::default().with_http_client(http.clone());
        let imds = aws_config::imds::Client::builder()
            .configure(&provider_config)
            .connect_timeout(IMDS_CONNECT_TIMEOUT)
            .read_timeout(IMDS_READ_TIMEOUT)
            .max_attempts(1)
            .build();
        let region = resolve_region(settings, &provider_config, &imds).await?;
        let mut credentials = DefaultCredentialsChain::builder()
            .configure(provider_config.clone().with_region(Some(region.clone())))
            .region(region.clone())
            .imds_client(imds);
        if let Some(p) = &settings.profile {
            credentials = credentials.profile_name(p);
        }
        let credentials = credentials.build().await;

        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .region(region)
            .credentials_provider(credentials)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .build(),
            );
        // Reads keep the SDK's standard retries (AWS_RETRY_MODE and AWS_MAX_ATTEMPTS still
        // apply); writes are retried by cartctl (see `write_retry_config`), and throttling is
        // paced by cartctl's own governor (`crate::pace`): the SDK's adaptive mode falls to
        // half a request a second after an early throttle and recovers too slowly for bulk runs.
        if std::env::var_os("AWS_RETRY_MODE").is_none() {
            let attempts = std::env::var("AWS_MAX_ATTEMPTS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(SDK_MAX_ATTEMPTS);
            loader = loader.retry_config(RetryConfig::standard().with_max_attempts(attempts));
        }
        if let Some(p) = &settings.profile {
            loader = loader.profile_name(p);
        }
        if let Some(url) = &settings.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        Ok(Clients {
            scheduler: aws_sdk_scheduler::Client::new(&config),
            events: aws_sdk_eventbridge::Client::new(&config),
            sqs: aws_sdk_sqs::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(&config),
            ses: aws_sdk_sesv2::Client::new(&config),
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            config,
        })
    }

    /// Loads the credentials once and returns their secret key and session token, so verbose
    /// logs can mask them whatever their source (a profile, SSO, a process).
    pub async fn secrets(&self) -> Vec<String> {
        use aws_credential_types::provider::ProvideCredentials;
        let mut secrets = Vec::new();
        if let Some(provider) = self.config.credentials_provider()
            && let Ok(c) = provider.provide_credentials().await
        {
            secrets.push(c.secret_access_key().to_owned());
            secrets.extend(c.session_token().map(str::to_owned));
        }
        secrets
    }

    /// The loaded configuration, for clients of other services.
    pub fn config(&self) -> &SdkConfig {
        &self.config
    }
}

/// The region: `--region`, else the environment, the profile, or the instance metadata (given
/// a few seconds at most), else an error with the fix.
async fn resolve_region(
    settings: &AwsSettings,
    provider_config: &ProviderConfig,
    imds: &aws_config::imds::Client,
) -> Result<Region> {
    if let Some(r) = &settings.region {
        return Ok(Region::new(r.clone()));
    }
    let mut profile = aws_config::profile::region::Builder::default().configure(provider_config);
    if let Some(p) = &settings.profile {
        profile = profile.profile_name(p);
    }
    let imds_region = aws_config::imds::region::ImdsRegionProvider::builder()
        .imds_client(imds.clone())
        .build();
    let chain = RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(profile.build())
        .or_else(imds_region);
    let found = tokio::time::timeout(REGION_LOOKUP_TIMEOUT, chain.region()).await;
    found.ok().flatten().ok_or_else(|| {
        Error::Aws(AwsError {
            operation: "configuration",
            kind: AwsErrorKind::Config,
            code: codes::NO_REGION.into(),
            message: "no AWS region is configured".into(),
            fix: "set AWS_REGION, or `region` in the profile".into(),
        })
    })
}

/// Ok for success, and for a resource that is already gone.
pub fn gone_ok<T>(r: Result<T>) -> Result<()> {
    match r {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(e),
    }
}

/// The answer of a read, or `None` for a resource that does not exist.
pub fn found<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Turns an SDK error into an [`AwsError`] naming the operation, the service's error code and
/// message (the SDK's own `Display` says only "service error"), or the cause chain of a
/// transport or credential failure.
pub fn classify<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(ctx) => {
            let status = ctx.raw().status().as_u16();
            let e = ctx.err();
            let code = e.code().map(str::to_owned);
            let message = e.message().unwrap_or("").to_owned();
            let kind = kind_for(operation, code.as_deref(), &message, status);
            AwsError {
                operation,
                kind,
                code: code.unwrap_or_else(|| format!("HTTP {status}")),
                message: if message.is_empty() && kind == AwsErrorKind::ServerError {
                    "the service failed without an error code".into()
                } else {
                    message
                },
                fix: fix_for(kind),
            }
        }
        SdkError::TimeoutError(_) => AwsError {
            operation,
            kind: AwsErrorKind::Network,
            code: "Timeout".into(),
            message: format!("no answer within {}s", ATTEMPT_TIMEOUT.as_secs()),
            fix: "check the endpoint and your network".into(),
        },
        SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_) => {
            transport_error(operation, &err)
        }
        SdkError::ResponseError(ctx) => {
            let status = ctx.raw().status().as_u16();
            let kind = kind_of(None, status);
            AwsError {
                operation,
                kind: if kind == AwsErrorKind::Client {
                    AwsErrorKind::Network
                } else {
                    kind
                },
                code: format!("HTTP {status}"),
                message: format!("unreadable response: {}", chain_text(&err)),
                fix: "check that the endpoint is the AWS API".into(),
            }
        }
        _ => AwsError {
            operation,
            kind: AwsErrorKind::Network,
            code: "Error".into(),
            message: chain_text(&err),
            fix: String::new(),
        },
    }
}

/// A request that never got an answer: missing credentials, or the network (an endpoint
/// that cannot be reached at all is told apart: nothing was sent).
fn transport_error(operation: &'static str, err: &(dyn StdError + 'static)) -> AwsError {
    if let Some(cred) = find_source::<CredentialsError>(err) {
        return AwsError {
            operation,
            kind: AwsErrorKind::Credentials,
            code: codes::NO_CREDENTIALS.into(),
            message: format!("no AWS credentials could be loaded ({})", root_cause(cred)),
            fix: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_PROFILE, or run `aws sso login`"
                .into(),
        };
    }
    let message = chain_text(err);
    let unreachable = [
        "Connection refused",
        "dns error",
        "failed to lookup address",
        "No route to host",
    ]
    .iter()
    .any(|needle| message.contains(needle));
    AwsError {
        operation,
        kind: if unreachable {
            AwsErrorKind::Unreachable
        } else {
            AwsErrorKind::Network
        },
        code: codes::NETWORK_ERROR.into(),
        message,
        fix: "check the endpoint (AWS_ENDPOINT_URL), the region and your network".into(),
    }
}

/// Classifies and wraps in one step, for `map_err`.
pub fn aws_err<E>(operation: &'static str) -> impl FnOnce(SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    move |e| Error::Aws(classify(operation, e))
}

/// The kind of an error `operation` answered: as [`kind_of`], but a ConflictException means
/// "it exists" only for a create; on an update or a delete it means another change to the
/// resource was under way, which is worth retrying.
pub(crate) fn kind_for(
    operation: &str,
    code: Option<&str>,
    message: &str,
    status: u16,
) -> AwsErrorKind {
    if settling(operation, code, message) {
        return AwsErrorKind::Settling;
    }
    match kind_of(code, status) {
        AwsErrorKind::Conflict if matches!(operation, "UpdateSchedule" | "DeleteSchedule") => {
            AwsErrorKind::ConcurrentChange
        }
        kind => kind,
    }
}

/// True for the refusals AWS gives while a change made moments ago settles (its eventual
/// consistency): waiting is the fix (see `docs/AWS-FIDELITY.md`).
fn settling(operation: &str, code: Option<&str>, message: &str) -> bool {
    match code {
        // A policy put on a new role moments ago, that Lambda's check of the mapping does not
        // see yet: "The provided execution role does not have permissions to call
        // ReceiveMessage on SQS". Elsewhere the same words are a real refusal.
        Some("InvalidParameterValueException")
            if matches!(
                operation,
                "CreateEventSourceMapping" | "UpdateEventSourceMapping"
            ) && message.contains("execution role does not have permissions") =>
        {
            true
        }
        Some("AWS.SimpleQueueService.QueueDeletedRecently" | "QueueDeletedRecently") => true,
        // A role made moments ago, that IAM has not propagated to Scheduler yet.
        Some("ValidationException") => {
            message.contains("must allow AWS EventBridge Scheduler to assume the role")
        }
        // A role made moments ago, that Lambda cannot assume yet.
        Some("InvalidParameterValueException") => message.contains("cannot be assumed by Lambda"),
        // A function still applying its last update (or still being created).
        Some("ResourceConflictException") => {
            message.contains("update is in progress") || message.contains("Pending")
        }
        // A dead-letter queue made moments ago, not yet usable as a redrive target.
        Some("InvalidParameterValue" | "InvalidAttributeValue") => {
            message.contains("Dead-letter target does not exist")
        }
        _ => false,
    }
}

/// The kind of an AWS error, from its code, else its HTTP status.
pub(crate) fn kind_of(code: Option<&str>, status: u16) -> AwsErrorKind {
    match code {
        Some("ResourceNotFoundException" | "ResourceNotFound" | "NotFoundException") => {
            AwsErrorKind::NotFound
        }
        Some("AWS.SimpleQueueService.NonExistentQueue" | "QueueDoesNotExist") => {
            AwsErrorKind::NotFound
        }
        // IAM's.
        Some("NoSuchEntity" | "NoSuchEntityException") => AwsErrorKind::NotFound,
        Some("ConflictException" | "ResourceAlreadyExistsException") => AwsErrorKind::Conflict,
        // EventBridge's LimitExceededException is a resource quota (rules per bus, targets per
        // rule), not a request rate; Scheduler's is ServiceQuotaExceededException.
        Some("LimitExceededException" | "ServiceQuotaExceededException") => AwsErrorKind::Quota,
        Some(
            "ThrottlingException"
            | "Throttling"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "RequestThrottled"
            | "SlowDown",
        ) => AwsErrorKind::Throttling,
        Some(
            "InternalFailure"
            | "InternalServerException"
            | "InternalException"
            | "ServiceUnavailable"
            | "ServiceUnavailableException",
        ) => AwsErrorKind::ServerError,
        _ if status == 429 => AwsErrorKind::Throttling,
        _ if status >= 500 => AwsErrorKind::ServerError,
        _ if status == 404 && code.is_none() => AwsErrorKind::NotFound,
        _ => AwsErrorKind::Client,
    }
}

fn fix_for(kind: AwsErrorKind) -> String {
    match kind {
        AwsErrorKind::Throttling => "retry later, or send fewer requests at once".into(),
        AwsErrorKind::ServerError => "retry; if it persists, check the service health".into(),
        AwsErrorKind::Quota => {
            "an account quota is used up: remove what is unused, or ask for more in Service Quotas"
                .into()
        }
        AwsErrorKind::ConcurrentChange => {
            "another change to the same schedule was under way; retry".into()
        }
        _ => String::new(),
    }
}

fn find_source<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(t) = e.downcast_ref::<T>() {
            return Some(t);
        }
        cur = e.source();
    }
    None
}

/// The innermost cause of an error.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut cur = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Joins an error and its causes: `dispatch failure: io error: Connection refused (os error 111)`.
pub fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = e.to_string();
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_poll_outlasts_its_wait() {
        let wait = Duration::from_secs(20);
        let t = long_poll_timeouts(wait);
        assert!(t.operation_attempt_timeout().unwrap() > wait + Duration::from_secs(5));
        assert!(
            ATTEMPT_TIMEOUT <= wait,
            "the default would cut a 20 s poll off"
        );
        assert_eq!(t.connect_timeout(), Some(CONNECT_TIMEOUT));
    }

    #[test]
    fn an_endpoint_override_means_not_aws() {
        let none = |_: &str| None;
        let aws = AwsSettings::default();
        assert!(aws.targets_aws(none));
        let flag = AwsSettings {
            endpoint_url: Some("http://127.0.0.1:5000".into()),
            ..AwsSettings::default()
        };
        assert!(!flag.targets_aws(none));
        let env_url = |k: &str| (k == "AWS_ENDPOINT_URL").then(|| "http://localhost:1".to_owned());
        assert!(!aws.targets_aws(env_url));
        let scheduler_only =
            |k: &str| (k == "AWS_ENDPOINT_URL_SCHEDULER").then(|| "http://localhost:1".to_owned());
        assert!(!aws.targets_aws(scheduler_only));
        let ignored = |k: &str| match k {
            "AWS_ENDPOINT_URL" => Some("http://localhost:1".to_owned()),
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" => Some("true".to_owned()),
            _ => None,
        };
        assert!(aws.targets_aws(ignored));
    }

    #[test]
    fn a_mapping_refused_for_a_new_roles_permissions_is_settling_there_only() {
        let message =
            "The provided execution role does not have permissions to call ReceiveMessage on SQS";
        for op in ["CreateEventSourceMapping", "UpdateEventSourceMapping"] {
            assert_eq!(
                kind_for(op, Some("InvalidParameterValueException"), message, 400),
                AwsErrorKind::Settling,
                "{op}"
            );
        }
        assert_eq!(
            kind_for(
                "CreateFunction",
                Some("InvalidParameterValueException"),
                message,
                400
            ),
            AwsErrorKind::Client
        );
        assert_eq!(
            kind_for(
                "CreateEventSourceMapping",
                Some("InvalidParameterValueException"),
                "Invalid batch size",
                400
            ),
            AwsErrorKind::Client
        );
    }

    #[test]
    fn codes_and_statuses_are_classified() {
        assert_eq!(
            kind_of(Some("ResourceNotFoundException"), 404),
            AwsErrorKind::NotFound
        );
        assert_eq!(
            kind_of(Some("ConflictException"), 409),
            AwsErrorKind::Conflict
        );
        assert_eq!(
            kind_of(Some("ThrottlingException"), 400),
            AwsErrorKind::Throttling
        );
        assert_eq!(kind_of(None, 429), AwsErrorKind::Throttling);
        // A quota is not a rate: slowing down does not help.
        assert_eq!(
            kind_of(Some("LimitExceededException"), 400),
            AwsErrorKind::Quota
        );
        // A conflict on update or delete is a concurrent change, worth retrying.
        for op in ["UpdateSchedule", "DeleteSchedule"] {
            let kind = kind_for(op, Some("ConflictException"), "", 409);
            assert_eq!(kind, AwsErrorKind::ConcurrentChange);
        }
        assert_eq!(
            kind_for("CreateSchedule", Some("ConflictException"), "", 409),
            AwsErrorKind::Conflict
        );
        assert_eq!(kind_of(None, 500), AwsErrorKind::ServerError);
        assert_eq!(
            kind_of(Some("InternalFailure"), 200),
            AwsErrorKind::ServerError
        );
        assert_eq!(
            kind_of(Some("ValidationException"), 400),
            AwsErrorKind::Client
        );
        assert_eq!(
            kind_of(Some("AccessDeniedException"), 403),
            AwsErrorKind::Client
        );
    }

    #[test]
    fn settings_are_checked_without_network() {
        let ok = AwsSettings {
            endpoint_url: Some("http://127.0.0.1:5000".into()),
            region: Some("eu-west-1".into()),
            ..Default::default()
        };
        assert!(ok.check().is_ok());
        for bad in [
            AwsSettings {
                endpoint_url: Some("127.0.0.1:5000".into()),
                ..Default::default()
            },
            AwsSettings {
                endpoint_url: Some("http://".into()),
                ..Default::default()
            },
            AwsSettings {
                region: Some("EU West".into()),
                ..Default::default()
            },
            AwsSettings {
                profile: Some(" ".into()),
                ..Default::default()
            },
        ] {
            assert!(bad.check().unwrap_err().is_invalid(), "{bad:?}");
        }
    }
}
