//! Configuration and diagnostics: missing region or credentials, unreachable endpoints, and
//! verbose output that never shows secrets.

use crate::common::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKENvalue0123456789";

#[test]
fn missing_region_is_reported_with_the_fix() {
    let run = cartctl()
        .env_remove("AWS_REGION")
        .args(["put-event", "--user", "u", "--product", "p"])
        .run();
    run.code(1);
    assert!(run.stderr.contains("no AWS region"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--region") && run.stderr.contains("AWS_REGION"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_credentials_are_reported_with_the_fix() {
    for imds_disabled in [true, false] {
        let mut c = cartctl()
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY");
        if !imds_disabled {
            c = c.env_remove("AWS_EC2_METADATA_DISABLED");
        }
        let run = c.args(["put-event", "--user", "u", "--product", "p"]).run();
        run.code(1);
        assert!(run.stderr.contains("NoCredentials"), "{}", run.stderr);
        assert!(run.stderr.contains("AWS_ACCESS_KEY_ID"), "{}", run.stderr);
        assert!(run.stderr.lines().count() <= 3, "{}", run.stderr);
    }
}

#[test]
fn a_metadata_service_that_never_answers_does_not_hang() {
    // What a laptop sees: nothing answers at the metadata address. The lookup is bounded.
    let hang = Sentinel::start();
    let run = cartctl()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_EC2_METADATA_DISABLED")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &hang.endpoint)
        .args(["put-event", "--user", "u", "--product", "p"])
        .run();
    run.code(1);
    assert!(
        run.stderr.contains("no AWS credentials could be loaded"),
        "{}",
        run.stderr
    );
    let run = cartctl()
        .env_remove("AWS_REGION")
        .env_remove("AWS_EC2_METADATA_DISABLED")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &hang.endpoint)
        .args(["put-event", "--user", "u", "--product", "p"])
        .run();
    run.code(1);
    assert!(run.stderr.contains("no AWS region"), "{}", run.stderr);
    assert!(hang.hits() >= 1, "the metadata service was asked");
}

#[test]
fn unreachable_endpoint_is_a_network_error() {
    // A port nothing listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = cartctl_at(&format!("http://127.0.0.1:{port}"))
        .args(["put-event", "--user", "u", "--product", "p"])
        .run();
    run.code(1);
    assert!(
        run.stderr.contains("PutEvents failed: NetworkError"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--endpoint-url"), "{}", run.stderr);
}

#[test]
fn verbose_output_never_shows_secrets() {
    let bus = unique("bus");
    create_bus(&bus);
    let run = cartctl()
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN)
        .args([
            "-vvv",
            "put-event",
            "--bus",
            &bus,
            "--user",
            "u",
            "--product",
            "p",
        ])
        .run();
    run.success();
    assert!(
        run.stderr.lines().count() > 20,
        "expected SDK tracing: {}",
        run.stderr
    );
    assert!(
        run.stderr.to_lowercase().contains("x-amz-security-token"),
        "the token header is logged, masked"
    );
    for secret in [SECRET, TOKEN, &SECRET[..20], &TOKEN[..20]] {
        assert!(!run.stderr.contains(secret), "secret leaked in -vvv output");
        assert!(!run.stdout.contains(secret));
    }
}

#[test]
fn version_and_help_show_exit_codes() {
    let run = cartctl().args(["--version"]).run();
    run.success();
    assert_eq!(
        run.stdout.trim(),
        format!("cartctl {}", env!("CARGO_PKG_VERSION"))
    );
    let run = cartctl().args(["--help"]).run();
    run.success();
    assert!(
        run.stdout.contains("Exit codes:") && run.stdout.contains("130"),
        "{}",
        run.stdout
    );
    let run = cartctl().args(["schedule", "--help"]).run();
    run.success();
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("[env: CARTCTL_SCHEDULER_ROLE_ARN"),
        "{}",
        run.stdout
    );
    let run = cartctl().args(["schedule", "--no-such-flag"]).run();
    run.code(2);
}

#[test]
fn a_credential_process_profile_works() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("creds.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"process-secret\"}'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile shop]\nregion = us-east-1\ncredential_process = {}\n",
            script.display()
        ),
    )
    .unwrap();
    let bus = unique("bus");
    create_bus(&bus);
    let run = cartctl()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION")
        .env("AWS_CONFIG_FILE", &config)
        .args([
            "--profile",
            "shop",
            "-v",
            "put-event",
            "--bus",
            &bus,
            "--user",
            "u",
            "--product",
            "p",
        ])
        .run();
    run.success();
    assert!(run.stdout.starts_with("sent event"), "{}", run.stdout);
    assert!(
        !run.stderr.contains("process-secret"),
        "the secret from the process leaked"
    );
}

#[test]
fn ctrl_c_stops_a_bulk_run_with_130() {
    let proxy = FaultProxy::start(&emulator().endpoint, &["--latency-ms".into(), "200".into()]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("slow.ndjson");
    let lines: String = (0..500)
        .map(|i| format!("{{\"user\":\"int-{i}\",\"product\":\"p\"}}\n"))
        .collect();
    std::fs::write(&file, lines).unwrap();
    let child = cartctl_at(&proxy.endpoint)
        .args(["put-event", "--bus", "default", "--concurrency", "1"])
        .arg_path("--file", &file)
        .spawn();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let ok = std::process::Command::new("bash")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
