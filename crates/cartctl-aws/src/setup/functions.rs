//! `setup --functions`: the consumer and mailer Lambda functions, each with its own role, its
//! log group (made first, with a retention; the function logs JSON lines to it) and an SQS
//! event source mapping from its queue (the mailer's bounded to `--mailer-concurrency`
//! batches); code and configuration updated only when they changed. Teardown removes the
//! mappings and functions tagged as setup's, their log groups, then their roles: a function
//! that is not setup's keeps its role, and one whose tags cannot be read stops the teardown.

use aws_sdk_lambda::Client;
use sha2::{Digest, Sha256};

use super::{Apply, Change, Provisioned, pick, removed};
use crate::sdk::lambda::{self, FunctionConfig, MappingSpec};
use cartctl_core::blueprint::{
    BATCH_SIZE, BATCHING_WINDOW_SECS, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECS, FunctionKind,
    FunctionsSpec, LOG_FORMAT, TAG_KEY,
};
use cartctl_core::error::{AwsErrorKind, Error, Result};

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
    /// Both functions: role, log group, function, mapping each; `record` sees each.
    pub(super) async fn ensure_functions(
        &self,
        client: &Client,
        logs: &aws_sdk_cloudwatchlogs::Client,
        spec: &FunctionsSpec,
        zips: &Zips,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<()> {
        for kind in FunctionKind::BOTH {
            let role = self.ensure_role(&self.bp.function_role(kind, spec)).await?;
            let log_group = self.bp.log_group(kind);
            let config = FunctionConfig {
                role: role.arn.clone(),
                runtime: lambda::RUNTIME.to_owned(),
                handler: lambda::HANDLER.to_owned(),
                timeout: FUNCTION_TIMEOUT_SECS,
                memory: FUNCTION_MEMORY_MB,
                arch: spec.arch.as_str().to_owned(),
                env: self.bp.function_environment(kind, spec),
                log_format: LOG_FORMAT.to_owned(),
                log_group: log_group.clone(),
            };
            record(role);
            record(
                self.ensure_log_group(logs, &log_group, spec.log_retention_days)
                    .await?,
            );
            let function = self
                .ensure_function(client, kind, &config, zips.of(kind))
                .await?;
            let exists = function.change != Change::WouldCreate;
            record(function);
            let bound = (kind == FunctionKind::Mailer).then_some(spec.mailer_concurrency);
            record(self.ensure_mapping(client, kind, exists, bound).await?);
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
    /// batch size and window, and at most `max_concurrency` batches at once when bounded.
    async fn ensure_mapping(
        &self,
        client: &Client,
        kind: FunctionKind,
        exists: bool,
        max_concurrency: Option<i32>,
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
            max_concurrency,
        };
        let have = found.first();
        let differs = have.is_some_and(|m| {
            m.batch_size != BATCH_SIZE
                || m.window != BATCHING_WINDOW_SECS
                || m.max_concurrency != max_concurrency
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

    /// Removes each function setup made (its mappings first), its log group (unless
    /// `keep_logs`), then its role. The role of a function that is not setup's is kept.
    pub(super) async fn remove_functions(
        &self,
        client: &Client,
        logs: &aws_sdk_cloudwatchlogs::Client,
        keep_logs: bool,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<()> {
        for kind in FunctionKind::BOTH {
            let name = self.bp.function_name(kind);
            let kept = match self.retry.run(|_| lambda::function(client, &name)).await? {
                None => {
                    let arn = self
                        .bp
                        .arn("lambda", &self.bp.region, &format!("function:{name}"));
                    record(removed("function", &name, arn, None));
                    false
                }
                Some(f) => {
                    let ours = self.function_is_ours(client, &f.arn).await?;
                    if ours {
                        self.remove_function(client, &name).await?;
                    }
                    record(removed("function", &name, f.arn, Some(ours)));
                    !ours
                }
            };
            record(
                self.remove_log_group(logs, &self.bp.log_group(kind), keep_logs || kept)
                    .await?,
            );
            if kept {
                let mut role = removed(
                    "role",
                    &name,
                    self.bp.arn("iam", "", &format!("role/{name}")),
                    Some(false),
                );
                role.note = Some(format!(
                    "kept: function {name} is not setup's and may use it"
                ));
                record(role);
            } else {
                record(self.remove_role(&name).await?);
            }
        }
        Ok(())
    }

    /// Whether the function is tagged as setup's. Its tags come from ListTags: a caller
    /// without `lambda:ListTags` cannot tell, and teardown stops rather than guess.
    async fn function_is_ours(&self, client: &Client, arn: &str) -> Result<bool> {
        let tags = self
            .retry
            .run(|_| lambda::tags(client, arn))
            .await
            .map_err(|e| match e {
                Error::Aws(a) if a.kind == AwsErrorKind::Client && a.code.contains("AccessDenied") => {
                    Error::Aws(cartctl_core::error::AwsError {
                        fix: format!(
                            "allow lambda:ListTags on {arn} to the caller: without it teardown cannot tell whether setup made the function, and stops before deleting anything of it"
                        ),
                        ..a
                    })
                }
                other => other,
            })?;
        Ok(tags.get(TAG_KEY) == Some(&self.bp.prefix))
    }

    /// Deletes a function's mappings, then the function.
    async fn remove_function(&self, client: &Client, name: &str) -> Result<()> {
        for m in self
            .retry
            .run(|_| lambda::mappings(client, Some(name), None))
            .await?
        {
            self.retry
                .run(|_| lambda::delete_mapping(client, &m.uuid))
                .await?;
        }
        self.retry
            .run(|_| lambda::delete_function(client, name))
            .await
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
