//! IAM and STS calls of `setup` and `doctor`: the caller, the Scheduler role, its trust policy
//! and its permission policies (inline and attached), and the policy simulator.
//!
//! IAM returns policy documents URL-encoded; they are decoded here, so callers see JSON.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{PolicyEvaluationDecisionType, Tag};
use serde_json::Value;

use super::{aws_err, found};
use cartctl_core::error::{Error, Result};

/// Who is calling: the account and the caller's ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN (a user, or an assumed role's session).
    pub arn: String,
}

/// GetCallerIdentity.
pub async fn caller(sts: &aws_sdk_sts::Client) -> Result<Caller> {
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(aws_err("GetCallerIdentity"))?;
    Ok(Caller {
        account: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
    })
}

/// A role as GetRole returns it.
#[derive(Debug, Clone)]
pub struct Role {
    /// Its ARN.
    pub arn: String,
    /// Its trust policy.
    pub trust: Value,
    /// Its tags.
    pub tags: Vec<(String, String)>,
}

/// A policy document as IAM returns it: URL-encoded JSON (or plain JSON).
pub fn decode_document(text: &str) -> Value {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    serde_json::from_str(&decoded)
        .or_else(|_| serde_json::from_str(text))
        .unwrap_or(Value::Null)
}

/// GetRole; `None` if there is no such role.
pub async fn get_role(client: &Client, name: &str) -> Result<Option<Role>> {
    let out = client.get_role().role_name(name).send().await;
    let out = found(out.map_err(aws_err("GetRole")))?;
    Ok(out.and_then(|o| o.role().cloned()).map(|r| Role {
        arn: r.arn().to_owned(),
        trust: r
            .assume_role_policy_document()
            .map(decode_document)
            .unwrap_or(Value::Null),
        tags: r
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
    }))
}

/// CreateRole with a trust policy and tags; returns its ARN.
pub async fn create_role(
    client: &Client,
    name: &str,
    trust: &Value,
    description: &str,
    tags: &[(&str, &str)],
) -> Result<String> {
    let mut req = client
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .description(description);
    for (k, v) in tags {
        req = req.tags(
            Tag::builder()
                .key(*k)
                .value(*v)
                .build()
                .expect("key and value"),
        );
    }
    let out = req.send().await.map_err(aws_err("CreateRole"))?;
    Ok(out.role().map(|r| r.arn().to_owned()).unwrap_or_default())
}

/// UpdateAssumeRolePolicy.
pub async fn update_trust(client: &Client, name: &str, trust: &Value) -> Result<()> {
    client
        .update_assume_role_policy()
        .role_name(name)
        .policy_document(trust.to_string())
        .send()
        .await
        .map_err(aws_err("UpdateAssumeRolePolicy"))?;
    Ok(())
}

/// GetRolePolicy; `None` if the role has no inline policy of that name.
pub async fn inline_policy(client: &Client, role: &str, policy: &str) -> Result<Option<Value>> {
    let out = client
        .get_role_policy()
        .role_name(role)
        .policy_name(policy)
        .send()
        .await;
    let out = found(out.map_err(aws_err("GetRolePolicy")))?;
    Ok(out.map(|o| decode_document(o.policy_document())))
}

/// PutRolePolicy.
pub async fn put_inline_policy(
    client: &Client,
    role: &str,
    policy: &str,
    doc: &Value,
) -> Result<()> {
    client
        .put_role_policy()
        .role_name(role)
        .policy_name(policy)
        .policy_document(doc.to_string())
        .send()
        .await
        .map_err(aws_err("PutRolePolicy"))?;
    Ok(())
}

/// The names of a role's inline policies, every page.
async fn inline_policy_names(client: &Client, role: &str) -> Result<Vec<String>> {
    client
        .list_role_policies()
        .role_name(role)
        .into_paginator()
        .items()
        .send()
        .collect::<std::result::Result<Vec<_>, _>>()
        .await
        .map_err(aws_err("ListRolePolicies"))
}

/// The ARNs of the managed policies attached to a role, every page.
async fn attached_policy_arns(client: &Client, role: &str) -> Result<Vec<String>> {
    let attached = client
        .list_attached_role_policies()
        .role_name(role)
        .into_paginator()
        .items()
        .send()
        .collect::<std::result::Result<Vec<_>, _>>()
        .await
        .map_err(aws_err("ListAttachedRolePolicies"))?;
    Ok(attached
        .iter()
        .filter_map(|p| p.policy_arn().map(str::to_owned))
        .collect())
}

/// Every permission policy of a role: its inline policies and the default version of each
/// attached managed policy.
pub async fn role_policies(client: &Client, role: &str) -> Result<Vec<Value>> {
    let mut docs = Vec::new();
    for name in inline_policy_names(client, role).await? {
        docs.extend(inline_policy(client, role, &name).await?);
    }
    for arn in attached_policy_arns(client, role).await? {
        let policy = client
            .get_policy()
            .policy_arn(&arn)
            .send()
            .await
            .map_err(aws_err("GetPolicy"))?;
        let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
            continue;
        };
        let v = client
            .get_policy_version()
            .policy_arn(&arn)
            .version_id(version)
            .send()
            .await
            .map_err(aws_err("GetPolicyVersion"))?;
        if let Some(doc) = v.policy_version().and_then(|v| v.document()) {
            docs.push(decode_document(doc));
        }
    }
    Ok(docs)
}

/// Deletes a role: its inline policies, its attached policies' attachments, then the role.
pub async fn delete_role(client: &Client, role: &str) -> Result<()> {
    for name in inline_policy_names(client, role).await? {
        client
            .delete_role_policy()
            .role_name(role)
            .policy_name(name)
            .send()
            .await
            .map_err(aws_err("DeleteRolePolicy"))?;
    }
    for arn in attached_policy_arns(client, role).await? {
        client
            .detach_role_policy()
            .role_name(role)
            .policy_arn(arn)
            .send()
            .await
            .map_err(aws_err("DetachRolePolicy"))?;
    }
    client
        .delete_role()
        .role_name(role)
        .send()
        .await
        .map_err(aws_err("DeleteRole"))?;
    Ok(())
}

/// The policy simulator's answer for `principal` doing `action` on `resource` with the
/// request's `context` (string condition keys, such as `iam:PassedToService`): allowed or not;
/// an error if the simulator could not be asked (not offered, or not permitted).
pub async fn simulate(
    client: &Client,
    principal: &str,
    action: &str,
    resource: &str,
    context: &[(&str, &str)],
) -> std::result::Result<bool, Error> {
    let mut req = client
        .simulate_principal_policy()
        .policy_source_arn(principal)
        .action_names(action)
        .resource_arns(resource);
    for (key, value) in context {
        let entry = aws_sdk_iam::types::ContextEntry::builder()
            .context_key_name(*key)
            .context_key_values(*value)
            .context_key_type(aws_sdk_iam::types::ContextKeyTypeEnum::String)
            .build();
        req = req.context_entries(entry);
    }
    let out = req
        .send()
        .await
        .map_err(aws_err("SimulatePrincipalPolicy"))?;
    Ok(out
        .evaluation_results()
        .iter()
        .all(|r| r.eval_decision() == &PolicyEvaluationDecisionType::Allowed)
        && !out.evaluation_results().is_empty())
}
