//! The layering docs/ARCHITECTURE.md describes. Cargo keeps each crate's dependencies to what
//! it declares; these tests check what it cannot: that the declared graph keeps the excluded
//! crates out of each layer, that library crates never print and hold no process-wide mutable
//! state, that commands make session calls (no SDK call, retry loop or pagination of their
//! own), and that no function outside tests runs past 80 lines. Test modules are skipped
//! wherever they stand in a file; what follows one is read.
//!
//! Which files are library code is read off the layout, not a list: every crate under
//! `crates/` is a library (its `src/bin/` and `main.rs` excepted), the root `src/` is the CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, with its path relative to the workspace root.
fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root()).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

/// The source of every library crate (`crates/*/src`, binaries excepted).
fn library_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for krate in std::fs::read_dir(root().join("crates")).unwrap() {
        let src = krate.unwrap().path().join("src");
        out.extend(
            rust_files(&src)
                .into_iter()
                .filter(|(rel, _)| !rel.contains("/src/bin/") && !rel.ends_with("/src/main.rs")),
        );
    }
    assert!(out.len() > 20, "found the library sources");
    out
}

/// Every source file of the workspace: the CLI's and every crate's.
fn all_sources() -> Vec<(String, String)> {
    let mut out = rust_files(&root().join("src"));
    out.extend(rust_files(&root().join("crates")));
    out.retain(|(rel, _)| rel.contains("/src/") || rel.starts_with("src/"));
    out
}

/// The lines of a file outside its `#[cfg(test)]` items (a test module is skipped up to its
/// closing brace, and what follows it is read), numbered from 1, comments left out. A file that
/// is itself a test module (`tests.rs`) has none.
fn non_test_lines<'a>(rel: &str, text: &'a str) -> Vec<(usize, &'a str)> {
    if rel.ends_with("/tests.rs") {
        return Vec::new();
    }
    let test = test_lines(text);
    text.lines()
        .enumerate()
        .filter(|(i, _)| !test.contains(i))
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .collect()
}

/// The indexes of the lines of `#[cfg(test)]` items: from the attribute to the brace that
/// closes the item (its braces counted outside strings and chars, roughly), or the `;` or `,`
/// that ends an item without braces (a `mod tests;`, an enum variant, a match arm).
fn test_lines(text: &str) -> BTreeSet<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].trim_start().starts_with("#[cfg(test)]") {
            i += 1;
            continue;
        }
        let mut depth = 0i32;
        let mut opened = false;
        let start = i;
        while i < lines.len() {
            let code = lines[i].split("//").next().unwrap_or("");
            let code: String = code.split('"').step_by(2).collect();
            depth += code.matches('{').count() as i32 - code.matches('}').count() as i32;
            opened |= code.contains('{');
            let tail = code.trim_end();
            let ends =
                (opened && depth <= 0) || (!opened && (tail.ends_with(';') || tail.ends_with(',')));
            i += 1;
            if ends {
                break;
            }
        }
        out.extend(start..i);
    }
    out
}

