//! The Lambda functions' checks (`setup --functions`): what consumes each queue. For the carts
//! queue, `consumer-queue` (its visibility timeout outlasts six function timeouts and the
//! batching window, as AWS asks), `consumer-mapping` (an enabled event source mapping that
//! reports batch item failures), `consumer-function` (it is active, and its `CARTCTL_*`
//! environment names this bus, group and role) and `consumer-logs` (its log group exists with
//! a retention, gets JSON lines, and its role may write there); the same for the e-mail queue
//! as `mailer-…` (its sender is set). A queue no function consumes is checked against the
//! functions setup would make, and its mapping and function checks are skipped: a worker may
//! consume it instead.

use aws_sdk_lambda::Client;

use super::logs::{Writer, check_format, check_log_group};
use super::{Check, Found, error_check};
use crate::sdk::{Clients, iam, lambda, sqs};
use cartctl_core::blueprint::{BATCHING_WINDOW_SECS, FUNCTION_TIMEOUT_SECS, FunctionKind};
use cartctl_core::setting;

const FIX: &str = "run `cartctl setup --functions DIR` (DIR from scripts/build-lambdas)";

/// The names of one kind's checks.
struct Names {
    queue: &'static str,
    mapping: &'static str,
    function: &'static str,
    logs: &'static str,
    ledger: &'static str,
}

fn names(kind: FunctionKind) -> Names {
    match kind {
        FunctionKind::Consumer => Names {
            queue: "consumer-queue",
            mapping: "consumer-mapping",
            function: "consumer-function",
            logs: "consumer-logs",
            ledger: "consumer-ledger",
        },
        FunctionKind::Mailer => Names {
            queue: "mailer-queue",
            mapping: "mailer-mapping",
            function: "mailer-function",
            logs: "mailer-logs",
            ledger: "mailer-ledger",
        },
    }
}

/// The checks of both functions: `consumer-…` on the carts queue, `mailer-…` on the e-mail queue.
pub(super) async fn check_functions(clients: &Clients, found: &Found<'_>) -> Vec<Check> {
    let client = Client::new(clients.config());
    let logs = aws_sdk_cloudwatchlogs::Client::new(clients.config());
    let mut checks = Vec::new();
    for kind in FunctionKind::BOTH {
        let queue = match kind {
            FunctionKind::Consumer => &found.req.carts_queue,
            FunctionKind::Mailer => &found.req.email_queue,
        };
        let n = names(kind);
        let Some(queue) = queue.as_deref() else {
            checks.push(Check::skip(n.mapping, "no queue is configured"));
            continue;
        };
        let name = queue.rsplit('/').next().unwrap_or(queue);
        let arn = found.arn("sqs", name);
        let mapping = match lambda::mappings(&client, None, Some(&arn)).await {
            Ok(m) => m.into_iter().next(),
            Err(e) => {
                checks.push(Check::skip(
                    n.mapping,
                    format!("Lambda could not be asked: {}", e.one_line()),
                ));
                continue;
            }
        };
        let function = match &mapping {
            Some(m) => lambda::function(&client, &m.function).await,
            None => Ok(None),
        };
        let timeout = match &function {
            Ok(Some(f)) => f.config.timeout,
            _ => FUNCTION_TIMEOUT_SECS,
        };
        checks.push(check_queue(clients, n.queue, queue, timeout).await);
        let Some(m) = mapping else {
            checks.push(Check::skip(
                n.mapping,
                format!("no function consumes {name} (a worker may; {FIX} deploys one)"),
            ));
            continue;
        };
        checks.push(check_mapping(n.mapping, name, &m));
        match function {
            Ok(Some(f)) => {
                checks.push(check_function(kind, n.function, &f, found));
                checks.extend(check_role_uses(clients, &logs, (n.logs, n.ledger), &f, found).await);
            }
            Ok(None) => checks.push(Check::fail(
                n.function,
                format!("function {} does not exist", m.function),
                FIX,
            )),
            Err(e) => checks.push(error_check(n.function, e)),
        }
    }
    checks
}

