//! `stats`: what CloudWatch counted for the reminder flow over a window — Scheduler's metrics
//! for the schedule group (`AWS/Scheduler`), the e-mail rule's (`AWS/Events`), and cartctl's
//! own (namespace `cartctl`, from the functions' and workers' EMF lines: reminders scheduled
//! and cancelled, e-mails by outcome, checkouts recovered) — with a one-line verdict and the
//! recovery rate.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::retry::Retrier;
use crate::sdk::Clients;
use crate::sdk::cloudwatch::{self, MetricQuery};
use crate::session::Session;
use cartctl_core::error::Result;
use cartctl_core::metrics::DIMENSIONS;

/// Scheduler's metrics for a schedule group, as the Scheduler user guide lists them.
pub const SCHEDULER_METRICS: [&str; 8] = [
    "InvocationAttemptCount",
    "TargetErrorCount",
    "TargetErrorThrottledCount",
    "InvocationThrottleCount",
    "InvocationDroppedCount",
    "InvocationsSentToDeadLetterCount",
    "InvocationsFailedToBeSentToDeadLetterCount",
    "InvocationsSentToDeadLetterCount_Truncated_MessageSizeExceeded",
];
/// The e-mail rule's metrics.
pub const RULE_METRICS: [&str; 2] = ["Invocations", "FailedInvocations"];

/// cartctl's own metrics that `stats` reads, each as (metric, kind, outcome): the EMF lines'
/// dimensions are exact in CloudWatch, so each combination is a metric of its own.
pub const OWN_METRICS: [(&str, &str, &str); 14] = [
    ("reminders_scheduled", "add", "created"),
    ("reminders_scheduled", "add", "rescheduled"),
    ("reminders_cancelled", "remove", "deleted"),
    ("reminders_cancelled", "checkout", "deleted"),
    (RECORDS, "reminder", SENT),
    (RECORDS, "reminder", "maybe_sent"),
    (RECORDS, "reminder", "held_out"),
    (RECORDS, "reminder", "cancelled"),
    (RECORDS, "reminder", "skipped"),
    (RECORDS, "reminder", "suppressed"),
    (RECORDS, "reminder", "unsubscribed"),
    (RECORDS, "reminder", "already_sent"),
    (RECOVERED, "checkout", "deleted"),
    ("recovered_held_out", "checkout", "deleted"),
];
const RECORDS: &str = cartctl_core::metrics::RECORDS;
const SENT: &str = "sent";
const RECOVERED: &str = "recovered";

/// What to count.
#[derive(Debug, Clone)]
pub struct StatsRequest {
    /// The schedule group.
    pub group: String,
    /// The bus the e-mail rule is on.
    pub bus: String,
    /// The e-mail rule.
    pub rule: String,
    /// The window's start.
    pub since: DateTime<Utc>,
    /// The window's end.
    pub until: DateTime<Utc>,
}

/// One metric's sum over the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSum {
    /// `AWS/Scheduler`, `AWS/Events` or `cartctl`.
    pub namespace: &'static str,
    /// The metric.
    pub metric: &'static str,
    /// Its dimensions, for cartctl's own (`kind`, `outcome`); AWS's are the group's and the
    /// rule's.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<&'static str, String>,
    /// Its sum.
    pub sum: f64,
}

/// The result of `stats`, in the shape of its JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The window's start, RFC 3339.
    pub since: String,
    /// The window's end.
    pub until: String,
    /// The schedule group.
    pub group: String,
    /// The e-mail rule.
    pub rule: String,
    /// Every metric's sum.
    pub metrics: Vec<MetricSum>,
    /// One line: what went wrong and what to run, or that nothing did.
    pub verdict: String,
    /// Checkouts recovered per reminder e-mail sent in the window (none without a send).
    pub recovery_rate: Option<f64>,
}

impl Stats {
    /// The sum of `metric`.
    pub fn sum(&self, metric: &str) -> f64 {
        self.metrics
            .iter()
            .find(|m| m.metric == metric)
            .map_or(0.0, |m| m.sum)
    }

    /// The sum of cartctl's own `metric` for `kind` and `outcome`.
    pub fn own(&self, metric: &str, kind: &str, outcome: &str) -> f64 {
        let dims = |m: &MetricSum| {
            m.dimensions.get("kind").map(String::as_str) == Some(kind)
                && m.dimensions.get("outcome").map(String::as_str) == Some(outcome)
        };
        self.metrics
            .iter()
            .filter(|m| m.namespace == cartctl_core::metrics::NAMESPACE && m.metric == metric)
            .filter(|m| dims(m))
            .map(|m| m.sum)
            .sum()
    }

