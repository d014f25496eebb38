//! The first deploy on an account, as AWS behaves where moto does not (each through the strict
//! double): queues that hide a batch for six function timeouts, log groups made with a
//! retention before the functions that write JSON lines to them, a mapping refused while a new
//! role's policy propagates, a function `Pending` right after it is made, a teardown that never
//! deletes what it cannot tell is its own, and an API whose JWT authorizer is found by name and
//! whose stage keeps an access log.

use std::collections::HashMap;

use serde_json::Value;

use crate::common::*;
use crate::functions::{inline_policy, write_zip};

/// `setup` for a flow of its own in `dir`, with these flags.
fn setup_in(
    endpoint: &str,
    dir: &std::path::Path,
    names: &(String, String),
    extra: &[&str],
) -> Run {
    let (bus, prefix) = names;
    cartctl_at(endpoint)
        .current_dir(dir)
        .args([
            "setup",
            "--bus",
            bus,
            "--group",
            bus,
            "--name-prefix",
            prefix,
        ])
        .args(["-o", "json", "--write-config", "cartctl.toml"])
        .args(extra)
        .run()
}

/// `setup --teardown --yes` of the flow `names`, with these flags.
fn teardown_in(endpoint: &str, names: &(String, String), extra: &[&str]) -> Run {
    let (bus, prefix) = names;
    cartctl_at(endpoint)
        .args([
            "setup",
            "--bus",
            bus,
            "--group",
            bus,
            "--name-prefix",
            prefix,
        ])
        .args(["--teardown", "--yes", "-o", "json"])
        .args(extra)
        .run()
}

fn doctor_in(endpoint: &str, dir: &std::path::Path) -> Run {
    cartctl_at(endpoint)
        .current_dir(dir)
        .args(["doctor", "-o", "json"])
        .run()
}

