#!/usr/bin/env python3
"""An HTTP/1.1 proxy that injects faults between an AWS client and the local emulator.

It forwards every request to --upstream and, chosen with a seeded random generator so runs
reproduce, can instead:

  --throttle P      answer as the service does when it throttles: Scheduler 429 with
                    x-amzn-ErrorType: ThrottlingException; EventBridge and SQS 400 with
                    __type ThrottlingException
  --error500 P      answer 500 InternalServerError
  --error500-when T answer 500 InternalServerError to every request whose body holds the text
                    T (such as `ExclusiveStartKey`: a read that fails from its second page on)
  --reset-before P  close the connection before forwarding (the request is not applied)
  --reset-after P   forward, then close the connection instead of answering (the request was
                    applied but the answer is lost)
  --fail-entries P  refuse each PutEvents entry with probability P (InternalFailure or
                    ThrottlingException in a 200 answer): refused entries are taken out of the
                    request, so, as on AWS, they are not delivered
  --faults P        fault a request with probability P, spread evenly over throttle, error500,
                    reset-before and reset-after (in addition to the individual options)
  --latency-ms N    wait N ms before forwarding each request
  --rate R          admit at most R requests a second (a token bucket of one second's worth);
                    the others are throttled as above
  --rate-service S  count only service S's requests against --rate (repeatable; AWS's quotas
                    are each service's own); the others pass unlimited
  --route S=URL     forward the requests of service S (scheduler, events, sqs, or any other by
                    its SigV4 scope: lambda, apigateway, …) to URL instead
                    of --upstream (repeatable): one rate limit over services served apart

Prints `listening on http://127.0.0.1:<port>` when ready. GET /__proxy/stats answers a JSON
object of counters (requests, forwarded, and each fault); POST /__proxy/reset zeroes them.
Stops when stdin closes (--watch-stdin) or its parent exits.

Only what AWS SDKs send is supported: requests with a Content-Length body, answers with a
Content-Length or chunked body.
"""

import argparse
import asyncio
import json
import random
import socket
import struct
import time

from proxylib import close_quietly, read_body, read_head, serve, upstream_address


class Faults:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.stats = {}
        self.rate = args.rate
        self.tokens = float(args.rate or 0)
        self.last_refill = time.monotonic()

    def count(self, key):
        self.stats[key] = self.stats.get(key, 0) + 1

    def roll(self, p):
        return p > 0 and self.rng.random() < p

    def admit(self):
        """Token bucket for --rate: True if the request may go on now."""
        if not self.rate:
            return True
        now = time.monotonic()
        self.tokens = min(float(self.rate), self.tokens + (now - self.last_refill) * self.rate)
        self.last_refill = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


def service_of(headers):
    target = headers.get("x-amz-target", "")
    if target.startswith("AWSEvents."):
        return "events", target.split(".", 1)[1]
    if target.startswith("AmazonSQS."):
        return "sqs", target.split(".", 1)[1]
    auth = headers.get("authorization", "")
    if "/scheduler/" in auth:
        return "scheduler", ""
    if "/events/" in auth:
        return "events", ""
    if "/sqs/" in auth:
        return "sqs", ""
    # Any other service by its SigV4 credential scope: Credential=KEY/DATE/REGION/SERVICE/aws4_request.
    scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/") if "Credential=" in auth else []
    if len(scope) >= 5:
        return scope[3], ""
    return "other", ""


