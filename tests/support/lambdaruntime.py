"""The Lambda Runtime API, served on a loopback port, for running a function's bootstrap
outside Lambda: the documented endpoints a custom runtime polls
(https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), nothing more.

    python lambdaruntime.py [--deadline-ms N] BOOTSTRAP EVENT.json [EVENT.json ...]

runs BOOTSTRAP with AWS_LAMBDA_RUNTIME_API pointing here and the variables Lambda sets (the
caller's environment passes through, so AWS_* and CARTCTL_* reach the function), hands it each
event in turn with a deadline N ms away (Lambda-Runtime-Deadline-Ms; default 60,000: a
function's timeout), then stops it with SIGTERM. Prints one JSON object:

    {"ready_ms": ms from process start to its first /next,
     "invocations": [{"request_id", "outcome": "response"|"error", "body", "ms"}],
     "init_error": body or null, "exit_code": null while it ran, "peak_rss_kb", "stderr", "stdout"}
"""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"


class Runtime:
    def __init__(self, events, deadline_ms=60_000):
        self.deadline_ms = deadline_ms
        self.pending = queue.Queue()
        for e in events:
            self.pending.put(e)
        self.total = len(events)
        self.first_next = None
        self.started = {}
        self.results = []
        self.init_error = None
        self.done = threading.Event()

    def record(self, request_id, outcome, body):
        took = (time.monotonic() - self.started.get(request_id, time.monotonic())) * 1000
        try:
            body = json.loads(body)
        except ValueError:
            pass
        self.results.append(
            {"request_id": request_id, "outcome": outcome, "body": body, "ms": round(took, 1)}
        )
        if len(self.results) == self.total:
            self.done.set()


def handler_for(rt):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, code, body=b"", headers=()):
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path != PREFIX + "/invocation/next":
                return self.reply(404)
            if rt.first_next is None:
                rt.first_next = time.monotonic()
            event = rt.pending.get()  # blocks, as Lambda does, until there is an event
            request_id = str(uuid.uuid4())
            rt.started[request_id] = time.monotonic()
            deadline = int(time.time() * 1000) + rt.deadline_ms
            self.reply(
                200,
                json.dumps(event).encode(),
                [
                    ("Content-Type", "application/json"),
                    ("Lambda-Runtime-Aws-Request-Id", request_id),
                    ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                    (
                        "Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:cartctl-consumer",
                    ),
                    ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000"),
                ],
            )

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            m = re.fullmatch(PREFIX + r"/invocation/([^/]+)/(response|error)", self.path)
            if m:
                self.reply(202, b'{"status":"OK"}')
                rt.record(m.group(1), m.group(2), body)
            elif self.path == PREFIX + "/init/error":
                rt.init_error = body
                self.reply(202, b'{"status":"OK"}')
                rt.done.set()
            else:
                self.reply(404)

    return Handler


def peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    args = sys.argv[1:]
    deadline_ms = 60_000
    if args[:1] == ["--deadline-ms"]:
        deadline_ms, args = int(args[1]), args[2:]
    bootstrap, paths = args[0], args[1:]
    events = [json.load(open(p)) for p in paths]
    rt = Runtime(events, deadline_ms)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(rt))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ)
    env.update(
        {
            "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
            "AWS_LAMBDA_FUNCTION_NAME": "cartctl-consumer",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/cartctl-consumer",
            "AWS_LAMBDA_LOG_STREAM_NAME": "local",
            "LAMBDA_TASK_ROOT": os.path.dirname(os.path.abspath(bootstrap)),
        }
    )
    start = time.monotonic()
    proc = subprocess.Popen(
        [bootstrap], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    while not rt.done.wait(0.05):
        if proc.poll() is not None or time.monotonic() - start > 120:
            break
    rss = peak_rss_kb(proc.pid)
    exit_code = proc.poll()
    if exit_code is None:
        proc.send_signal(signal.SIGTERM)
    try:
        stdout, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
    server.shutdown()
    ready = None if rt.first_next is None else round((rt.first_next - start) * 1000, 1)
    print(
        json.dumps(
            {
                "ready_ms": ready,
                "invocations": rt.results,
                "init_error": rt.init_error,
                "exit_code": exit_code,
                "peak_rss_kb": rss,
                "stderr": stderr,
                "stdout": stdout,
            }
        )
    )


if __name__ == "__main__":
    main()
