//! EventBridge calls: resolving a bus name to its ARN, and PutEvents with per-entry results.

use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;

use super::aws_err;
use cartctl_core::bus::BusRef;
use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};
use cartctl_core::shapes::PutEventsEntry;

/// The ARN of a bus: as given, or looked up with DescribeEventBus (read-only).
pub async fn resolve_bus_arn(client: &Client, bus: &BusRef) -> Result<String> {
    match bus {
        BusRef::Arn(arn) => Ok(arn.clone()),
        BusRef::Name(name) => match client.describe_event_bus().name(name).send().await {
            Ok(out) => out.arn().map(str::to_owned).ok_or_else(|| Error::NotFound {
                what: format!("event bus `{name}` has no ARN in the DescribeEventBus answer"),
                fix: "give the bus by its ARN".into(),
            }),
            Err(e) => match aws_err("DescribeEventBus")(e) {
                e if e.is_not_found() => Err(Error::NotFound {
                    what: format!("event bus `{name}` does not exist"),
                    fix: format!(
                        "create it with `aws events create-event-bus --name {name}`, or use the default bus"
                    ),
                }),
                other => Err(other),
            },
        },
    }
}

/// What PutEvents said of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryResult {
    /// Accepted, with its event id.
    Sent(String),
    /// Refused, with the entry's error code (`ThrottlingException`, `InternalFailure`,
    /// `MalformedDetail`, …) and message, classified like any AWS error.
    Failed(AwsError),
}

fn sdk_entry(e: &PutEventsEntry) -> PutEventsRequestEntry {
    PutEventsRequestEntry::builder()
        .source(&e.source)
        .detail_type(&e.detail_type)
        .detail(&e.detail)
        .event_bus_name(&e.event_bus_name)
        .set_resources((!e.resources.is_empty()).then(|| e.resources.clone()))
        .build()
}

/// One PutEvents call (one attempt: the callers retry, knowing which entries were accepted);
/// returns one result per entry, in order.
///
/// A 200 answer can still refuse entries: those come back as [`EntryResult::Failed`].
pub async fn put_events(client: &Client, entries: &[&PutEventsEntry]) -> Result<Vec<EntryResult>> {
    let out = client
        .put_events()
        .set_entries(Some(entries.iter().map(|e| sdk_entry(e)).collect()))
        .customize()
        .config_override(
            aws_sdk_eventbridge::config::Builder::default()
                .retry_config(super::write_retry_config()),
        )
        .send()
        .await
        .map_err(aws_err("PutEvents"))?;
    let results: Vec<EntryResult> = out
        .entries()
        .iter()
        .map(|r| match (r.event_id(), r.error_code()) {
            (Some(id), None) if !id.is_empty() => EntryResult::Sent(id.to_owned()),
            (_, code) => {
                let code = code.unwrap_or("UnknownError");
                EntryResult::Failed(AwsError {
                    operation: "PutEvents",
                    // A refused entry comes in a 200 answer: only its code tells the kind.
                    kind: super::kind_of(Some(code), 200),
                    code: code.to_owned(),
                    message: r.error_message().unwrap_or("").to_owned(),
                    fix: String::new(),
                })
            }
        })
        .collect();
    if results.len() != entries.len() {
        return Err(Error::Aws(AwsError {
            operation: "PutEvents",
            kind: AwsErrorKind::ServerError,
            code: "UnexpectedResponse".into(),
            message: format!("{} results for {} entries", results.len(), entries.len()),
            fix: "retry".into(),
        }));
    }
    Ok(results)
}

/// DescribeEventBus; `None` if there is no such bus.
pub async fn bus_exists(client: &Client, name: &str) -> Result<Option<String>> {
    let out = client.describe_event_bus().name(name).send().await;
    let out = super::found(out.map_err(aws_err("DescribeEventBus")))?;
    Ok(out.map(|o| o.arn().unwrap_or_default().to_owned()))
}

/// CreateEventBus with tags; returns its ARN.
pub async fn create_bus(client: &Client, name: &str, tags: &[(&str, &str)]) -> Result<String> {
    let mut req = client.create_event_bus().name(name);
    for (k, v) in tags {
        let tag = aws_sdk_eventbridge::types::Tag::builder()
            .key(*k)
            .value(*v)
            .build();
        req = req.tags(tag.expect("key and value are set"));
    }
    let out = req.send().await.map_err(aws_err("CreateEventBus"))?;
    Ok(out.event_bus_arn().unwrap_or_default().to_owned())
}

/// DeleteEventBus.
pub async fn delete_bus(client: &Client, name: &str) -> Result<()> {
    client
        .delete_event_bus()
        .name(name)
        .send()
        .await
        .map_err(aws_err("DeleteEventBus"))?;
    Ok(())
}

/// TestEventPattern: EventBridge's own answer to "does `pattern` match `event`?"; `None` when
/// the answer holds no `Result` (an emulator that does not evaluate patterns answers an empty
/// body, which the SDK would read as "no match").
pub async fn test_pattern(client: &Client, pattern: &str, event: &str) -> Result<Option<bool>> {
    let answered = HasResult::default();
    let out = client
        .test_event_pattern()
        .event_pattern(pattern)
        .event(event)
        .customize()
        .interceptor(answered.clone())
        .send()
        .await
        .map_err(aws_err("TestEventPattern"))?;
    Ok(answered.said().then(|| out.result()))
}

/// Reads whether an answer's body names `Result` (the SDK defaults a missing boolean to false).
#[derive(Debug, Clone, Default)]
struct HasResult(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl HasResult {
    fn said(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl aws_smithy_runtime_api::client::interceptors::Intercept for HasResult {
    fn name(&self) -> &'static str {
        "HasResult"
    }

    fn read_after_deserialization(
        &self,
        context: &aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef<'_>,
        _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> std::result::Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let body = context.response().body().bytes().unwrap_or_default();
        let said = serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|v| v.get("Result").is_some_and(serde_json::Value::is_boolean));
        self.0.store(said, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}
