//! The one entry point to AWS: a [`Session`] owns the service clients (connected on first use),
//! the retry limits and the pace every request waits for, and offers one method per operation
//! of the reminder flow. Commands, the consumer Lambda and tests build typed requests, make one
//! session call, and get data back; nothing here prints.
//!
//! Every method checks what it needs first (the schedule group exists, the bus resolves) with
//! the same retries as the operation itself, so a caller never repeats that preamble.

use std::sync::Arc;

use tokio::sync::OnceCell;

use cartctl_core::bus::BusRef;
use cartctl_core::error::Result;

use crate::retry::{Retrier, RetryLimits};
use crate::sdk::{AwsSettings, Clients, events, iam, scheduler};

/// A listener told each secret (secret key, session token) of the credentials once they are
/// loaded, so a log writer can mask them whatever their source.
type SecretListener = Box<dyn Fn(&str) + Send + Sync>;

/// Clients, retries and pace for one run (see the module documentation).
pub struct Session {
    aws: AwsSettings,
    retry: Retrier,
    clients: Arc<OnceCell<Clients>>,
    on_secret: Option<Arc<SecretListener>>,
    /// Groups already found to exist, so each is checked once per session.
    groups_seen: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("aws", &self.aws)
            .field("retry", &self.retry)
            .field("connected", &self.clients.initialized())
            .finish()
    }
}

impl Session {
    /// A session for `aws`, retrying each item within `limits`; nothing is connected yet.
    pub fn new(aws: AwsSettings, limits: RetryLimits) -> Session {
        Session {
            aws,
            retry: Retrier::new(limits),
            clients: Arc::default(),
            on_secret: None,
            groups_seen: Arc::default(),
        }
    }

    /// Tells `listener` every secret of the credentials once they are loaded.
    pub fn on_secret(mut self, listener: impl Fn(&str) + Send + Sync + 'static) -> Session {
        self.on_secret = Some(Arc::new(Box::new(listener)));
        self
    }

    /// This session for work that must end by `deadline` (a Lambda invocation's): the same
    /// clients, pace and concurrency, every request and backoff ended by then (see
    /// [`Retrier::until`]).
    pub fn until(&self, deadline: tokio::time::Instant) -> Session {
        Session {
            aws: self.aws.clone(),
            retry: self.retry.until(deadline),
            clients: self.clients.clone(),
            on_secret: self.on_secret.clone(),
            groups_seen: self.groups_seen.clone(),
        }
    }

    /// Where the session connects.
    pub fn aws(&self) -> &AwsSettings {
        &self.aws
    }

    /// Sets the concurrency controller every request of the session goes through: adaptive up
    /// to `cap`, or fixed at `cap`.
    pub fn set_concurrency(&self, cap: usize, fixed: bool) {
        self.retry.limiter().configure(cap, fixed);
    }

    /// The retries and pace every operation of this session shares.
    pub(crate) fn retrier(&self) -> &Retrier {
        &self.retry
    }

    /// The clients, connected on first use.
    pub(crate) async fn clients(&self) -> Result<&Clients> {
        self.clients
            .get_or_try_init(|| async {
                let clients = Clients::connect(&self.aws).await?;
                if let Some(listener) = &self.on_secret {
                    for secret in clients.secrets().await {
                        listener(&secret);
                    }
                }
                Ok(clients)
            })
            .await
    }

    /// The ARN of `bus` (a name is looked up with DescribeEventBus).
    pub async fn bus_arn(&self, bus: &BusRef) -> Result<String> {
        let events = &self.clients().await?.events;
        self.retry
            .run(|_| events::resolve_bus_arn(events, bus))
            .await
    }

    /// Connects now (loads the configuration and credentials), so a caller can fail before it
    /// starts its output.
    pub async fn connect(&self) -> Result<()> {
        self.clients().await.map(|_| ())
    }

    /// Fails with "not found" (exit 4) when `group` does not exist, so a misspelt group is not
    /// taken for an empty one. Asks the service once per group and session.
    pub async fn check_group(&self, group: &str) -> Result<()> {
        let seen = |g: &str| {
            let set = self.groups_seen.lock().unwrap_or_else(|e| e.into_inner());
            set.contains(g)
        };
        if seen(group) {
            return Ok(());
        }
        let client = &self.clients().await?.scheduler;
        self.retry
            .run(|_| scheduler::ensure_group(client, group))
            .await?;
        let mut set = self.groups_seen.lock().unwrap_or_else(|e| e.into_inner());
        set.insert(group.to_owned());
        Ok(())
    }

    /// Who is calling, and in which account (GetCallerIdentity).
    pub(crate) async fn caller(&self) -> Result<iam::Caller> {
        let clients = self.clients().await?;
        self.retry.run(|_| iam::caller(&clients.sts)).await
    }

    /// The region the clients call.
    pub(crate) async fn region(&self) -> Result<String> {
        let clients = self.clients().await?;
        Ok(clients
            .config()
            .region()
            .map(|r| r.to_string())
            .unwrap_or_default())
    }
}
