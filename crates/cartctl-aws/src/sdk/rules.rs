//! EventBridge rule calls of a tail: its rule and the rule's one target, their removal, and the
//! listings `tail --gc` walks. EventBridge's model has no paginators, so the NextToken loops
//! are here, one per listing.

use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::{RuleState, Tag, Target};

use super::aws_err;
use cartctl_core::error::{AwsError, Error, Result};

/// A rule to create.
#[derive(Debug, Clone)]
pub struct NewRule<'a> {
    /// Its name.
    pub name: &'a str,
    /// The bus it is on (name or ARN).
    pub bus: &'a str,
    /// Its event pattern.
    pub pattern: &'a str,
    /// Its description.
    pub description: &'a str,
    /// Tags.
    pub tags: &'a [(&'a str, &'a str)],
}

/// Creates (or updates) an enabled rule; returns its ARN as the service gives it.
pub async fn put_rule(client: &Client, r: &NewRule<'_>) -> Result<Option<String>> {
    let mut req = client
        .put_rule()
        .name(r.name)
        .event_bus_name(r.bus)
        .event_pattern(r.pattern)
        .state(RuleState::Enabled)
        .description(r.description);
    for (k, v) in r.tags {
        let tag = Tag::builder().key(*k).value(*v).build();
        req = req.tags(tag.expect("key and value are set"));
    }
    let out = req.send().await.map_err(aws_err("PutRule"))?;
    Ok(out.rule_arn().map(str::to_owned))
}

/// Adds the target `id` → `arn` to a rule; a target the service refused (it answers 200 with
/// `FailedEntryCount`) is an error.
pub async fn put_target(client: &Client, bus: &str, rule: &str, id: &str, arn: &str) -> Result<()> {
    let target = Target::builder().id(id).arn(arn).build();
    let out = client
        .put_targets()
        .rule(rule)
        .event_bus_name(bus)
        .targets(target.expect("id and arn are set"))
        .send()
        .await
        .map_err(aws_err("PutTargets"))?;
    let failed = out.failed_entries().first();
    let refusal = failed.map(|f| (f.error_code(), f.error_message()));
    refused("PutTargets", out.failed_entry_count(), refusal, "")
}

/// RemoveTargets; a target the service refused to remove is an error too, so the rule is not
/// deleted from under it.
pub async fn remove_targets(
    client: &Client,
    bus: &str,
    rule: &str,
    ids: Vec<String>,
) -> Result<()> {
    let out = client
        .remove_targets()
        .rule(rule)
        .event_bus_name(bus)
        .set_ids(Some(ids))
        .send()
        .await
        .map_err(aws_err("RemoveTargets"))?;
    let failed = out.failed_entries().first();
    let refusal = failed.map(|f| (f.error_code(), f.error_message()));
    refused(
        "RemoveTargets",
        out.failed_entry_count(),
        refusal,
        "a target was not removed",
    )
}

/// A 200 answer to PutTargets or RemoveTargets: an error when it counts a failed entry, with
/// the first entry's code and message (`default_message` when it has none).
fn refused(
    operation: &'static str,
    failed_count: i32,
    first: Option<(Option<&str>, Option<&str>)>,
    default_message: &str,
) -> Result<()> {
    if failed_count == 0 && first.is_none() {
        return Ok(());
    }
    let (code, message) = first.unwrap_or_default();
    let code = code.unwrap_or("FailedEntry");
    Err(Error::Aws(AwsError {
        operation,
        kind: super::kind_of(Some(code), 200),
        code: code.to_owned(),
        message: message.unwrap_or(default_message).to_owned(),
        fix: String::new(),
    }))
}

/// Deletes a rule (its targets must be gone).
pub async fn delete_rule(client: &Client, bus: &str, rule: &str) -> Result<()> {
    client
        .delete_rule()
        .name(rule)
        .event_bus_name(bus)
        .send()
        .await
        .map_err(aws_err("DeleteRule"))?;
    Ok(())
}

