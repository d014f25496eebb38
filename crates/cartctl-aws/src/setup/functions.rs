//! `setup --functions`: the consumer and mailer Lambda functions, each with its own role and an
//! SQS event source mapping from its queue; code and configuration updated only when they
//! changed. Teardown removes the mappings and functions tagged as setup's, then their roles.

use aws_sdk_lambda::Client;
use sha2::{Digest, Sha256};

use super::{Apply, Change, Provisioned, pick, removed};
use crate::sdk::lambda::{self, FunctionConfig, MappingSpec};
use cartctl_core::blueprint::{
    BATCH_SIZE, BATCHING_WINDOW_SECS, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECS, FunctionKind,
    FunctionsSpec, TAG_KEY,
};
use cartctl_core::error::{Error, Result};

/// How long setup waits for a function to finish applying an update.
const UPDATE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The two functions' zips (`scripts/build-lambdas`' `bootstrap.zip`s).
#[derive(Debug, Clone)]
pub struct Zips {
    /// The consumer's.
    pub consumer: Vec<u8>,
    /// The mailer's.
    pub mailer: Vec<u8>,
}

impl Zips {
    fn of(&self, kind: FunctionKind) -> &[u8] {
        match kind {
            FunctionKind::Consumer => &self.consumer,
            FunctionKind::Mailer => &self.mailer,
        }
    }
}

/// Lambda's `CodeSha256` of a zip: base64 of its SHA-256.
pub fn code_sha256(zip: &[u8]) -> String {
    aws_smithy_types::base64::encode(Sha256::digest(zip))
}

