//! ARNs: splitting one into its parts, and the checks of the role and queue ARNs a reminder
//! carries (the patterns of the Scheduler service model).

use crate::error::{Error, Result};

/// The parts of an ARN, borrowed from the input.
#[derive(Debug, PartialEq, Eq)]
pub struct ArnParts<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub partition: &'a str,
    /// `iam`, `sqs`, `events`, …
    pub service: &'a str,
    /// The region (empty for IAM).
    pub region: &'a str,
    /// The 12-digit account id.
    pub account: &'a str,
    /// Everything after the account.
    pub resource: &'a str,
}

/// Splits an ARN into its parts, checking the partition (`aws` or `aws-…`) and the account id.
pub fn parse_arn(value: &str) -> Option<ArnParts<'_>> {
    let mut it = value.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
    ) else {
        return None;
    };
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        });
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let region_ok = region
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (partition_ok && account_ok && region_ok && !resource.is_empty()).then_some(ArnParts {
        partition,
        service,
        region,
        account,
        resource,
    })
}

/// Checks an IAM role ARN: `arn:aws(-x)?:iam::<12 digits>:role/<name>`.
pub fn check_role_arn(field: &str, value: &str) -> Result<()> {
    let ok = parse_arn(value).is_some_and(|a| {
        a.service == "iam"
            && a.region.is_empty()
            && a.resource
                .strip_prefix("role/")
                .is_some_and(|r| !r.is_empty() && !r.ends_with('/'))
    });
    if !ok {
        return Err(Error::invalid(
            field,
            format!("`{value}` is not an IAM role ARN"),
            "give one like arn:aws:iam::123456789012:role/cart-reminder-scheduler",
        ));
    }
    // The model's pattern: `role/[\w+=,.@/-]+`, where \w is Java's ASCII word class.
    let path = value.split_once(":role/").map_or("", |(_, r)| r);
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_+=,.@/-".contains(*c)))
    {
        return Err(Error::invalid(
            field,
            format!("the role name in `{value}` contains {c:?}"),
            "IAM role names and paths use letters, digits and + = , . @ _ / - only",
        ));
    }
    Ok(())
}

/// Checks an SQS queue ARN (a dead-letter queue): `arn:aws(-x)?:sqs:<region>:<12 digits>:<queue>`.
///
/// A FIFO queue (`….fifo`) is refused: Scheduler sends dead letters to standard queues only
/// (the model's pattern has no `.`), and AWS would refuse the schedule.
pub fn check_sqs_arn(field: &str, value: &str) -> Result<()> {
    if value.ends_with(".fifo") && parse_arn(value).is_some_and(|a| a.service == "sqs") {
        return Err(Error::invalid(
            field,
            format!(
                "`{value}` is a FIFO queue; Scheduler sends dead letters to standard queues only"
            ),
            "give a standard queue (its name does not end in .fifo)",
        ));
    }
    let ok = parse_arn(value).is_some_and(|a| {
        a.service == "sqs"
            && !a.region.is_empty()
            && a.resource.len() <= 80
            && a.resource
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not an SQS queue ARN"),
            "give one like arn:aws:sqs:us-east-1:123456789012:cart-reminders-dlq",
        ))
    }
}

/// Checks an SQS queue ARN's shape, FIFO queues included (for `doctor`, which reports a FIFO
/// dead-letter queue as a failed check rather than refusing the input).
pub fn check_any_sqs_arn(field: &str, value: &str) -> Result<()> {
    check_sqs_arn(field, value.strip_suffix(".fifo").unwrap_or(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        for ok in [
            "arn:aws:iam::123456789012:role/cart-reminder",
            "arn:aws-cn:iam::123456789012:role/path/to/r",
            "arn:aws-us-gov:iam::123456789012:role/r",
        ] {
            assert!(check_role_arn("--role-arn", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "role/r",
            "arn:aws:iam::12345678901:role/r",
            "arn:aws:iam::1234567890123:role/r",
            "arn:aws:iam::123456789012:user/r",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam:us-east-1:123456789012:role/r",
            "arn:gcp:iam::123456789012:role/r",
            "arn:aws:sts::123456789012:role/r",
            "arn:aws:iam::123456789012:role/has space",
            "arn:aws:iam::123456789012:role/r#1",
            "arn:aws:iam::123456789012:role/rôle",
        ] {
            assert!(check_role_arn("--role-arn", bad).is_err(), "{bad}");
        }
        assert!(
            check_role_arn(
                "--role-arn",
                "arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h"
            )
            .is_ok()
        );
    }

    #[test]
    fn sqs_arns() {
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sqs:eu-west-1:123456789012:dlq").is_ok());
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sqs:eu-west-1:123456789012:q.fifo").is_err());
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sqs::123456789012:dlq").is_err());
        assert!(check_sqs_arn("--dlq-arn", "arn:aws:sns:eu-west-1:123456789012:t").is_err());
        assert!(check_sqs_arn("--dlq-arn", "https://sqs.eu-west-1.amazonaws.com/1/q").is_err());
    }
}
