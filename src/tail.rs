//! `tail`: EventBridge has no read API, so a tail creates, for its own lifetime, an SQS queue and
//! a rule on the bus that targets it, then long-polls the queue.
//!
//! The queue is encrypted (SQS-managed keys), keeps messages for an hour only, and its policy lets
//! only `events.amazonaws.com` send, and only for this tail's rule (`aws:SourceArn`). Both are
//! tagged with their creation time, so `tail --gc` can remove what a killed tail left behind.
//! [`TailResources`] records each resource as it is created, so cleanup removes exactly what
//! exists, however the tail ends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_eventbridge::types::{RuleState, Tag, Target};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, QueueAttributeName};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::aws::{Clients, aws_err, events as ev};
use crate::error::{AwsErrorKind, Error, Result};
use crate::limits::{BusRef, parse_arn};
use crate::shapes::PutEventsEntry;

/// Prefix of every queue and rule a tail creates.
pub const RESOURCE_PREFIX: &str = "cartctl-tail-";
/// Tag holding a resource's creation time (RFC 3339).
pub const CREATED_AT_TAG: &str = "cartctl:created-at";
/// Source of the canary event `--wait-ready` publishes.
pub const CANARY_SOURCE: &str = "cartctl.tail";
const CANARY_DETAIL_TYPE: &str = "cartctl tail canary";
const TARGET_ID: &str = "cartctl-tail";
/// How long the queue keeps a message nobody read (the shortest SQS allows is 60 s).
const RETENTION_SECS: u32 = 3600;
/// Longest long poll SQS allows.
const MAX_WAIT: Duration = Duration::from_secs(20);

/// What to show: the flags of `tail`, before they become an event pattern.
#[derive(Debug, Clone, Default)]
pub struct TailFilter {
    /// `--source`
    pub source: Option<String>,
    /// `--detail-type`
    pub detail_type: Option<String>,
    /// `--user`
    pub user: Option<String>,
    /// `--product`
    pub product: Option<String>,
    /// `--scheduled-only`: detail.scheduled_event = "true"
    pub scheduled_only: bool,
    /// `--pattern`: an EventBridge pattern, merged with the flags
    pub pattern: Option<String>,
}

/// A random id for a tail's resources: 10 hex digits.
pub fn new_tail_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    format!("{:010x}", h.finish() & 0xff_ffff_ffff)
}

fn insert_leaf(
    pattern: &mut Map<String, Value>,
    path: &[&str],
    values: Value,
    flag: &str,
) -> Result<()> {
    let (last, parents) = path.split_last().expect("a path has a leaf");
    let mut node = pattern;
    for p in parents {
        let entry = node.entry(p.to_string()).or_insert_with(|| json!({}));
        node = entry.as_object_mut().ok_or_else(|| {
            Error::invalid(
                "--pattern",
                format!("`{p}` must be an object to combine it with {flag}"),
                format!("drop {flag}, or write the condition into --pattern"),
            )
        })?;
    }
    if node.contains_key(*last) {
        return Err(Error::invalid(
            "--pattern",
            format!("sets `{}`, which {flag} sets too", path.join(".")),
            format!("use either {flag} or that key of --pattern"),
        ));
    }
    node.insert(last.to_string(), values);
    Ok(())
}

impl TailFilter {
    /// The EventBridge pattern of the rule. Without any filter it matches every event.
    pub fn pattern(&self) -> Result<Map<String, Value>> {
        let mut p = match &self.pattern {
            None => Map::new(),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(m)) if !m.is_empty() => m,
                Ok(_) => {
                    return Err(Error::invalid(
                        "--pattern",
                        "must be a non-empty JSON object",
                        r#"give a pattern such as '{"detail": {"quantity": [{"numeric": [">", 1]}]}}'"#,
                    ));
                }
                Err(e) => {
                    return Err(Error::invalid(
                        "--pattern",
                        format!("is not JSON ({e})"),
                        r#"give a pattern such as '{"source": ["putToCartService"]}'"#,
                    ));
                }
            },
        };
        check_pattern(&p, "")?;
        let leaves: [(Option<&String>, &[&str], &str); 4] = [
            (self.source.as_ref(), &["source"], "--source"),
            (self.detail_type.as_ref(), &["detail-type"], "--detail-type"),
            (self.user.as_ref(), &["detail", "user"], "--user"),
            (self.product.as_ref(), &["detail", "product"], "--product"),
        ];
        for (value, path, flag) in leaves {
            if let Some(v) = value {
                if v.is_empty() {
                    return Err(Error::invalid(
                        flag,
                        "is empty",
                        format!("give a value to {flag}, or leave it out"),
                    ));
                }
                insert_leaf(&mut p, path, json!([v]), flag)?;
            }
        }
        if self.scheduled_only {
            insert_leaf(
                &mut p,
                &["detail", "scheduled_event"],
                json!(["true"]),
                "--scheduled-only",
            )?;
        }
        if p.is_empty() {
            // EventBridge needs a condition: every event has a source.
            p.insert("source".into(), json!([{ "prefix": "" }]));
        }
        Ok(p)
    }
}

