# Shared by scripts/demo and bench/run: build cartctl, start and stop the local emulator,
# and print each command before running it. Source it; do not run it.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARTCTL_VENV="${CARTCTL_VENV:-$root/.venv}"

# Builds cartctl (release unless CARTCTL_PROFILE=dev) and sets CARTCTL to the binary.
build_cartctl() {
    local profile="${CARTCTL_PROFILE:-release}" flag=--release dir=release
    if [[ "$profile" == dev ]]; then flag=""; dir=debug; fi
    (cd "$root" && cargo build --locked --quiet $flag)
    local target
    target="$(cd "$root" && cargo metadata --format-version 1 --no-deps |
        "$CARTCTL_VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
    CARTCTL="$target/$dir/cartctl"
}

# Starts moto on a free loopback port; sets AWS_ENDPOINT_URL and EMULATOR_PID.
start_emulator() {
    "$root/scripts/install-emulator"
    local out
    out="$(mktemp)"
    "$CARTCTL_VENV/bin/python" "$root/scripts/emulator.py" >"$out" 2>/dev/null &
    EMULATOR_PID=$!
    for _ in $(seq 1 100); do
        if grep -q "listening on" "$out"; then break; fi
        sleep 0.1
    done
    AWS_ENDPOINT_URL="$(sed -n 's/^listening on //p' "$out")"
    rm -f "$out"
    if [[ -z "$AWS_ENDPOINT_URL" ]]; then
        echo "the emulator did not start" >&2
        return 1
    fi
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
# that cartctl does not do itself (creating a bus, a queue).
aws_py() {
    "$CARTCTL_VENV/bin/python" -c "$1"
}