fn queue_attribute(sqs: &aws_sdk_sqs::Client, name: &str, attribute: &str) -> String {
    let url = rt()
        .block_on(sqs.get_queue_url().queue_name(name).send())
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let out = rt()
        .block_on(
            sqs.get_queue_attributes()
                .queue_url(&url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .unwrap();
    out.attributes()
        .unwrap()
        .iter()
        .find(|(k, _)| k.as_str() == attribute)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn set_visibility_of(sqs: &aws_sdk_sqs::Client, name: &str, secs: u32) {
    let url = rt()
        .block_on(sqs.get_queue_url().queue_name(name).send())
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    set_visibility(sqs, &url, secs);
}

#[test]
fn queues_hide_a_batch_for_six_function_timeouts_and_a_foreign_one_is_reported() {
    let names = (unique("visshop"), unique("vis"));
    let prefix = &names.1;
    let dir = tempfile::tempdir().unwrap();
    let sqs = sqs();
    // The carts queue exists already, not setup's, with SQS's default 30 s.
    rt().block_on(
        sqs.create_queue()
            .queue_name(format!("{prefix}-carts"))
            .send(),
    )
    .unwrap();
    let first = setup_in(&emulator().endpoint, dir.path(), &names, &[]);
    first.success();
    assert_eq!(
        queue_attribute(&sqs, &format!("{prefix}-email"), "VisibilityTimeout"),
        "151"
    );
    assert_eq!(
        queue_attribute(&sqs, &format!("{prefix}-carts"), "VisibilityTimeout"),
        "30"
    );
    let note = first.json()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == format!("{prefix}-carts").as_str() && r["kind"] == "queue")
        .map(|r| r["note"].as_str().unwrap_or_default().to_owned())
        .unwrap();
    assert!(
        note.contains("not setup's") && note.contains("151"),
        "{note}"
    );
    let doctor = doctor_in(&emulator().endpoint, dir.path());
    let carts = check_status(&doctor, "consumer-queue");
    assert!(
        carts.starts_with("fail:") && carts.contains("VisibilityTimeout=151"),
        "{carts}"
    );
    assert!(check_status(&doctor, "mailer-queue").starts_with("ok:"));

    // Setup's own queue lowered by hand is raised again; one raised further is left so.
    set_visibility_of(&sqs, &format!("{prefix}-email"), 30);
    set_visibility_of(&sqs, &format!("{prefix}-carts"), 900);
    let again = setup_in(&emulator().endpoint, dir.path(), &names, &[]);
    again.success();
    assert_eq!(
        setup_changes(&again)[&format!("queue {prefix}-email")],
        "updated"
    );
    assert_eq!(
        queue_attribute(&sqs, &format!("{prefix}-email"), "VisibilityTimeout"),
        "151"
    );
    assert_eq!(
        queue_attribute(&sqs, &format!("{prefix}-carts"), "VisibilityTimeout"),
        "900"
    );
    let doctor = doctor_in(&emulator().endpoint, dir.path());
    assert!(check_status(&doctor, "consumer-queue").starts_with("ok:"));
}

/// A log group's retention and tags, if it exists.
fn log_group(
    logs: &aws_sdk_cloudwatchlogs::Client,
    name: &str,
) -> Option<(Option<i32>, HashMap<String, String>)> {
    let out = rt()
        .block_on(
            logs.describe_log_groups()
                .log_group_name_prefix(name)
                .send(),
        )
        .unwrap();
    let g = out
        .log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(name))?;
    let tags = rt()
        .block_on(
            logs.list_tags_for_resource()
                .resource_arn(g.log_group_arn().unwrap())
                .send(),
        )
        .unwrap();
    Some((
        g.retention_in_days(),
        tags.tags().cloned().unwrap_or_default(),
    ))
}

#[test]
fn functions_log_json_lines_to_groups_setup_makes_and_teardown_removes_unless_kept() {
    // Each new role's policy is refused twice by CreateEventSourceMapping before it propagates.
    let emu = private_strict_emulator(&["--esm-role-refusals".into(), "2".into()]);
    let config = sdk_config_at(&emu.endpoint);
    let (l, iam, logs) = (
        aws_sdk_lambda::Client::new(&config),
        aws_sdk_iam::Client::new(&config),
        aws_sdk_cloudwatchlogs::Client::new(&config),
    );
    let names = (unique("logshop"), unique("lg"));
    let prefix = names.1.clone();
    let work = tempfile::tempdir().unwrap();
    let lambda_dir = work.path().join("lambda");
    write_zip(&lambda_dir, "arm64", "consumer", "c");
    write_zip(&lambda_dir, "arm64", "mailer", "m");
    let dir = lambda_dir.display().to_string();
    let first = setup_in(
        &emu.endpoint,
        work.path(),
        &names,
        &[
            "--functions",
            &dir,
            "--mail-from",
            "shop@example.com",
            "--log-retention",
            "14",
            "--mailer-concurrency",
            "3",
        ],
    );
    first.success();
    assert!(
        emu.strict_stats()["esm_role_refusals"].as_u64().unwrap() >= 2,
        "{}",
        emu.strict_stats()
    );
    for kind in ["consumer", "mailer"] {
        let function = format!("{prefix}-{kind}");
        let group = format!("/aws/lambda/{function}");
        let (retention, tags) = log_group(&logs, &group).expect("setup made the log group");
        assert_eq!(retention, Some(14), "{group}");
        assert_eq!(tags.get("cartctl:setup"), Some(&prefix));
        let f = rt()
            .block_on(l.get_function().function_name(&function).send())
            .unwrap();
        let logging = f.configuration().unwrap().logging_config().unwrap();
        assert_eq!(logging.log_format().map(|f| f.as_str()), Some("JSON"));
        assert_eq!(logging.log_group(), Some(group.as_str()));
        let policy = inline_policy(&iam, &function);
        let text = policy.to_string();
        assert!(!text.contains("logs:CreateLogGroup"), "{text}");
        assert!(text.contains(&format!("log-group:{group}:*")), "{text}");
    }
    let mapping = |function: &str| {
        rt().block_on(
            l.list_event_source_mappings()
                .function_name(function)
                .send(),
        )
        .unwrap()
        .event_source_mappings()[0]
            .clone()
    };
    let mailer = format!("{prefix}-mailer");
    let bound = mapping(&mailer)
        .scaling_config()
        .and_then(|s| s.maximum_concurrency());
    assert_eq!(bound, Some(3));
    let consumer_bound = mapping(&format!("{prefix}-consumer"))
        .scaling_config()
        .and_then(|s| s.maximum_concurrency());
    assert_eq!(consumer_bound, None, "the consumer scales freely");
    let env = crate::functions::function_env(&l, &mailer);
    assert_eq!(env["CARTCTL_MAILER_CONCURRENCY"], "3");
    let doctor = doctor_in(&emu.endpoint, work.path());
    for check in [
        "consumer-logs",
        "mailer-logs",
        "consumer-queue",
        "mailer-queue",
        "mailer-mapping",
    ] {
        let status = check_status(&doctor, check);
        assert!(status.starts_with("ok:"), "{check}: {status}");
    }

    // --keep-logs keeps the groups (and says so); a later teardown removes them.
    let down = |extra: &[&str]| teardown_in(&emu.endpoint, &names, extra);
    let kept = down(&["--keep-logs"]);
    kept.success();
    let changes = setup_changes(&kept);
    assert_eq!(changes[&format!("log-group /aws/lambda/{mailer}")], "kept");
    assert_eq!(changes[&format!("function {mailer}")], "deleted");
    assert!(log_group(&logs, &format!("/aws/lambda/{mailer}")).is_some());
    let gone = down(&[]);
    gone.success();
    assert_eq!(
        setup_changes(&gone)[&format!("log-group /aws/lambda/{mailer}")],
        "deleted"
    );
    assert!(log_group(&logs, &format!("/aws/lambda/{mailer}")).is_none());
}

#[test]
fn a_function_still_being_created_is_reported_as_pending_not_broken() {
    let emu = private_strict_emulator(&["--function-pending-secs".into(), "120".into()]);
    let names = (unique("pendshop"), unique("pd"));
    let work = tempfile::tempdir().unwrap();
    let lambda_dir = work.path().join("lambda");
    write_zip(&lambda_dir, "arm64", "consumer", "c");
    write_zip(&lambda_dir, "arm64", "mailer", "m");
    let dir = lambda_dir.display().to_string();
    setup_in(
        &emu.endpoint,
        work.path(),
        &names,
        &["--functions", &dir, "--mail-from", "shop@example.com"],
    )
    .success();
    let doctor = doctor_in(&emu.endpoint, work.path());
    for check in ["consumer-function", "mailer-function"] {
        let status = check_status(&doctor, check);
        assert!(
            status.starts_with("warn:") && status.contains("Pending"),
            "{check}: {status}"
        );
    }
}

#[test]
fn teardown_never_deletes_what_it_cannot_tell_is_its_own() {
    let names = (unique("ownshop"), unique("own"));
    let prefix = names.1.clone();
    let work = tempfile::tempdir().unwrap();
    let lambda_dir = work.path().join("lambda");
    write_zip(&lambda_dir, "arm64", "consumer", "c");
    write_zip(&lambda_dir, "arm64", "mailer", "m");
    let dir = lambda_dir.display().to_string();
    let deploy = [
        "--functions",
        dir.as_str(),
        "--mail-from",
        "shop@example.com",
    ];
    let teardown = |endpoint: &str| teardown_in(endpoint, &names, &[]);
    // A caller without lambda:ListTags: GetFunction would say nothing of the tags. Stop.
    let denied = private_strict_emulator(&["--deny".into(), "lambda:ListTags".into()]);
    setup_in(&denied.endpoint, work.path(), &names, &deploy).success();
    let stopped = teardown(&denied.endpoint);
    assert_eq!(stopped.code, 1, "{stopped:?}");
    assert!(
        stopped.stderr.contains("lambda:ListTags"),
        "{}",
        stopped.stderr
    );
    let config = sdk_config_at(&denied.endpoint);
    let (l, iam) = (
        aws_sdk_lambda::Client::new(&config),
        aws_sdk_iam::Client::new(&config),
    );
    for kind in ["consumer", "mailer"] {
        let name = format!("{prefix}-{kind}");
        assert!(
            rt().block_on(l.get_function().function_name(&name).send())
                .is_ok(),
            "{name}"
        );
        assert!(
            rt().block_on(iam.get_role().role_name(&name).send())
                .is_ok(),
            "{name}'s role"
        );
    }

    // A function that is not setup's (its tag gone) is kept, and so is its role.
    let emu = private_strict_emulator(&[]);
    setup_in(&emu.endpoint, work.path(), &names, &deploy).success();
    let config = sdk_config_at(&emu.endpoint);
    let (l, iam) = (
        aws_sdk_lambda::Client::new(&config),
        aws_sdk_iam::Client::new(&config),
    );
    let consumer = format!("{prefix}-consumer");
    let arn = rt()
        .block_on(l.get_function().function_name(&consumer).send())
        .unwrap()
        .configuration()
        .unwrap()
        .function_arn()
        .unwrap()
        .to_owned();
    rt().block_on(
        l.untag_resource()
            .resource(&arn)
            .tag_keys("cartctl:setup")
            .send(),
    )
    .unwrap();
    let down = teardown(&emu.endpoint);
    down.success();
    let changes = setup_changes(&down);
    assert_eq!(changes[&format!("function {consumer}")], "kept");
    assert_eq!(
        changes[&format!("role {consumer}")],
        "kept",
        "{}",
        down.stdout
    );
    assert!(
        rt().block_on(iam.get_role().role_name(&consumer).send())
            .is_ok()
    );
    assert_eq!(changes[&format!("function {prefix}-mailer")], "deleted");
    assert_eq!(changes[&format!("role {prefix}-mailer")], "deleted");
}

/// The API's authorizers, as GetAuthorizers lists them.
fn authorizers(gw: &aws_sdk_apigatewayv2::Client, api: &str) -> Vec<(String, String)> {
    let out = rt()
        .block_on(gw.get_authorizers().api_id(api).send())
        .unwrap();
    out.items()
        .iter()
        .map(|a| {
            (
                a.authorizer_id().unwrap().to_owned(),
                a.name().unwrap().to_owned(),
            )
        })
        .collect()
}

fn route_auth(gw: &aws_sdk_apigatewayv2::Client, api: &str) -> Vec<(String, Option<String>)> {
    let out = rt().block_on(gw.get_routes().api_id(api).send()).unwrap();
    out.items()
        .iter()
        .map(|r| {
            (
                r.authorization_type().unwrap().as_str().to_owned(),
                r.authorizer_id()
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned),
            )
        })
        .collect()
}

