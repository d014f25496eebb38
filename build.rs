//! Link options of the `cartctl` binary.
//!
//! A position-independent executable (kept for address-space layout randomisation) carries about
//! 50,000 relative relocations: 1.2 MB in the classic format. Where the linker and the C library
//! support packed relative relocations (DT_RELR: binutils 2.38 and glibc 2.36 or later), they take
//! 20 KB instead, and the release binary shrinks from 8.5 MB to 7.3 MB. A small C program is
//! linked and run with the option first, so a toolchain or C library without it simply keeps the
//! classic format.
//!
//! `CARTCTL_PACK_RELOCS=0` turns the option off (for a binary meant to run on an older glibc);
//! `CARTCTL_NO_PIE=1` links a position-dependent executable instead (7.3 MB too, without ASLR for
//! the binary's own code).

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CARTCTL_NO_PIE");
    println!("cargo:rerun-if-env-changed=CARTCTL_PACK_RELOCS");
    println!("cargo:rerun-if-env-changed=CC");
    if env_is("CARTCTL_NO_PIE", "1") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
        return;
    }
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    let native_gnu = target.contains("linux-gnu") && target == host;
    if native_gnu && !env_is("CARTCTL_PACK_RELOCS", "0") && packed_relocations_work() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn env_is(name: &str, value: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == value)
}

/// Links and runs a small PIE with a relative relocation, packed: true if both worked and the
/// result really uses DT_RELR.
fn packed_relocations_work() -> bool {
    let Ok(out) = std::env::var("OUT_DIR") else {
        return false;
    };
    let dir = Path::new(&out);
    let source = dir.join("relr-probe.c");
    let binary = dir.join("relr-probe");
    let program = "static int x = 7;\nint *p = &x;\nint main(void) { return *p == 7 ? 0 : 1; }\n";
    if std::fs::write(&source, program).is_err() {
        return false;
    }
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let linked = Command::new(cc)
        .arg("-fPIE")
        .arg("-pie")
        .arg(&source)
        .arg("-o")
        .arg(&binary)
        .arg("-Wl,-z,pack-relative-relocs")
        .output()
        .is_ok_and(|o| o.status.success() && o.stderr.is_empty());
    linked && Command::new(&binary).status().is_ok_and(|s| s.success())
}
