//! `stats`: what CloudWatch counted for the reminder flow over a window — Scheduler's metrics
//! for the schedule group (`AWS/Scheduler`) and the consumer rule's (`AWS/Events`) — with a
//! one-line verdict.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::retry::Retrier;
use crate::sdk::Clients;
use crate::sdk::cloudwatch::{self, MetricQuery};
use crate::session::Session;
use cartctl_core::error::Result;

/// Scheduler's metrics for a schedule group, as the Scheduler user guide lists them.
pub const SCHEDULER_METRICS: [&str; 6] = [
    "InvocationAttemptCount",
    "TargetErrorCount",
    "InvocationThrottleCount",
    "InvocationDroppedCount",
    "InvocationsSentToDeadLetterCount",
    "InvocationsFailedToBeSentToDeadLetterCount",
];
/// The consumer rule's metrics.
pub const RULE_METRICS: [&str; 2] = ["Invocations", "FailedInvocations"];

/// What to count.
#[derive(Debug, Clone)]
pub struct StatsRequest {
    /// The schedule group.
    pub group: String,
    /// The bus the consumer rule is on.
    pub bus: String,
    /// The consumer rule.
    pub rule: String,
    /// The window's start.
    pub since: DateTime<Utc>,
    /// The window's end.
    pub until: DateTime<Utc>,
}

/// One metric's sum over the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSum {
    /// `AWS/Scheduler` or `AWS/Events`.
    pub namespace: &'static str,
    /// The metric.
    pub metric: &'static str,
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
    /// The consumer rule.
    pub rule: String,
    /// Every metric's sum.
    pub metrics: Vec<MetricSum>,
    /// One line: what went wrong and what to run, or that nothing did.
    pub verdict: String,
}

impl Stats {
    /// The sum of `metric`.
    pub fn sum(&self, metric: &str) -> f64 {
        self.metrics
            .iter()
            .find(|m| m.metric == metric)
            .map_or(0.0, |m| m.sum)
    }
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
    q
}

/// Reads the metrics and gives the verdict.
pub async fn stats(clients: &Clients, req: &StatsRequest, retry: &Retrier) -> Result<Stats> {
    let q = queries(req);
    let sums = retry
        .run(|_| cloudwatch::sums(&clients.cloudwatch, &q, req.since, req.until))
        .await?;
    let metrics: Vec<MetricSum> = q
        .iter()
        .zip(sums)
        .map(|(q, sum)| MetricSum {
            namespace: q.namespace,
            metric: q.metric,
            sum,
        })
        .collect();
    let mut stats = Stats {
        since: req.since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        until: req.until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        group: req.group.clone(),
        rule: req.rule.clone(),
        metrics,
        verdict: String::new(),
    };
    stats.verdict = verdict(&stats);
    Ok(stats)
}

fn plural(n: f64, one: &str, many: &str) -> String {
    if n == 1.0 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The one-line verdict: the worst finding first.
pub fn verdict(s: &Stats) -> String {
    let lost =
        s.sum("InvocationDroppedCount") + s.sum("InvocationsFailedToBeSentToDeadLetterCount");
    let dead = s.sum("InvocationsSentToDeadLetterCount");
    let consumer = s.sum("FailedInvocations");
    if lost > 0.0 {
        return format!(
            "{} lost: dropped, or not written to the DLQ — check the role and the DLQ with `cartctl doctor`",
            plural(lost, "reminder was", "reminders were")
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
            "the consumer rule {} failed to deliver {}: check its target and its queue policy (`cartctl doctor`)",
            s.rule,
            plural(consumer, "event", "events")
        );
    }
    if s.sum("TargetErrorCount") > 0.0 || s.sum("InvocationThrottleCount") > 0.0 {
        return "target errors or throttles happened, and Scheduler's retries absorbed them".into();
    }
    format!(
        "no failures: {} invoked, {} delivered to the consumer rule",
        plural(s.sum("InvocationAttemptCount"), "reminder", "reminders"),
        plural(s.sum("Invocations"), "event", "events")
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
            .map(|q| MetricSum {
                namespace: q.namespace,
                metric: q.metric,
                sum: values
                    .iter()
                    .find(|(m, _)| *m == q.metric)
                    .map_or(0.0, |(_, v)| *v),
            })
            .collect();
        let mut s = Stats {
            since: String::new(),
            until: String::new(),
            group: req.group,
            rule: req.rule,
            metrics,
            verdict: String::new(),
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
            "no failures: 5 reminders invoked, 5 events delivered to the consumer rule"
        );
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
        assert_eq!(q.len(), SCHEDULER_METRICS.len() + RULE_METRICS.len());
        assert_eq!(q[0].dimensions, [("ScheduleGroup", "g".to_owned())]);
        assert_eq!(q.last().unwrap().dimensions.len(), 2);
        assert_eq!(queries(&req("default")).last().unwrap().dimensions.len(), 1);
    }
}
