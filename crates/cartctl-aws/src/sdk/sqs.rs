//! SQS calls of a tail: its queue (created encrypted, short-lived and tagged), long polls,
//! deletes, and the listing `tail --gc` walks (the SDK's paginator).

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, QueueAttributeName};
use serde_json::{Value, json};

use super::aws_err;
use cartctl_core::error::Result;

/// The longest long poll SQS allows.
pub const MAX_WAIT: Duration = Duration::from_secs(20);

/// A queue to create.
#[derive(Debug, Clone)]
pub struct NewQueue<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its access policy.
    pub policy: &'a str,
    /// How long it keeps a message nobody read.
    pub retention_secs: u32,
    /// Tags.
    pub tags: &'a [(&'a str, &'a str)],
}

/// Creates an SSE-encrypted queue; returns its URL.
pub async fn create_queue(client: &Client, q: &NewQueue<'_>) -> Result<String> {
    let mut req = client
        .create_queue()
        .queue_name(q.name)
        .attributes(QueueAttributeName::SqsManagedSseEnabled, "true")
        .attributes(
            QueueAttributeName::MessageRetentionPeriod,
            q.retention_secs.to_string(),
        )
        .attributes(QueueAttributeName::Policy, q.policy);
    for (k, v) in q.tags {
        req = req.tags(*k, *v);
    }
    let out = req.send().await.map_err(aws_err("CreateQueue"))?;
    Ok(out.queue_url().unwrap_or_default().to_owned())
}

/// The queue's ARN, as SQS reports it.
pub async fn queue_arn(client: &Client, url: &str) -> Result<Option<String>> {
    let attrs = client
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(aws_err("GetQueueAttributes"))?;
    Ok(attrs
        .attributes()
        .and_then(|a| a.get(&QueueAttributeName::QueueArn))
        .cloned())
}

/// Replaces the queue's access policy.
pub async fn set_policy(client: &Client, url: &str, policy: &str) -> Result<()> {
    client
        .set_queue_attributes()
        .queue_url(url)
        .attributes(QueueAttributeName::Policy, policy)
        .send()
        .await
        .map_err(aws_err("SetQueueAttributes"))?;
    Ok(())
}

/// Deletes a queue.
pub async fn delete_queue(client: &Client, url: &str) -> Result<()> {
    client
        .delete_queue()
        .queue_url(url)
        .send()
        .await
        .map_err(aws_err("DeleteQueue"))?;
    Ok(())
}

/// Received messages: (body as JSON, or `{"body": …}` when it is not JSON; receipt handle).
pub type Received = Vec<(Value, String)>;

/// Long-polls the queue for up to `wait` (at most 20 s). The attempt may take the whole wait
/// plus a round trip: it is never cut off and sent again while the service still holds it.
pub async fn receive(client: &Client, url: &str, wait: Duration) -> Result<Received> {
    let messages = receive_some(client, url, wait, None, 10).await?;
    Ok(messages
        .into_iter()
        .map(|m| {
            let envelope =
                serde_json::from_str(&m.body).unwrap_or_else(|_| json!({ "body": m.body }));
            (envelope, m.receipt)
        })
        .collect())
}

/// Deletes received messages (up to 10) by receipt handle; returns how many SQS refused to
/// delete (a batch answers 200 with per-entry failures).
pub async fn delete_received(client: &Client, url: &str, receipts: &[String]) -> Result<usize> {
    if receipts.is_empty() {
        return Ok(0);
    }
    let entries = receipts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            DeleteMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .receipt_handle(r)
                .build()
                .expect("id and receipt are set")
        })
        .collect();
    let out = client
        .delete_message_batch()
        .queue_url(url)
        .set_entries(Some(entries))
        .send()
        .await
        .map_err(aws_err("DeleteMessageBatch"))?;
    Ok(out.failed().len())
}

