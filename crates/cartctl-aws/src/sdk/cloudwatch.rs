//! CloudWatch calls of `stats`: the sum of metrics over a window, with GetMetricData (its
//! paginator follows NextToken).

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use chrono::{DateTime, Utc};

use super::aws_err;
use cartctl_core::error::Result;

/// One metric to sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricQuery {
    /// `AWS/Scheduler`, `AWS/Events`.
    pub namespace: &'static str,
    /// The metric's name.
    pub metric: &'static str,
    /// Its dimensions (name, value).
    pub dimensions: Vec<(&'static str, String)>,
}

/// The sum of each metric from `start` to `end` over one data point of `period` seconds, in
/// query order (0 where CloudWatch has no data point).
pub async fn sums(
    client: &Client,
    queries: &[MetricQuery],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    period: i32,
) -> Result<Vec<f64>> {
    let values = values(client, queries, (start, end), period, "Sum").await?;
    Ok(values.iter().map(|v| v.iter().sum()).collect())
}

/// The largest value of each metric from `start` to `end` (periods of `period` seconds), in
/// query order; `None` where CloudWatch has no data point.
pub async fn maxima(
    client: &Client,
    queries: &[MetricQuery],
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    period: i32,
) -> Result<Vec<Option<f64>>> {
    let values = values(client, queries, (start, end), period, "Maximum").await?;
    Ok(values
        .iter()
        .map(|v| v.iter().copied().reduce(f64::max))
        .collect())
}

/// Each metric's data points, in query order.
async fn values(
    client: &Client,
    queries: &[MetricQuery],
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    period: i32,
    stat: &str,
) -> Result<Vec<Vec<f64>>> {
    let mut req = client
        .get_metric_data()
        .start_time(aws_smithy_types::DateTime::from_secs(start.timestamp()))
        .end_time(aws_smithy_types::DateTime::from_secs(end.timestamp()));
    for (i, q) in queries.iter().enumerate() {
        let mut metric = Metric::builder()
            .namespace(q.namespace)
            .metric_name(q.metric);
        for (name, value) in &q.dimensions {
            let d = Dimension::builder().name(*name).value(value).build();
            metric = metric.dimensions(d);
        }
        let stat = MetricStat::builder()
            .metric(metric.build())
            .period(period)
            .stat(stat)
            .build();
        let query = MetricDataQuery::builder()
            .id(format!("m{i}"))
            .metric_stat(stat)
            .return_data(true)
            .build();
        req = req.metric_data_queries(query);
    }
    let pages: Vec<_> = req
        .into_paginator()
        .send()
        .collect::<std::result::Result<Vec<_>, _>>()
        .await
        .map_err(aws_err("GetMetricData"))?;
    let mut out = vec![Vec::new(); queries.len()];
    for page in &pages {
        for r in page.metric_data_results() {
            let Some(i) = r
                .id()
                .and_then(|id| id.strip_prefix('m')?.parse::<usize>().ok())
            else {
                continue;
            };
            if let Some(slot) = out.get_mut(i) {
                slot.extend_from_slice(r.values());
            }
        }
    }
    Ok(out)
}
