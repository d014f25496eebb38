//! The cart ledger's table: made on demand-billed, encrypted at rest, with TTL on
//! `expires_at` and point-in-time recovery, each brought in line on a re-run; removed by
//! teardown only when it is tagged as setup's.

use std::time::{Duration, Instant};

use super::{Apply, Change, Provisioned, pick, removed};
use crate::sdk::dynamodb;
use cartctl_core::blueprint::TAG_KEY;
use cartctl_core::error::{Error, Result};
use cartctl_core::ledger::EXPIRES_AT;

/// How long setup waits for a new table to become ACTIVE.
const ACTIVE_WAIT: Duration = Duration::from_secs(120);

impl Apply<'_> {
    /// The ledger table, with its TTL and point-in-time recovery.
    pub(super) async fn ensure_ledger(&self) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.dynamodb, self.bp);
        let name = &bp.ledger;
        let found = self.retry.run(|_| dynamodb::table(client, name)).await?;
        let Some(table) = found else {
            if self.dry_run {
                let arn = bp.ledger_arn();
                return Ok(Provisioned::new(
                    "ledger-table",
                    name,
                    arn,
                    Change::WouldCreate,
                ));
            }
            let tags = bp.tags();
            let arn = self
                .retry
                .run(|_| dynamodb::create_table(client, name, &tags))
                .await?;
            self.wait_active(name).await?;
            self.retry
                .run(|_| dynamodb::enable_ttl(client, name, EXPIRES_AT))
                .await?;
            self.retry
                .run(|_| dynamodb::enable_pitr(client, name))
                .await?;
            return Ok(Provisioned::new("ledger-table", name, arn, Change::Created));
        };
        if table.key.as_ref().map(|(p, s)| (p.as_str(), s.as_str()))
            != Some((cartctl_core::ledger::PK, cartctl_core::ledger::SK))
        {
            return Err(Error::Conflict {
                what: format!(
                    "table `{name}` exists with another key than the ledger's (pk, sk: strings)"
                ),
                fix: "give setup another --name-prefix, or remove that table".into(),
            });
        }
        let ttl = self
            .retry
            .run(|_| dynamodb::ttl_attribute(client, name))
            .await?;
        let pitr = self.retry.run(|_| dynamodb::pitr(client, name)).await?;
        let ttl_off = ttl.as_deref() != Some(EXPIRES_AT);
        let change = pick(true, ttl_off || !pitr, self.dry_run);
        if !self.dry_run {
            if ttl_off {
                self.retry
                    .run(|_| dynamodb::enable_ttl(client, name, EXPIRES_AT))
                    .await?;
            }
            if !pitr {
                self.retry
                    .run(|_| dynamodb::enable_pitr(client, name))
                    .await?;
            }
        }
        Ok(Provisioned::new("ledger-table", name, table.arn, change))
    }

    /// Waits (bounded) until a new table is ACTIVE: until then it takes no TTL and no items.
    async fn wait_active(&self, name: &str) -> Result<()> {
        let client = &self.clients.dynamodb;
        let started = Instant::now();
        loop {
            let t = self.retry.run(|_| dynamodb::table(client, name)).await?;
            if t.as_ref().is_some_and(|t| t.status == "ACTIVE") {
                return Ok(());
            }
            if started.elapsed() > ACTIVE_WAIT {
                return Err(Error::Conflict {
                    what: format!(
                        "table `{name}` is not ACTIVE after {}s",
                        ACTIVE_WAIT.as_secs()
                    ),
                    fix: "run setup again in a minute".into(),
                });
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Removes the ledger table (every customer's state in it) when it is tagged as setup's.
    pub(super) async fn remove_ledger(&self) -> Result<Provisioned> {
        let (client, bp) = (&self.clients.dynamodb, self.bp);
        let name = &bp.ledger;
        let Some(table) = self.retry.run(|_| dynamodb::table(client, name)).await? else {
            return Ok(removed("ledger-table", name, bp.ledger_arn(), None));
        };
        let tags = self
            .retry
            .run(|_| dynamodb::tags(client, &table.arn))
            .await?;
        let ours = tags.get(TAG_KEY) == Some(&bp.prefix);
        if ours {
            self.retry
                .run(|_| dynamodb::delete_table(client, name))
                .await?;
        }
        Ok(removed("ledger-table", name, table.arn, Some(ours)))
    }
}
