//! `cartctl setup --api` against the emulator: the shop's HTTP API (routes, EventBridge-PutEvents
//! integrations, their role, the stage, a JWT authorizer), idempotent, checked by doctor, and
//! removed by teardown. The emulator serves API Gateway's control plane only: what the API does
//! with a request is shown on an account (see docs/AWS-FIDELITY.md).

use serde_json::Value;

use crate::common::*;

fn setup_api(bus: &str, prefix: &str, dir: &std::path::Path, extra: &[&str]) -> Run {
    cartctl()
        .current_dir(dir)
        .args([
            "setup",
            "--bus",
            bus,
            "--group",
            bus,
            "--name-prefix",
            prefix,
            "--api",
            "-o",
            "json",
        ])
        .args(["--write-config", "cartctl.toml"])
        .args(extra)
        .run()
}

fn api_id(name: &str) -> Option<String> {
    let out = rt().block_on(apigw().get_apis().send()).unwrap();
    out.items()
        .iter()
        .find(|a| a.name() == Some(name))
        .and_then(|a| a.api_id().map(str::to_owned))
}

#[test]
fn setup_api_builds_the_shops_api_idempotently_and_teardown_removes_it() {
    let (bus, prefix) = (unique("apishop"), unique("api"));
    let dir = tempfile::tempdir().unwrap();
    let first = setup_api(&bus, &prefix, dir.path(), &[]);
    first.success();
    let made = setup_changes(&first);
    for part in [
        "api-route POST /cart",
        "api-route POST /cart/remove",
        "api-route POST /cart/checkout",
        "api-stage $default",
    ] {
        assert_eq!(made[part], "created", "{part}: {}", first.stdout);
    }
    assert_eq!(made[&format!("api {prefix}-api")], "created");
    assert_eq!(made[&format!("role {prefix}-api")], "created");
    let id = api_id(&format!("{prefix}-api")).expect("the API exists");
    let config = std::fs::read_to_string(dir.path().join("cartctl.toml")).unwrap();
    assert!(
        config.contains(&format!("api_url = \"https://{id}.execute-api.")),
        "{config}"
    );

    // Each route puts the body as a cart event of its kind on this bus, with the API's role.
    let gw = apigw();
    let integrations = rt()
        .block_on(gw.get_integrations().api_id(&id).send())
        .unwrap();
    let mut detail_types: Vec<String> = Vec::new();
    for i in integrations.items() {
        assert_eq!(i.integration_subtype(), Some("EventBridge-PutEvents"));
        assert!(
            i.credentials_arn()
                .unwrap()
                .ends_with(&format!(":role/{prefix}-api"))
        );
        let p = i.request_parameters().unwrap();
        assert_eq!(p["Detail"], "$request.body");
        assert_eq!(p["EventBusName"], bus);
        assert_eq!(p["Source"], "putToCartService");
        detail_types.push(p["DetailType"].clone());
    }
    detail_types.sort();
    assert_eq!(
        detail_types,
        [
            "cart checked out",
            "item added to Cart",
            "item removed from Cart"
        ]
    );
    // ... which the carts rule matches: the consumer gets what the API puts.
    let rule = rt()
        .block_on(
            events()
                .describe_rule()
                .name(format!("{prefix}-carts"))
                .event_bus_name(&bus)
                .send(),
        )
        .unwrap();
    let event = serde_json::json!({"source": "putToCartService", "detail-type": "item added to Cart",
        "detail": {"user": "alice", "product": "sku-1"}});
    let m = cartctl()
        .args([
            "match",
            "--pattern",
            rule.event_pattern().unwrap(),
            "--event",
            &event.to_string(),
        ])
        .run();
    assert_eq!(m.code, 0, "{}{}", m.stdout, m.stderr);
    let routes = rt().block_on(gw.get_routes().api_id(&id).send()).unwrap();
    assert_eq!(routes.items().len(), 3);
    assert!(
        routes
            .items()
            .iter()
            .all(|r| r.authorization_type().map(|a| a.as_str()) == Some("AWS_IAM"))
    );
    let stage = rt()
        .block_on(gw.get_stage().api_id(&id).stage_name("$default").send())
        .unwrap();
    assert_eq!(stage.auto_deploy(), Some(true));
    let throttle = stage.default_route_settings().unwrap();
    assert_eq!(
        (
            throttle.throttling_rate_limit(),
            throttle.throttling_burst_limit()
        ),
        (Some(50.0), Some(100))
    );
    // The role may put events on this bus and nothing else.
    let policy = rt()
        .block_on(
            iam()
                .get_role_policy()
                .role_name(format!("{prefix}-api"))
                .policy_name("cartctl-system")
                .send(),
        )
        .unwrap();
    let doc: Value = serde_json::from_str(
        &percent_encoding::percent_decode_str(policy.policy_document()).decode_utf8_lossy(),
    )
    .unwrap();
    assert_eq!(doc["Statement"].as_array().unwrap().len(), 1);
    assert_eq!(doc["Statement"][0]["Action"], "events:PutEvents");
    assert_eq!(doc["Statement"][0]["Resource"], bus_arn(&bus));

    let again = setup_api(&bus, &prefix, dir.path(), &[]);
    again.success();
    let moved: Vec<_> = setup_changes(&again)
        .into_iter()
        .filter(|(_, c)| c != "unchanged")
        .collect();
    assert!(moved.is_empty(), "a second run changed {moved:?}");

    // JWT instead of IAM: an authorizer, and the routes use it.
    let jwt = setup_api(
        &bus,
        &prefix,
        dir.path(),
        &[
            "--api-jwt-issuer",
            "https://issuer.example.com/pool",
            "--api-jwt-audience",
            "web,app",
        ],
    );
    jwt.success();
    let c = setup_changes(&jwt);
    assert_eq!(c[&format!("api-authorizer {prefix}-jwt")], "created");
    assert_eq!(c["api-route POST /cart"], "updated");
    let routes = rt().block_on(gw.get_routes().api_id(&id).send()).unwrap();
    let authorizer = routes.items()[0]
        .authorizer_id()
        .expect("the route names its authorizer");
    let a = rt()
        .block_on(
            gw.get_authorizer()
                .api_id(&id)
                .authorizer_id(authorizer)
                .send(),
        )
        .unwrap();
    let jwt_config = a.jwt_configuration().unwrap();
    assert_eq!(jwt_config.issuer(), Some("https://issuer.example.com/pool"));
    assert_eq!(jwt_config.audience(), ["web", "app"]);

    let doctor = cartctl()
        .current_dir(dir.path())
        .args(["doctor", "-o", "json"])
        .run();
    for name in ["api-routes", "api-role", "api-auth", "api-stage"] {
        let status = check_status(&doctor, name);
        assert!(status.starts_with("ok:"), "{name}: {status}");
    }

    // Open to anyone only when asked, with a warning, and doctor warns too.
    let open = setup_api(&bus, &prefix, dir.path(), &["--api-auth", "none"]);
    open.success();
    assert!(
        open.stderr.contains("warning: --api-auth none"),
        "{}",
        open.stderr
    );
    let doctor = cartctl()
        .current_dir(dir.path())
        .args(["doctor", "-o", "json"])
        .run();
    let auth = check_status(&doctor, "api-auth");
    assert!(auth.starts_with("warn:"), "{auth}");

    let down = cartctl()
        .args([
            "setup",
            "--bus",
            &bus,
            "--group",
            &bus,
            "--name-prefix",
            &prefix,
            "--teardown",
            "--yes",
            "-o",
            "json",
        ])
        .run();
    down.success();
    let gone = setup_changes(&down);
    assert_eq!(
        gone[&format!("api {prefix}-api")],
        "deleted",
        "{}",
        down.stdout
    );
    assert_eq!(gone[&format!("role {prefix}-api")], "deleted");
    assert!(api_id(&format!("{prefix}-api")).is_none());
}

