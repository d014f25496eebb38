//! Security: no secret in verbose output, whatever the credential source; hostile ids round-trip
//! exactly through schedule, fire and the bus; names never carry a raw user id; no network
//! beyond the configured endpoint.

use serde_json::{Value, json};

use crate::common::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzFILESECRET";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLEprofileSESSIONtoken0123456789abcdef";

#[test]
fn verbose_output_hides_secrets_from_a_credentials_file() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("credentials");
    std::fs::write(
        &creds,
        format!("[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"),
    )
    .unwrap();
    let bus = unique("bus");
    create_bus(&bus);
    let run = cartctl()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
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
        run.stderr.contains("AKIDEXAMPLE"),
        "the profile's key id was used: {}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    for secret in [
        SECRET,
        TOKEN,
        &SECRET[..16],
        &TOKEN[..16],
        &TOKEN[TOKEN.len() - 16..],
    ] {
        assert!(
            !run.stderr.contains(secret),
            "a secret leaked in -vvv output"
        );
        assert!(!run.stdout.contains(secret));
    }
}

#[test]
fn hostile_ids_round_trip_through_schedule_fire_and_the_bus() {
    let s = setup();
    let rec = BusRecorder::on(&s.bus);
    for (user, product) in [
        ("quote\"back\\slash", "new\nline\ttab"),
        ("ctrl\u{1}\u{1f}\u{7f}", "ünïcødé 🛒 ✓"),
        ("{user}", "'; DROP TABLE carts; --"),
        ("<script>alert(1)</script>", "%s%n${jndi:x}"),
    ] {
        let run = schedule_into(&s.group, &s.bus)
            .args([
                "--user",
                user,
                "--product",
                product,
                "--in",
                "1d",
                "--detail-type",
                "cart reminder",
                "-o",
                "json",
            ])
            .run();
        run.success();
        let out = run.json();
        let name = out["name"].as_str().unwrap();
        assert!(name.len() == 30 && name.starts_with("cart-"), "{name}");
        assert!(!out["arn"].as_str().unwrap().contains(user));
        let stored = get_schedule(&s.group, name).unwrap();
        let input: Value = serde_json::from_str(stored.target().unwrap().input().unwrap()).unwrap();
        assert_eq!(
            input,
            json!({"scheduled_event": "true", "user": user, "product": product})
        );
        cartctl()
            .args(["fire", name, "--group", &s.group])
            .run()
            .success();
        let got = rec.events(1);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["detail"]["user"], user);
        assert_eq!(got[0]["detail"]["product"], product);
    }
}

#[test]
fn names_never_carry_the_user_id() {
    let bus = bus_arn("shop");
    for user in [
        "alice",
        "alice@example.com",
        "cart",
        "0123456789ab",
        "user-42",
        "ü",
    ] {
        let run = cartctl()
            .args([
                "schedule",
                "--user",
                user,
                "--product",
                "sku-1",
                "--in",
                "1d",
                "--dry-run",
                "--role-arn",
                ROLE,
                "--bus",
                &bus,
            ])
            .run();
        run.success();
        let name = run.json()["Name"].as_str().unwrap().to_owned();
        let hashes = name.strip_prefix("cart-").unwrap();
        assert!(
            hashes.len() == 25 && hashes.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
            "{name}"
        );
        assert!(
            !hashes.contains(user) || user.len() <= 2,
            "{user} in {name}"
        );
    }
}

#[test]
fn no_network_beyond_the_configured_endpoint() {
    // strace shows every connect(2): scripts/test installs it. Without it, or without
    // ptrace, the check cannot run, and the test says so by failing.
    let probe = std::process::Command::new("strace")
        .args(["-f", "-e", "trace=connect", "true"])
        .output()
        .expect("strace is not installed: run scripts/install-packages (scripts/test does)");
    assert!(
        probe.status.success(),
        "strace cannot trace here (ptrace refused?): {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let endpoint = &emulator().endpoint;
    let port = endpoint.rsplit(':').next().unwrap();
    let bus = unique("bus");
    create_bus(&bus);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("connect.log");
    let run = cartctl()
        .env_remove("AWS_EC2_METADATA_DISABLED") // would an IMDS lookup happen, it would show
        .args(["put-event", "--bus", &bus, "--user", "u", "--product", "p"])
        .run_under(&[
            "strace",
            "-f",
            "-e",
            "trace=connect",
            "-o",
            log.to_str().unwrap(),
        ]);
    run.success();
    let text = std::fs::read_to_string(&log).unwrap();
    let inet: Vec<&str> = text.lines().filter(|l| l.contains("AF_INET")).collect();
    assert!(!inet.is_empty(), "no connection seen: {text}");
    for l in inet {
        assert!(
            l.contains(&format!("htons({port})")) && l.contains("127.0.0.1"),
            "an unexpected connection: {l}"
        );
    }
}