/// Checks the shape EventBridge requires of a pattern: every value is an object (a nested field)
/// or a non-empty array (the matching values); `$or` holds an array of at least two patterns.
fn check_pattern(p: &Map<String, Value>, path: &str) -> Result<()> {
    for (key, value) in p {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let bad = |what: &str| {
            Error::invalid(
                "--pattern",
                format!("`{here}` {what}"),
                r#"each field takes an array of values, e.g. {"source": ["shop"]}, or an object of fields"#,
            )
        };
        match value {
            Value::Array(items) if key == "$or" => {
                if items.len() < 2 {
                    return Err(bad("must hold at least two patterns"));
                }
                for item in items {
                    match item {
                        Value::Object(inner) => check_pattern(inner, path)?,
                        _ => return Err(bad("must hold patterns (objects)")),
                    }
                }
            }
            Value::Object(inner) if key != "$or" => check_pattern(inner, &here)?,
            Value::Array(items) if items.is_empty() => return Err(bad("is an empty array")),
            Value::Array(_) => {}
            _ => return Err(bad("must be an array or an object")),
        }
    }
    Ok(())
}

/// The rule's pattern: the filter's, or (with `--wait-ready`) the filter's or this tail's canary.
pub fn rule_pattern(filter: &Map<String, Value>, canary_id: Option<&str>) -> String {
    match canary_id {
        None => Value::Object(filter.clone()).to_string(),
        Some(id) => json!({
            "$or": [
                filter,
                {"source": [CANARY_SOURCE], "detail": {"tail_id": [id]}}
            ]
        })
        .to_string(),
    }
}

/// The canary event `--wait-ready` publishes: only this tail's rule matches its id.
pub fn canary_entry(bus: &str, id: &str) -> PutEventsEntry {
    PutEventsEntry {
        source: CANARY_SOURCE.into(),
        detail_type: CANARY_DETAIL_TYPE.into(),
        detail: json!({ "tail_id": id }).to_string(),
        event_bus_name: bus.into(),
        resources: vec![],
    }
}

/// True if the envelope is this tail's canary.
pub fn is_canary(envelope: &Value, id: &str) -> bool {
    envelope["source"] == CANARY_SOURCE && envelope["detail"]["tail_id"] == id
}

/// The queue policy: only EventBridge may send, and only for this rule.
pub fn queue_policy(queue_arn: &str, rule_arn: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "cartctl-tail-rule-only",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}
        }]
    })
    .to_string()
}

/// What a tail has created so far; cleanup removes exactly these.
#[derive(Debug, Clone, Default)]
pub struct TailResources {
    /// The tail's id.
    pub id: String,
    /// The bus, as EventBridge calls take it (name or ARN).
    pub bus: String,
    /// The queue's URL, once created.
    pub queue_url: Option<String>,
    /// The queue's ARN, once known.
    pub queue_arn: Option<String>,
    /// The rule's name, once created.
    pub rule: Option<String>,
    /// The rule's ARN, once created.
    pub rule_arn: Option<String>,
    /// True once the target is set.
    pub target: bool,
}

impl TailResources {
    /// The shared name of the queue and the rule.
    pub fn name(&self) -> String {
        format!("{RESOURCE_PREFIX}{}", self.id)
    }
}

/// The rule ARN EventBridge gives a rule named `rule` on the bus `bus_arn`.
pub fn rule_arn_for(bus_arn: &str, rule: &str) -> Option<String> {
    let a = parse_arn(bus_arn)?;
    let bus = a.resource.strip_prefix("event-bus/")?;
    let path = if bus == "default" {
        rule.to_owned()
    } else {
        format!("{bus}/{rule}")
    };
    Some(format!(
        "arn:{}:events:{}:{}:rule/{path}",
        a.partition, a.region, a.account
    ))
}

