//! DynamoDB calls for the cart ledger: a customer's partition read whole and strongly
//! consistent, conditional writes (one item, or several at once in a transaction), and the
//! table itself (setup, doctor, teardown).

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, KeySchemaElement,
    KeyType, PointInTimeRecoverySpecification, Put, ScalarAttributeType, SseSpecification, Tag,
    TimeToLiveSpecification, TransactWriteItem, Update,
};

use super::aws_err;
use cartctl_core::error::{AwsError, AwsErrorKind, Error, Result};
use cartctl_core::ledger::{Attr, Item, PK, SK};

fn to_value(a: &Attr) -> AttributeValue {
    match a {
        Attr::S(s) => AttributeValue::S(s.clone()),
        Attr::N(n) => AttributeValue::N(n.to_string()),
    }
}

/// An item as the ledger reads it: strings and whole numbers (another type is left out, and
/// the ledger's reader names what it misses).
fn from_item(item: &HashMap<String, AttributeValue>) -> Item {
    item.iter()
        .filter_map(|(k, v)| {
            let a = match v {
                AttributeValue::S(s) => Attr::S(s.clone()),
                AttributeValue::N(n) => Attr::N(n.parse().ok()?),
                _ => return None,
            };
            Some((k.clone(), a))
        })
        .collect()
}

/// Every item of the partition `pk`, read strongly consistent, page after page.
pub async fn partition(client: &Client, table: &str, pk: &str) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    loop {
        let page = client
            .query()
            .table_name(table)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_values(":pk", AttributeValue::S(pk.to_owned()))
            .consistent_read(true)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(aws_err("Query"))?;
        out.extend(page.items().iter().map(from_item));
        match page.last_evaluated_key() {
            Some(k) if !k.is_empty() => start = Some(k.clone()),
            _ => return Ok(out),
        }
    }
}

/// One page of a Scan of `table` (eventually consistent: half the read units), only the
/// attributes `projection` names, `limit` items at most: the items, the key to go on from (none
/// at the end), and the
/// read capacity units it consumed.
pub async fn scan_page(
    client: &Client,
    table: &str,
    (projection, limit): (&[&str], Option<i32>),
    start: Option<HashMap<String, AttributeValue>>,
) -> Result<(Vec<Item>, Option<HashMap<String, AttributeValue>>, f64)> {
    let mut req = client
        .scan()
        .table_name(table)
        .set_limit(limit)
        .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
        .set_exclusive_start_key(start);
    let mut expr = Vec::new();
    for (i, name) in projection.iter().enumerate() {
        req = req.expression_attribute_names(format!("#a{i}"), *name);
        expr.push(format!("#a{i}"));
    }
    if !expr.is_empty() {
        req = req.projection_expression(expr.join(", "));
    }
    let page = req.send().await.map_err(aws_err("Scan"))?;
    let units = page
        .consumed_capacity()
        .and_then(|c| c.capacity_units())
        .unwrap_or(0.0);
    let next = page.last_evaluated_key().filter(|k| !k.is_empty()).cloned();
    Ok((page.items().iter().map(from_item).collect(), next, units))
}

/// One conditional write of a transaction (or alone).
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Set attributes of the item (made if absent).
    Update {
        /// Its partition and sort key.
        key: (String, String),
        /// `SET` and `REMOVE` clauses, over the names and values below.
        expression: String,
        /// The condition, if any.
        condition: Option<String>,
        /// `#name` → attribute.
        names: Vec<(String, String)>,
        /// `:value` → value.
        values: Vec<(String, Attr)>,
    },
    /// Put a whole item, if the condition holds.
    Put {
        /// The item (with its keys).
        item: Item,
        /// The condition, if any.
        condition: Option<String>,
    },
    /// Only check a condition on an item.
    Check {
        /// Its partition and sort key.
        key: (String, String),
        /// The condition.
        condition: String,
        /// `#name` → attribute.
        names: Vec<(String, String)>,
        /// `:value` → value.
        values: Vec<(String, Attr)>,
    },
    /// Delete an item, if the condition holds.
    Delete {
        /// Its partition and sort key.
        key: (String, String),
        /// The condition, if any.
        condition: Option<String>,
        /// `#name` → attribute.
        names: Vec<(String, String)>,
        /// `:value` → value.
        values: Vec<(String, Attr)>,
    },
}

fn key(k: &(String, String)) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_owned(), AttributeValue::S(k.0.clone())),
        (SK.to_owned(), AttributeValue::S(k.1.clone())),
    ])
}

fn names(n: &[(String, String)]) -> Option<HashMap<String, String>> {
    (!n.is_empty()).then(|| n.iter().cloned().collect())
}

fn values(v: &[(String, Attr)]) -> Option<HashMap<String, AttributeValue>> {
    (!v.is_empty()).then(|| v.iter().map(|(k, a)| (k.clone(), to_value(a))).collect())
}

