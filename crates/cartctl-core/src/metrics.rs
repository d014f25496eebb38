//! CloudWatch Embedded Metric Format: the functions' JSON log line of each record is also a
//! metric (CloudWatch Logs extracts it; no PutMetricData call, no extra latency). Namespace
//! `cartctl`, one dimension set, `kind` × `outcome` (a few dozen combinations at most, so the
//! shop is billed for a handful of metrics, never one per customer).

use serde_json::{Value, json};

/// The metrics' namespace.
pub const NAMESPACE: &str = "cartctl";
/// The dimensions every metric carries: members of the same log line.
pub const DIMENSIONS: [&str; 2] = ["kind", "outcome"];
/// The count of records handled (every line has it).
pub const RECORDS: &str = "records";

/// A metric a record adds besides [`RECORDS`]: its name, value and CloudWatch unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metric {
    /// Its name (`reminders_scheduled`).
    pub name: &'static str,
    /// Its value.
    pub value: f64,
    /// `Count`, or `None` for an amount.
    pub unit: &'static str,
}

/// Makes `line` (which has `kind` and `outcome`) an EMF document at `timestamp_ms` with
/// [`RECORDS`] = 1 and `extra`.
pub fn embed(line: &mut Value, timestamp_ms: i64, extra: &[Metric]) {
    let mut declared = vec![json!({"Name": RECORDS, "Unit": "Count"})];
    line[RECORDS] = json!(1);
    for m in extra {
        declared.push(json!({"Name": m.name, "Unit": m.unit}));
        line[m.name] = json!(m.value);
    }
    line["_aws"] = json!({
        "Timestamp": timestamp_ms,
        "CloudWatchMetrics": [{
            "Namespace": NAMESPACE,
            "Dimensions": [DIMENSIONS],
            "Metrics": declared,
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_declares_its_metrics_and_carries_their_values_and_dimensions() {
        let mut line = json!({"kind": "checkout", "outcome": "deleted", "eventId": "e"});
        let extra = [Metric {
            name: "recovered",
            value: 1.0,
            unit: "Count",
        }];
        embed(&mut line, 1_796_000_000_000, &extra);
        let aws = &line["_aws"];
        assert_eq!(aws["Timestamp"], 1_796_000_000_000i64);
        let m = &aws["CloudWatchMetrics"][0];
        assert_eq!(m["Namespace"], "cartctl");
        assert_eq!(m["Dimensions"], json!([["kind", "outcome"]]));
        // Every declared metric and dimension is a member of the line (EMF's rule).
        for d in m["Metrics"].as_array().unwrap() {
            assert!(line.get(d["Name"].as_str().unwrap()).is_some(), "{line}");
        }
        for key in DIMENSIONS {
            assert!(line[key].is_string(), "{line}");
        }
        assert_eq!(
            (line["records"].as_i64(), line["recovered"].as_f64()),
            (Some(1), Some(1.0))
        );
    }
}