/// Creates the queue, the rule and the target, recording each in `state` as it is created.
pub async fn setup(
    clients: &Clients,
    bus: &BusRef,
    pattern: &str,
    state: &Arc<Mutex<TailResources>>,
) -> Result<()> {
    let bus_arn = ev::resolve_bus_arn(&clients.events, bus).await?;
    let (name, bus_name) = {
        let s = state.lock().expect("not poisoned");
        (s.name(), s.bus.clone())
    };
    let created_at = crate::due::format_utc(Utc::now());
    let rule_arn = rule_arn_for(&bus_arn, &name).ok_or_else(|| {
        Error::invalid(
            "--bus",
            format!("`{bus_arn}` is not an event bus ARN"),
            "give a bus name or ARN",
        )
    })?;
    let queue_arn_guess = parse_arn(&bus_arn)
        .map(|a| format!("arn:{}:sqs:{}:{}:{name}", a.partition, a.region, a.account))
        .unwrap_or_default();

    let queue = clients
        .sqs
        .create_queue()
        .queue_name(&name)
        .attributes(QueueAttributeName::SqsManagedSseEnabled, "true")
        .attributes(
            QueueAttributeName::MessageRetentionPeriod,
            RETENTION_SECS.to_string(),
        )
        .attributes(
            QueueAttributeName::Policy,
            queue_policy(&queue_arn_guess, &rule_arn),
        )
        .tags(CREATED_AT_TAG, &created_at)
        .tags("created-by", "cartctl tail")
        .send()
        .await
        .map_err(aws_err("CreateQueue"))?;
    let queue_url = queue.queue_url().unwrap_or_default().to_owned();
    state.lock().expect("not poisoned").queue_url = Some(queue_url.clone());

    let attrs = clients
        .sqs
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(aws_err("GetQueueAttributes"))?;
    let queue_arn = attrs
        .attributes()
        .and_then(|a| a.get(&QueueAttributeName::QueueArn))
        .cloned()
        .unwrap_or(queue_arn_guess.clone());
    state.lock().expect("not poisoned").queue_arn = Some(queue_arn.clone());

    let tag = |k: &str, v: &str| {
        Tag::builder()
            .key(k)
            .value(v)
            .build()
            .expect("key and value are set")
    };
    let rule = clients
        .events
        .put_rule()
        .name(&name)
        .event_bus_name(&bus_name)
        .event_pattern(pattern)
        .state(RuleState::Enabled)
        .description(format!(
            "cartctl tail {}, created {created_at}; removed when the tail ends",
            state.lock().expect("not poisoned").id
        ))
        .tags(tag(CREATED_AT_TAG, &created_at))
        .tags(tag("created-by", "cartctl tail"))
        .send()
        .await
        .map_err(aws_err("PutRule"))?;
    let actual_rule_arn = rule.rule_arn().unwrap_or(&rule_arn).to_owned();
    {
        let mut s = state.lock().expect("not poisoned");
        s.rule = Some(name.clone());
        s.rule_arn = Some(actual_rule_arn.clone());
    }
    if actual_rule_arn != rule_arn || queue_arn != queue_arn_guess {
        clients
            .sqs
            .set_queue_attributes()
            .queue_url(&queue_url)
            .attributes(
                QueueAttributeName::Policy,
                queue_policy(&queue_arn, &actual_rule_arn),
            )
            .send()
            .await
            .map_err(aws_err("SetQueueAttributes"))?;
    }

    let targets = clients
        .events
        .put_targets()
        .rule(&name)
        .event_bus_name(&bus_name)
        .targets(
            Target::builder()
                .id(TARGET_ID)
                .arn(&queue_arn)
                .build()
                .expect("id and arn are set"),
        )
        .send()
        .await
        .map_err(aws_err("PutTargets"))?;
    if targets.failed_entry_count() > 0 {
        let e = targets.failed_entries().first();
        return Err(Error::Aws(crate::error::AwsError {
            operation: "PutTargets",
            kind: AwsErrorKind::Client,
            code: e
                .and_then(|e| e.error_code())
                .unwrap_or("FailedEntry")
                .to_owned(),
            message: e.and_then(|e| e.error_message()).unwrap_or("").to_owned(),
            fix: String::new(),
        }));
    }
    state.lock().expect("not poisoned").target = true;
    Ok(())
}