#[test]
fn library_crates_never_print_and_have_no_mutable_statics() {
    let mut found = Vec::new();
    for (rel, text) in library_sources() {
        for (n, line) in non_test_lines(&rel, &text) {
            let t = line.trim_start();
            let prints = [
                "println!",
                "eprintln!",
                "print!(",
                "eprint!(",
                "dbg!(",
                "io::stdout()",
                "io::stderr()",
            ]
            .iter()
            .any(|p| t.contains(p));
            let global = t.starts_with("static ")
                || t.starts_with("pub static ")
                || t.contains("static mut ");
            if prints || global {
                found.push(format!("{rel}:{n}: {t}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "library code that prints or holds a static:\n{}",
        found.join("\n")
    );
}

#[test]
fn library_crates_know_nothing_of_processes() {
    // Exit codes and signals are the binary's (src/exit.rs); a library error has a kind.
    let mut found = Vec::new();
    for (rel, text) in library_sources() {
        for (n, line) in non_test_lines(&rel, &text) {
            let banned = [
                "exit_code",
                "ExitCode",
                "process::exit",
                "tokio::signal",
                "Interrupted",
            ];
            if let Some(b) = banned.iter().find(|b| line.contains(*b)) {
                found.push(format!("{rel}:{n}: `{b}` in {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "process matters in the libraries:\n{}",
        found.join("\n")
    );
}

#[test]
fn settings_are_named_by_their_table_entry_never_by_a_string() {
    // `setting::EVENT_BUS`, never `setting("event_bus")` or a literal `"CARTCTL_…"`: a typo
    // must not compile. The table itself (core's setting.rs) is where the strings live.
    let mut found = Vec::new();
    for (rel, text) in all_sources() {
        if rel.ends_with("cartctl-core/src/setting.rs") {
            continue;
        }
        for (n, line) in non_test_lines(&rel, &text) {
            let t = line.trim_start();
            if t.starts_with("//") {
                continue;
            }
            let looks_up = t.contains(".setting(\"") || t.contains("by_key(\"");
            let spells_env = t.contains("\"CARTCTL_") && !t.contains("CARTCTL_LOG");
            if looks_up || spells_env {
                found.push(format!("{rel}:{n}: {t}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a setting named by a string:\n{}",
        found.join("\n")
    );
}

#[test]
fn commands_write_through_their_printer_only() {
    // Output belongs to the printer (src/render): what -q silences, what goes to stderr,
    // colour. A command that prints by itself escapes all three.
    let mut found = Vec::new();
    for (rel, text) in rust_files(&root().join("src/commands")) {
        for (n, line) in non_test_lines(&rel, &text) {
            let banned = [
                "eprintln!",
                "println!",
                "eprint!",
                "print!(",
                "std::io::stdout",
                "std::io::stderr",
            ];
            if let Some(b) = banned.iter().find(|b| line.contains(*b)) {
                found.push(format!("{rel}:{n}: `{b}` in {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "printing outside the printer:\n{}",
        found.join("\n")
    );
}

#[test]
fn commands_never_name_the_output_format() {
    // Every outcome implements render::outcome::Report and is handed to the printer
    // (`report`, `item`, an `ItemLog` or a `RowStream`); no command chooses between JSON,
    // NDJSON and text itself.
    let mut found = Vec::new();
    for (rel, text) in rust_files(&root().join("src/commands")) {
        for (n, line) in non_test_lines(&rel, &text) {
            if line.contains("OutputFormat") || line.contains("printer.format") {
                found.push(format!("{rel}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "format branching in commands:\n{}",
        found.join("\n")
    );
}

#[test]
fn commands_make_session_calls_only() {
    let mut found = Vec::new();
    for (rel, text) in rust_files(&root().join("src/commands")) {
        for (n, line) in non_test_lines(&rel, &text) {
            let banned = [
                "with_retries",
                ".retrier()",
                ".clients()",
                ".send()",
                "into_paginator",
                "next_token",
                "aws_sdk_",
                "cartctl_aws::sdk",
            ];
            if let Some(b) = banned.iter().find(|b| line.contains(*b)) {
                found.push(format!("{rel}:{n}: `{b}` in {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "AWS work in commands:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_function_outside_tests_is_longer_than_80_lines() {
    let mut found = Vec::new();
    for (rel, text) in all_sources() {
        let all: Vec<&str> = text.lines().collect();
        let test = if rel.ends_with("/tests.rs") {
            (0..all.len()).collect()
        } else {
            test_lines(&text)
        };
        for (i, line) in all.iter().enumerate().filter(|(i, _)| !test.contains(i)) {
            let t = line.trim_start();
            let indent = &line[..line.len() - t.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "async fn ",
                "pub async fn ",
                "pub(crate) fn ",
                "pub(crate) async fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            // A declaration without a body (a trait's), on one line or several.
            let ends = all[i..]
                .iter()
                .map(|l| l.trim_end())
                .find(|l| l.ends_with(';') || l.ends_with('{'));
            if !is_fn || ends.is_none_or(|l| l.ends_with(';')) {
                continue;
            }
            let close = format!("{indent}}}");
            if let Some(end) = all[i + 1..].iter().position(|l| *l == close) {
                let len = end + 2;
                if len > 80 {
                    found.push(format!("{rel}:{}: {len} lines", i + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "functions over 80 lines:\n{}",
        found.join("\n")
    );
}

/// The packages `package` depends on for its normal build (no dev or build dependencies),
/// transitively, as `cargo tree -e normal` lists them for this platform.
fn normal_dependencies(package: &str) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["tree", "--locked", "--offline", "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}", "-p", package])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .filter_map(|l| l.split(" v").next())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_layer_leaves_out_what_it_must_not_depend_on() {
    let trees: BTreeMap<&str, BTreeSet<String>> = ["cartctl-core", "cartctl-aws", "cartctl"]
        .into_iter()
        .map(|p| (p, normal_dependencies(p)))
        .collect();
    let banned = |krate: &str, prefixes: &[&str]| -> Vec<String> {
        trees[krate]
            .iter()
            .filter(|d| {
                prefixes
                    .iter()
                    .any(|p| d == p || d.starts_with(&format!("{p}-")))
            })
            .cloned()
            .collect()
    };
    let core = banned(
        "cartctl-core",
        &["tokio", "aws", "hyper", "clap", "futures"],
    );
    assert!(core.is_empty(), "cartctl-core depends on {core:?}");
    let aws = banned(
        "cartctl-aws",
        &[
            "clap",
            "clap_complete",
            "clap_mangen",
            "indicatif",
            "comfy-table",
            "tracing-subscriber",
            "anyhow",
        ],
    );
    assert!(aws.is_empty(), "cartctl-aws depends on {aws:?}");
    // The layers do depend on what they are for.
    assert!(trees["cartctl-aws"].contains("aws-sdk-scheduler"));
    assert!(trees["cartctl-aws"].contains("cartctl-core"));
    assert!(trees["cartctl"].contains("cartctl-aws"));
}