    /// Reminder e-mails sent in the window.
    pub fn emails_sent(&self) -> f64 {
        self.own(RECORDS, "reminder", SENT)
    }

    /// Checkouts recovered in the window (a reminder e-mail within the attribution window
    /// before them).
    pub fn recovered(&self) -> f64 {
        self.own(RECOVERED, "checkout", "deleted")
    }
}

/// Recovered checkouts per e-mail sent; none when nothing was sent.
pub fn recovery_rate(recovered: f64, sent: f64) -> Option<f64> {
    (sent > 0.0).then(|| recovered / sent)
}

fn queries(req: &StatsRequest) -> Vec<MetricQuery> {
    let mut q: Vec<MetricQuery> = SCHEDULER_METRICS
        .iter()
        .map(|m| MetricQuery {
            namespace: "AWS/Scheduler",
            metric: m,
            dimensions: vec![("ScheduleGroup", req.group.clone())],
        })
        .collect();
    let mut rule_dims = vec![("RuleName", req.rule.clone())];
    if req.bus != "default" {
        rule_dims.insert(0, ("EventBusName", req.bus.clone()));
    }
    q.extend(RULE_METRICS.iter().map(|m| MetricQuery {
        namespace: "AWS/Events",
        metric: m,
        dimensions: rule_dims.clone(),
    }));
    q.extend(OWN_METRICS.iter().map(|(m, kind, outcome)| MetricQuery {
        namespace: cartctl_core::metrics::NAMESPACE,
        metric: m,
        dimensions: vec![
            (DIMENSIONS[0], (*kind).to_owned()),
            (DIMENSIONS[1], (*outcome).to_owned()),
        ],
    }));
    q
}

/// A query's sum, with cartctl's own dimensions kept.
fn summed(q: &MetricQuery, sum: f64) -> MetricSum {
    // Only cartctl's own metrics are reported by dimension; AWS's are the flow's, whole.
    let dimensions = if q.namespace == cartctl_core::metrics::NAMESPACE {
        q.dimensions.iter().map(|(k, v)| (*k, v.clone())).collect()
    } else {
        BTreeMap::new()
    };
    MetricSum {
        namespace: q.namespace,
        metric: q.metric,
        dimensions,
        sum,
    }
}

/// The period of one data point covering the window `since`..`until`, as CloudWatch takes it
/// for data that old (on `now`): a multiple of 60 s, of 300 s when the window starts more than
/// 15 days ago, of 3600 s more than 63 days ago (with another period AWS answers no data).
pub fn period_for(since: DateTime<Utc>, until: DateTime<Utc>, now: DateTime<Utc>) -> i32 {
    let age = now - since;
    let unit: i64 = if age > chrono::Duration::days(63) {
        3600
    } else if age > chrono::Duration::days(15) {
        300
    } else {
        60
    };
    let secs = (until - since).num_seconds().max(unit);
    ((secs + unit - 1) / unit * unit) as i32
}

/// Reads the metrics and gives the verdict.
pub async fn stats(clients: &Clients, req: &StatsRequest, retry: &Retrier) -> Result<Stats> {
    let q = queries(req);
    let period = period_for(req.since, req.until, Utc::now());
    let sums = retry
        .run(|_| cloudwatch::sums(&clients.cloudwatch, &q, req.since, req.until, period))
        .await
        .map_err(not_cbor)?;
    let metrics: Vec<MetricSum> = q.iter().zip(sums).map(|(q, sum)| summed(q, sum)).collect();
    let mut stats = Stats {
        since: req.since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        until: req.until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        group: req.group.clone(),
        rule: req.rule.clone(),
        metrics,
        verdict: String::new(),
        recovery_rate: None,
    };
    stats.verdict = verdict(&stats);
    stats.recovery_rate = recovery_rate(stats.recovered(), stats.emails_sent());
    Ok(stats)
}