def throttle_response(service):
    if service == "scheduler":
        body = json.dumps({"message": "Rate exceeded"}).encode()
        head = (
            "HTTP/1.1 429 Too Many Requests\r\n"
            "Content-Type: application/json\r\n"
            "x-amzn-ErrorType: ThrottlingException\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
    else:
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        head = (
            "HTTP/1.1 400 Bad Request\r\n"
            "Content-Type: application/x-amz-json-1.1\r\n"
            "x-amzn-query-error: ThrottlingException;Sender\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
    return head.encode() + body


def server_error_response(service):
    if service == "scheduler":
        body = json.dumps({"message": "Internal server error"}).encode()
        extra = "x-amzn-ErrorType: InternalServerException\r\n"
    else:
        body = json.dumps({"__type": "InternalFailure", "message": "Internal failure"}).encode()
        extra = ""
    head = (
        "HTTP/1.1 500 Internal Server Error\r\n"
        "Content-Type: application/json\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


MIXED = ["throttled", "error500", "reset_before", "reset_after"]


def reset(writer):
    """Closes the connection with a TCP reset (RST), as a failing network does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.close()


def split_put_events(body, faults):
    """Chooses PutEvents entries to refuse (InternalFailure or ThrottlingException) and takes
    them out of the request, as EventBridge refuses entries it does not deliver. Returns the
    body to forward (None if every entry is refused) and the refusals by position."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body, {}
    entries = doc.get("Entries", [])
    refused = {}
    for i in range(len(entries)):
        if faults.roll(faults.args.fail_entries):
            refused[i] = faults.rng.choice(["InternalFailure", "ThrottlingException"])
            faults.count("failed_entries")
    if not refused:
        return body, {}
    kept = [e for i, e in enumerate(entries) if i not in refused]
    if not kept:
        return None, refused
    doc["Entries"] = kept
    return json.dumps(doc).encode(), refused


def merge_put_events(answer, refused, total):
    """Puts the refusals back at their positions in a PutEvents answer."""
    doc = json.loads(answer) if answer else {"Entries": [], "FailedEntryCount": 0}
    results = iter(doc.get("Entries", []))
    merged = []
    for i in range(total):
        if i in refused:
            merged.append({"ErrorCode": refused[i], "ErrorMessage": "refused by the fault proxy"})
        else:
            merged.append(next(results))
    doc["Entries"] = merged
    doc["FailedEntryCount"] = doc.get("FailedEntryCount", 0) + len(refused)
    return json.dumps(doc).encode()


def with_body(head, body):
    """Replaces the Content-Length of an HTTP head for a new body."""
    lines = head.decode("latin-1").split("\r\n")
    lines = [
        f"Content-Length: {len(body)}" if line.lower().startswith("content-length:") else line
        for line in lines
    ]
    return "\r\n".join(lines).encode("latin-1")


async def handle(client_r, client_w, faults, upstream, routes):
    up_r = up_w = None
    conns = {}
    try:
        while True:
            try:
                head, first, headers = await read_head(client_r)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            body, _ = await read_body(client_r, headers)
            method, path = first.split(" ")[0], first.split(" ")[1]
            if path.startswith("/__proxy/"):
                if path.startswith("/__proxy/reset"):
                    faults.stats = {}
                payload = json.dumps(faults.stats).encode()
                client_w.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await client_w.drain()
                continue
            faults.count("requests")
            service, operation = service_of(headers)
            args = faults.args
            if args.latency_ms:
                await asyncio.sleep(args.latency_ms / 1000.0)
            limited = not args.rate_service or service in args.rate_service
            if limited and not faults.admit():
                faults.count("rate_limited")
                client_w.write(throttle_response(service))
                await client_w.drain()
                continue
            if faults.roll(args.reset_before):
                faults.count("reset_before")
                reset(client_w)
                return
            if faults.roll(args.throttle):
                faults.count("throttled")
                client_w.write(throttle_response(service))
                await client_w.drain()
                continue
            if faults.roll(args.error500) or (args.error500_when and args.error500_when.encode() in body):
                faults.count("error500")
                client_w.write(server_error_response(service))
                await client_w.drain()
                continue
            mixed = faults.rng.choice(MIXED) if faults.roll(args.faults) else None
            if mixed == "reset_before":
                faults.count("reset_before")
                reset(client_w)
                return
            if mixed in ("throttled", "error500"):
                faults.count(mixed)
                client_w.write(
                    throttle_response(service) if mixed == "throttled" else server_error_response(service)
                )
                await client_w.drain()
                continue
            reset_after = mixed == "reset_after" or faults.roll(args.reset_after)
            refused, total = {}, 0
            if service == "events" and operation == "PutEvents" and args.fail_entries > 0:
                try:
                    total = len(json.loads(body).get("Entries", []))
                except ValueError:
                    total = 0
                new_body, refused = split_put_events(body, faults)
                if new_body is None:
                    answer = merge_put_events(None, refused, total)
                    client_w.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                        + f"Content-Length: {len(answer)}\r\n\r\n".encode()
                        + answer
                    )
                    await client_w.drain()
                    continue
                if refused:
                    head, body = with_body(head, new_body), new_body
            target = routes.get(service, upstream)
            if target not in conns:
                conns[target] = await asyncio.open_connection(*target)
            up_r, up_w = conns[target]
            up_w.write(head + body)
            await up_w.drain()
            r_head, r_first, r_headers = await read_head(up_r)
            r_body, chunked = await read_body(up_r, r_headers)
            faults.count("forwarded")
            if reset_after:
                faults.count("reset_after")
                reset(client_w)
                return
            status = r_first.split(" ")[1]
            if refused and status == "200" and not chunked:
                r_body = merge_put_events(r_body, refused, total)
                r_head = with_body(r_head, r_body)
            client_w.write(r_head + r_body)
            await client_w.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        close_quietly(client_w, *(w for _, w in conns.values()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True, help="http://host:port of the emulator")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--throttle", type=float, default=0.0)
    p.add_argument("--error500", type=float, default=0.0)
    p.add_argument("--error500-when", metavar="TEXT")
    p.add_argument("--reset-before", type=float, default=0.0)
    p.add_argument("--reset-after", type=float, default=0.0)
    p.add_argument("--fail-entries", type=float, default=0.0)
    p.add_argument("--faults", type=float, default=0.0)
    p.add_argument("--latency-ms", type=float, default=0.0)
    p.add_argument("--rate", type=float, default=0.0)
    p.add_argument("--rate-service", action="append", default=[], metavar="SERVICE")
    p.add_argument("--route", action="append", default=[], metavar="SERVICE=URL")
    p.add_argument("--watch-stdin", action="store_true")
    args = p.parse_args()
    upstream = upstream_address(args.upstream)
    routes = {}
    for r in args.route:
        service, _, url = r.partition("=")
        routes[service] = upstream_address(url)
    faults = Faults(args)
    serve(lambda r, w: handle(r, w, faults, upstream, routes), args.port, args.watch_stdin)


if __name__ == "__main__":
    main()
