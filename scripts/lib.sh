# Shared by the scripts under scripts/ and by bench/run: check the tools they need, build
# cartctl, start and stop the local emulator, clean up however the script ends, and print each
# command before running it. Source it; do not run it.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARTCTL_VENV="${CARTCTL_VENV:-$root/.venv}"
script_name="$(basename "$0")"

# Fails with one line naming what is missing.
die() {
    echo "$script_name: $*" >&2
    exit 1
}

# Checks that each named tool is on PATH: `need cargo python3`.
need() {
    local tool
    for tool in "$@"; do
        case "$tool" in
        cargo) command -v cargo >/dev/null || die "cargo is not on PATH: install the Rust toolchain (rustup) first" ;;
        python3)
            command -v "${PYTHON:-python3}" >/dev/null ||
                die "${PYTHON:-python3} is not on PATH: install Python 3 (3.9 or later) first"
            ;;
        *) command -v "$tool" >/dev/null || die "$tool is not on PATH: install it first" ;;
        esac
    done
}

# Cleanup actions, run in reverse order when the script exits, fails or is interrupted.
cleanups=()
at_exit() { cleanups+=("$1"); }
run_cleanups() {
    local i
    for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
    cleanups=()
}
trap run_cleanups EXIT
trap 'echo "$script_name: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

# The directory cargo builds into: CARGO_TARGET_DIR, a cargo config's build.target-dir, or
# target/; read from `cargo metadata` without any JSON tool.
target_dir() {
    (cd "$root" && cargo metadata --format-version 1 --no-deps) |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}

# Builds cartctl (release unless CARTCTL_PROFILE=dev) and sets CARTCTL to the binary.
build_cartctl() {
    need cargo
    local flag=--release dir=release
    if [[ "${CARTCTL_PROFILE:-release}" == dev ]]; then flag="" dir=debug; fi
    (cd "$root" && cargo build --locked --quiet $flag) || die "cargo build failed (see above)"
    local target
    target="$(target_dir)"
    [[ -n "$target" ]] || die "could not read the target directory from cargo metadata"
    CARTCTL="$target/$dir/cartctl"
    [[ -x "$CARTCTL" ]] || die "the build left no binary at $CARTCTL"
}

# Starts the local AWS (moto behind the strict AWS double, scripts/emulator.py) on a free
# loopback port; sets AWS_ENDPOINT_URL and EMULATOR_PID. The emulator is stopped when the script
# ends, however it ends.
start_emulator() {
    "$root/scripts/install-emulator" || die "the emulator could not be installed (see above)"
    local out
    out="$(mktemp)"
    "$CARTCTL_VENV/bin/python" "$root/scripts/emulator.py" >"$out" 2>/dev/null &
    EMULATOR_PID=$!
    at_exit stop_emulator
    for _ in $(seq 1 200); do
        if grep -q "listening on" "$out"; then break; fi
        kill -0 "$EMULATOR_PID" 2>/dev/null || break
        sleep 0.1
    done
    AWS_ENDPOINT_URL="$(sed -n 's/^listening on //p' "$out")"
    rm -f "$out"
    [[ -n "$AWS_ENDPOINT_URL" ]] || die "the emulator did not start (try: scripts/emulator)"
    export AWS_ENDPOINT_URL
    # Dummy credentials: the emulator accepts any.
    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
}

stop_emulator() {
    if [[ -n "${EMULATOR_PID:-}" ]]; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
        EMULATOR_PID=""
    fi
}

# Prints a command, then runs it.
step() {
    local shown="cartctl" arg
    for arg in "${@:2}"; do
        if [[ "$arg" =~ ^[A-Za-z0-9_./:=@+-]+$ ]]; then shown+=" $arg"; else shown+=" '${arg//\'/\'\\\'\'}'"; fi
    done
    [[ "$1" == "$CARTCTL" ]] || shown="$*"
    printf '\n$ %s\n' "$shown"
    "$@"
}

# Runs a small Python snippet with boto3 (from the emulator's environment) for set-up steps
# that cartctl does not do itself.
aws_py() {
    "$CARTCTL_VENV/bin/python" -c "$1"
}
