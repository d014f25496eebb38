//! `cartctl setup --functions` against the emulator: the consumer and mailer functions, each
//! with its own role and an SQS event source mapping, updated only when their code or
//! configuration changed, checked by doctor and removed by teardown. moto never runs Lambda
//! code, so the zips here hold a stand-in `bootstrap` and no message is sent to these queues
//! (moto would try to invoke the function); the bootstraps themselves run in `lambda.rs`.
//! Each test has an emulator of its own: once moto holds a function, its data view (which the
//! mailer's tests read the outbox from) answers 500.

use std::path::Path;

use serde_json::Value;

use crate::common::*;

/// Writes `<dir>/<arch>/<name>/bootstrap.zip` holding a `bootstrap` with `content`.
pub(crate) fn write_zip(dir: &Path, arch: &str, name: &str, content: &str) {
    let at = dir.join(arch).join(name);
    std::fs::create_dir_all(&at).unwrap();
    let script = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n    z.writestr('bootstrap', sys.argv[2])\n";
    let ok = std::process::Command::new(venv_python())
        .args(["-c", script])
        .arg(at.join("bootstrap.zip"))
        .arg(content)
        .status()
        .unwrap();
    assert!(ok.success());
}

/// A function's environment variables, as Lambda reports them.
pub(crate) fn function_env(
    l: &aws_sdk_lambda::Client,
    name: &str,
) -> std::collections::HashMap<String, String> {
    let f = rt()
        .block_on(l.get_function().function_name(name).send())
        .unwrap();
    f.configuration()
        .unwrap()
        .environment()
        .unwrap()
        .variables()
        .unwrap()
        .clone()
}

pub(crate) fn inline_policy(iam: &aws_sdk_iam::Client, role: &str) -> Value {
    let p = rt()
        .block_on(
            iam.get_role_policy()
                .role_name(role)
                .policy_name("cartctl-system")
                .send(),
        )
        .unwrap();
    serde_json::from_str(
        &percent_encoding::percent_decode_str(p.policy_document()).decode_utf8_lossy(),
    )
    .unwrap()
}

