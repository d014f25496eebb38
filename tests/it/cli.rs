//! The command line's conventions: completions that cannot drift, a man page that renders,
//! examples in every help, global flags anywhere, the config file's precedence, colour only on a
//! terminal, data on stdout and diagnostics on stderr.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

/// Every subcommand, as DESIGN.md's command list has them.
const SUBCOMMANDS: [&str; 18] = [
    "schedule",
    "put-event",
    "list",
    "delete",
    "tail",
    "fire",
    "setup",
    "doctor",
    "dlq",
    "stats",
    "match",
    "worker",
    "forget",
    "contacts",
    "report",
    "completions",
    "man",
    "config",
];

/// Subcommands that have subcommands of their own.
const NESTED: [(&str, &[&str]); 2] = [
    ("worker", &["consumer", "mailer"]),
    ("dlq", &["list", "redrive", "purge"]),
];

/// Words of help written before what it describes was built.
const STALE: [&str; 5] = [
    "(or, later",
    "later, the",
    "not yet",
    "will be added",
    "TODO",
];

/// The commands `cartctl --help` lists.
fn listed_commands() -> Vec<String> {
    let top = cartctl().args(["--help"]).run();
    top.stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn the_help_of_every_command_matches_the_command_list_and_says_nothing_stale() {
    let listed = listed_commands();
    assert_eq!(listed, SUBCOMMANDS, "cartctl --help lists other commands");
    let readme = std::fs::read_to_string(repo_file("README.md")).unwrap();
    let mut helps = vec![(String::from("cartctl"), cartctl().args(["--help"]).run())];
    for sub in SUBCOMMANDS {
        assert!(
            readme.contains(&format!("cartctl {sub}")),
            "the README never shows `cartctl {sub}`"
        );
        helps.push((sub.to_owned(), cartctl().args([sub, "--help"]).run()));
    }
    for (parent, children) in NESTED {
        let about = cartctl().args([parent, "-h"]).run();
        let first = about.stdout.lines().next().unwrap_or_default().to_owned();
        for child in children {
            assert!(
                about.stdout.contains(&format!("  {child} ")),
                "{parent} --help does not list {child}"
            );
            helps.push((
                format!("{parent} {child}"),
                cartctl().args([parent, child, "--help"]).run(),
            ));
        }
        if parent == "worker" {
            for child in children {
                assert!(
                    first.contains(child),
                    "worker's summary leaves out {child}: {first}"
                );
            }
        }
    }
    for (name, run) in &helps {
        run.success();
        for stale in STALE {
            assert!(
                !run.stdout.contains(stale),
                "{name} --help says {stale:?}: written before the feature, left stale"
            );
        }
    }
}

fn repo_file(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn committed_completions_are_current_and_parse() {
    for (shell, file) in [
        ("bash", "completions/cartctl.bash"),
        ("zsh", "completions/_cartctl"),
        ("fish", "completions/cartctl.fish"),
        ("powershell", "completions/_cartctl.ps1"),
        ("elvish", "completions/cartctl.elv"),
    ] {
        let run = cartctl().args(["completions", shell]).run();
        run.success();
        let committed = std::fs::read_to_string(repo_file(file)).unwrap_or_default();
        assert!(
            run.stdout == committed,
            "{file} is out of date: run scripts/completions and commit the result"
        );
        for sub in ["schedule", "put-event", "tail", "fire"] {
            assert!(run.stdout.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    // Parse each with its shell where the shell is installed (bash always is).
    for (shell, args, file) in [
        ("bash", vec!["-n"], "completions/cartctl.bash"),
        ("zsh", vec!["-n"], "completions/_cartctl"),
        ("fish", vec!["--no-execute"], "completions/cartctl.fish"),
    ] {
        let Ok(out) = Command::new(shell)
            .args(&args)
            .arg(repo_file(file))
            .output()
        else {
            assert_ne!(shell, "bash", "bash must be installed");
            continue;
        };
        assert!(
            out.status.success(),
            "{shell} cannot parse {file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn man_page_covers_every_subcommand_and_renders() {
    let run = cartctl().args(["man"]).run();
    run.success();
    assert!(run.stdout.contains(".TH cartctl 1"));
    for sub in SUBCOMMANDS {
        assert!(
            run.stdout
                .contains(&format!(".SH \"CARTCTL-{}\"", sub.to_uppercase())),
            "no section for {sub}"
        );
    }
    assert!(
        run.stdout.contains("\\-\\-on\\-conflict"),
        "schedule's options are in"
    );
    if let Ok(mut child) = Command::new("groff")
        .args(["-man", "-Tascii", "-ww"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(run.stdout.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        // Drop the overstrikes (`X\x08X`) that make bold text on a terminal.
        let raw = String::from_utf8_lossy(&out.stdout);
        let mut text = String::new();
        for c in raw.chars() {
            if c == '\x08' {
                text.pop();
            } else {
                text.push(c);
            }
        }
        assert!(
            text.contains("CARTCTL-SCHEDULE") && text.contains("--on-conflict"),
            "{text}"
        );
        assert!(
            out.stderr.is_empty(),
            "groff warnings: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_subcommand_has_help_with_examples() {
    for sub in SUBCOMMANDS {
        let run = cartctl().args([sub, "--help"]).run();
        run.success();
        assert!(
            run.stdout.contains("Examples:"),
            "{sub} --help has no examples"
        );
        assert!(
            run.stdout.contains(&format!("cartctl {sub}")),
            "{sub} examples do not invoke it"
        );
        let short = cartctl().args([sub, "-h"]).run();
        assert!(
            short.stdout.lines().next().is_some_and(|l| !l.is_empty()),
            "{sub} has no description"
        );
    }
    let run = cartctl().args(["schedule", "--help"]).run();
    assert!(run.stdout.contains("-o json | jq"), "a CI example with jq");
    assert!(run.stdout.contains("--file carts.ndjson"), "a bulk example");
    for env in [
        "CARTCTL_EVENT_BUS",
        "CARTCTL_SCHEDULE_GROUP",
        "CARTCTL_SCHEDULER_ROLE_ARN",
        "CARTCTL_SOURCE",
        "CARTCTL_DETAIL_TYPE",
        "CARTCTL_OUTPUT",
    ] {
        assert!(
            run.stdout.contains(&format!("[env: {env}")),
            "{env} not in schedule --help"
        );
    }
    let top = cartctl().args(["--help"]).run();
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "124", "130"] {
        assert!(
            top.stdout.contains(&format!("  {code}")),
            "exit code {code} not documented"
        );
    }
    let readme = std::fs::read_to_string(repo_file("README.md")).unwrap();
    for code in [
        "| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |", "| 124 |", "| 130 |",
    ] {
        assert!(readme.contains(code), "README lacks exit code {code}");
    }
}

#[test]
fn unknown_flags_and_subcommands_exit_2() {
    for args in [
        vec!["--nope"],
        vec!["frobnicate"],
        vec!["list", "--nope"],
        vec!["tail", "--max-events", "x"],
        vec![],
    ] {
        let run = cartctl().args(&args).run();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "usage errors go to stderr");
    }
}

#[test]
fn global_flags_work_before_and_after_the_subcommand() {
    let bus = bus_arn("shop");
    let base = [
        "--user",
        "u",
        "--product",
        "p",
        "--in",
        "1d",
        "--dry-run",
        "--role-arn",
        ROLE,
        "--bus",
        &bus,
    ];
    let before = cartctl()
        .args(["-o", "ndjson", "--region", "eu-west-1", "schedule"])
        .args(base)
        .run();
    let after = cartctl()
        .args(["schedule"])
        .args(base)
        .args(["--region", "eu-west-1", "-o", "ndjson"])
        .run();
    before.success();
    after.success();
    assert_eq!(before.stdout.lines().count(), 1, "ndjson: one line");
    let (a, b): (Value, Value) = (before.json(), after.json());
    assert_eq!(a["Name"], b["Name"]);
}

fn dry_group(dir: &Path, env: &[(&str, &str)], flags: &[&str]) -> String {
    let mut c = cartctl()
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME");
    for (k, v) in env {
        c = c.env(k, v);
    }
    let run = c
        .args([
            "schedule",
            "--user",
            "u",
            "--product",
            "p",
            "--in",
            "1d",
            "--dry-run",
            "--role-arn",
            ROLE,
        ])
        .args(["--bus", &bus_arn("shop")])
        .args(flags)
        .run();
    run.success();
    run.json()["GroupName"].as_str().unwrap().to_owned()
}

#[test]
fn flag_beats_env_beats_file_beats_default() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(dry_group(dir.path(), &[], &[]), "default");
    std::fs::write(
        dir.path().join("cartctl.toml"),
        "schedule_group = \"from-file\"\noutput = \"json\"\n",
    )
    .unwrap();
    assert_eq!(dry_group(dir.path(), &[], &[]), "from-file");
    assert_eq!(
        dry_group(dir.path(), &[("CARTCTL_SCHEDULE_GROUP", "from-env")], &[]),
        "from-env"
    );
    assert_eq!(
        dry_group(
            dir.path(),
            &[("CARTCTL_SCHEDULE_GROUP", "from-env")],
            &["--group", "from-flag"]
        ),
        "from-flag"
    );

    let run = cartctl()
        .current_dir(dir.path())
        .env("CARTCTL_SOURCE", "shop.env")
        .args(["config"])
        .run();
    run.success();
    let c = run.json(); // output = "json" from the file
    let file = dir.path().join("cartctl.toml").display().to_string();
    assert_eq!(c["config_file"], file.as_str());
    let s = &c["settings"];
    assert_eq!(s["schedule_group"]["value"], "from-file");
    assert_eq!(s["schedule_group"]["source"], "file");
    assert_eq!(s["schedule_group"]["from"], file.as_str());
    assert_eq!(s["source"]["value"], "shop.env");
    assert_eq!(s["source"]["source"], "env");
    assert_eq!(s["event_bus"]["source"], "default");
    assert_eq!(s["output"]["source"], "file");
    assert_eq!(s["scheduler_role_arn"]["source"], "unset");
    let run = cartctl()
        .current_dir(dir.path())
        .args(["config", "-o", "text"])
        .run();
    run.success();
    assert!(
        run.stdout.contains("schedule_group") && run.stdout.contains(&format!("file {file}")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("flag --output"), "{}", run.stdout);
}

#[test]
fn the_xdg_config_file_is_used_when_there_is_no_local_one() {
    let cwd = tempfile::tempdir().unwrap();
    let xdg = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(xdg.path().join("cartctl")).unwrap();
    std::fs::write(
        xdg.path().join("cartctl/config.toml"),
        "schedule_group = \"from-xdg\"\n",
    )
    .unwrap();
    assert_eq!(
        dry_group(
            cwd.path(),
            &[("XDG_CONFIG_HOME", xdg.path().to_str().unwrap())],
            &[]
        ),
        "from-xdg"
    );
}

#[test]
fn a_malformed_config_file_exits_2_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let sentinel = Sentinel::start();
    for (text, needle) in [
        (
            "event_bus = \"shop\"\n\nschedule_group = \"no spaces\"\n",
            "cartctl.toml:3 key `schedule_group`",
        ),
        (
            "event_bus = \"shop\"\nbuss = \"x\"\n",
            "cartctl.toml:2 key `buss`: unknown field `buss`",
        ),
        ("output = \"yaml\"\n", "cartctl.toml:1 key `output`"),
        (
            "event_bus = [\"a\"]\n",
            "cartctl.toml:1 key `event_bus`: wanted string, found array",
        ),
        ("event_bus = \"shop\n", "cartctl.toml:1: is not valid TOML"),
    ] {
        std::fs::write(dir.path().join("cartctl.toml"), text).unwrap();
        let run = cartctl_at(&sentinel.endpoint)
            .current_dir(dir.path())
            .args(["put-event", "--user", "u", "--product", "p"])
            .run();
        assert_eq!(run.code, 2, "{text:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{text:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&dir.path().join("cartctl.toml").display().to_string()),
            "{}",
            run.stderr
        );
    }
    assert_eq!(sentinel.hits(), 0);
}

/// Runs cartctl on a pseudo-terminal (util-linux `script`), as a person at a terminal would.
fn on_terminal(args: &str, env: &[(&str, &str)]) -> String {
    let bin = env!("CARGO_BIN_EXE_cartctl");
    let mut c = Command::new("script");
    c.args(["-qec", &format!("{bin} {args}"), "/dev/null"]);
    emulator_env(&mut c).env("TERM", "xterm");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("script(1) from util-linux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_and_progress_only_on_a_terminal_and_never_in_json() {
    let s = setup();
    let sched = format!(
        "schedule --group {} --bus {} --role-arn {ROLE}",
        s.group, s.bus
    );
    // Auto on a terminal: colour.
    let out = on_terminal(&format!("{sched} --user a --product p --in 1d"), &[]);
    assert!(out.contains("\x1b["), "no colour on a terminal: {out:?}");
    // NO_COLOR, --color never, JSON: none.
    let out = on_terminal(
        &format!("{sched} --user b --product p --in 1d"),
        &[("NO_COLOR", "1")],
    );
    assert!(!out.contains("\x1b["), "{out:?}");
    let out = on_terminal(
        &format!("{sched} --user c --product p --in 1d --color never"),
        &[],
    );
    assert!(!out.contains("\x1b["), "{out:?}");
    let out = on_terminal(
        &format!("{sched} --user d --product p --in 1d -o json --color always"),
        &[],
    );
    assert!(!out.contains("\x1b["), "colour in JSON: {out:?}");
    // Not a terminal: none, unless forced.
    let run = schedule_into(&s.group, &s.bus)
        .args(["--user", "e", "--product", "p", "--in", "1d"])
        .run();
    assert!(!run.stdout.contains('\x1b'));
    let run = schedule_into(&s.group, &s.bus)
        .args([
            "--user",
            "f",
            "--product",
            "p",
            "--in",
            "1d",
            "--color",
            "always",
        ])
        .run();
    assert!(run.stdout.contains('\x1b'));

    // A progress bar for a bulk run on a terminal, never with ndjson or off a terminal.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.ndjson");
    let lines: String = (0..300)
        .map(|i| format!("{{\"user\":\"bar-{i}\",\"product\":\"p\"}}\n"))
        .collect();
    std::fs::write(&file, lines).unwrap();
    let out = on_terminal(&format!("{sched} --in 1d --file {}", file.display()), &[]);
    assert!(
        out.contains('%') && out.contains("300 lines: 300 created"),
        "{out:?}"
    );
    let out = on_terminal(
        &format!("{sched} --in 1d --file {} -o ndjson", file.display()),
        &[],
    );
    assert!(
        !out.contains('%') && !out.contains("\x1b["),
        "progress with ndjson: {out:?}"
    );
    let run = schedule_into(&s.group, &s.bus)
        .args(["--in", "1d"])
        .arg_path("--file", &file)
        .run();
    assert_eq!(run.stdout.trim(), "300 lines: 300 unchanged");
    assert!(
        run.stderr.is_empty(),
        "no progress off a terminal: {:?}",
        run.stderr
    );
}

/// A valid value of a setting's kind, for setting it in the environment.
fn sample(s: &cartctl_core::setting::Setting) -> String {
    use cartctl_core::setting::Kind;
    match s.kind {
        Kind::Bus => "shop".into(),
        Kind::GroupName => "carts".into(),
        Kind::RoleArn => ROLE.into(),
        Kind::QueueArn => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:q"),
        Kind::QueueRef => "a-queue".into(),
        Kind::Source => "shop.carts".into(),
        Kind::DetailType => "cart {product}".into(),
        Kind::Stages => "2h".into(),
        Kind::Duration => "12h".into(),
        Kind::QuietHours => "22:00-07:00".into(),
        Kind::Timezone => "Europe/Paris".into(),
        Kind::Sender => "shop@example.com".into(),
        Kind::Count => "3".into(),
        Kind::Percent => "12.5".into(),
        Kind::OneOf(words) => words[words.len() - 1].into(),
        Kind::Text => "some-text".into(),
    }
}

#[test]
fn every_setting_reaches_the_environment_the_config_listing_the_file_and_the_completions() {
    use cartctl_core::setting::ALL;
    // Each setting's variable is read, and `config` says so (CARTCTL_OUTPUT makes it JSON).
    let mut run = cartctl().args(["config"]);
    for s in ALL {
        run = run.env(s.env, sample(s));
    }
    let out = run.run();
    out.success();
    let listed = &out.json()["settings"];
    for s in ALL {
        assert_eq!(
            listed[s.key]["value"],
            sample(s),
            "{}: {}",
            s.key,
            out.stdout
        );
        assert_eq!(listed[s.key]["source"], "env", "{}", s.key);
        assert_eq!(listed[s.key]["from"], s.env, "{}", s.key);
    }
    // Each is a key of the file.
    let dir = tempfile::tempdir().unwrap();
    let text: String = ALL
        .iter()
        .map(|s| format!("{} = {:?}\n", s.key, sample(s)))
        .collect();
    std::fs::write(dir.path().join("cartctl.toml"), text).unwrap();
    let out = cartctl()
        .env_remove(cartctl_core::setting::MAIL_POSTAL_ADDRESS.env)
        .current_dir(dir.path())
        .args(["config", "-o", "json"])
        .run();
    out.success();
    for s in ALL.iter().filter(|s| s.key != "output") {
        assert_eq!(out.json()["settings"][s.key]["source"], "file", "{}", s.key);
    }
    // Each is in the README's table of variables.
    let readme = std::fs::read_to_string(repo_file("README.md")).unwrap();
    let env_table =
        &readme[readme.find("## Environment").unwrap()..readme.find("### Config file").unwrap()];
    for s in ALL {
        assert!(
            env_table.contains(&format!("| `{}` |", s.env)),
            "README lacks {}",
            s.env
        );
    }
    // Each flag is completed, and shows its variable in some command's help.
    let bash = std::fs::read_to_string(repo_file("completions/cartctl.bash")).unwrap();
    let helps: String = [
        vec!["--help"],
        vec!["schedule", "--help"],
        vec!["setup", "--help"],
        vec!["doctor", "--help"],
        vec!["dlq", "list", "--help"],
        vec!["worker", "consumer", "--help"],
        vec!["worker", "mailer", "--help"],
    ]
    .into_iter()
    .map(|args| cartctl().args(args).run().stdout)
    .collect();
    for s in ALL.iter().filter(|s| s.flag.starts_with("--")) {
        assert!(bash.contains(s.flag), "{} is not completed", s.flag);
        assert!(
            helps.contains(&format!("[env: {}", s.env)),
            "no help shows {} for {}",
            s.env,
            s.flag
        );
    }
}
