//! The Lambda functions' checks (`setup --functions`): what consumes each queue. For the carts
//! queue, `consumer-mapping` (an enabled event source mapping that reports batch item failures)
//! and `consumer-function` (it is active, and its `CARTCTL_*` environment names this bus, group
//! and role); the same for the e-mail queue as `mailer-mapping` and `mailer-function` (its
//! sender is set). A queue no function consumes is skipped: a worker may consume it instead.

use aws_sdk_lambda::Client;

use super::{Check, Found, error_check};
use crate::sdk::{Clients, lambda};
use cartctl_core::blueprint::FunctionKind;
use cartctl_core::setting;

const FIX: &str = "run `cartctl setup --functions DIR` (DIR from scripts/build-lambdas)";

/// The checks of one function kind: `consumer` on the carts queue, `mailer` on the e-mail queue.
pub(super) async fn check_functions(clients: &Clients, found: &Found<'_>) -> Vec<Check> {
    let client = Client::new(clients.config());
    let mut checks = Vec::new();
    let sides = [
        (
            FunctionKind::Consumer,
            "consumer-mapping",
            "consumer-function",
            &found.req.carts_queue,
        ),
        (
            FunctionKind::Mailer,
            "mailer-mapping",
            "mailer-function",
            &found.req.email_queue,
        ),
    ];
    for (kind, mapping_check, function_check, queue) in sides {
        let Some(queue) = queue.as_deref() else {
            checks.push(Check::skip(mapping_check, "no queue is configured"));
            continue;
        };
        let name = queue.rsplit('/').next().unwrap_or(queue);
        let arn = found.arn("sqs", name);
        let mappings = match lambda::mappings(&client, None, Some(&arn)).await {
            Ok(m) => m,
            Err(e) => {
                checks.push(Check::skip(
                    mapping_check,
                    format!("Lambda could not be asked: {}", e.one_line()),
                ));
                continue;
            }
        };
        let Some(m) = mappings.first() else {
            checks.push(Check::skip(
                mapping_check,
                format!("no function consumes {name} (a worker may; {FIX} deploys one)"),
            ));
            continue;
        };
        checks.push(if !m.reports_failures {
            Check::fail(mapping_check, format!("the mapping from {name} does not report batch item failures: one bad record fails its whole batch"), FIX)
        } else if !matches!(m.state.as_str(), "Enabled" | "Enabling" | "Creating" | "Updating") {
            Check::fail(mapping_check, format!("the mapping from {name} is {}", m.state), FIX)
        } else {
            Check::ok(mapping_check, format!("{name} feeds {} in batches of {}, reporting batch item failures", m.function, m.batch_size))
        });
        checks.push(check_function(&client, kind, function_check, &m.function, found).await);
    }
    checks
}

async fn check_function(
    client: &Client,
    kind: FunctionKind,
    check: &'static str,
    arn: &str,
    found: &Found<'_>,
) -> Check {
    let f = match lambda::function(client, arn).await {
        Ok(Some(f)) => f,
        Ok(None) => return Check::fail(check, format!("function {arn} does not exist"), FIX),
        Err(e) => return error_check(check, e),
    };
    if f.state != "Active" {
        return Check::fail(
            check,
            format!("function {arn} is {}", f.state),
            "see its StateReason in the Lambda console",
        );
    }
    let env = |key: &str| f.config.env.get(&setting::env_var(key)).map(String::as_str);
    let req = found.req;
    let mut wrong = Vec::new();
    if env(setting::EVENT_BUS.key).unwrap_or("default") != req.bus {
        wrong.push(format!("CARTCTL_EVENT_BUS is not {}", req.bus));
    }
    if kind == FunctionKind::Consumer {
        if env(setting::SCHEDULE_GROUP.key).unwrap_or("default") != req.group {
            wrong.push(format!("CARTCTL_SCHEDULE_GROUP is not {}", req.group));
        }
        if req.role_arn.is_some() && env(setting::SCHEDULER_ROLE_ARN.key) != req.role_arn.as_deref()
        {
            wrong.push("CARTCTL_SCHEDULER_ROLE_ARN is not the configured role".into());
        }
    } else if env(setting::MAIL_FROM.key).is_none() {
        wrong.push("CARTCTL_MAIL_FROM is not set".into());
    }
    if wrong.is_empty() {
        Check::ok(
            check,
            format!("function {arn} is active, configured for this bus"),
        )
    } else {
        Check::fail(check, format!("function {arn}: {}", wrong.join("; ")), FIX)
    }
}
