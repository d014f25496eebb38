//! Lambda calls for the consumer and mailer functions (setup, doctor, teardown): a function's
//! code and configuration, and the SQS event source mapping that feeds it. The client is made
//! from the session's configuration where setup or doctor needs it.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_lambda::Client;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{
    Architecture, Environment, FunctionCode, FunctionResponseType, LastUpdateStatus, LogFormat,
    LoggingConfig, Runtime, ScalingConfig, State,
};

use super::aws_err;
use cartctl_core::error::Result;

/// The runtime of cartctl's functions: their `bootstrap` on Amazon Linux 2023.
pub const RUNTIME: &str = "provided.al2023";
/// Their handler (the runtime runs `bootstrap`; the name is informational).
pub const HANDLER: &str = "bootstrap";

/// A function's configuration, as setup compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionConfig {
    /// The execution role.
    pub role: String,
    /// `provided.al2023`.
    pub runtime: String,
    /// `bootstrap`.
    pub handler: String,
    /// Seconds.
    pub timeout: i32,
    /// MB.
    pub memory: i32,
    /// `arm64` or `x86_64`.
    pub arch: String,
    /// Its environment variables.
    pub env: BTreeMap<String, String>,
    /// `JSON` or `Text`.
    pub log_format: String,
    /// The log group it writes to.
    pub log_group: String,
}

/// A function that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Its ARN.
    pub arn: String,
    /// Base64 of the SHA-256 of its zip.
    pub code_sha256: String,
    /// Its configuration.
    pub config: FunctionConfig,
    /// `Active`, `Pending`, `Failed`, `Inactive`.
    pub state: String,
    /// Whether an update is still being applied.
    pub updating: bool,
}

/// The function `name`, if it exists.
pub async fn function(client: &Client, name: &str) -> Result<Option<Function>> {
    let out = client
        .get_function()
        .function_name(name)
        .send()
        .await
        .map_err(aws_err("GetFunction"));
    let Some(out) = super::found(out)? else {
        return Ok(None);
    };
    let Some(c) = out.configuration() else {
        return Ok(None);
    };
    Ok(Some(Function {
        arn: c.function_arn().unwrap_or_default().to_owned(),
        code_sha256: c.code_sha256().unwrap_or_default().to_owned(),
        config: FunctionConfig {
            role: c.role().unwrap_or_default().to_owned(),
            runtime: c.runtime().map_or("", |r| r.as_str()).to_owned(),
            handler: c.handler().unwrap_or_default().to_owned(),
            timeout: c.timeout().unwrap_or_default(),
            memory: c.memory_size().unwrap_or_default(),
            arch: c
                .architectures()
                .first()
                .map_or("x86_64", |a| a.as_str())
                .to_owned(),
            env: c
                .environment()
                .and_then(|e| e.variables())
                .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            log_format: c
                .logging_config()
                .and_then(|l| l.log_format())
                .map_or("Text", LogFormat::as_str)
                .to_owned(),
            log_group: c
                .logging_config()
                .and_then(|l| l.log_group())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("/aws/lambda/{}", c.function_name().unwrap_or(name))),
        },
        state: c.state().map_or("Active", State::as_str).to_owned(),
        updating: c.last_update_status() == Some(&LastUpdateStatus::InProgress),
    }))
}

/// A function's tags (ListTags). GetFunction answers them only to callers allowed
/// `lambda:ListTags`, and then silently leaves them out: asked here, a refusal is an error.
pub async fn tags(client: &Client, arn: &str) -> Result<HashMap<String, String>> {
    let out = client
        .list_tags()
        .resource(arn)
        .send()
        .await
        .map_err(aws_err("ListTags"))?;
    Ok(out.tags().cloned().unwrap_or_default())
}

fn logging(config: &FunctionConfig) -> LoggingConfig {
    LoggingConfig::builder()
        .log_format(LogFormat::from(config.log_format.as_str()))
        .log_group(&config.log_group)
        .build()
}

fn environment(env: &BTreeMap<String, String>) -> Environment {
    Environment::builder()
        .set_variables(Some(env.clone().into_iter().collect()))
        .build()
}

/// Creates a function from its zip; its ARN.
pub async fn create_function(
    client: &Client,
    name: &str,
    config: &FunctionConfig,
    zip: &[u8],
    tags: &[(&str, &str)],
) -> Result<String> {
    let out = client
        .create_function()
        .function_name(name)
        .runtime(Runtime::from(config.runtime.as_str()))
        .handler(&config.handler)
        .role(&config.role)
        .timeout(config.timeout)
        .memory_size(config.memory)
        .architectures(Architecture::from(config.arch.as_str()))
        .environment(environment(&config.env))
        .logging_config(logging(config))
        .code(FunctionCode::builder().zip_file(Blob::new(zip)).build())
        .set_tags(Some(super::tag_map(tags)))
        .send()
        .await
        .map_err(aws_err("CreateFunction"))?;
    Ok(out.function_arn().unwrap_or_default().to_owned())
}

/// Uploads new code (and architecture).
pub async fn update_code(client: &Client, name: &str, arch: &str, zip: &[u8]) -> Result<()> {
    client
        .update_function_code()
        .function_name(name)
        .architectures(Architecture::from(arch))
        .zip_file(Blob::new(zip))
        .send()
        .await
        .map_err(aws_err("UpdateFunctionCode"))?;
    Ok(())
}