fn transact_item(table: &str, w: &Write) -> TransactWriteItem {
    let built = match w {
        Write::Update {
            key: k,
            expression,
            condition,
            names: n,
            values: v,
        } => TransactWriteItem::builder().update(
            Update::builder()
                .table_name(table)
                .set_key(Some(key(k)))
                .update_expression(expression)
                .set_condition_expression(condition.clone())
                .set_expression_attribute_names(names(n))
                .set_expression_attribute_values(values(v))
                .build()
                .expect("key, expression and table are set"),
        ),
        Write::Put { item, condition } => TransactWriteItem::builder().put(
            Put::builder()
                .table_name(table)
                .set_item(Some(
                    item.iter().map(|(k, a)| (k.clone(), to_value(a))).collect(),
                ))
                .set_condition_expression(condition.clone())
                .build()
                .expect("item and table are set"),
        ),
        Write::Check {
            key: k,
            condition,
            names: n,
            values: v,
        } => TransactWriteItem::builder().condition_check(
            ConditionCheck::builder()
                .table_name(table)
                .set_key(Some(key(k)))
                .condition_expression(condition)
                .set_expression_attribute_names(names(n))
                .set_expression_attribute_values(values(v))
                .build()
                .expect("key, condition and table are set"),
        ),
        Write::Delete {
            key: k,
            condition,
            names: n,
            values: v,
        } => TransactWriteItem::builder().delete(
            Delete::builder()
                .table_name(table)
                .set_key(Some(key(k)))
                .set_condition_expression(condition.clone())
                .set_expression_attribute_names(names(n))
                .set_expression_attribute_values(values(v))
                .build()
                .expect("key and table are set"),
        ),
    };
    built.build()
}

/// Whether a set of writes happened: all of them, or none because a condition did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Every write was made.
    Yes,
    /// None was: the condition of the writes at these positions did not hold.
    Refused(Vec<usize>),
}

/// Makes `writes` all or none (TransactWriteItems; one update is sent alone). A failed
/// condition is [`Applied::Refused`], not an error. `token` (1–36 characters, the same for
/// every attempt of one logical write) makes a transaction whose answer was lost answer the
/// same again instead of being refused by its own first attempt.
pub async fn write(client: &Client, table: &str, writes: &[Write], token: &str) -> Result<Applied> {
    if let [
        Write::Update {
            key: k,
            expression,
            condition,
            names: n,
            values: v,
        },
    ] = writes
    {
        let out = client
            .update_item()
            .table_name(table)
            .set_key(Some(key(k)))
            .update_expression(expression)
            .set_condition_expression(condition.clone())
            .set_expression_attribute_names(names(n))
            .set_expression_attribute_values(values(v))
            .customize()
            .config_override(single_attempt())
            .send()
            .await;
        return match out {
            Ok(_) => Ok(Applied::Yes),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(Applied::Refused(vec![0]))
            }
            Err(e) => Err(aws_err("UpdateItem")(e)),
        };
    }
    let out = client
        .transact_write_items()
        .set_transact_items(Some(
            writes.iter().map(|w| transact_item(table, w)).collect(),
        ))
        .client_request_token(token)
        .customize()
        .config_override(single_attempt())
        .send()
        .await;
    match out {
        Ok(_) => Ok(Applied::Yes),
        Err(e) => {
            let refused: Option<Vec<usize>> = e.as_service_error().and_then(|s| match s {
                aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(c) => Some(
                    c.cancellation_reasons()
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                        .map(|(i, _)| i)
                        .collect(),
                ),
                _ => None,
            });
            match refused {
                Some(positions) if !positions.is_empty() => Ok(Applied::Refused(positions)),
                _ => Err(aws_err("TransactWriteItems")(e)),
            }
        }
    }
}

/// One attempt, no SDK retry: cartctl retries writes itself, so that it knows when an answer
/// was lost (and a conditional write may have been applied by an attempt it cannot see).
fn single_attempt() -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::config::Builder::default().retry_config(super::write_retry_config())
}

/// Deletes the item `key`.
pub async fn delete(client: &Client, table: &str, k: &(String, String)) -> Result<()> {
    client
        .delete_item()
        .table_name(table)
        .set_key(Some(key(k)))
        .send()
        .await
        .map_err(aws_err("DeleteItem"))?;
    Ok(())
}

/// A ledger table as DescribeTable and DescribeTimeToLive give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its ARN.
    pub arn: String,
    /// `ACTIVE`, `CREATING`, …
    pub status: String,
    /// Its key: (partition key, sort key) attribute names, both strings.
    pub key: Option<(String, String)>,
}

