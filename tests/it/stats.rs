//! `cartctl stats` against the emulator's CloudWatch (reached in CBOR, as on AWS, through the
//! strict double): the sums of Scheduler's and the e-mail rule's metrics, and the verdict.

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};

use crate::common::*;

fn put(namespace: &str, metric: &str, dims: &[(&str, &str)], value: f64) {
    let mut datum = MetricDatum::builder()
        .metric_name(metric)
        .value(value)
        .timestamp(aws_smithy_types::DateTime::from_secs(
            chrono::Utc::now().timestamp() - 60,
        ));
    for (k, v) in dims {
        datum = datum.dimensions(Dimension::builder().name(*k).value(*v).build());
    }
    rt().block_on(
        cloudwatch()
            .put_metric_data()
            .namespace(namespace)
            .metric_data(datum.build())
            .send(),
    )
    .expect("put metric data");
}

#[test]
fn stats_sums_the_flows_metrics_and_names_the_failure() {
    let group = unique("g");
    let bus = unique("shop");
    let rule = format!("cartctl-{bus}-reminders");
    let g = [("ScheduleGroup", group.as_str())];
    put("AWS/Scheduler", "InvocationAttemptCount", &g, 10.0);
    put("AWS/Scheduler", "InvocationAttemptCount", &g, 2.0);
    put("AWS/Scheduler", "TargetErrorCount", &g, 3.0);
    put("AWS/Scheduler", "InvocationsSentToDeadLetterCount", &g, 3.0);
    // Another group's metrics are not counted.
    put(
        "AWS/Scheduler",
        "InvocationsSentToDeadLetterCount",
        &[("ScheduleGroup", "other")],
        50.0,
    );
    put(
        "AWS/Events",
        "Invocations",
        &[("EventBusName", &bus), ("RuleName", &rule)],
        9.0,
    );

    let run = cartctl()
        .args(["stats", "--group", &group, "--bus", &bus, "-o", "json"])
        .run();
    run.success();
    let out = run.json();
    let sum = |m: &str| {
        out["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["metric"] == m)
            .unwrap_or_else(|| panic!("no {m}: {out}"))["sum"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(sum("InvocationAttemptCount"), 12.0);
    assert_eq!(sum("TargetErrorCount"), 3.0);
    assert_eq!(sum("InvocationsSentToDeadLetterCount"), 3.0);
    assert_eq!(sum("InvocationDroppedCount"), 0.0);
    assert_eq!(sum("Invocations"), 9.0);
    assert_eq!(out["rule"], rule.as_str());
    assert_eq!(
        out["verdict"],
        "3 reminders failed and are in the DLQ: `cartctl dlq list`, then `cartctl dlq redrive`"
    );

    let text = cartctl()
        .args(["stats", "--group", &group, "--bus", &bus, "--since", "2h"])
        .run();
    text.success();
    assert!(
        text.stdout.contains("InvocationsSentToDeadLetterCount"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("`cartctl dlq list`"),
        "{}",
        text.stdout
    );

    // A quiet group: no failures.
    let quiet = cartctl()
        .args(["stats", "--group", &unique("g"), "-o", "json"])
        .run();
    quiet.success();
    assert!(
        quiet.json()["verdict"]
            .as_str()
            .unwrap()
            .starts_with("no failures"),
        "{}",
        quiet.stdout
    );

    let sentinel = Sentinel::start();
    for (args, field) in [
        (vec!["stats", "--since", "soon"], "--since"),
        (vec!["stats", "--since", "0s"], "--since"),
        (vec!["stats", "--since", "1000d"], "--since"),
        (vec!["stats", "--rule", "a b"], "--rule"),
    ] {
        let bad = cartctl_at(&sentinel.endpoint).args(&args).run();
        assert_eq!(bad.code, 2, "{args:?}: {}", bad.stderr);
        assert!(bad.stderr.contains(field), "{args:?}: {}", bad.stderr);
    }
    assert_eq!(sentinel.hits(), 0);
}

#[test]
fn a_window_older_than_15_days_asks_for_a_period_cloudwatch_answers() {
    let group = unique("g");
    put(
        "AWS/Scheduler",
        "InvocationAttemptCount",
        &[("ScheduleGroup", group.as_str())],
        4.0,
    );
    // 20 days and 7 minutes: not a multiple of 5 minutes, which CloudWatch needs for data that
    // old (with another period it answers no data points at all).
    let run = cartctl()
        .args([
            "stats", "--group", &group, "--since", "20d 7m", "-o", "json",
        ])
        .run();
    run.success();
    let out = run.json();
    let attempts = out["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "InvocationAttemptCount")
        .unwrap()["sum"]
        .as_f64();
    assert_eq!(attempts, Some(4.0), "{out}");
    // The default rule follows the name prefix setup was given.
    let run = cartctl()
        .args(["stats", "--name-prefix", "shop-flow", "-o", "json"])
        .run();
    run.success();
    assert_eq!(run.json()["rule"], "shop-flow-reminders");
    for metric in [
        "TargetErrorThrottledCount",
        "InvocationsSentToDeadLetterCount_Truncated_MessageSizeExceeded",
    ] {
        assert!(run.stdout.contains(metric), "{metric}: {}", run.stdout);
    }
}

#[test]
fn an_endpoint_without_cbor_is_named_as_such() {
    // moto alone: it answers the SDK's Smithy RPC v2 CBOR with 404.
    let moto = private_emulator();
    let run = cartctl_at(&moto.endpoint).args(["stats"]).run();
    run.code(1);
    assert!(
        run.stderr
            .contains("does not speak CloudWatch's Smithy RPC v2 CBOR"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("scripts/emulator"), "{}", run.stderr);
}

#[test]
fn stats_reads_cartctls_own_metrics_and_gives_the_recovery_rate() {
    // CloudWatch Logs extracts the functions' EMF lines into namespace cartctl; here the test
    // puts what that extraction would (an emulator of its own: the namespace is the account's).
    let emulator = private_strict_emulator(&[]);
    let put_at = |metric: &str, kind: &str, outcome: &str, value: f64| {
        let mut datum = MetricDatum::builder()
            .metric_name(metric)
            .value(value)
            .timestamp(aws_smithy_types::DateTime::from_secs(
                chrono::Utc::now().timestamp() - 60,
            ));
        for (k, v) in [("kind", kind), ("outcome", outcome)] {
            datum = datum.dimensions(Dimension::builder().name(k).value(v).build());
        }
        let cw = aws_sdk_cloudwatch::Client::new(&sdk_config_at(&emulator.endpoint));
        rt().block_on(
            cw.put_metric_data()
                .namespace("cartctl")
                .metric_data(datum.build())
                .send(),
        )
        .expect("put metric data");
    };
    put_at("records", "reminder", "sent", 30.0);
    put_at("records", "reminder", "sent", 10.0);
    put_at("records", "reminder", "suppressed", 2.0);
    put_at("recovered", "checkout", "deleted", 6.0);
    put_at("reminders_scheduled", "add", "created", 55.0);
    let stats = |args: &[&str]| {
        cartctl_at(&emulator.endpoint)
            .args(["stats", "--group", "carts", "--bus", "shop"])
            .args(args)
            .run()
    };
    let run = stats(&["-o", "json"]);
    run.success();
    let out = run.json();
    let own = |metric: &str, outcome: &str| {
        out["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| {
                m["namespace"] == "cartctl"
                    && m["metric"] == metric
                    && m["dimensions"]["outcome"] == outcome
            })
            .unwrap_or_else(|| panic!("no {metric} {outcome}: {out}"))["sum"]
            .as_f64()
    };
    assert_eq!(own("records", "sent"), Some(40.0));
    assert_eq!(own("records", "suppressed"), Some(2.0));
    assert_eq!(own("records", "held_out"), Some(0.0));
    assert_eq!(own("reminders_scheduled", "created"), Some(55.0));
    assert_eq!(out["recovery_rate"].as_f64(), Some(0.15), "{out}");
    let text = stats(&[]);
    text.success();
    assert!(
        text.stdout
            .contains("recovery: 6 checkouts recovered after 40 reminder e-mails sent (15.0 %)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("records (reminder, sent)"),
        "{}",
        text.stdout
    );
}