#[test]
fn setup_functions_deploys_both_functions_idempotently_and_teardown_removes_them() {
    let emu = private_strict_emulator(&[]);
    let config = sdk_config_at(&emu.endpoint);
    let (l, iam) = (
        aws_sdk_lambda::Client::new(&config),
        aws_sdk_iam::Client::new(&config),
    );
    let (bus, prefix) = (unique("fnshop"), unique("fn"));
    let work = tempfile::tempdir().unwrap();
    let lambda_dir = work.path().join("lambda");
    write_zip(&lambda_dir, "arm64", "consumer", "consumer v1");
    write_zip(&lambda_dir, "arm64", "mailer", "mailer v1");
    let setup = |extra: &[&str]| {
        cartctl_at(&emu.endpoint)
            .current_dir(work.path())
            .args([
                "setup",
                "--bus",
                &bus,
                "--group",
                &bus,
                "--name-prefix",
                &prefix,
                "-o",
                "json",
            ])
            .arg_path("--functions", &lambda_dir)
            .args(extra)
            .run()
    };
    // A dry run reads only: the functions would be made, and nothing is.
    let dry = setup(&["--mail-from", "Shop <shop@example.com>", "--dry-run"]);
    dry.success();
    let would = setup_changes(&dry);
    assert_eq!(
        would[&format!("function {prefix}-consumer")],
        "would_create",
        "{}",
        dry.stdout
    );
    assert!(
        rt().block_on(
            l.get_function()
                .function_name(format!("{prefix}-consumer"))
                .send()
        )
        .is_err()
    );
    let first = setup(&[
        "--mail-from",
        "Shop <shop@example.com>",
        "--write-config",
        "cartctl.toml",
    ]);
    first.success();
    let made = setup_changes(&first);
    let (consumer, mailer) = (format!("{prefix}-consumer"), format!("{prefix}-mailer"));
    for part in [
        format!("role {consumer}"),
        format!("function {consumer}"),
        format!("event-source-mapping {prefix}-carts -> {consumer}"),
        format!("role {mailer}"),
        format!("function {mailer}"),
        format!("event-source-mapping {prefix}-email -> {mailer}"),
    ] {
        assert_eq!(
            made.get(&part).map(String::as_str),
            Some("created"),
            "{part}: {}",
            first.stdout
        );
    }

    let f = rt()
        .block_on(l.get_function().function_name(&consumer).send())
        .unwrap();
    let c = f.configuration().unwrap();
    assert_eq!(c.runtime().map(|r| r.as_str()), Some("provided.al2023"));
    assert_eq!(c.handler(), Some("bootstrap"));
    assert_eq!(c.architectures()[0].as_str(), "arm64");
    assert!(
        c.timeout().unwrap() < 30,
        "below the queue's visibility timeout"
    );
    assert!(c.role().unwrap().ends_with(&format!(":role/{consumer}")));
    let env = c.environment().unwrap().variables().unwrap();
    assert_eq!(env["CARTCTL_EVENT_BUS"], bus);
    assert_eq!(env["CARTCTL_SCHEDULE_GROUP"], bus);
    assert!(env["CARTCTL_SCHEDULER_ROLE_ARN"].ends_with(&format!(":role/{prefix}-scheduler")));
    let menv = function_env(&l, &mailer);
    assert!(
        menv["CARTCTL_MAIL_FROM"].ends_with("<shop@example.com>"),
        "{menv:?}"
    );
    let maps = rt()
        .block_on(
            l.list_event_source_mappings()
                .function_name(&consumer)
                .send(),
        )
        .unwrap();
    let map = &maps.event_source_mappings()[0];
    assert!(
        map.event_source_arn()
            .unwrap()
            .ends_with(&format!(":{prefix}-carts"))
    );
    assert_eq!(map.batch_size(), Some(10));
    assert_eq!(
        map.function_response_types()[0].as_str(),
        "ReportBatchItemFailures"
    );
    // Each role names its own resources: the consumer its group's schedules and the
    // Scheduler role it passes, the mailer its sender.
    let cp = inline_policy(&iam, &consumer).to_string();
    assert!(cp.contains(&format!(":schedule/{bus}/*")), "{cp}");
    assert!(
        cp.contains("iam:PassedToService") && cp.contains(&format!("role/{prefix}-scheduler")),
        "{cp}"
    );
    // The consumer's only SES actions record consent on the contact list; it never sends.
    assert!(
        !cp.contains("ses:SendEmail") && cp.contains("ses:UpdateContact"),
        "{cp}"
    );
    assert!(cp.contains(":contact-list/"), "{cp}");
    let mp = inline_policy(&iam, &mailer).to_string();
    assert!(
        mp.contains("identity/shop@example.com") && !mp.contains("scheduler:"),
        "{mp}"
    );

    // A second run (the sender from the config now) changes nothing.
    let again = setup(&[]);
    again.success();
    let moved: Vec<_> = setup_changes(&again)
        .into_iter()
        .filter(|(_, c)| c != "unchanged")
        .collect();
    assert!(moved.is_empty(), "a second run changed {moved:?}");

    // A variable the operator added is kept; new code for one function updates that one only.
    let mut theirs: std::collections::HashMap<String, String> = env.clone();
    theirs.insert("CARTCTL_REMIND_AFTER".into(), "2h".into());
    rt().block_on(
        l.update_function_configuration()
            .function_name(&consumer)
            .environment(
                aws_sdk_lambda::types::Environment::builder()
                    .set_variables(Some(theirs))
                    .build(),
            )
            .send(),
    )
    .unwrap();
    write_zip(&lambda_dir, "arm64", "mailer", "mailer v2");
    let third = setup(&[]);
    third.success();
    let c3 = setup_changes(&third);
    assert_eq!(
        c3[&format!("function {consumer}")],
        "unchanged",
        "{}",
        third.stdout
    );
    assert_eq!(c3[&format!("function {mailer}")], "updated");
    let env = function_env(&l, &consumer);
    assert_eq!(env["CARTCTL_REMIND_AFTER"], "2h");

    let doctor = cartctl_at(&emu.endpoint)
        .current_dir(work.path())
        .args(["doctor", "-o", "json"])
        .run();
    for name in [
        "consumer-mapping",
        "consumer-function",
        "mailer-mapping",
        "mailer-function",
    ] {
        let status = check_status(&doctor, name);
        assert!(status.starts_with("ok:"), "{name}: {status}");
    }

    let down = cartctl_at(&emu.endpoint)
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
    for part in [
        format!("function {consumer}"),
        format!("function {mailer}"),
        format!("role {consumer}"),
        format!("role {mailer}"),
    ] {
        assert_eq!(gone[&part], "deleted", "{part}: {}", down.stdout);
    }
    assert!(
        rt().block_on(l.get_function().function_name(&consumer).send())
            .is_err()
    );
    let left = rt().block_on(
        l.list_event_source_mappings()
            .function_name(&consumer)
            .send(),
    );
    assert!(
        left.map(|m| m.event_source_mappings().is_empty())
            .unwrap_or(true)
    );
}