/// The names of every event bus of the account and region.
pub async fn bus_names(client: &Client) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_event_buses()
            .set_next_token(token)
            .send()
            .await
            .map_err(aws_err("ListEventBuses"))?;
        let page = out.event_buses().iter().filter_map(|b| b.name());
        names.extend(page.map(str::to_owned));
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(names);
        }
    }
}

/// The rules on `bus` whose names start with `prefix`: (name, ARN).
pub async fn rules_named(
    client: &Client,
    bus: &str,
    prefix: &str,
) -> Result<Vec<(String, String)>> {
    let rules = list_rules(client, bus, Some(prefix)).await?;
    Ok(rules
        .into_iter()
        .filter(|r| !r.name.is_empty() && !r.arn.is_empty())
        .map(|r| (r.name, r.arn))
        .collect())
}

/// The value of the tag `key` of the resource `arn`, if it has one.
pub async fn tag_value(client: &Client, arn: &str, key: &str) -> Result<Option<String>> {
    let tags = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws_err("ListTagsForResource"))?;
    let tag = tags.tags().iter().find(|t| t.key() == key);
    Ok(tag.map(|t| t.value().to_owned()))
}

/// The ids of a rule's targets.
pub async fn target_ids(client: &Client, bus: &str, rule: &str) -> Result<Vec<String>> {
    let out = client
        .list_targets_by_rule()
        .rule(rule)
        .event_bus_name(bus)
        .send()
        .await
        .map_err(aws_err("ListTargetsByRule"))?;
    Ok(out.targets().iter().map(|t| t.id().to_owned()).collect())
}

/// A rule as DescribeRule/ListRules return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Its event pattern (none for a scheduled rule).
    pub pattern: Option<String>,
    /// ENABLED, DISABLED, …
    pub enabled: bool,
}

fn rule_info(
    name: Option<&str>,
    arn: Option<&str>,
    pattern: Option<&str>,
    state: Option<&RuleState>,
) -> RuleInfo {
    RuleInfo {
        name: name.unwrap_or_default().to_owned(),
        arn: arn.unwrap_or_default().to_owned(),
        pattern: pattern.map(str::to_owned),
        enabled: matches!(state, Some(RuleState::Enabled)),
    }
}

/// DescribeRule; `None` if there is no such rule.
pub async fn describe_rule(client: &Client, bus: &str, rule: &str) -> Result<Option<RuleInfo>> {
    let out = client
        .describe_rule()
        .name(rule)
        .event_bus_name(bus)
        .send()
        .await;
    let out = super::found(out.map_err(aws_err("DescribeRule")))?;
    Ok(out.map(|r| rule_info(r.name(), r.arn(), r.event_pattern(), r.state())))
}

/// Every rule on `bus`.
pub async fn rules_on(client: &Client, bus: &str) -> Result<Vec<RuleInfo>> {
    list_rules(client, bus, None).await
}

/// ListRules on `bus` (with a name prefix, if given), page after page.
async fn list_rules(client: &Client, bus: &str, prefix: Option<&str>) -> Result<Vec<RuleInfo>> {
    let mut rules = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_rules()
            .event_bus_name(bus)
            .set_name_prefix(prefix.map(str::to_owned))
            .set_next_token(token)
            .send()
            .await
            .map_err(aws_err("ListRules"))?;
        rules.extend(
            out.rules()
                .iter()
                .map(|r| rule_info(r.name(), r.arn(), r.event_pattern(), r.state())),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(rules);
        }
    }
}

/// The (id, ARN) of a rule's targets.
pub async fn targets(client: &Client, bus: &str, rule: &str) -> Result<Vec<(String, String)>> {
    let out = client
        .list_targets_by_rule()
        .rule(rule)
        .event_bus_name(bus)
        .send()
        .await
        .map_err(aws_err("ListTargetsByRule"))?;
    Ok(out
        .targets()
        .iter()
        .map(|t| (t.id().to_owned(), t.arn().to_owned()))
        .collect())
}