/// Sets the configuration.
pub async fn update_config(client: &Client, name: &str, config: &FunctionConfig) -> Result<()> {
    client
        .update_function_configuration()
        .function_name(name)
        .runtime(Runtime::from(config.runtime.as_str()))
        .handler(&config.handler)
        .role(&config.role)
        .timeout(config.timeout)
        .memory_size(config.memory)
        .environment(environment(&config.env))
        .logging_config(logging(config))
        .send()
        .await
        .map_err(aws_err("UpdateFunctionConfiguration"))?;
    Ok(())
}

/// Deletes a function.
pub async fn delete_function(client: &Client, name: &str) -> Result<()> {
    client
        .delete_function()
        .function_name(name)
        .send()
        .await
        .map_err(aws_err("DeleteFunction"))?;
    Ok(())
}

/// An event source mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// Its id.
    pub uuid: String,
    /// The queue's ARN.
    pub source: String,
    /// The function's ARN.
    pub function: String,
    /// Records at once.
    pub batch_size: i32,
    /// Seconds it may gather records.
    pub window: i32,
    /// Whether the function answers which records failed.
    pub reports_failures: bool,
    /// `Enabled`, `Creating`, `Disabled`, …
    pub state: String,
    /// At most this many batches at once (`ScalingConfig.MaximumConcurrency`), if bounded.
    pub max_concurrency: Option<i32>,
}

/// The mappings of a function (`function`) or of a queue (`source`).
pub async fn mappings(
    client: &Client,
    function: Option<&str>,
    source: Option<&str>,
) -> Result<Vec<Mapping>> {
    let mut all = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = client
            .list_event_source_mappings()
            .set_function_name(function.map(str::to_owned))
            .set_event_source_arn(source.map(str::to_owned))
            .set_marker(marker.clone())
            .send()
            .await
            .map_err(aws_err("ListEventSourceMappings"))?;
        all.extend(out.event_source_mappings().iter().map(|m| {
            Mapping {
                uuid: m.uuid().unwrap_or_default().to_owned(),
                source: m.event_source_arn().unwrap_or_default().to_owned(),
                function: m.function_arn().unwrap_or_default().to_owned(),
                batch_size: m.batch_size().unwrap_or_default(),
                window: m.maximum_batching_window_in_seconds().unwrap_or_default(),
                reports_failures: m
                    .function_response_types()
                    .contains(&FunctionResponseType::ReportBatchItemFailures),
                state: m.state().unwrap_or_default().to_owned(),
                max_concurrency: m.scaling_config().and_then(|s| s.maximum_concurrency()),
            }
        }));
        marker = out.next_marker().map(str::to_owned);
        if marker.is_none() {
            return Ok(all);
        }
    }
}

/// What a mapping should be.
#[derive(Debug, Clone, Copy)]
pub struct MappingSpec<'a> {
    /// The queue's ARN.
    pub source: &'a str,
    /// The function's name.
    pub function: &'a str,
    /// Records at once.
    pub batch_size: i32,
    /// Seconds it may gather records.
    pub window: i32,
    /// At most this many batches at once, if bounded.
    pub max_concurrency: Option<i32>,
}

/// The scaling of a mapping: bounded, or (an empty configuration) not.
fn scaling(m: &MappingSpec<'_>) -> ScalingConfig {
    ScalingConfig::builder()
        .set_maximum_concurrency(m.max_concurrency)
        .build()
}

/// Creates an enabled mapping that reports batch item failures.
pub async fn create_mapping(client: &Client, m: &MappingSpec<'_>) -> Result<String> {
    let out = client
        .create_event_source_mapping()
        .event_source_arn(m.source)
        .function_name(m.function)
        .batch_size(m.batch_size)
        .maximum_batching_window_in_seconds(m.window)
        .function_response_types(FunctionResponseType::ReportBatchItemFailures)
        .set_scaling_config(m.max_concurrency.map(|_| scaling(m)))
        .enabled(true)
        .send()
        .await
        .map_err(aws_err("CreateEventSourceMapping"))?;
    Ok(out.uuid().unwrap_or_default().to_owned())
}

/// Brings a mapping in line: enabled, reporting failures, the batch size and window.
pub async fn update_mapping(client: &Client, uuid: &str, m: &MappingSpec<'_>) -> Result<()> {
    client
        .update_event_source_mapping()
        .uuid(uuid)
        .function_name(m.function)
        .batch_size(m.batch_size)
        .maximum_batching_window_in_seconds(m.window)
        .function_response_types(FunctionResponseType::ReportBatchItemFailures)
        .scaling_config(scaling(m))
        .enabled(true)
        .send()
        .await
        .map_err(aws_err("UpdateEventSourceMapping"))?;
    Ok(())
}

/// Deletes a mapping.
pub async fn delete_mapping(client: &Client, uuid: &str) -> Result<()> {
    client
        .delete_event_source_mapping()
        .uuid(uuid)
        .send()
        .await
        .map_err(aws_err("DeleteEventSourceMapping"))?;
    Ok(())
}
