//! A queue as the blueprint has it: made, or its attributes brought in line without taking
//! what is not setup's (another sender's policy statement, a longer visibility timeout, a
//! queue of someone else's).

use serde_json::Value;

use super::{Apply, Provisioned, pick, same_value};
use crate::sdk::sqs;
use cartctl_core::blueprint::{QUEUE_VISIBILITY_SECS, TAG_KEY};
use cartctl_core::error::Result;
use cartctl_core::policy::merge_by_sid;

/// The visibility timeout attribute: a least value, raised and never lowered.
pub(super) const VISIBILITY: &str = "VisibilityTimeout";

/// The attributes to set on an existing queue so it is as `want` has it: a policy is merged
/// into the queue's own by statement id (another sender keeps its access), a visibility
/// timeout is raised to the least one wanted (a longer one is kept), and turning SSE-SQS on
/// clears a KMS key (a queue has one kind of encryption, and EventBridge cannot send to one
/// encrypted with the AWS managed key `alias/aws/sqs`).
pub fn queue_changes(
    have: &std::collections::HashMap<String, String>,
    want: &[(&'static str, String)],
) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (key, value) in want {
        if *key == VISIBILITY {
            let at_least = |h: &String| h.parse::<i64>().ok() >= value.parse::<i64>().ok();
            if !have.get(VISIBILITY).is_some_and(at_least) {
                out.push((VISIBILITY, value.clone()));
            }
            continue;
        }
        let value = match *key {
            "Policy" => {
                let theirs = have
                    .get("Policy")
                    .and_then(|p| serde_json::from_str::<Value>(p).ok());
                let ours: Value = serde_json::from_str(value).unwrap_or(Value::Null);
                merge_by_sid(theirs.as_ref(), &ours).to_string()
            }
            _ => value.clone(),
        };
        if !have.get(*key).is_some_and(|h| same_value(h, &value)) {
            out.push((key, value));
        }
    }
    let kms = have.get("KmsMasterKeyId").is_some_and(|k| !k.is_empty());
    let wants_sse = want
        .iter()
        .any(|(k, v)| *k == "SqsManagedSseEnabled" && v == "true");
    if kms && wants_sse {
        out.retain(|(k, _)| *k != "SqsManagedSseEnabled");
        out.push(("KmsMasterKeyId", String::new()));
        out.push(("SqsManagedSseEnabled", "true".into()));
    }
    out
}

impl Apply<'_> {
    /// The queue `name` with the attributes `want`.
    pub(super) async fn ensure_queue(
        &self,
        name: &str,
        want: &[(&'static str, String)],
    ) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.sqs, self.bp);
        let url = self.retry.run(|_| sqs::queue_url(client, name)).await?;
        let mut note = None;
        let differing = match &url {
            None => Vec::new(),
            Some(url) => {
                let have = self.retry.run(|_| sqs::attributes(client, url)).await?;
                let mut differing = queue_changes(&have, want);
                // A queue of someone else's keeps its visibility timeout: doctor reports it.
                if differing.iter().any(|(k, _)| *k == VISIBILITY) {
                    let tags = self.retry.run(|_| sqs::queue_tags(client, url)).await?;
                    if tags.get(TAG_KEY) != Some(&bp.prefix) {
                        differing.retain(|(k, _)| *k != VISIBILITY);
                        note = Some(format!(
                            "not setup's: its visibility timeout ({}s) is left below {QUEUE_VISIBILITY_SECS}s (cartctl doctor)",
                            have.get(VISIBILITY).map_or("30", String::as_str)
                        ));
                    }
                }
                differing
            }
        };
        let change = pick(url.is_some(), !differing.is_empty(), self.dry_run);
        if !self.dry_run {
            let tags = bp.tags();
            match &url {
                None => {
                    self.retry
                        .run(|_| sqs::create_with(client, name, want, &tags))
                        .await?;
                }
                Some(url) if !differing.is_empty() => {
                    self.retry
                        .run(|_| sqs::set_attributes(client, url, &differing))
                        .await?;
                }
                Some(_) => {}
            }
        }
        let mut p = Provisioned::new("queue", name, bp.queue_arn(name), change);
        p.note = note;
        Ok(p)
    }
}