/// Every queue URL with the name prefix, page after page (MaxResults is set: without it SQS
/// returns at most 1,000 queues and no NextToken).
pub async fn queues_named(client: &Client, prefix: &str) -> Result<Vec<String>> {
    let pages: Vec<_> = client
        .list_queues()
        .queue_name_prefix(prefix)
        .max_results(1000)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(aws_err("ListQueues"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.queue_urls().iter().cloned())
        .collect())
}

/// A queue's tags.
pub async fn queue_tags(client: &Client, url: &str) -> Result<HashMap<String, String>> {
    let out = client
        .list_queue_tags()
        .queue_url(url)
        .send()
        .await
        .map_err(aws_err("ListQueueTags"))?;
    Ok(out.tags().cloned().unwrap_or_default())
}

/// GetQueueUrl; `None` if there is no such queue.
pub async fn queue_url(client: &Client, name: &str) -> Result<Option<String>> {
    let out = client.get_queue_url().queue_name(name).send().await;
    let out = super::found(out.map_err(aws_err("GetQueueUrl")))?;
    Ok(out.and_then(|o| o.queue_url().map(str::to_owned)))
}

/// The URL of `queue` (a URL, or a name looked up with GetQueueUrl); `None` if there is no
/// queue of that name.
pub async fn resolve_url(client: &Client, queue: &str) -> Result<Option<String>> {
    if queue.starts_with("https://") || queue.starts_with("http://") {
        return Ok(Some(queue.to_owned()));
    }
    queue_url(client, queue).await
}

/// Every attribute of a queue.
pub async fn attributes(client: &Client, url: &str) -> Result<HashMap<String, String>> {
    let out = client
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .map_err(aws_err("GetQueueAttributes"))?;
    Ok(out
        .attributes()
        .map(|a| {
            a.iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
                .collect()
        })
        .unwrap_or_default())
}

/// Creates a queue with `attributes` and tags; returns its URL.
pub async fn create_with(
    client: &Client,
    name: &str,
    attributes: &[(&str, String)],
    tags: &[(&str, &str)],
) -> Result<String> {
    let mut req = client.create_queue().queue_name(name);
    for (k, v) in attributes {
        req = req.attributes(QueueAttributeName::from(*k), v);
    }
    for (k, v) in tags {
        req = req.tags(*k, *v);
    }
    let out = req.send().await.map_err(aws_err("CreateQueue"))?;
    Ok(out.queue_url().unwrap_or_default().to_owned())
}

/// SetQueueAttributes.
pub async fn set_attributes(
    client: &Client,
    url: &str,
    attributes: &[(&str, String)],
) -> Result<()> {
    let mut req = client.set_queue_attributes().queue_url(url);
    for (k, v) in attributes {
        req = req.attributes(QueueAttributeName::from(*k), v);
    }
    req.send().await.map_err(aws_err("SetQueueAttributes"))?;
    Ok(())
}

/// The URL of the queue an ARN names (GetQueueUrl with the owner's account).
pub async fn url_of_arn(client: &Client, arn: &str) -> Result<String> {
    let parts = cartctl_core::arn::parse_arn(arn);
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let out = client
        .get_queue_url()
        .queue_name(name)
        .set_queue_owner_aws_account_id(parts.map(|p| p.account.to_owned()))
        .send()
        .await
        .map_err(aws_err("GetQueueUrl"))?;
    Ok(out.queue_url().unwrap_or_default().to_owned())
}

/// Sends a dead-letter event: its body, and its attributes as String message attributes.
pub async fn send_dead_letter(
    client: &Client,
    url: &str,
    message: &cartctl_core::deadletter::DeadLetterMessage,
) -> Result<()> {
    let mut req = client
        .send_message()
        .queue_url(url)
        .message_body(&message.body);
    for (name, value) in &message.attributes {
        let attr = aws_sdk_sqs::types::MessageAttributeValue::builder()
            .data_type("String")
            .string_value(value)
            .build()
            .expect("data type is set");
        req = req.message_attributes(*name, attr);
    }
    req.send().await.map_err(aws_err("SendMessage"))?;
    Ok(())
}