impl Apply<'_> {
    /// Both functions: role, function, mapping each; `record` sees each.
    pub(super) async fn ensure_functions(
        &self,
        client: &Client,
        spec: &FunctionsSpec,
        zips: &Zips,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<()> {
        for kind in FunctionKind::BOTH {
            let role = self.ensure_role(&self.bp.function_role(kind, spec)).await?;
            let config = FunctionConfig {
                role: role.arn.clone(),
                runtime: lambda::RUNTIME.to_owned(),
                handler: lambda::HANDLER.to_owned(),
                timeout: FUNCTION_TIMEOUT_SECS,
                memory: FUNCTION_MEMORY_MB,
                arch: spec.arch.as_str().to_owned(),
                env: self.bp.function_environment(kind, spec),
            };
            record(role);
            let function = self
                .ensure_function(client, kind, &config, zips.of(kind))
                .await?;
            let exists = function.change != Change::WouldCreate;
            record(function);
            record(self.ensure_mapping(client, kind, exists).await?);
        }
        Ok(())
    }

    /// A function: made from its zip, else its code uploaded when its hash differs and its
    /// configuration set when it differs (environment variables setup does not set are kept).
    async fn ensure_function(
        &self,
        client: &Client,
        kind: FunctionKind,
        want: &FunctionConfig,
        zip: &[u8],
    ) -> Result<Provisioned> {
        let name = self.bp.function_name(kind);
        let have = self.retry.run(|_| lambda::function(client, &name)).await?;
        let Some(have) = have else {
            let arn = self
                .bp
                .arn("lambda", &self.bp.region, &format!("function:{name}"));
            if self.dry_run {
                return Ok(Provisioned::new(
                    "function",
                    &name,
                    arn,
                    Change::WouldCreate,
                ));
            }
            let tags = self.bp.tags();
            let arn = self
                .retry
                .run(|_| lambda::create_function(client, &name, want, zip, &tags))
                .await?;
            return Ok(Provisioned::new("function", &name, arn, Change::Created));
        };
        let mut want = want.clone();
        let mut env = have.config.env.clone();
        env.extend(want.env);
        want.env = env;
        let code_differs = have.code_sha256 != code_sha256(zip) || have.config.arch != want.arch;
        let config_differs = have.config != want;
        if !self.dry_run {
            if code_differs {
                self.settled(client, &name).await?;
                self.retry
                    .run(|_| lambda::update_code(client, &name, &want.arch, zip))
                    .await?;
            }
            if config_differs {
                self.settled(client, &name).await?;
                self.retry
                    .run(|_| lambda::update_config(client, &name, &want))
                    .await?;
            }
        }
        let change = pick(true, code_differs || config_differs, self.dry_run);
        Ok(Provisioned::new("function", &name, have.arn, change))
    }

    /// Waits (bounded) until a function has applied its last update: Lambda refuses another
    /// until then.
    async fn settled(&self, client: &Client, name: &str) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            let f = self.retry.run(|_| lambda::function(client, name)).await?;
            if !f.is_some_and(|f| f.updating || f.state == "Pending") {
                return Ok(());
            }
            if started.elapsed() > UPDATE_WAIT {
                return Err(Error::Conflict {
                    what: format!(
                        "function {name} is still updating after {}s",
                        UPDATE_WAIT.as_secs()
                    ),
                    fix: "run setup again in a minute".into(),
                });
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }

    /// The function's mapping from its queue: enabled, reporting batch item failures, the
    /// batch size and window.
    async fn ensure_mapping(
        &self,
        client: &Client,
        kind: FunctionKind,
        exists: bool,
    ) -> Result<Provisioned> {
        let bp = self.bp;
        let name = bp.function_name(kind);
        let source = bp.queue_arn(bp.function_queue(kind));
        let label = format!("{} -> {name}", bp.function_queue(kind));
        let found = if exists {
            self.retry
                .run(|_| lambda::mappings(client, Some(&name), Some(&source)))
                .await?
        } else {
            Vec::new()
        };
        let want = MappingSpec {
            source: &source,
            function: &name,
            batch_size: BATCH_SIZE,
            window: BATCHING_WINDOW_SECS,
        };
        let have = found.first();
        let differs = have.is_some_and(|m| {
            m.batch_size != BATCH_SIZE
                || m.window != BATCHING_WINDOW_SECS
                || !m.reports_failures
                || !matches!(
                    m.state.as_str(),
                    "Enabled" | "Enabling" | "Creating" | "Updating"
                )
        });
        let change = pick(have.is_some(), differs, self.dry_run);
        let mut uuid = have.map(|m| m.uuid.clone()).unwrap_or_default();
        if !self.dry_run {
            match have {
                None => {
                    uuid = self
                        .retry
                        .run(|_| lambda::create_mapping(client, &want))
                        .await?
                }
                Some(m) if differs => {
                    self.retry
                        .run(|_| lambda::update_mapping(client, &m.uuid, &want))
                        .await?
                }
                Some(_) => {}
            }
        }
        let arn = bp.arn(
            "lambda",
            &bp.region,
            &format!("event-source-mapping:{uuid}"),
        );
        Ok(Provisioned::new(
            "event-source-mapping",
            &label,
            arn,
            change,
        ))
    }

    /// Removes each function setup made (its mappings first), then its role.
    pub(super) async fn remove_functions(
        &self,
        client: &Client,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<()> {
        for kind in FunctionKind::BOTH {
            let name = self.bp.function_name(kind);
            match self.retry.run(|_| lambda::function(client, &name)).await? {
                None => {
                    let arn = self
                        .bp
                        .arn("lambda", &self.bp.region, &format!("function:{name}"));
                    record(removed("function", &name, arn, None));
                }
                Some(f) => {
                    let ours = f.tags.get(TAG_KEY) == Some(&self.bp.prefix);
                    if ours {
                        for m in self
                            .retry
                            .run(|_| lambda::mappings(client, Some(&name), None))
                            .await?
                        {
                            self.retry
                                .run(|_| lambda::delete_mapping(client, &m.uuid))
                                .await?;
                        }
                        self.retry
                            .run(|_| lambda::delete_function(client, &name))
                            .await?;
                    }
                    record(removed("function", &name, f.arn, Some(ours)));
                }
            }
            record(self.remove_role(&name).await?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_sha256_is_lambdas() {
        // Lambda's CodeSha256 of an empty zip body, as `openssl dgst -sha256 -binary | base64` gives it.
        assert_eq!(
            code_sha256(b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }
}
