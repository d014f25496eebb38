#!/usr/bin/env python3
"""Benchmarks cartctl against boto3 clients on the local emulator, directly and through a proxy
that adds latency to every request. Run it with bench/run, which builds cartctl and installs
what it needs.

Every client runs as a process of its own; wall time is measured around the process and peak
memory is its maximum resident set size (from wait4). Each figure is the median of --repeat
runs; every run of a bulk scenario gets a fresh schedule group, so every schedule is created.
"""

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ROLE = "arn:aws:iam::123456789012:role/cart-reminder-scheduler"


def start(argv, env=None):
    """Starts a helper that prints `listening on URL`; returns (process, url)."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        raise SystemExit(f"could not start {argv}: {line!r}")
    return proc, line[len("listening on "):]


GNU_TIME = "/usr/bin/time"


def cpu_seconds(pid):
    """User plus system CPU seconds a process has used (Linux /proc; 0 elsewhere)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def tree_cpu_seconds(pid):
    """cpu_seconds of a process and of its children (Linux /proc; 0 elsewhere)."""
    try:
        kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        kids = []
    return cpu_seconds(pid) + sum(tree_cpu_seconds(int(k)) for k in kids)


def machine_ticks():
    """(busy, total) CPU ticks of the whole machine since boot (Linux /proc/stat; zeros elsewhere)."""
    try:
        ticks = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        return sum(ticks) - ticks[3] - ticks[4], sum(ticks)
    except (OSError, ValueError, IndexError):
        return 0, 0


def start_local_aws():
    """The project's whole local AWS (moto behind the strict double, its clock stopped):
    (process, URL)."""
    return start([sys.executable, os.path.join(ROOT, "scripts", "emulator.py"), "--no-fire"])


def start_ministack():
    """ministack (scripts/install-emulator ministack) on a free loopback port, in a process group
    of its own: (process, URL)."""
    venv = os.environ.get("CARTCTL_VENV", os.path.join(ROOT, ".venv")) + "-ministack"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, GATEWAY_PORT=str(port), BIND_HOST="127.0.0.1", AWS_ENDPOINT_URL=url)
    proc = subprocess.Popen([os.path.join(venv, "bin", "ministack")], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_ministack/health", timeout=1)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"ministack did not start (is it installed? scripts/install-emulator ministack)")


def schedule_names(scheduler, group, prefix="cart-"):
    """The names of a group's schedules starting with prefix. ministack answers at most 100 and
    no NextToken (docs/AWS-FIDELITY.md), so a full answer without a token is split by the next
    character of the name."""
    names, full = [], False
    for page in scheduler.get_paginator("list_schedules").paginate(GroupName=group, NamePrefix=prefix):
        names += [x["Name"] for x in page["Schedules"]]
        full = len(page["Schedules"]) == 100 and not page.get("NextToken")
    if not full:
        return names
    return [n for c in "0123456789abcdefghijklmnopqrstuvwxyz-" for n in schedule_names(scheduler, group, prefix + c)]


def item_size(item):
    """A DynamoDB item's size as AWS counts it: each attribute's name and value in UTF-8 bytes
    (a number about one byte per two digits, plus one)."""
    def value(v):
        (kind, x), = v.items()
        return len(x.encode()) if kind == "S" else (len(x.lstrip("-").replace(".", "")) + 1) // 2 + 1
    return sum(len(k.encode()) + value(v) for k, v in item.items())


def flow_settings(d):
    """The settings `cartctl setup --write-config` wrote into d/cartctl.toml, as the environment
    `setup --functions` gives a function (`CARTCTL_` and the key in upper case)."""
    import tomllib
    with open(os.path.join(d, "cartctl.toml"), "rb") as f:
        return {f"CARTCTL_{k.upper()}": str(v) for k, v in tomllib.load(f).items()}


def proxy_stats(url):
    """The fault proxy's counters."""
    import json
    import urllib.request
    with urllib.request.urlopen(f"{url}/__proxy/stats", timeout=5) as r:
        return json.load(r)


def measure(argv, env, stdin=None, stdout=subprocess.DEVNULL):
    """Runs argv; returns (seconds, peak RSS in MB, exit code).

    Peak memory comes from GNU time (`%M`) when it is installed: a process forked from this
    Python would otherwise count Python's own memory as its peak. Without it, the peak is read
    from /proc/<pid>/status (VmHWM) while the process runs.
    """
    rss_file = None
    if os.path.exists(GNU_TIME):
        fd, rss_file = tempfile.mkstemp(prefix="rss-")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file] + list(argv)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    peak_kb = 0
    if rss_file is None:
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak_kb = max(peak_kb, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.01)
    err = proc.stderr.read().decode(errors="replace")
    code = proc.wait()
    wall = time.perf_counter() - t0
    if rss_file is not None:
        with open(rss_file) as f:
            text = f.read().strip().splitlines()
        os.unlink(rss_file)
        peak_kb = int(text[-1]) if text and text[-1].isdigit() else 0
    if code != 0:
        print(f"  ! {' '.join(argv[:6])}… exited {code}: {err.strip()[:300]}", file=sys.stderr)
    return wall, peak_kb / 1024.0, code


