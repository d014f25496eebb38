//! CloudWatch Logs calls for the log groups setup makes (the functions' and the API's access
//! log), with a retention, and doctor and teardown read. The client is made from the session's
//! configuration where setup or doctor needs it, so the Lambda functions do not carry it.

use std::collections::HashMap;

use aws_sdk_cloudwatchlogs::Client;

use super::aws_err;
use cartctl_core::error::Result;

/// A log group that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogGroup {
    /// Its ARN, without the `:*` of its streams (what tags and policies name).
    pub arn: String,
    /// Days its events are kept; `None`: forever.
    pub retention_days: Option<i32>,
}

/// The log group `name`, if it exists.
pub async fn log_group(client: &Client, name: &str) -> Result<Option<LogGroup>> {
    let mut token: Option<String> = None;
    loop {
        let out = client
            .describe_log_groups()
            .log_group_name_prefix(name)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(aws_err("DescribeLogGroups"))?;
        if let Some(g) = out
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name))
        {
            let arn = g
                .log_group_arn()
                .map(str::to_owned)
                .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_owned()))
                .unwrap_or_default();
            return Ok(Some(LogGroup {
                arn,
                retention_days: g.retention_in_days(),
            }));
        }
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(None);
        }
    }
}

/// Creates the log group `name`, tagged.
pub async fn create_log_group(client: &Client, name: &str, tags: &[(&str, &str)]) -> Result<()> {
    client
        .create_log_group()
        .log_group_name(name)
        .set_tags(Some(super::tag_map(tags)))
        .send()
        .await
        .map_err(aws_err("CreateLogGroup"))?;
    Ok(())
}

/// Keeps the group's events `days`.
pub async fn put_retention(client: &Client, name: &str, days: i32) -> Result<()> {
    client
        .put_retention_policy()
        .log_group_name(name)
        .retention_in_days(days)
        .send()
        .await
        .map_err(aws_err("PutRetentionPolicy"))?;
    Ok(())
}

/// The tags of the log group whose ARN is `arn`.
pub async fn tags(client: &Client, arn: &str) -> Result<HashMap<String, String>> {
    let out = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws_err("ListTagsForResource"))?;
    Ok(out.tags().cloned().unwrap_or_default())
}

/// Deletes the log group `name` with its events.
pub async fn delete_log_group(client: &Client, name: &str) -> Result<()> {
    client
        .delete_log_group()
        .log_group_name(name)
        .send()
        .await
        .map_err(aws_err("DeleteLogGroup"))?;
    Ok(())
}
