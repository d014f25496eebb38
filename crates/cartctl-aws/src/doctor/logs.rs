//! Log checks: a function's log group (`consumer-logs`, `mailer-logs`: it exists, keeps its
//! events for a bounded time, the function writes JSON lines to it, and its role may write
//! there) and the API's access log (`api-logs`). Without them a function cannot log at all on
//! an account (nothing makes its group, and its role may not), or keeps every line forever.

use aws_sdk_cloudwatchlogs::Client;
use serde_json::Value;

use super::{Check, Found, error_check};
use crate::sdk::logs;
use cartctl_core::blueprint::LOG_FORMAT;
use cartctl_core::policy::{self, Decision};

/// What writes to a log group, for its check: the role's policies and who it is.
pub(super) struct Writer<'a> {
    /// The role's policy documents.
    pub docs: &'a [Value],
    /// How the check names it (`role cartctl-shop-consumer`).
    pub who: String,
}

/// `check`: the log group `name` exists with a retention; `writer` may write to it.
pub(super) async fn check_log_group(
    client: &Client,
    check: &'static str,
    name: &str,
    writer: Option<Writer<'_>>,
    found: &Found<'_>,
    fix: &str,
) -> Check {
    let group = match logs::log_group(client, name).await {
        Ok(Some(g)) => g,
        Ok(None) => {
            return Check::fail(
                check,
                format!("log group {name} does not exist: nothing is logged"),
                fix,
            );
        }
        Err(e) => return error_check(check, e),
    };
    if let Some(w) = writer {
        let stream = found.arn("logs", &format!("log-group:{name}:log-stream:doctor"));
        for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
            if policy::evaluate(w.docs, action, &stream) != Decision::Allowed {
                return Check::fail(
                    check,
                    format!("{} may not {action} in {name}: it cannot log", w.who),
                    format!("allow {action} on {} ({fix})", group_streams(&group.arn)),
                );
            }
        }
    }
    match group.retention_days {
        None => Check::warn(
            check,
            format!("log group {name} keeps its events forever"),
            format!("set a retention ({fix} with --log-retention DAYS)"),
        ),
        Some(days) => Check::ok(check, format!("log group {name}, kept {days} days")),
    }
}

/// The ARN of a group's streams: the group's ARN and `:*`.
fn group_streams(arn: &str) -> String {
    format!("{}:*", arn.trim_end_matches(":*"))
}

/// The group's name in a log group ARN (`…:log-group:NAME` or `…:log-group:NAME:*`).
pub(super) fn group_name(arn: &str) -> Option<&str> {
    let (_, rest) = arn.split_once(":log-group:")?;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

/// The function writes JSON lines (`LoggingConfig.LogFormat`), which Logs Insights reads by
/// field; a warning otherwise.
pub(super) fn check_format(check: &'static str, format: &str, fix: &str) -> Option<Check> {
    (format != LOG_FORMAT).then(|| {
        Check::warn(
            check,
            format!("the function's log format is {format}, not {LOG_FORMAT}: its lines are not queryable by field"),
            fix,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_named_by_its_arn_with_or_without_streams() {
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f";
        assert_eq!(group_name(arn), Some("/aws/lambda/f"));
        assert_eq!(group_name(&format!("{arn}:*")), Some("/aws/lambda/f"));
        assert_eq!(group_name("arn:aws:sqs:us-east-1:1:q"), None);
        assert_eq!(group_streams(arn), format!("{arn}:*"));
        assert_eq!(group_streams(&format!("{arn}:*")), format!("{arn}:*"));
    }
}