/// RemoveTargets; a target the service refused to remove (it answers 200 with
/// `FailedEntryCount`) is an error too, so the rule is not deleted from under it.
async fn remove_targets(clients: &Clients, bus: &str, rule: &str, ids: Vec<String>) -> Result<()> {
    let out = clients
        .events
        .remove_targets()
        .rule(rule)
        .event_bus_name(bus)
        .set_ids(Some(ids))
        .send()
        .await
        .map_err(aws_err("RemoveTargets"))?;
    match out.failed_entries().first() {
        None if out.failed_entry_count() == 0 => Ok(()),
        failed => {
            let code = failed.and_then(|f| f.error_code()).unwrap_or("FailedEntry");
            Err(Error::Aws(crate::error::AwsError {
                operation: "RemoveTargets",
                kind: crate::aws::kind_of(Some(code), 200),
                code: code.to_owned(),
                message: failed
                    .and_then(|f| f.error_message())
                    .unwrap_or("a target was not removed")
                    .to_owned(),
                fix: String::new(),
            }))
        }
    }
}

async fn delete_rule(clients: &Clients, bus: &str, rule: &str) -> Result<()> {
    clients
        .events
        .delete_rule()
        .name(rule)
        .event_bus_name(bus)
        .send()
        .await
        .map_err(aws_err("DeleteRule"))?;
    Ok(())
}

async fn delete_queue(clients: &Clients, url: &str) -> Result<()> {
    clients
        .sqs
        .delete_queue()
        .queue_url(url)
        .send()
        .await
        .map_err(aws_err("DeleteQueue"))?;
    Ok(())
}