#[test]
fn setup_api_refuses_bad_flags_before_any_request_and_a_dry_run_makes_nothing() {
    let sentinel = Sentinel::start();
    for (extra, field) in [
        (
            vec![
                "--api",
                "--api-jwt-issuer",
                "http://issuer.example.com",
                "--api-jwt-audience",
                "web",
            ],
            "--api-jwt-issuer",
        ),
        (
            vec!["--api", "--api-jwt-issuer", "https://issuer.example.com"],
            "--api-jwt-audience",
        ),
        (vec!["--api", "--api-auth", "jwt"], "--api-jwt-issuer"),
        (vec!["--api", "--api-rate-limit", "0"], "--api-rate-limit"),
        (vec!["--api", "--api-auth", "open"], "--api-auth"),
        (vec!["--api-auth", "none"], "--api"),
        (
            vec![
                "--api",
                "--detail-type",
                "{product} added",
                "--removed-detail-type",
                "{user} added",
            ],
            "--removed-detail-type",
        ),
    ] {
        let run = cartctl_at(&sentinel.endpoint)
            .args(["setup", "--bus", "shop"])
            .args(&extra)
            .run();
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(field), "{extra:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0, "bad input reached the network");

    let (bus, prefix) = (unique("apidry"), unique("apd"));
    let dir = tempfile::tempdir().unwrap();
    let dry = setup_api(&bus, &prefix, dir.path(), &["--dry-run"]);
    dry.success();
    assert_eq!(
        setup_changes(&dry)[&format!("api {prefix}-api")],
        "would_create",
        "{}",
        dry.stdout
    );
    assert!(
        api_id(&format!("{prefix}-api")).is_none(),
        "a dry run made the API"
    );
    assert!(!dir.path().join("cartctl.toml").exists());
}