class Bench:
    def __init__(self, args, emulator_pid):
        self.args = args
        self.emulator_pid = emulator_pid
        self.cartctl = args.cartctl
        self.python = sys.executable
        self.results = []
        self.counter = 0
        self.tmp = tempfile.mkdtemp(prefix="cartctl-bench-")

    def env(self, endpoint):
        e = dict(os.environ)
        e.update(
            AWS_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_REGION="us-east-1",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_EC2_METADATA_DISABLED="true",
            CARTCTL_SCHEDULER_ROLE_ARN=ROLE,
        )
        return e

    def fresh_group(self, endpoint):
        self.counter += 1
        name = f"bench-{os.getpid()}-{self.counter}"
        boto3.client("scheduler", endpoint_url=endpoint, region_name="us-east-1").create_schedule_group(Name=name)
        return name

    def write(self, name, lines):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")
        return path

    def record(self, scenario, mode, client, runs, items):
        walls = [r[0] for r in runs]
        wall = statistics.median(walls)
        row = {
            "scenario": scenario,
            "mode": mode,
            "client": client,
            "seconds": round(wall, 3),
            "per_second": round(items / wall, 1) if wall else None,
            "peak_mb": round(max(r[1] for r in runs), 1),
            "failures": sum(1 for r in runs if r[2] != 0),
            "runs": len(runs),
        }
        self.results.append(row)
        print(f"  {scenario:<28} {mode:<8} {client:<22} {wall:8.2f} s {row['per_second'] or 0:9.1f}/s {row['peak_mb']:7.1f} MB"
              + (f"  ({row['failures']} failed runs)" if row["failures"] else ""), flush=True)

    def bulk_schedules(self, endpoint, mode, n):
        bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/default"
        lines = [{"user": f"user-{i}", "product": f"sku-{i % 50}"} for i in range(n)]
        path = self.write(f"schedules-{n}.ndjson", lines)
        env = self.env(endpoint)
        scenario = f"{n} reminders"
        clients = [
            ("cartctl", lambda g: [self.cartctl, "schedule", "--file", path, "--in", "1d", "--group", g, "--bus", bus_arn, "-q"]),
            ("boto3 sequential", lambda g: [self.python, os.path.join(HERE, "boto3_client.py"), "schedule", path, "--group", g, "--bus-arn", bus_arn]),
            ("boto3 16 threads", lambda g: [self.python, os.path.join(HERE, "boto3_client.py"), "schedule", path, "--group", g, "--bus-arn", bus_arn, "--threads", "16"]),
        ]
        for name, argv in clients:
            runs = [measure(argv(self.fresh_group(endpoint)), env) for _ in range(self.args.repeat)]
            self.record(scenario, mode, name, runs, n)

    def bulk_events(self, endpoint, mode, n):
        lines = [{"user": f"user-{i}", "product": f"sku-{i % 50}", "detail": {"n": i}} for i in range(n)]
        path = self.write(f"events-{n}.ndjson", lines)
        env = self.env(endpoint)
        scenario = f"{n} events"
        clients = [
            ("cartctl", [self.cartctl, "put-event", "--file", path, "--bus", "bench-events", "-q"]),
            ("boto3 sequential", [self.python, os.path.join(HERE, "boto3_client.py"), "events", path, "--bus", "bench-events"]),
            ("boto3 16 threads", [self.python, os.path.join(HERE, "boto3_client.py"), "events", path, "--bus", "bench-events", "--threads", "16"]),
        ]
        for name, argv in clients:
            runs = [measure(argv, env) for _ in range(self.args.repeat)]
            self.record(scenario, mode, name, runs, n)

    def populate(self, endpoint, n):
        """A group holding n reminders, created once with cartctl; returns its name."""
        group = self.fresh_group(endpoint)
        lines = [{"user": f"user-{i}", "product": f"sku-{i % 50}"} for i in range(n)]
        path = self.write(f"populate-{n}.ndjson", lines)
        bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/default"
        subprocess.run([self.cartctl, "schedule", "--file", path, "--in", "1d", "--group", group, "--bus", bus_arn, "-q"],
                       env=self.env(endpoint), check=True)
        return group

    def list_reminders(self, endpoint, mode, group, n):
        env = self.env(endpoint)
        clients = [
            ("cartctl", [self.cartctl, "list", "--group", group, "-o", "json"]),
            ("boto3 sequential", [self.python, os.path.join(HERE, "boto3_client.py"), "list", "--group", group]),
            ("boto3 16 threads", [self.python, os.path.join(HERE, "boto3_client.py"), "list", "--group", group, "--threads", "16"]),
        ]
        for name, argv in clients:
            runs = [measure(argv, env) for _ in range(self.args.repeat)]
            self.record(f"list {n} with details", mode, name, runs, n)

    def list_memory(self, endpoint, n):
        group = self.populate(endpoint, n)
        run = measure([self.cartctl, "list", "--group", group, "-o", "ndjson", "--unsorted"], self.env(endpoint))
        self.record(f"list {n} ndjson unsorted (memory)", "direct", "cartctl", [run], n)

    def tail_latency(self, endpoint, n):
        """Time from an event being put to its line printed by `cartctl tail`."""
        env = self.env(endpoint)
        bus = f"bench-tail-{os.getpid()}"
        events = boto3.client("events", endpoint_url=endpoint, region_name="us-east-1")
        events.create_event_bus(Name=bus)
        tail = subprocess.Popen([self.cartctl, "tail", "--bus", bus, "-o", "ndjson", "--timeout", "10m"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = tail.stderr.readline()
        if not ready.startswith("listening on"):
            raise SystemExit(f"tail did not start: {ready!r}")
        results = {}
        for how in ("boto3 put_events", "cartctl put-event"):
            samples = []
            for i in range(n):
                t0 = time.perf_counter()
                if how == "boto3 put_events":
                    events.put_events(Entries=[{"EventBusName": bus, "Source": "bench", "DetailType": "latency",
                                                "Detail": json.dumps({"user": "u", "product": "p", "i": i})}])
                else:
                    subprocess.run([self.cartctl, "put-event", "--bus", bus, "--user", "u", "--product", f"p{i}", "-q"],
                                   env=env, check=True, stdout=subprocess.DEVNULL)
                line = tail.stdout.readline()
                samples.append((time.perf_counter() - t0) * 1000)
                if not line:
                    raise SystemExit("tail ended early")
                time.sleep(0.05)
            samples.sort()
            p50 = statistics.median(samples)
            p95 = samples[int(0.95 * (len(samples) - 1))]
            results[how] = (p50, p95)
            self.results.append({"scenario": "tail latency", "mode": "direct", "client": how,
                                 "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "samples": n})
            print(f"  {'tail latency':<28} {'direct':<8} {how:<22} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms", flush=True)
        tail.send_signal(2)
        tail.wait()
        return results

    def one_schedule(self, endpoint, mode):
        """One reminder, process start included: cartctl, the AWS CLI, a one-shot boto3 script."""
        env = self.env(endpoint)
        bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/default"
        aws = os.path.join(os.path.dirname(self.python), "aws")
        runs = {"cartctl": [], "aws cli": [], "boto3 script": []}
        for i in range(max(self.args.repeat, 5)):
            self.counter += 1
            user = f"one-{os.getpid()}-{self.counter}"
            runs["cartctl"].append(measure(
                [self.cartctl, "schedule", "--user", user, "--product", "p", "--in", "1d", "--bus", bus_arn, "-q"], env))
            # The AWS CLI gets the same request, as cartctl's --dry-run prints it.
            req = json.loads(subprocess.run(
                [self.cartctl, "schedule", "--user", user + "-cli", "--product", "p", "--in", "1d", "--bus", bus_arn, "--dry-run"],
                env=env, check=True, capture_output=True, text=True).stdout)
            req_path = self.write(f"one-{self.counter}.json", [])
            with open(req_path, "w") as f:
                json.dump(req, f)
            runs["aws cli"].append(measure(
                [aws, "scheduler", "create-schedule", "--cli-input-json", f"file://{req_path}", "--output", "json"], env))
            runs["boto3 script"].append(measure(
                [self.python, os.path.join(HERE, "boto3_client.py"), "one-schedule", "--user", user + "-py", "--product", "p",
                 "--bus-arn", bus_arn], env))
        for client, r in runs.items():
            self.record("one reminder", mode, client, r, 1)

    def throttled(self, endpoint, n, rate):
        """n reminders through a proxy admitting `rate` requests a second."""
        proxy, url = start([sys.executable, os.path.join(ROOT, "tests", "support", "faultproxy.py"),
                            "--upstream", endpoint, "--rate", str(rate)])
        try:
            bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/default"
            lines = [{"user": f"thr-{os.getpid()}-{i}", "product": "p"} for i in range(n)]
            path = self.write(f"throttled-{n}.ndjson", lines)
            env = self.env(url)
            scheduler = boto3.client("scheduler", endpoint_url=endpoint, region_name="us-east-1")
            for client, argv in (
                ("cartctl", lambda g: [self.cartctl, "schedule", "--file", path, "--in", "1d", "--group", g, "--bus", bus_arn, "-q"]),
                ("boto3 16 threads", lambda g: [self.python, os.path.join(HERE, "boto3_client.py"), "schedule", path,
                                                "--group", g, "--bus-arn", bus_arn, "--threads", "16"]),
            ):
                group = self.fresh_group(endpoint)
                time.sleep(1.5)  # let the proxy's bucket refill between clients
                wall, peak, code = measure(argv(group), env)
                stored = sum(len(p["Schedules"]) for p in scheduler.get_paginator("list_schedules").paginate(GroupName=group))
                achieved = stored / wall
                row = {"scenario": f"{n} reminders, {rate:g} req/s admitted", "mode": "throttled", "client": client,
                       "seconds": round(wall, 3), "per_second": round(achieved, 1), "peak_mb": round(peak, 1),
                       "share_of_admitted": round(achieved / rate, 3), "lost": n - stored, "failures": int(code != 0), "runs": 1}
                self.results.append(row)
                print(f"  {row['scenario']:<28} {'throttled':<8} {client:<22} {wall:8.2f} s {achieved:9.1f}/s "
                      f"{peak:7.1f} MB  {100 * achieved / rate:5.1f}% of admitted, {n - stored} lost", flush=True)
        finally:
            proxy.terminate()
            proxy.wait()

    def adaptive(self, endpoint, latency_ms, rate, n_reminders, n_events):
        """Adaptive concurrency: through a proxy adding `latency_ms` and admitting `rate`
        requests a second (excess throttled), cartctl adaptive (default cap, cap 256), the
        fixed 16 of earlier versions, and boto3 with 16 threads; reminders and events."""
        argv_proxy = [sys.executable, os.path.join(ROOT, "tests", "support", "faultproxy.py"),
                      "--upstream", endpoint, "--latency-ms", str(latency_ms)]
        if rate:
            argv_proxy += ["--rate", str(rate)]
        proxy, url = start(argv_proxy)
        label = f"+{latency_ms:g}ms" + (f", {rate:g} req/s" if rate else "")
        try:
            bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/default"
            path = self.write(f"adaptive-{n_reminders}.ndjson",
                              [{"user": f"ad-{os.getpid()}-{i}", "product": "p"} for i in range(n_reminders)])
            events = self.write(f"adaptive-events-{n_events}.ndjson",
                                [{"user": f"ad-{i}", "product": "p"} for i in range(n_events)])
            env = self.env(url)
            scheduler = boto3.client("scheduler", endpoint_url=endpoint, region_name="us-east-1")
            cartctl = lambda g, *extra: [self.cartctl, "schedule", "--file", path, "--in", "1d", "--group", g,
                                         "--bus", bus_arn, "-q", *extra]
            runs = [
                ("reminders", n_reminders, "cartctl (adaptive)", lambda g: cartctl(g)),
                ("reminders", n_reminders, "cartctl --concurrency 256", lambda g: cartctl(g, "--concurrency", "256")),
                ("reminders", n_reminders, "cartctl --fixed (16)", lambda g: cartctl(g, "--fixed")),
                ("reminders", n_reminders, "boto3 16 threads", lambda g: [self.python, os.path.join(HERE, "boto3_client.py"),
                                                                            "schedule", path, "--group", g, "--bus-arn", bus_arn, "--threads", "16"]),
                ("events", n_events, "cartctl (adaptive)", lambda g: [self.cartctl, "put-event", "--file", events, "--bus", "bench-events", "-q"]),
                ("events", n_events, "cartctl --fixed (16)", lambda g: [self.cartctl, "put-event", "--file", events, "--bus", "bench-events", "-q", "--fixed"]),
                ("events", n_events, "boto3 16 threads", lambda g: [self.python, os.path.join(HERE, "boto3_client.py"),
                                                                      "events", events, "--bus", "bench-events", "--threads", "16"]),
            ]
            for kind, n, client, argv in runs:
                group = self.fresh_group(endpoint)
                time.sleep(1.5)  # let the proxy's bucket refill between clients
                before = proxy_stats(url)
                wall, peak, code = measure(argv(group), env)
                after = proxy_stats(url)
                throttles = after.get("rate_limited", 0) - before.get("rate_limited", 0)
                calls = after.get("requests", 0) - before.get("requests", 0) - throttles
                if kind == "reminders":
                    done = sum(len(p["Schedules"]) for p in scheduler.get_paginator("list_schedules").paginate(GroupName=group))
                else:
                    done = n if code == 0 else 0
                row = {"scenario": f"{n} {kind}, {label}", "mode": "adaptive", "client": client,
                       "seconds": round(wall, 3), "per_second": round(done / wall, 1), "peak_mb": round(peak, 1),
                       "calls_per_second": round(calls / wall, 1), "throttles": throttles,
                       "share_of_admitted": round(calls / wall / rate, 3) if rate else None,
                       "lost": n - done, "failures": int(code != 0), "runs": 1}
                self.results.append(row)
                share = f"{100 * row['share_of_admitted']:5.1f}% of admitted" if rate else ""
                print(f"  {row['scenario']:<36} {client:<26} {wall:7.2f} s {done / wall:8.1f}/s "
                      f"{calls / wall:7.1f} calls/s {share} {throttles:5d} throttled {peak:6.1f} MB {n - done} lost", flush=True)
        finally:
            proxy.terminate()
            proxy.wait()

    def flow(self, endpoint, tag, *extra, routes=None):
        """A cart flow made by `cartctl setup` in a directory of its own (each service of `routes`,
        such as its schedule group, on the endpoint given there); (dir, group, queue URL, bus ARN)."""
        self.counter += 1
        name = f"bw{os.getpid() % 10000}-{tag}{self.counter}"
        d = os.path.join(self.tmp, name)
        os.makedirs(d)
        env = self.env(endpoint)
        del env["CARTCTL_SCHEDULER_ROLE_ARN"]
        for service, url in (routes or {}).items():
            env[f"AWS_ENDPOINT_URL_{service.upper()}"] = url
        subprocess.run([self.cartctl, "setup", "--bus", name, "--group", name, "--name-prefix", name,
                        "--write-config", "cartctl.toml", "-q", *extra], cwd=d, env=env, check=True, stdout=subprocess.DEVNULL)
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
        queue = sqs.get_queue_url(QueueName=f"{name}-carts")["QueueUrl"]
        bus_arn = boto3.client("events", endpoint_url=endpoint, region_name="us-east-1").describe_event_bus(Name=name)["Arn"]
        return d, name, queue, bus_arn

    def queue_carts(self, endpoint, d, queue, n):
        """Puts n add-to-cart events (distinct users) on the flow's bus; waits for its queue to hold them."""
        path = self.write(f"carts-{os.path.basename(d)}.ndjson",
                          [{"user": f"{os.path.basename(d)}-u{i}", "product": "sku-1",
                            "detail": {"email": f"u{i}@example.com"}} for i in range(n)])
        env = self.env(endpoint)
        del env["CARTCTL_SCHEDULER_ROLE_ARN"]
        subprocess.run([self.cartctl, "put-event", "--file", path, "-q"], cwd=d, env=env, check=True)
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            held = int(sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
                       ["Attributes"]["ApproximateNumberOfMessages"])
            if held >= n:
                return
            time.sleep(0.2)
        raise SystemExit(f"the carts queue holds {held} of {n} events")

    def worker(self, endpoint, n, n_boto3, latency_ms, rate):
        """The consumer: `cartctl worker consumer` on n queued cart events, and the seed's consumer as a
        sequential boto3 loop on n_boto3, through a proxy adding latency_ms to every request and
        admitting Scheduler's at rate req/s (Scheduler's quota; DynamoDB's and SQS's are their own).

        Scheduler and DynamoDB are each served by a moto of their own (the proxy routes them there),
        or both by ministack (--backend ministack): one moto serves about 140 requests a second in
        all, which would be the bound."""
        if self.args.backend == "ministack":
            ms, url_ms = start_ministack()
            backends = [("ministack", ms)]
            routes = {"scheduler": url_ms, "dynamodb": url_ms}
        else:
            sched_moto, sched = start([sys.executable, os.path.join(ROOT, "scripts", "emulator.py"), "--moto-only"])
            ddb_moto, ddb = start([sys.executable, os.path.join(ROOT, "scripts", "emulator.py"), "--moto-only"])
            backends = [("scheduler_moto", sched_moto), ("dynamodb_moto", ddb_moto)]
            routes = {"scheduler": sched, "dynamodb": ddb}
        proxy, url = start([sys.executable, os.path.join(ROOT, "tests", "support", "faultproxy.py"), "--upstream",
                            endpoint, "--latency-ms", str(latency_ms), "--rate", str(rate), "--rate-service", "scheduler",
                            *[a for s, u in routes.items() for a in ("--route", f"{s}={u}")]])
        label = f"+{latency_ms:g}ms, Scheduler {rate:g} req/s"
        scheduler = boto3.client("scheduler", endpoint_url=routes["scheduler"], region_name="us-east-1")
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
        try:
            for client, count in (("cartctl worker", n), ("boto3 sequential", n_boto3)):
                d, group, queue, bus_arn = self.flow(endpoint, "w" if client.startswith("cartctl") else "b", routes=routes)
                self.queue_carts(endpoint, d, queue, count)
                env = self.env(url)
                del env["CARTCTL_SCHEDULER_ROLE_ARN"]
                if client.startswith("cartctl"):
                    argv = [self.cartctl, "worker", "consumer", "--max-messages", str(count), "--idle-timeout", "10s", "-q", *self.args.worker_args.split()]
                else:
                    argv = [self.python, os.path.join(HERE, "boto3_client.py"), "consume", "--queue", queue,
                            "--max", str(count), "--group", group, "--bus-arn", bus_arn]
                    env["CARTCTL_SCHEDULER_ROLE_ARN"] = ROLE
                time.sleep(1.5)  # let the proxy's bucket refill
                before = proxy_stats(url)
                pids = [p.pid for _, p in backends] + [self.emulator_pid, proxy.pid]
                busy_before, machine_before = [tree_cpu_seconds(p) for p in pids], machine_ticks()
                t0 = time.perf_counter()
                proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", os.path.join(d, "rss")] + argv if os.path.exists(GNU_TIME) else argv,
                                        cwd=d, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                err = proc.stderr.read().decode(errors="replace")
                code = proc.wait()
                wall = time.perf_counter() - t0
                busy = [(tree_cpu_seconds(p) - b) / wall for p, b in zip(pids, busy_before)]
                *backend_busy, moto_busy, proxy_busy = busy
                machine_after = machine_ticks()
                machine_busy = (machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1])
                after = proxy_stats(url)
                if code != 0:
                    print(f"  ! {client} exited {code}: {err.strip()[:300]}", file=sys.stderr)
                peak = 0.0
                if os.path.exists(os.path.join(d, "rss")):
                    lines = open(os.path.join(d, "rss")).read().split()
                    peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0.0
                reminders = schedule_names(scheduler, group)
                left = int(sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
                           ["Attributes"]["ApproximateNumberOfMessages"])
                throttles = after.get("rate_limited", 0) - before.get("rate_limited", 0)
                calls = after.get("requests", 0) - before.get("requests", 0) - throttles
                row = {"scenario": f"consume {count} cart events, {label}", "mode": "worker", "client": client,
                       "seconds": round(wall, 3), "per_second": round(len(reminders) / wall, 1), "peak_mb": round(peak, 1),
                       "calls_per_event": round(calls / count, 2), "throttles": throttles,
                       "lost": count - len(reminders), "duplicates": len(reminders) - len(set(reminders)),
                       "left_in_queue": left, "backend": self.args.backend,
                       "date": time.strftime("%Y-%m-%d"),
                       **{f"{name}_cpu": round(b, 2) for (name, _), b in zip(backends, backend_busy)},
                       "moto_cpu": round(moto_busy, 2), "proxy_cpu": round(proxy_busy, 2),
                       "machine_cpu": round(machine_busy, 2),
                       "failures": int(code != 0), "runs": 1}
                self.results.append(row)
                print(f"  {row['scenario']:<40} {client:<18} {wall:7.2f} s {row['per_second']:8.1f}/s "
                      f"{row['calls_per_event']:5.2f} calls/event {throttles:4d} throttled {peak:6.1f} MB "
                      f"{row['lost']} lost {left} left; a core's share: "
                      + ", ".join(f"{name.replace('_', ' ')} {b:.0%}" for (name, _), b in zip(backends, backend_busy))
                      + f", the other moto {moto_busy:.0%}, the proxy {proxy_busy:.0%}; machine {machine_busy:.0%} busy", flush=True)
        finally:
            for p in [proxy] + [p for _, p in backends]:
                p.terminate()
                p.wait()
            if self.args.backend == "ministack":
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(ms.pid, signal.SIGKILL)

    def fill_email_queue(self, endpoint, name, n):
        """n fired reminders on the flow's e-mail queue, as the e-mail rule delivers them; its URL."""
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
        queue = sqs.get_queue_url(QueueName=f"{name}-email")["QueueUrl"]
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for start in range(0, n, 10):
            entries = [{"Id": str(i), "MessageBody": json.dumps({
                "version": "0", "id": f"{name}-ev-{i}", "source": "putToCartService",
                "detail-type": "item sku-1 added to Cart", "account": "123456789012", "region": "us-east-1",
                "time": now, "resources": [],
                "detail": {"scheduled_event": "true", "user": f"{name}-u{i}", "product": "sku-1",
                           "email": f"u{i}@example.com", "name": f"Customer {i}"}})}
                for i in range(start, min(start + 10, n))]
            sqs.send_message_batch(QueueUrl=queue, Entries=entries)
        return queue

    def mailer(self, n, n_boto3, latency_ms):
        """The mailer: `cartctl worker mailer` on n fired reminders against the seed's e-mail
        service as a sequential boto3 loop on n_boto3, through a proxy adding latency_ms.

        It runs on the project's whole local AWS (moto behind the strict double), not on moto
        alone: `setup --mail-from` needs SES's account, suppression and contact-list answers,
        which moto does not give."""
        double, endpoint = start_local_aws()
        proxy, url = start([sys.executable, os.path.join(ROOT, "tests", "support", "faultproxy.py"), "--upstream",
                            endpoint, "--latency-ms", str(latency_ms)])
        try:
            for client, count in (("cartctl worker", n), ("boto3 sequential", n_boto3)):
                d, name, _, _ = self.flow(endpoint, "m", "--mail-from", "shop@example.com", "--postal-address", "Bench Shop, 1 Main St, Springfield")
                queue = self.fill_email_queue(endpoint, name, count)
                env = self.env(url)
                if client.startswith("cartctl"):
                    argv = [self.cartctl, "worker", "mailer", "--max-messages", str(count), "--idle-timeout", "10s", "-q"]
                else:
                    argv = [self.python, os.path.join(HERE, "boto3_client.py"), "mail", "--queue", queue,
                            "--max", str(count), "--sender", "shop@example.com"]
                before, busy_before = proxy_stats(url), tree_cpu_seconds(double.pid)
                t0 = time.perf_counter()
                proc = subprocess.run(argv, cwd=d, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                wall = time.perf_counter() - t0
                emulator_busy = (tree_cpu_seconds(double.pid) - busy_before) / wall
                calls = proxy_stats(url).get("requests", 0) - before.get("requests", 0)
                if proc.returncode != 0:
                    print(f"  ! {client} exited {proc.returncode}: {proc.stderr.strip()[:300]}", file=sys.stderr)
                row = {"scenario": f"send {count} reminder e-mails, +{latency_ms:g}ms", "mode": "mailer", "client": client,
                       "seconds": round(wall, 3), "per_second": round(count / wall, 1), "peak_mb": 0.0,
                       "calls_per_email": round(calls / count, 2), "emulator_cpu": round(emulator_busy, 2),
                       "failures": int(proc.returncode != 0), "runs": 1}
                self.results.append(row)
                print(f"  {row['scenario']:<40} {client:<18} {wall:7.2f} s {row['per_second']:8.1f}/s "
                      f"{row['calls_per_email']:5.2f} calls/e-mail; the emulator (double and moto) "
                      f"{emulator_busy:.0%} of a core", flush=True)
        finally:
            for p in (proxy, double):
                p.terminate()
                p.wait()

    def unzip_bootstrap(self, zip_path):
        """The bootstrap of a function's zip, unpacked into a directory of its own."""
        import zipfile
        work = tempfile.mkdtemp(dir=self.tmp)
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(work)
        bootstrap = os.path.join(work, "bootstrap")
        os.chmod(bootstrap, 0o755)
        return bootstrap

    def sqs_batches(self, tag, detail):
        """Two SQS batches of 10 records as an event source mapping sends them, each body an
        EventBridge event whose detail is detail(batch, record); their files."""
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        paths = []
        for b in range(2):
            records = [{"messageId": f"m-{b}-{i}", "receiptHandle": f"r-{b}-{i}", "eventSource": "aws:sqs",
                        "awsRegion": "us-east-1", "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                        "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{tag}",
                        "body": json.dumps({"version": "0", "id": f"ev-{tag}-{b}-{i}", "source": "putToCartService",
                                            "detail-type": "item sku-1 added to Cart", "account": "123456789012",
                                            "region": "us-east-1", "time": now, "resources": [], "detail": detail(b, i)})}
                       for i in range(10)]
            paths.append(self.write(f"{tag}-batch{b}.json", [{"Records": records}]))
        return paths

    def run_function(self, scenario, client, bootstrap, batches, env, zip_path=None):
        """Runs a bootstrap on the batches under the Runtime API harness; records and prints its row."""
        out = subprocess.run([self.python, os.path.join(ROOT, "tests", "support", "lambdaruntime.py"), bootstrap, *batches],
                             env=env, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        inv = r["invocations"]
        failed = sum(len(i["body"].get("batchItemFailures", [])) if isinstance(i["body"], dict) else 10 for i in inv)
        row = {"scenario": scenario, "mode": "lambda", "client": client,
               "ready_ms": r["ready_ms"], "first_batch_ms": inv[0]["ms"] if inv else None,
               "second_batch_ms": inv[1]["ms"] if len(inv) > 1 else None,
               "peak_mb": round((r["peak_rss_kb"] or 0) / 1024, 1), "failed_records": failed,
               "zip_mb": round(os.path.getsize(zip_path) / 1e6, 2) if zip_path else None, "runs": 1}
        self.results.append(row)
        print(f"  {scenario:<36} {client:<24} ready {r['ready_ms']} ms, batches {row['first_batch_ms']} / "
              f"{row['second_batch_ms']} ms, {row['peak_mb']} MB, {failed} failed"
              + (f", zip {row['zip_mb']} MB" if row["zip_mb"] else ""), flush=True)

    def lambda_start(self, zip_path, latency_ms):
        """The consumer function's bootstrap and a Python boto3 function, started the same way under the
        Runtime API harness: ready time, two batches of 10 through +latency_ms, peak memory, zip size;
        then the mailer function's (zip_path's sibling) on two batches of 10 fired reminders. On the
        whole local AWS, as the mailer's `setup --mail-from` needs it (see `mailer`)."""
        double, endpoint = start_local_aws()
        proxy, url = start([sys.executable, os.path.join(ROOT, "tests", "support", "faultproxy.py"), "--upstream",
                            endpoint, "--latency-ms", str(latency_ms)])
        try:
            rust = self.unzip_bootstrap(zip_path)
            py = os.path.join(os.path.dirname(rust), "python-bootstrap")
            with open(py, "w") as f:
                f.write(f"#!/bin/sh\nexec {self.python} {os.path.join(HERE, 'boto3_lambda.py')}\n")
            os.chmod(py, 0o755)
            for client, bootstrap in (("cartctl consumer (Rust)", rust), ("boto3 consumer (Python)", py)):
                d, group, queue, bus_arn = self.flow(endpoint, "l")
                batches = self.sqs_batches(f"{group}-carts", lambda b, i: {"user": f"{group}-{b}-{i}", "product": "sku-1"})
                env = self.env(url)
                env.update(flow_settings(d), BENCH_BUS_ARN=bus_arn,
                           CARTCTL_SCHEDULER_ROLE_ARN=f"arn:aws:iam::123456789012:role/{group}-scheduler")
                self.run_function(f"Lambda consumer, batches of 10, +{latency_ms:g}ms", client, bootstrap, batches, env,
                                  zip_path if bootstrap == rust else None)
            mailer_zip = zip_path.replace("/consumer/", "/mailer/")
            d, _, _, _ = self.flow(endpoint, "lm", "--mail-from", "shop@example.com",
                                   "--postal-address", "Bench Shop, 1 Main St, Springfield")
            batches = self.sqs_batches("lambda-mail", lambda b, i: {
                "scheduled_event": "true", "user": f"l{b}-{i}", "product": "sku-1", "email": f"l{b}-{i}@example.com"})
            env = self.env(url)
            env.update(flow_settings(d))
            self.run_function(f"Lambda mailer, batches of 10, +{latency_ms:g}ms", "cartctl mailer (Rust)",
                              self.unzip_bootstrap(mailer_zip), batches, env, mailer_zip)
        finally:
            for p in (proxy, double):
                p.terminate()
                p.wait()

    def fill_ledger(self, endpoint, n):
        """A ledger table (the key schema setup makes) holding n carts as the consumer and the
        mailer leave them: a cart item with its detail for each, and for one customer in five
        an e-mail's claim and the customer's item, for one in twenty a recovered order. Written
        with BatchWriteItem from 8 threads; (table, items written)."""
        from concurrent.futures import ThreadPoolExecutor
        ddb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
        table = f"bench-ledger-{os.getpid()}-{n}"
        ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in ("pk", "sk")],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        now = int(time.time())
        S, N = (lambda v: {"S": v}), (lambda v: {"N": str(v)})

        def items(i):
            pk, added = f"C#{i:064x}", now - 3600 - i % 86_400
            yield {"pk": S(pk), "sk": S(f"CART#{i % 50:016x}"), "user": S(f"user-{i}"), "product": S(f"sku-{i % 50}"),
                   "added_at": N(added), "expires_at": N(added + 31 * 86_400),
                   "detail": S(json.dumps({"email": f"user-{i}@example.com", "name": f"Customer {i}",
                                           "price": "19.90", "url": f"https://shop.example/p/sku-{i % 50}"}))}
            if i % 5 == 0:
                yield {"pk": S(pk), "sk": S(f"MAIL#{i % 50:016x}#1#{added}"), "claimed_at": N(added + 86_400 - 7200),
                       "state": S("sent"), "message_id": S(f"ses-{i}"), "expires_at": N(added + 31 * 86_400)}
                yield {"pk": S(pk), "sk": S("CUSTOMER"), "last_mail_at": N(added + 86_400 - 7200), "last_mail_stage": N(1)}
            if i % 20 == 0:
                yield {"pk": S(pk), "sk": S(f"ORDER#{added + 86_400 - 3600}"), "checkout_at": N(added + 86_400 - 3600),
                       "outcome": S("recovered"), "stage": N(1), "value_cents": N(4990), "currency": S("EUR")}

        def write(start):
            batch = [{"PutRequest": {"Item": it}} for i in range(start, min(start + 10, n)) for it in items(i)]
            for k in range(0, len(batch), 25):
                part = batch[k:k + 25]
                while part:
                    left = ddb.batch_write_item(RequestItems={table: part}).get("UnprocessedItems", {})
                    part = left.get(table, [])
            return len(batch)

        with ThreadPoolExecutor(8) as pool:
            written = sum(pool.map(write, range(0, n, 10)))
        size = sum(item_size(it) for i in range(n) for it in items(i))
        return table, written, size

    def report(self, endpoint, n):
        """`cartctl report` over a ledger of n carts: its time, peak memory, pages and read units."""
        t0 = time.perf_counter()
        table, written, size = self.fill_ledger(endpoint, n)
        print(f"  (ledger of {n} carts, {written} items, filled in {time.perf_counter() - t0:.0f} s)", flush=True)
        out = os.path.join(self.tmp, f"report-{n}.json")
        import resource
        children = lambda: (lambda u: u.ru_utime + u.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
        runs, busy, ours = [], cpu_seconds(self.emulator_pid), children()
        for _ in range(self.args.repeat):
            with open(out, "w") as f:
                runs.append(measure([self.cartctl, "report", "--ledger-table", table, "--since", "30d", "-o", "json"],
                                    self.env(endpoint), stdout=f))
        moto_busy = (cpu_seconds(self.emulator_pid) - busy) / sum(r[0] for r in runs)
        cartctl_cpu = (children() - ours) / len(runs)
        with open(out) as f:
            r = json.load(f)
        self.record(f"report over {n} carts", "direct", "cartctl", runs, written)
        read = r["read"]
        # On AWS an eventually consistent Scan costs half a read unit per 4 KB of the items it
        # reads, whole (a projection does not make them smaller), counted per page.
        aws_units = size / 4096 / 2
        self.results[-1].update(items=read["items"], pages=read["pages"], read_units=read["read_units"],
                                table_mb=round(size / 1e6, 1), aws_read_units=round(aws_units),
                                moto_cpu=round(moto_busy, 2), cartctl_cpu_seconds=round(cartctl_cpu, 2),
                                carts=r.get("carts"), recovered=r.get("recovered"))
        print(f"    {read['items']} items ({size / 1e6:.1f} MB) in {read['pages']} pages; read units: "
              f"{read['read_units']} as the emulator reports them, about {aws_units:,.0f} on AWS; "
              f"carts {r.get('carts')}, recovered {r.get('recovered')}; moto {moto_busy:.0%} of a core, cartctl {cartctl_cpu:.2f} s of CPU", flush=True)

    def memory(self, endpoint, n):
        env = self.env(endpoint)
        lines = [{"user": f"user-{i}", "product": f"sku-{i % 50}", "detail": {"n": i}} for i in range(n)]
        path = self.write(f"memory-{n}.ndjson", lines)
        run = measure([self.cartctl, "put-event", "--file", path, "--bus", "bench-events", "-q"], env)
        self.record(f"{n} events (memory)", "direct", "cartctl", [run], n)
        run = measure(
            [self.cartctl, "schedule", "--file", path, "--in", "1d", "--dry-run", "-o", "ndjson",
             "--bus", "arn:aws:events:us-east-1:123456789012:event-bus/default"],
            env,
        )
        self.record(f"{n} reminders dry-run (memory)", "direct", "cartctl", [run], n)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cartctl", required=True)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--latency-ms", type=float, default=30.0)
    p.add_argument("--schedules", type=int, default=1000)
    p.add_argument("--events", type=int, default=10000)
    p.add_argument("--memory-lines", type=int, default=100000)
    p.add_argument("--list", type=int, default=1000, help="reminders to list")
    p.add_argument("--tail-samples", type=int, default=30, help="events timed through tail")
    p.add_argument("--list-memory", type=int, default=10000, help="reminders to list for the memory figure")
    p.add_argument("--only", action="append", default=[],
                   help="scenarios: one, schedules, events, list, throttled, adaptive, tail, memory, worker, mailer, lambda, report")
    p.add_argument("--throttled", type=int, default=500, help="reminders sent through the rate limit")
    p.add_argument("--rate", type=float, default=50.0, help="requests a second the throttling proxy admits")
    p.add_argument("--report", help="write a Markdown table and an SVG chart next to this path (results.md, results.svg)")
    p.add_argument("--json", help="write the result rows to this file")
    p.add_argument("--worker-events", type=int, default=1000, help="cart events the worker consumes")
    p.add_argument("--backend", choices=["moto", "ministack"], default="moto",
                   help="what serves the worker's Scheduler and DynamoDB requests: a moto each, or ministack (faster)")
    p.add_argument("--worker-args", default="", help="more flags for cartctl worker consumer (such as --concurrency 16)")
    p.add_argument("--worker-boto3-events", type=int, default=200, help="cart events the sequential boto3 consumer consumes")
    p.add_argument("--mailer-emails", type=int, default=500, help="reminders the mailer worker sends")
    p.add_argument("--mailer-boto3-emails", type=int, default=100, help="reminders the sequential boto3 sender sends")
    p.add_argument("--report-carts", type=int, default=100000, help="carts in the ledger `report` reads")
    p.add_argument("--lambda-zip", help="the consumer's bootstrap.zip (scripts/build-lambdas x86_64)")
    args = p.parse_args()
    only = set(args.only or ["one", "schedules", "events", "list", "throttled", "adaptive", "tail", "memory", "worker", "mailer", "lambda", "report"])
    for k, v in dict(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                     AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true").items():
        os.environ.setdefault(k, v)

    # moto alone: the clients are compared on the emulator itself, not on the strict double.
    emu, endpoint = start([sys.executable, os.path.join(ROOT, "scripts", "emulator.py"), "--moto-only"])
    proxy, slow = start([sys.executable, os.path.join(ROOT, "tests", "support", "faultproxy.py"),
                         "--upstream", endpoint, "--latency-ms", str(args.latency_ms)])
    try:
        boto3.client("events", endpoint_url=endpoint, region_name="us-east-1").create_event_bus(Name="bench-events")
        b = Bench(args, emu.pid)
        print(f"emulator {endpoint}; +{args.latency_ms:g} ms proxy {slow}; median of {args.repeat} runs")
        listed = b.populate(endpoint, args.list) if "list" in only else None
        for mode, url in (("direct", endpoint), (f"+{args.latency_ms:g}ms", slow)):
            if "one" in only:
                b.one_schedule(url, mode)
            if "schedules" in only:
                b.bulk_schedules(url, mode, args.schedules)
            if "events" in only:
                b.bulk_events(url, mode, args.events)
            if listed:
                b.list_reminders(url, mode, listed, args.list)
        if "throttled" in only:
            b.throttled(endpoint, args.throttled, args.rate)
        if "adaptive" in only:
            b.adaptive(endpoint, 100.0, 300.0, 1500, 15000)
            b.adaptive(endpoint, 30.0, 0.0, 1500, 15000)
            b.adaptive(endpoint, 0.0, 0.0, 1500, 15000)
        if "worker" in only:
            b.worker(endpoint, args.worker_events, args.worker_boto3_events, 100.0, 300.0)
        if "mailer" in only:
            b.mailer(args.mailer_emails, args.mailer_boto3_emails, 100.0)
        if "lambda" in only and args.lambda_zip:
            b.lambda_start(args.lambda_zip, 100.0)
        if "report" in only:
            b.report(endpoint, args.report_carts)
        if "tail" in only:
            b.tail_latency(endpoint, args.tail_samples)
        if "memory" in only:
            b.memory(endpoint, args.memory_lines)
            if "list" in only:
                b.list_memory(endpoint, args.list_memory)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(b.results, f, indent=2)
        if args.report:
            import report
            report.write(b.results, args, os.path.dirname(os.path.abspath(args.report)) or ".")
    finally:
        for proc in (proxy, emu):
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