fn plural(n: f64, one: &str, many: &str) -> String {
    if n == 1.0 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// An endpoint that answers CloudWatch's Smithy RPC v2 CBOR with 404 does not speak it (moto
/// alone serves only the JSON and query protocols).
fn not_cbor(e: cartctl_core::Error) -> cartctl_core::Error {
    match e {
        cartctl_core::Error::Aws(mut a)
            if a.operation == "GetMetricData" && a.code == "HTTP 404" =>
        {
            // Not a missing resource: the endpoint itself cannot answer (exit 1).
            a.kind = cartctl_core::error::AwsErrorKind::Client;
            a.message = "the endpoint does not speak CloudWatch's Smithy RPC v2 CBOR protocol, which the AWS SDK for Rust uses (a plain moto answers it with 404)".into();
            a.fix = "use AWS itself, or the project's local AWS (`scripts/emulator`: moto behind a double that translates CBOR)".into();
            cartctl_core::Error::Aws(a)
        }
        other => other,
    }
}

/// The one-line verdict: the worst finding first.
pub fn verdict(s: &Stats) -> String {
    let lost =
        s.sum("InvocationDroppedCount") + s.sum("InvocationsFailedToBeSentToDeadLetterCount");
    let truncated = s.sum("InvocationsSentToDeadLetterCount_Truncated_MessageSizeExceeded");
    let dead = s.sum("InvocationsSentToDeadLetterCount");
    let consumer = s.sum("FailedInvocations");
    if lost > 0.0 {
        return format!(
            "{} lost: dropped, or not written to the DLQ — check the role and the DLQ with `cartctl doctor`",
            plural(lost, "reminder was", "reminders were")
        );
    }
    if truncated > 0.0 {
        return format!(
            "{} reached the DLQ truncated (too large for SQS): `cartctl dlq redrive` leaves them, schedule them again",
            plural(truncated, "reminder", "reminders")
        );
    }
    if dead > 0.0 {
        return format!(
            "{} failed and {} in the DLQ: `cartctl dlq list`, then `cartctl dlq redrive`",
            plural(dead, "reminder", "reminders"),
            if dead == 1.0 { "is" } else { "are" }
        );
    }
    if consumer > 0.0 {
        return format!(
            "the e-mail rule {} failed to deliver {}: check its target and its queue policy (`cartctl doctor`)",
            s.rule,
            plural(consumer, "event", "events")
        );
    }
    if s.sum("TargetErrorCount") > 0.0
        || s.sum("TargetErrorThrottledCount") > 0.0
        || s.sum("InvocationThrottleCount") > 0.0
    {
        return "target errors or throttles happened, and Scheduler's retries absorbed them".into();
    }
    // Invocations counts the rule's failed deliveries too.
    let delivered = (s.sum("Invocations") - s.sum("FailedInvocations")).max(0.0);
    format!(
        "no failures: {} invoked, {} delivered to the e-mail rule",
        plural(s.sum("InvocationAttemptCount"), "reminder", "reminders"),
        plural(delivered, "event", "events")
    )
}

impl Session {
    /// CloudWatch's counts for the reminder flow, with a verdict.
    pub async fn stats(&self, req: &StatsRequest) -> Result<Stats> {
        stats(self.clients().await?, req, self.retrier()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[(&'static str, f64)]) -> Stats {
        let req = StatsRequest {
            group: "carts".into(),
            bus: "shop".into(),
            rule: "cartctl-shop-reminders".into(),
            since: "2026-01-01T00:00:00Z".parse().unwrap(),
            until: "2026-01-02T00:00:00Z".parse().unwrap(),
        };
        let metrics = queries(&req)
            .iter()
            .map(|q| {
                let sum = values
                    .iter()
                    .find(|(m, _)| *m == q.metric)
                    .map_or(0.0, |(_, v)| *v);
                summed(q, sum)
            })
            .collect();
        let mut s = Stats {
            since: String::new(),
            until: String::new(),
            group: req.group,
            rule: req.rule,
            metrics,
            verdict: String::new(),
            recovery_rate: None,
        };
        s.verdict = verdict(&s);
        s
    }

    #[test]
    fn the_verdict_names_the_worst_finding_and_the_command() {
        let s = stats(&[
            ("InvocationAttemptCount", 10.0),
            ("InvocationsSentToDeadLetterCount", 3.0),
        ]);
        assert_eq!(
            s.verdict,
            "3 reminders failed and are in the DLQ: `cartctl dlq list`, then `cartctl dlq redrive`"
        );
        let s = stats(&[
            ("InvocationDroppedCount", 1.0),
            ("InvocationsSentToDeadLetterCount", 3.0),
        ]);
        assert!(
            s.verdict.starts_with("1 reminder was lost"),
            "{}",
            s.verdict
        );
        let s = stats(&[("FailedInvocations", 2.0)]);
        assert!(
            s.verdict
                .contains("cartctl-shop-reminders failed to deliver 2 events"),
            "{}",
            s.verdict
        );
        let s = stats(&[("InvocationAttemptCount", 5.0), ("Invocations", 5.0)]);
        assert_eq!(
            s.verdict,
            "no failures: 5 reminders invoked, 5 events delivered to the e-mail rule"
        );
    }

    #[test]
    fn delivered_leaves_out_failed_deliveries_and_truncation_is_named() {
        let s = stats(&[("TargetErrorThrottledCount", 1.0)]);
        assert!(s.verdict.contains("retries absorbed"), "{}", s.verdict);
        let s = stats(&[
            ("InvocationsSentToDeadLetterCount", 2.0),
            (
                "InvocationsSentToDeadLetterCount_Truncated_MessageSizeExceeded",
                1.0,
            ),
        ]);
        assert!(
            s.verdict
                .starts_with("1 reminder reached the DLQ truncated"),
            "{}",
            s.verdict
        );
    }

    #[test]
    fn the_period_is_one_cloudwatch_takes_for_data_that_old() {
        let now: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        let ago = |secs: i64| now - chrono::Duration::seconds(secs);
        assert_eq!(period_for(ago(86_400), now, now), 86_400);
        assert_eq!(period_for(ago(90), now, now), 120);
        // More than 15 days ago: multiples of 5 minutes; more than 63 days: of an hour.
        let p = period_for(ago(20 * 86_400 + 420), now, now);
        assert_eq!(p % 300, 0);
        assert!(p >= 20 * 86_400 + 420);
        let p = period_for(ago(70 * 86_400 + 60), now, now);
        assert_eq!(p % 3600, 0);
    }

    #[test]
    fn rule_metrics_carry_the_bus_unless_default() {
        let req = |bus: &str| StatsRequest {
            group: "g".into(),
            bus: bus.into(),
            rule: "r".into(),
            since: Utc::now(),
            until: Utc::now(),
        };
        let q = queries(&req("shop"));
        assert_eq!(
            q.len(),
            SCHEDULER_METRICS.len() + RULE_METRICS.len() + OWN_METRICS.len()
        );
        assert_eq!(q[0].dimensions, [("ScheduleGroup", "g".to_owned())]);
        let last_rule = |q: &[MetricQuery]| {
            q.iter()
                .rfind(|m| m.namespace == "AWS/Events")
                .unwrap()
                .dimensions
                .len()
        };
        assert_eq!(last_rule(&q), 2);
        assert_eq!(last_rule(&queries(&req("default"))), 1);
    }

    #[test]
    fn own_metrics_are_spelled_as_the_log_lines_spell_them() {
        use crate::consumer::Handling;
        use crate::mailer::Mailing;
        use cartctl_core::event::CartEventKind;
        let spelled = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        let kinds: Vec<String> = CartEventKind::ALL
            .iter()
            .map(|k| spelled(serde_json::json!(k)))
            .chain(["reminder".to_owned()])
            .collect();
        let outcomes: Vec<String> = [
            serde_json::json!(Handling::Created),
            serde_json::json!(Handling::Rescheduled),
            serde_json::json!(Handling::Deleted),
        ]
        .into_iter()
        .chain(
            [
                Mailing::Sent,
                Mailing::MaybeSent,
                Mailing::HeldOut,
                Mailing::Cancelled,
                Mailing::Skipped,
                Mailing::Suppressed,
                Mailing::Unsubscribed,
                Mailing::AlreadySent,
            ]
            .map(|m| serde_json::json!(m)),
        )
        .map(spelled)
        .collect();
        for (metric, kind, outcome) in OWN_METRICS {
            assert!(kinds.iter().any(|k| k == kind), "{metric}: {kind}");
            assert!(outcomes.iter().any(|o| o == outcome), "{metric}: {outcome}");
        }
    }

    #[test]
    fn the_recovery_rate_is_recovered_per_email_sent() {
        let mut s = stats(&[]);
        for m in &mut s.metrics {
            if m.namespace == "cartctl" && m.dimensions.get("outcome").is_some_and(|o| o == "sent")
            {
                m.sum = 40.0;
            }
            if m.metric == "recovered" {
                m.sum = 6.0;
            }
        }
        assert_eq!((s.emails_sent(), s.recovered()), (40.0, 6.0));
        assert_eq!(recovery_rate(s.recovered(), s.emails_sent()), Some(0.15));
        assert_eq!(recovery_rate(3.0, 0.0), None);
    }
}