/// `<kind>-queue`: the queue's visibility timeout outlasts six times the consuming function's
/// timeout plus the batching window, so a batch still running (or retried after a throttled
/// invocation) is not handed out again meanwhile.
async fn check_queue(clients: &Clients, check: &'static str, queue: &str, timeout: i32) -> Check {
    let least = i64::from(6 * timeout + BATCHING_WINDOW_SECS);
    let url = match sqs::resolve_url(&clients.sqs, queue).await {
        Ok(Some(u)) => u,
        Ok(None) => return Check::fail(check, format!("queue {queue} does not exist"), FIX),
        Err(e) => return error_check(check, e),
    };
    let attributes = match sqs::attributes(&clients.sqs, &url).await {
        Ok(a) => a,
        Err(e) => return error_check(check, e),
    };
    let have: i64 = attributes
        .get("VisibilityTimeout")
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    if have < least {
        return Check::fail(
            check,
            format!(
                "{queue}'s visibility timeout is {have}s, under six times the function's {timeout}s timeout and the batching window ({least}s): messages of a batch still running come back and are handled twice"
            ),
            format!(
                "set its VisibilityTimeout to {least} or more (`aws sqs set-queue-attributes --attributes VisibilityTimeout={least}`; `cartctl setup` does on queues it made)"
            ),
        );
    }
    Check::ok(
        check,
        format!("{queue} hides a message {have}s (at least {least}s)"),
    )
}

/// `<kind>-mapping`: enabled, reporting batch item failures.
fn check_mapping(check: &'static str, queue: &str, m: &lambda::Mapping) -> Check {
    if !m.reports_failures {
        return Check::fail(
            check,
            format!(
                "the mapping from {queue} does not report batch item failures: one bad record fails its whole batch"
            ),
            FIX,
        );
    }
    if !matches!(
        m.state.as_str(),
        "Enabled" | "Enabling" | "Creating" | "Updating"
    ) {
        return Check::fail(
            check,
            format!("the mapping from {queue} is {}", m.state),
            FIX,
        );
    }
    let bound = m
        .max_concurrency
        .map_or(String::new(), |n| format!(", at most {n} at once"));
    Check::ok(
        check,
        format!(
            "{queue} feeds {} in batches of {}{bound}, reporting batch item failures",
            m.function, m.batch_size
        ),
    )
}

/// `<kind>-function`: active (a new one is `Pending` for a few seconds), configured for this
/// bus (and group and role, or sender).
fn check_function(
    kind: FunctionKind,
    check: &'static str,
    f: &lambda::Function,
    found: &Found<'_>,
) -> Check {
    let arn = &f.arn;
    match f.state.as_str() {
        "Active" => {}
        "Pending" => {
            return Check::warn(
                check,
                format!(
                    "function {arn} is still being created (Pending): Lambda makes it Active within seconds"
                ),
                "run `cartctl doctor` again in a minute",
            );
        }
        other => {
            return Check::fail(
                check,
                format!("function {arn} is {other}"),
                "see its StateReason in the Lambda console",
            );
        }
    }
    let env = |s: &setting::Setting| f.config.env.get(s.env).map(String::as_str);
    let req = found.req;
    let mut wrong = Vec::new();
    let (bus, group, role, from) = (
        &setting::EVENT_BUS,
        &setting::SCHEDULE_GROUP,
        &setting::SCHEDULER_ROLE_ARN,
        &setting::MAIL_FROM,
    );
    if env(bus).unwrap_or("default") != req.bus {
        wrong.push(format!("{} is not {}", bus.env, req.bus));
    }
    if kind == FunctionKind::Consumer {
        if env(group).unwrap_or("default") != req.group {
            wrong.push(format!("{} is not {}", group.env, req.group));
        }
        if req.role_arn.is_some() && env(role) != req.role_arn.as_deref() {
            wrong.push(format!("{} is not the configured role", role.env));
        }
    } else if env(from).is_none() {
        wrong.push(format!("{} is not set", from.env));
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

/// `<kind>-logs` (the function's log group exists with a retention, gets JSON lines, and the
/// function's role may write there) and `<kind>-ledger` (its role may keep the ledger).
async fn check_role_uses(
    clients: &Clients,
    logs: &aws_sdk_cloudwatchlogs::Client,
    (logs_check, ledger_check): (&'static str, &'static str),
    f: &lambda::Function,
    found: &Found<'_>,
) -> Vec<Check> {
    let role = super::role::role_name(&f.config.role);
    let docs = match iam::role_policies(&clients.iam, role).await {
        Ok(d) => d,
        Err(e) => return vec![error_check(logs_check, e)],
    };
    let who = format!("role {role}");
    let writer = Writer {
        docs: &docs,
        who: who.clone(),
    };
    let group = &f.config.log_group;
    let mut logs_ok = check_log_group(logs, logs_check, group, Some(writer), found, FIX).await;
    if logs_ok.status == super::Status::Ok {
        logs_ok = check_format(logs_check, &f.config.log_format, FIX).unwrap_or(logs_ok);
    }
    vec![
        logs_ok,
        super::ledger::check_role(ledger_check, &docs, &who, found),
    ]
}
