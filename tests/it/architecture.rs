//! The layering docs/ARCHITECTURE.md describes, checked on the source: the library never
//! prints and holds no process-wide mutable state, commands make session calls (no SDK call,
//! retry loop or pagination of their own), and no function outside tests runs past 80 lines.

use std::path::{Path, PathBuf};

const BINARY_ONLY: [&str; 7] = [
    "main.rs",
    "cli.rs",
    "settings.rs",
    "commands/",
    "render/",
    "logging/",
    "build.rs",
];

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    assert!(out.len() > 20, "found the sources");
    out
}

/// The lines before the file's `#[cfg(test)]` module, numbered from 1.
fn non_test_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

fn is_library(rel: &str) -> bool {
    !BINARY_ONLY.iter().any(|b| rel.starts_with(b))
}

#[test]
fn the_library_never_prints_and_has_no_mutable_statics() {
    let mut found = Vec::new();
    for (rel, text) in sources().iter().filter(|(r, _)| is_library(r)) {
        for (n, line) in non_test_lines(text) {
            let t = line.trim_start();
            let prints = [
                "println!",
                "eprintln!",
                "print!(",
                "eprint!(",
                "io::stdout()",
                "io::stderr()",
            ]
            .iter()
            .any(|p| t.contains(p));
            let global = t.starts_with("static ")
                || t.starts_with("pub static ")
                || t.contains("static mut ");
            if prints || global {
                found.push(format!("src/{rel}:{n}: {t}"));
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
fn commands_make_session_calls_only() {
    let mut found = Vec::new();
    for (rel, text) in sources().iter().filter(|(r, _)| r.starts_with("commands/")) {
        for (n, line) in non_test_lines(text) {
            let banned = [
                "with_retries",
                ".retrier()",
                ".clients()",
                ".send()",
                "into_paginator",
                "next_token",
                "aws_sdk_",
                "cartctl::aws::",
            ];
            if let Some(b) = banned.iter().find(|b| line.contains(*b)) {
                found.push(format!("src/{rel}:{n}: `{b}` in {}", line.trim()));
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
    for (rel, text) in sources() {
        let all: Vec<&str> = text.lines().collect();
        let tests_at = all
            .iter()
            .position(|l| l.starts_with("#[cfg(test)]"))
            .unwrap_or(all.len());
        for (i, line) in all.iter().enumerate().take(tests_at) {
            let t = line.trim_start();
            let indent = &line[..line.len() - t.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "async fn ",
                "pub async fn ",
                "pub(crate) fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            if !is_fn || t.ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            if let Some(end) = all[i + 1..].iter().position(|l| *l == close) {
                let len = end + 2;
                if len > 80 {
                    found.push(format!("src/{rel}:{}: {len} lines", i + 1));
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