fn unchanged(run: &Run) {
    run.success();
    let moved: Vec<_> = setup_changes(run)
        .into_iter()
        .filter(|(_, c)| c != "unchanged")
        .collect();
    assert!(moved.is_empty(), "a second run changed {moved:?}");
}

#[test]
fn the_jwt_authorizer_is_found_by_name_and_cleared_when_iam_takes_over() {
    let names = (unique("jwtshop"), unique("jwt"));
    let prefix = names.1.clone();
    let dir = tempfile::tempdir().unwrap();
    let endpoint = &emulator().endpoint;
    setup_in(endpoint, dir.path(), &names, &["--api"]).success();
    let gw = apigw();
    let api = rt()
        .block_on(gw.get_apis().send())
        .unwrap()
        .items()
        .iter()
        .find(|a| a.name() == Some(&format!("{prefix}-api")))
        .unwrap()
        .api_id()
        .unwrap()
        .to_owned();
    // A run that failed after making the authorizer left it, named by no route.
    let orphan = rt()
        .block_on(
            gw.create_authorizer()
                .api_id(&api)
                .name(format!("{prefix}-jwt"))
                .authorizer_type(aws_sdk_apigatewayv2::types::AuthorizerType::Jwt)
                .identity_source("$request.header.Authorization")
                .jwt_configuration(
                    aws_sdk_apigatewayv2::types::JwtConfiguration::builder()
                        .issuer("https://issuer.example.com/pool")
                        .audience("web")
                        .build(),
                )
                .send(),
        )
        .unwrap()
        .authorizer_id()
        .unwrap()
        .to_owned();
    let jwt = [
        "--api",
        "--api-jwt-issuer",
        "https://issuer.example.com/pool",
        "--api-jwt-audience",
        "web",
    ];
    let with_jwt = setup_in(endpoint, dir.path(), &names, &jwt);
    with_jwt.success();
    assert_eq!(
        setup_changes(&with_jwt)[&format!("api-authorizer {prefix}-jwt")],
        "unchanged"
    );
    assert_eq!(
        authorizers(&gw, &api),
        [(orphan.clone(), format!("{prefix}-jwt"))]
    );
    assert!(
        route_auth(&gw, &api)
            .iter()
            .all(|(t, a)| t == "JWT" && a.as_deref() == Some(&orphan))
    );
    unchanged(&setup_in(endpoint, dir.path(), &names, &jwt));

    // Back to IAM: every route's authorizer is cleared, and a second run changes nothing.
    let iam_again = setup_in(endpoint, dir.path(), &names, &["--api"]);
    iam_again.success();
    assert!(
        route_auth(&gw, &api)
            .iter()
            .all(|(t, a)| t == "AWS_IAM" && a.is_none()),
        "{:?}",
        route_auth(&gw, &api)
    );
    unchanged(&setup_in(endpoint, dir.path(), &names, &["--api"]));
    // And JWT once more reuses the same authorizer.
    setup_in(endpoint, dir.path(), &names, &jwt).success();
    assert_eq!(authorizers(&gw, &api).len(), 1);

    // The stage writes its access log to a log group kept 30 days; throttling changed by hand
    // is put back without losing it.
    let stage = rt()
        .block_on(gw.get_stage().api_id(&api).stage_name("$default").send())
        .unwrap();
    let access = stage.access_log_settings().expect("an access log");
    let group = format!("/aws/apigateway/{prefix}-api");
    assert!(
        access
            .destination_arn()
            .unwrap()
            .ends_with(&format!("log-group:{group}"))
    );
    let format: Value = serde_json::from_str(access.format().unwrap()).unwrap();
    assert!(format["status"].is_string() && format["integrationError"].is_string());
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk_config_at(endpoint));
    assert_eq!(log_group(&logs, &group).map(|g| g.0), Some(Some(30)));
    rt().block_on(
        gw.update_stage()
            .api_id(&api)
            .stage_name("$default")
            .default_route_settings(
                aws_sdk_apigatewayv2::types::RouteSettings::builder()
                    .throttling_rate_limit(1.0)
                    .throttling_burst_limit(1)
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let fixed = setup_in(endpoint, dir.path(), &names, &jwt);
    fixed.success();
    assert_eq!(setup_changes(&fixed)["api-stage $default"], "updated");
    let doctor = doctor_in(endpoint, dir.path());
    for check in ["api-stage", "api-logs"] {
        let status = check_status(&doctor, check);
        assert!(status.starts_with("ok:"), "{check}: {status}");
    }
}