#[test]
fn setup_functions_refuses_what_it_cannot_deploy_before_any_request() {
    let sentinel = Sentinel::start();
    let work = tempfile::tempdir().unwrap();
    let lambda_dir = work.path().join("lambda");
    write_zip(&lambda_dir, "x86_64", "consumer", "c");
    write_zip(&lambda_dir, "x86_64", "mailer", "m");
    let x86 = lambda_dir.join("x86_64").display().to_string();
    let missing = work.path().join("nothing").display().to_string();
    for (extra, field) in [
        (
            vec!["--functions", &x86, "--mail-from", "shop@example.com"],
            "--arch",
        ),
        (
            vec!["--functions", &missing, "--mail-from", "shop@example.com"],
            "--functions",
        ),
        (
            vec!["--functions", "--mail-from", "shop@example.com"],
            "--functions",
        ),
        (vec!["--functions", &x86, "--arch", "x86_64"], "--mail-from"),
        (
            vec![
                "--functions",
                &x86,
                "--arch",
                "riscv",
                "--mail-from",
                "shop@example.com",
            ],
            "--arch",
        ),
    ] {
        let run = cartctl_at(&sentinel.endpoint)
            .current_dir(work.path())
            .args(["setup", "--bus", "shop"])
            .args(&extra)
            .run();
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(field), "{extra:?}: {}", run.stderr);
    }
    assert_eq!(sentinel.hits(), 0, "bad input reached the network");
}

#[test]
fn a_failure_midway_reports_what_was_done_and_what_failed() {
    let emu = private_strict_emulator(&[]);
    // Lambda unreachable: the flow and the functions' roles are made, then the function fails.
    let proxy = FaultProxy::start(
        &emu.endpoint,
        &["--route".into(), "lambda=http://127.0.0.1:9".into()],
    );
    let work = tempfile::tempdir().unwrap();
    let lambda_dir = work.path().join("lambda");
    write_zip(&lambda_dir, "arm64", "consumer", "c");
    write_zip(&lambda_dir, "arm64", "mailer", "m");
    let (bus, prefix) = (unique("fnfail"), unique("ff"));
    let run = cartctl_at(&proxy.endpoint)
        .current_dir(work.path())
        .env("AWS_MAX_ATTEMPTS", "1")
        .args([
            "--max-attempts",
            "1",
            "setup",
            "--bus",
            &bus,
            "--name-prefix",
            &prefix,
            "--mail-from",
            "shop@example.com",
            "-o",
            "json",
        ])
        .arg_path("--functions", &lambda_dir)
        .run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let done = setup_changes(&run);
    assert_eq!(
        done[&format!("queue {prefix}-carts")],
        "created",
        "{}",
        run.stdout
    );
    assert_eq!(
        done[&format!("role {prefix}-consumer")],
        "created",
        "{}",
        run.stdout
    );
    assert!(
        !done.contains_key(&format!("function {prefix}-consumer")),
        "{}",
        run.stdout
    );
    let failed = run.json()["failed"]["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(failed.contains("GetFunction"), "{}", run.stdout);
    assert!(run.stderr.contains("GetFunction"), "{}", run.stderr);
}