/// The table `name`, if it exists.
pub async fn table(client: &Client, name: &str) -> Result<Option<Table>> {
    let out = client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .map_err(aws_err("DescribeTable"));
    let Some(out) = super::found(out)? else {
        return Ok(None);
    };
    let Some(t) = out.table() else {
        return Ok(None);
    };
    let of = |kind: KeyType| {
        t.key_schema()
            .iter()
            .find(|k| *k.key_type() == kind)
            .map(|k| k.attribute_name().to_owned())
    };
    let strings = t
        .attribute_definitions()
        .iter()
        .all(|a| *a.attribute_type() == ScalarAttributeType::S);
    Ok(Some(Table {
        arn: t.table_arn().unwrap_or_default().to_owned(),
        status: t.table_status().map_or("ACTIVE", |s| s.as_str()).to_owned(),
        key: of(KeyType::Hash)
            .zip(of(KeyType::Range))
            .filter(|_| strings),
    }))
}

/// The attribute the table's TTL reads, when TTL is on.
pub async fn ttl_attribute(client: &Client, name: &str) -> Result<Option<String>> {
    let out = client
        .describe_time_to_live()
        .table_name(name)
        .send()
        .await
        .map_err(aws_err("DescribeTimeToLive"))?;
    let d = out.time_to_live_description();
    let on = d
        .and_then(|d| d.time_to_live_status())
        .is_some_and(|s| matches!(s.as_str(), "ENABLED" | "ENABLING"));
    Ok(d.and_then(|d| d.attribute_name())
        .filter(|_| on)
        .map(str::to_owned))
}

/// Whether point-in-time recovery is on.
pub async fn pitr(client: &Client, name: &str) -> Result<bool> {
    let out = client
        .describe_continuous_backups()
        .table_name(name)
        .send()
        .await
        .map_err(aws_err("DescribeContinuousBackups"))?;
    Ok(out
        .continuous_backups_description()
        .and_then(|c| c.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        .is_some_and(|s| s.as_str() == "ENABLED"))
}

/// Creates the ledger table: `pk` and `sk` strings, on demand, encrypted at rest with the
/// AWS managed key, tagged; its ARN.
pub async fn create_table(client: &Client, name: &str, tags: &[(&str, &str)]) -> Result<String> {
    let attribute = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("name and type")
    };
    let key = |n: &str, t: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
            .expect("name and type")
    };
    let out = client
        .create_table()
        .table_name(name)
        .attribute_definitions(attribute(PK))
        .attribute_definitions(attribute(SK))
        .key_schema(key(PK, KeyType::Hash))
        .key_schema(key(SK, KeyType::Range))
        .billing_mode(BillingMode::PayPerRequest)
        .sse_specification(SseSpecification::builder().enabled(true).build())
        .set_tags(Some(
            tags.iter()
                .map(|(k, v)| {
                    Tag::builder()
                        .key(*k)
                        .value(*v)
                        .build()
                        .expect("key and value")
                })
                .collect(),
        ))
        .send()
        .await
        .map_err(aws_err("CreateTable"))?;
    Ok(out
        .table_description()
        .and_then(|t| t.table_arn())
        .unwrap_or_default()
        .to_owned())
}

/// Turns TTL on for `attribute`.
pub async fn enable_ttl(client: &Client, name: &str, attribute: &str) -> Result<()> {
    client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(attribute)
                .build()
                .expect("enabled and attribute"),
        )
        .send()
        .await
        .map_err(aws_err("UpdateTimeToLive"))?;
    Ok(())
}

/// Turns point-in-time recovery on.
pub async fn enable_pitr(client: &Client, name: &str) -> Result<()> {
    client
        .update_continuous_backups()
        .table_name(name)
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .expect("enabled"),
        )
        .send()
        .await
        .map_err(aws_err("UpdateContinuousBackups"))?;
    Ok(())
}

/// The table's tags.
pub async fn tags(client: &Client, arn: &str) -> Result<HashMap<String, String>> {
    let out = client
        .list_tags_of_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws_err("ListTagsOfResource"))?;
    Ok(out
        .tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect())
}

/// Deletes the table and every item in it.
pub async fn delete_table(client: &Client, name: &str) -> Result<()> {
    client
        .delete_table()
        .table_name(name)
        .send()
        .await
        .map_err(aws_err("DeleteTable"))?;
    Ok(())
}

/// The error of a ledger table that does not exist: the fix is setup (exit 1: the account is
/// not set up, not a name mistyped on the command line).
pub fn missing_table(name: &str) -> Error {
    Error::Aws(AwsError {
        operation: "DescribeTable",
        kind: AwsErrorKind::Config,
        code: "ResourceNotFoundException".into(),
        message: format!("the ledger table `{name}` does not exist"),
        fix: "run `cartctl setup` (it makes the ledger and writes ledger_table), or set ledger_table to an existing one".into(),
    })
}