/// Ok for success, and for a resource that is already gone.
fn gone_ok<T>(r: Result<T>) -> Result<()> {
    match r {
        Ok(_) => Ok(()),
        Err(Error::Aws(e)) if e.kind == AwsErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Removes the target, the rule and the queue, whichever exist (one already gone is fine).
/// Returns one line for each resource that could not be removed, naming what is left and how
/// to remove it.
pub async fn cleanup(clients: &Clients, r: &TailResources) -> Vec<String> {
    let mut left = Vec::new();
    if let Some(rule) = &r.rule {
        let mut rule_ok = true;
        if r.target {
            let removed = remove_targets(clients, &r.bus, rule, vec![TARGET_ID.into()]).await;
            if let Err(e) = gone_ok(removed) {
                rule_ok = false;
                left.push(format!("the target of rule {rule} on bus {} ({e})", r.bus));
            }
        }
        if rule_ok {
            let deleted = delete_rule(clients, &r.bus, rule).await;
            if let Err(e) = gone_ok(deleted) {
                rule_ok = false;
                left.push(format!("rule {rule} on bus {} ({e})", r.bus));
            }
        }
        if !rule_ok {
            left.push(format!(
                "remove the rule with `cartctl tail --gc --older-than 0s`, or `aws events delete-rule --force --name {rule} --event-bus-name {}`",
                r.bus
            ));
        }
    }
    if let Some(url) = &r.queue_url {
        let deleted = delete_queue(clients, url).await;
        if let Err(e) = gone_ok(deleted) {
            left.push(format!(
                "queue {url} ({e}); remove it with `cartctl tail --gc --older-than 0s`"
            ));
        }
    }
    left
}

/// Received events: (envelope, receipt handle).
pub type Received = Vec<(Value, String)>;

/// Long-polls the queue for up to `wait` (at most 20 s). The attempt may take the whole wait
/// plus a round trip: it is never cut off and sent again while the service still holds it.
pub async fn receive(clients: &Clients, queue_url: &str, wait: Duration) -> Result<Received> {
    let wait = wait.min(MAX_WAIT);
    let out = clients
        .sqs
        .receive_message()
        .queue_url(queue_url)
        .max_number_of_messages(10)
        .wait_time_seconds(wait.as_secs() as i32)
        .customize()
        .config_override(
            aws_sdk_sqs::config::Builder::default()
                .timeout_config(crate::aws::long_poll_timeouts(wait)),
        )
        .send()
        .await
        .map_err(aws_err("ReceiveMessage"))?;
    Ok(out
        .messages()
        .iter()
        .map(|m| {
            let body = m.body().unwrap_or("null");
            let envelope = serde_json::from_str(body).unwrap_or_else(|_| json!({ "body": body }));
            (envelope, m.receipt_handle().unwrap_or_default().to_owned())
        })
        .collect())
}

/// Deletes received messages from the queue.
pub async fn delete_received(
    clients: &Clients,
    queue_url: &str,
    receipts: &[String],
) -> Result<()> {
    if receipts.is_empty() {
        return Ok(());
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
    clients
        .sqs
        .delete_message_batch()
        .queue_url(queue_url)
        .set_entries(Some(entries))
        .send()
        .await
        .map_err(aws_err("DeleteMessageBatch"))?;
    Ok(())
}

/// What `tail --gc` removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcReport {
    /// Rules removed, as `bus/rule`.
    pub rules: Vec<String>,
    /// Queues removed, by URL.
    pub queues: Vec<String>,
    /// What could not be removed, and why.
    pub failed: Vec<String>,
}

fn tagged_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Removes tail rules (on every bus) and queues created before `cutoff`.
pub async fn gc(clients: &Clients, cutoff: DateTime<Utc>) -> Result<GcReport> {
    let mut report = GcReport::default();
    // Rules, bus by bus.
    let mut buses = Vec::new();
    let mut token = None;
    loop {
        let out = clients
            .events
            .list_event_buses()
            .set_next_token(token)
            .send()
            .await
            .map_err(aws_err("ListEventBuses"))?;
        buses.extend(
            out.event_buses()
                .iter()
                .filter_map(|b| b.name().map(str::to_owned)),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    for bus in buses {
        let mut token = None;
        let mut rules = Vec::new();
        loop {
            let out = clients
                .events
                .list_rules()
                .event_bus_name(&bus)
                .name_prefix(RESOURCE_PREFIX)
                .set_next_token(token)
                .send()
                .await
                .map_err(aws_err("ListRules"))?;
            rules.extend(
                out.rules()
                    .iter()
                    .filter_map(|r| Some((r.name()?.to_owned(), r.arn()?.to_owned()))),
            );
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        for (rule, arn) in rules {
            let tags = clients
                .events
                .list_tags_for_resource()
                .resource_arn(&arn)
                .send()
                .await
                .map_err(aws_err("ListTagsForResource"))?;
            let created = tagged_time(
                tags.tags()
                    .iter()
                    .find(|t| t.key() == CREATED_AT_TAG)
                    .map(|t| t.value()),
            );
            // A rule without the tag is not one of ours.
            if created.is_none_or(|c| c > cutoff) {
                continue;
            }
            let targets = clients
                .events
                .list_targets_by_rule()
                .rule(&rule)
                .event_bus_name(&bus)
                .send()
                .await
                .map_err(aws_err("ListTargetsByRule"))?;
            let ids: Vec<String> = targets
                .targets()
                .iter()
                .map(|t| t.id().to_owned())
                .collect();
            let removed = async {
                if !ids.is_empty() {
                    remove_targets(clients, &bus, &rule, ids).await?;
                }
                delete_rule(clients, &bus, &rule).await
            }
            .await;
            match removed {
                Ok(_) => report.rules.push(format!("{bus}/{rule}")),
                Err(e) => report.failed.push(format!("rule {rule} on bus {bus}: {e}")),
            }
        }
    }
    // Queues.
    let mut token = None;
    let mut urls = Vec::new();
    loop {
        let out = clients
            .sqs
            .list_queues()
            .queue_name_prefix(RESOURCE_PREFIX)
            // Without MaxResults, SQS returns at most 1,000 queues and no NextToken.
            .max_results(1000)
            .set_next_token(token)
            .send()
            .await
            .map_err(aws_err("ListQueues"))?;
        urls.extend(out.queue_urls().iter().cloned());
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    for url in urls {
        let tags = clients
            .sqs
            .list_queue_tags()
            .queue_url(&url)
            .send()
            .await
            .map_err(aws_err("ListQueueTags"))?;
        let created = tagged_time(
            tags.tags()
                .and_then(|t| t.get(CREATED_AT_TAG))
                .map(String::as_str),
        );
        if created.is_none_or(|c| c > cutoff) {
            continue;
        }
        match delete_queue(clients, &url).await {
            Ok(_) => report.queues.push(url),
            Err(e) => report.failed.push(format!("queue {url}: {e}")),
        }
    }
    Ok(report)
}

/// Checks `--max-events`.
pub fn check_max_events(n: u64) -> Result<u64> {
    if n == 0 {
        return Err(Error::invalid(
            "--max-events",
            "must be at least 1",
            "give how many events to wait for",
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_filter_matches_every_event() {
        let p = TailFilter::default().pattern().unwrap();
        assert_eq!(Value::Object(p), json!({"source": [{"prefix": ""}]}));
    }

    #[test]
    fn flags_become_pattern_leaves_and_merge_with_pattern() {
        let f = TailFilter {
            source: Some("putToCartService".into()),
            detail_type: Some("item sku-1 added to Cart".into()),
            user: Some("alice".into()),
            product: Some("sku-1".into()),
            scheduled_only: true,
            pattern: Some(
                r#"{"detail": {"quantity": [{"numeric": [">", 1]}]}, "account": ["123456789012"]}"#
                    .into(),
            ),
        };
        assert_eq!(
            Value::Object(f.pattern().unwrap()),
            json!({
                "detail": {"quantity": [{"numeric": [">", 1]}], "user": ["alice"], "product": ["sku-1"], "scheduled_event": ["true"]},
                "account": ["123456789012"],
                "source": ["putToCartService"],
                "detail-type": ["item sku-1 added to Cart"]
            })
        );
    }

    #[test]
    fn contradicting_or_bad_patterns_are_refused() {
        let both = TailFilter {
            source: Some("a".into()),
            pattern: Some(r#"{"source": ["b"]}"#.into()),
            ..Default::default()
        };
        assert!(
            both.pattern()
                .unwrap_err()
                .to_string()
                .contains("which --source sets too")
        );
        let scalar = TailFilter {
            user: Some("a".into()),
            pattern: Some(r#"{"detail": "x"}"#.into()),
            ..Default::default()
        };
        assert!(scalar.pattern().is_err());
        for bad in [
            "[]",
            "{}",
            "nope",
            "1",
            r#"{"source": "shop"}"#,
            r#"{"detail": {"user": []}}"#,
            r#"{"$or": [{"source": ["a"]}]}"#,
            r#"{"$or": [1, 2]}"#,
        ] {
            let f = TailFilter {
                pattern: Some(bad.into()),
                ..Default::default()
            };
            assert_eq!(f.pattern().unwrap_err().exit_code(), 2, "{bad}");
        }
        let empty = TailFilter {
            user: Some(String::new()),
            ..Default::default()
        };
        assert!(empty.pattern().is_err());
    }

    #[test]
    fn canary_is_matched_only_by_its_own_tail() {
        let filter = TailFilter {
            source: Some("shop".into()),
            ..Default::default()
        }
        .pattern()
        .unwrap();
        let p: Value = serde_json::from_str(&rule_pattern(&filter, Some("abc"))).unwrap();
        assert_eq!(p["$or"][0], json!({"source": ["shop"]}));
        assert_eq!(
            p["$or"][1],
            json!({"source": ["cartctl.tail"], "detail": {"tail_id": ["abc"]}})
        );
        let canary: Value = serde_json::from_str(&canary_entry("b", "abc").detail).unwrap();
        assert_eq!(canary, json!({"tail_id": "abc"}));
        let env = json!({"source": "cartctl.tail", "detail": {"tail_id": "abc"}});
        assert!(is_canary(&env, "abc"));
        assert!(!is_canary(&env, "abd"));
        assert_eq!(rule_pattern(&filter, None), r#"{"source":["shop"]}"#);
    }

    #[test]
    fn policy_admits_only_the_rule() {
        let p: Value = serde_json::from_str(&queue_policy("arn:q", "arn:r")).unwrap();
        let st = &p["Statement"][0];
        assert_eq!(st["Principal"], json!({"Service": "events.amazonaws.com"}));
        assert_eq!(st["Action"], "sqs:SendMessage");
        assert_eq!(st["Resource"], "arn:q");
        assert_eq!(
            st["Condition"],
            json!({"ArnEquals": {"aws:SourceArn": "arn:r"}})
        );
        assert_eq!(p["Statement"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn rule_arns_follow_the_bus() {
        assert_eq!(
            rule_arn_for(
                "arn:aws:events:eu-west-1:123456789012:event-bus/default",
                "r"
            )
            .unwrap(),
            "arn:aws:events:eu-west-1:123456789012:rule/r"
        );
        assert_eq!(
            rule_arn_for("arn:aws:events:eu-west-1:123456789012:event-bus/shop", "r").unwrap(),
            "arn:aws:events:eu-west-1:123456789012:rule/shop/r"
        );
    }

    #[test]
    fn ids_are_hex_and_distinct() {
        let a = new_tail_id();
        assert_eq!(a.len(), 10);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, new_tail_id());
    }
}