/// Receives up to 10 messages with their message attributes and receive counts, hidden from
/// other readers for `visibility` seconds; waits up to `wait` for one.
pub async fn receive_full(
    client: &Client,
    url: &str,
    wait: Duration,
    visibility: i32,
) -> Result<Vec<cartctl_core::deadletter::ReceivedMessage>> {
    receive_some(client, url, wait, Some(visibility), 10).await
}

/// Receives up to `max` (1–10) messages with their attributes and receive counts, hidden for
/// `visibility` seconds (the queue's own timeout when `None`); waits up to `wait` for one.
pub async fn receive_some(
    client: &Client,
    url: &str,
    wait: Duration,
    visibility: Option<i32>,
    max: i32,
) -> Result<Vec<cartctl_core::deadletter::ReceivedMessage>> {
    let wait = wait.min(MAX_WAIT);
    let out = client
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(max.clamp(1, 10))
        .wait_time_seconds(wait.as_secs() as i32)
        .set_visibility_timeout(visibility)
        .message_attribute_names("All")
        .message_system_attribute_names(
            aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
        )
        .customize()
        // One SDK attempt: a receive whose answer was lost hid its messages for the visibility
        // timeout, and the caller's retrier must see it (a worker does not call such a queue
        // idle), which the SDK's own retries would hide.
        .config_override(
            aws_sdk_sqs::config::Builder::default()
                .timeout_config(super::long_poll_timeouts(wait))
                .retry_config(super::write_retry_config()),
        )
        .send()
        .await
        .map_err(aws_err("ReceiveMessage"))?;
    Ok(out
        .messages()
        .iter()
        .map(|m| cartctl_core::deadletter::ReceivedMessage {
            message_id: m.message_id().unwrap_or_default().to_owned(),
            receipt: m.receipt_handle().unwrap_or_default().to_owned(),
            body: m.body().unwrap_or_default().to_owned(),
            attributes: m
                .message_attributes()
                .map(|a| {
                    a.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.string_value()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default(),
            receive_count: m
                .attributes()
                .and_then(|a| {
                    a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
                })
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        })
        .collect())
}

/// Makes received messages (up to 10) visible again at once.
pub async fn release(client: &Client, url: &str, receipts: &[String]) -> Result<()> {
    let now: Vec<(String, i32)> = receipts.iter().map(|r| (r.clone(), 0)).collect();
    retry_later(client, url, &now).await
}

/// Makes each received message (up to 10) visible again after its number of seconds.
pub async fn retry_later(client: &Client, url: &str, receipts: &[(String, i32)]) -> Result<()> {
    if receipts.is_empty() {
        return Ok(());
    }
    let entries = receipts
        .iter()
        .enumerate()
        .map(|(i, (r, secs))| {
            aws_sdk_sqs::types::ChangeMessageVisibilityBatchRequestEntry::builder()
                .id(i.to_string())
                .receipt_handle(r)
                .visibility_timeout(*secs)
                .build()
                .expect("id and receipt are set")
        })
        .collect();
    client
        .change_message_visibility_batch()
        .queue_url(url)
        .set_entries(Some(entries))
        .send()
        .await
        .map_err(aws_err("ChangeMessageVisibilityBatch"))?;
    Ok(())
}

/// How many messages the queue holds, visible or in flight (approximate on AWS).
pub async fn depth(client: &Client, url: &str) -> Result<u64> {
    let out = client
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .map_err(aws_err("GetQueueAttributes"))?;
    let attrs = out.attributes();
    let n = |k: QueueAttributeName| {
        attrs
            .and_then(|a| a.get(&k))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(n(QueueAttributeName::ApproximateNumberOfMessages)
        + n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible))
}

/// PurgeQueue.
pub async fn purge(client: &Client, url: &str) -> Result<()> {
    client
        .purge_queue()
        .queue_url(url)
        .send()
        .await
        .map_err(aws_err("PurgeQueue"))?;
    Ok(())
}
