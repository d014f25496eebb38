//! The log groups setup makes before what writes to them (each function's, the API's access
//! log), so none keeps its logs forever (Lambda's own default) and none needs the permission to
//! make its group; teardown removes those tagged as setup's unless asked to keep them.

use aws_sdk_cloudwatchlogs::Client;

use super::{Apply, Provisioned, pick, removed};
use crate::sdk::logs;
use cartctl_core::blueprint::TAG_KEY;
use cartctl_core::error::Result;

impl Apply<'_> {
    /// The log group `name`, kept `days`: made (tagged), or its retention set.
    pub(super) async fn ensure_log_group(
        &self,
        client: &Client,
        name: &str,
        days: i32,
    ) -> Result<Provisioned> {
        let have = self.retry.run(|_| logs::log_group(client, name)).await?;
        let differs = have
            .as_ref()
            .is_some_and(|g| g.retention_days != Some(days));
        let change = pick(have.is_some(), differs, self.dry_run);
        if !self.dry_run {
            if have.is_none() {
                let tags = self.bp.tags();
                self.retry
                    .run(|_| logs::create_log_group(client, name, &tags))
                    .await?;
            }
            if have.is_none() || differs {
                self.retry
                    .run(|_| logs::put_retention(client, name, days))
                    .await?;
            }
        }
        let arn = have.map_or_else(|| self.bp.log_group_arn(name), |g| g.arn);
        let mut p = Provisioned::new("log-group", name, arn, change);
        p.note = Some(format!("kept {days} days"));
        Ok(p)
    }

    /// Removes the log group `name` (with its events) when it is tagged as setup's;
    /// `keep` leaves it.
    pub(super) async fn remove_log_group(
        &self,
        client: &Client,
        name: &str,
        keep: bool,
    ) -> Result<Provisioned> {
        let Some(group) = self.retry.run(|_| logs::log_group(client, name)).await? else {
            return Ok(removed(
                "log-group",
                name,
                self.bp.log_group_arn(name),
                None,
            ));
        };
        let tags = self.retry.run(|_| logs::tags(client, &group.arn)).await?;
        let ours = tags.get(TAG_KEY) == Some(&self.bp.prefix);
        if ours && !keep {
            self.retry
                .run(|_| logs::delete_log_group(client, name))
                .await?;
            return Ok(removed("log-group", name, group.arn, Some(true)));
        }
        let mut kept = removed("log-group", name, group.arn, Some(false));
        if ours {
            kept.note = Some("kept (--keep-logs)".into());
        }
        Ok(kept)
    }
}
