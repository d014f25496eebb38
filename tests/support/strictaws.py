#!/usr/bin/env python3
"""A strict AWS double: an HTTP/1.1 proxy in front of the local emulator (moto) that enforces
what AWS enforces and moto does not, so the tests see AWS's side.

On every Scheduler, EventBridge, SQS and DynamoDB request it (and for Lambda and API Gateway, see
restdouble.py):

  * validates the input against the service model (botocore's service-2.json, the same models
    the SDKs are generated from): required members, string lengths (counted in UTF-16 code
    units, as the Java services count them), patterns, enums, number ranges and list sizes;
    a violation is answered with a 400 ValidationException, as AWS answers, and not forwarded;
  * remembers ClientTokens (members marked idempotencyToken): the same token with the same
    request is answered with the first answer, without forwarding (so a token reused across
    runs "succeeds" and changes nothing, as on AWS); the same token with another request is
    refused;
  * speaks Smithy RPC v2 CBOR for the emulator, which does not: a CloudWatch request in CBOR
    (as the AWS SDK for Rust sends it) is translated to the AWS JSON 1.0 protocol, which moto
    serves, and the answer back to CBOR, timestamps as tag 1 (per the service model);
  * holds SQS long polls: an empty ReceiveMessage answer is held until WaitTimeSeconds have
    passed, then --poll-rtt-ms more (AWS answers after the whole wait plus the round trip), and
    counts polls of one queue that overlap (a client that abandons and re-sends a poll).
  * answers as a real account does in the seconds after a change (consistency.py): a queue
    name reused within 60 s of its deletion, a dead-letter queue named a moment after it was
    made, a role Scheduler cannot assume yet, a schedule group still DELETING; and refuses
    DeleteEventBus while the bus has rules, and SSE-SQS on a queue that has a KMS key.

And it keeps EventBridge Scheduler's clock, which moto lacks (`schedclock.py`): a one-time
schedule fires when due, on its bus, or into its dead-letter queue; `--no-fire` turns it off.

Prints `listening on http://127.0.0.1:<port>`. GET /__strict/stats answers a JSON object of
counters: requests, forwarded, validation_errors (with the last few messages), token_replays,
token_mismatches, receive_overlaps, and max_receive_in_flight. Stops when stdin closes
(--watch-stdin) or its parent exits.

    strictaws.py --upstream http://127.0.0.1:PORT [--poll-rtt-ms N] [--watch-stdin]
"""

import argparse
import asyncio
import hashlib
import json
import re
import time
import urllib.parse

import botocore.session

import cbor
from consistency import Consistency, add_options, region_of
import iamsim
from proxylib import close_quietly, read_body, read_head, serve, upstream_address
import restdouble
import schedclock

SERVICES = {"scheduler": "scheduler", "events": "events", "sqs": "sqs", "dynamodb": "dynamodb"}
# The X-Amz-Target prefix of each JSON-protocol service the double checks.
TARGETS = {"AWSEvents.": "events", "AmazonSQS.": "sqs", "DynamoDB_20120810.": "dynamodb"}
# Services the SDKs call with Smithy RPC v2 CBOR: the service name in the path → the model.
CBOR_SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}


class Models:
    """The service models, and the compiled patterns of their shapes."""

    def __init__(self):
        loader = botocore.session.get_session().get_component("data_loader")
        self.models = {name: loader.load_service_model(sid, "service-2") for name, sid in SERVICES.items()}
        self.patterns = {}
        # Scheduler's operations by HTTP method, as (regex of the request URI, operation, names).
        self.routes = []
        for op_name, op in self.models["scheduler"]["operations"].items():
            uri = op["http"]["requestUri"].split("?")[0]
            names = re.findall(r"\{(\w+)\+?\}", uri)
            regex = "^" + re.sub(r"\\\{\w+(?:\\\+)?\\\}", "([^/]+)", re.escape(uri)) + "$"
            self.routes.append((op["http"]["method"], re.compile(regex), op_name, names))

    def pattern(self, text):
        if text not in self.patterns:
            try:
                self.patterns[text] = re.compile(text)
            except re.error:
                self.patterns[text] = None
        return self.patterns[text]


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


class Validator:
    def __init__(self, models, service):
        self.models = models
        self.shapes = models.models[service]["shapes"]

    def check(self, shape_name, value, path, errors):
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if kind == "structure":
            if not isinstance(value, dict):
                return
            for req in shape.get("required", []):
                if value.get(req) is None:
                    errors.append(f"Member must not be null at '{path}{req}'")
            for name, member in shape.get("members", {}).items():
                if name in value and value[name] is not None:
                    self.check(member["shape"], value[name], f"{path}{name}.", errors)
        elif kind == "string":
            if not isinstance(value, str):
                return
            n = utf16_len(value)
            where = path.rstrip(".")
            if "min" in shape and n < shape["min"]:
                errors.append(f"Value at '{where}' failed to satisfy constraint: Member must have length greater than or equal to {shape['min']}")
            if "max" in shape and n > shape["max"]:
                errors.append(f"Value at '{where}' failed to satisfy constraint: Member must have length less than or equal to {shape['max']}")
            if "enum" in shape and value not in shape["enum"]:
                errors.append(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must satisfy enum value set: {shape['enum']}")
            if "pattern" in shape and value:
                rx = self.models.pattern(shape["pattern"])
                if rx is not None and not rx.fullmatch(value):
                    errors.append(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must satisfy regular expression pattern: {shape['pattern']}")
        elif kind in ("integer", "long"):
            if not isinstance(value, int):
                return
            where = path.rstrip(".")
            if "min" in shape and value < shape["min"]:
                errors.append(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must have value greater than or equal to {shape['min']}")
            if "max" in shape and value > shape["max"]:
                errors.append(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must have value less than or equal to {shape['max']}")
        elif kind == "list":
            if not isinstance(value, list):
                return
            where = path.rstrip(".")
            if "min" in shape and len(value) < shape["min"]:
                errors.append(f"Value at '{where}' failed to satisfy constraint: Member must have length greater than or equal to {shape['min']}")
            if "max" in shape and len(value) > shape["max"]:
                errors.append(f"Value at '{where}' failed to satisfy constraint: Member must have length less than or equal to {shape['max']}")
            for i, item in enumerate(value):
                self.check(shape["member"]["shape"], item, f"{path.rstrip('.')}.{i + 1}.", errors)
        elif kind == "map":
            if not isinstance(value, dict):
                return
            for k, v in value.items():
                self.check(shape["key"]["shape"], k, f"{path}key.", errors)
                self.check(shape["value"]["shape"], v, f"{path}{k}.", errors)


class Strict:
    def __init__(self, args):
        self.args = args
        self.models = Models()
        self.stats = {
            "requests": 0,
            "forwarded": 0,
            "validation_errors": 0,
            "token_replays": 0,
            "token_mismatches": 0,
            "receive_overlaps": 0,
            "max_receive_in_flight": 0,
            "consistency_refusals": 0,
            "last_errors": [],
        }
        self.cbor = CborBridge()
        self.consistency = Consistency(args)
        self.rest = restdouble.RestDouble(args)
        self.clock = schedclock.Clock(args)
        self.tokens = {}  # (operation, token) -> (fingerprint, answer bytes or None while pending)
        self.receiving = {}  # queue url -> polls in flight

    def count(self, key, n=1):
        self.stats[key] = self.stats.get(key, 0) + n

    def identify(self, method, path, headers, body):
        """(service, operation, input) of a request, or None for what is not checked."""
        target = headers.get("x-amz-target", "")
        prefix = next((p for p in TARGETS if target.startswith(p)), None)
        if prefix is not None:
            service = TARGETS[prefix]
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                return None
            return service, target.split(".", 1)[1], payload
        authorization = headers.get("authorization", "")
        if "/iam/" in authorization and "x-www-form-urlencoded" in headers.get("content-type", ""):
            form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items()}
            return "iam", form.get("Action", ""), form
        if "/scheduler/" not in authorization:
            return None
        url = urllib.parse.urlsplit(path)
        for m, rx, op, names in self.models.routes:
            match = rx.match(url.path)
            if m != method or not match:
                continue
            op_model = self.models.models["scheduler"]["operations"][op]
            shape = self.models.models["scheduler"]["shapes"][op_model["input"]["shape"]] if "input" in op_model else {"members": {}}
            try:
                payload = json.loads(body) if body else {}
            except ValueError:
                payload = {}
            query = urllib.parse.parse_qs(url.query)
            for name, member in shape.get("members", {}).items():
                loc, loc_name = member.get("location"), member.get("locationName", name)
                if loc == "uri" and loc_name in names:
                    payload[name] = urllib.parse.unquote(match.group(names.index(loc_name) + 1))
                elif loc == "querystring" and loc_name in query:
                    raw = query[loc_name][0]
                    kind = self.models.models["scheduler"]["shapes"][member["shape"]]["type"]
                    payload[name] = int(raw) if kind == "integer" and raw.lstrip("-").isdigit() else raw
            return "scheduler", op, payload
        return None

    def validate(self, service, operation, payload):
        if service not in self.models.models:
            return []
        op = self.models.models[service]["operations"].get(operation)
        if op is None or "input" not in op:
            return []
        errors = []
        Validator(self.models, service).check(op["input"]["shape"], payload, "", errors)
        return errors

    def token_member(self, service, operation):
        if service not in self.models.models:
            return None
        op = self.models.models[service]["operations"].get(operation)
        if op is None or "input" not in op:
            return None
        shape = self.models.models[service]["shapes"][op["input"]["shape"]]
        for name, member in shape.get("members", {}).items():
            if member.get("idempotencyToken"):
                return name
        return None


def json_response(doc):
    body = json.dumps(doc).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def error_response(service, code, message, status=400):
    if service == "scheduler":
        body = json.dumps({"message": message}).encode()
        head = (
            f"HTTP/1.1 {status} Bad Request\r\nContent-Type: application/json\r\n"
            f"x-amzn-ErrorType: {code}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
    else:
        body = json.dumps({"__type": code, "message": message}).encode()
        head = (
            f"HTTP/1.1 {status} Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\n"
            f"x-amzn-query-error: {code};Sender\r\nContent-Length: {len(body)}\r\n\r\n"
        )
    return head.encode() + body


async def forward(strict, upstream, conn, head, body):
    """Sends a request upstream on the connection's own upstream socket; returns the answer."""
    if conn.get("w") is None:
        conn["r"], conn["w"] = await asyncio.open_connection(*upstream)
    conn["w"].write(head + body)
    await conn["w"].drain()
    r_head, _, r_headers = await read_head(conn["r"])
    r_body, _ = await read_body(conn["r"], r_headers)
    strict.count("forwarded")
    return r_head + r_body, r_head, r_body


def drop_invalid_periods(operation, request, r_head, r_body):
    """GetMetricData as CloudWatch answers it: a query whose period is not a multiple of 60 s
    (of 300 s when StartTime is more than 15 days ago, of 3600 s more than 63 days ago) gets no
    data points (moto answers them all)."""
    if operation != "GetMetricData" or b" 200 " not in r_head.split(b"\r\n", 1)[0] + b" ":
        return r_body
    try:
        req, answer = json.loads(request), json.loads(r_body)
    except ValueError:
        return r_body
    age = time.time() - float(req.get("StartTime", time.time()))
    unit = 3600 if age > 63 * 86400 else 300 if age > 15 * 86400 else 60
    periods = {q.get("Id"): (q.get("MetricStat") or {}).get("Period", unit)
               for q in req.get("MetricDataQueries", [])}
    for result in answer.get("MetricDataResults", []):
        if periods.get(result.get("Id"), unit) % unit:
            result["Timestamps"], result["Values"] = [], []
    return json.dumps(answer).encode()


async def upstream_json(strict, upstream, headers, target, content_type, payload):
    """Asks the emulator itself (a JSON-protocol call, signed as the request at hand)."""
    body = json.dumps(payload).encode()
    head = (f"POST / HTTP/1.1\r\nHost: {upstream[0]}:{upstream[1]}\r\nContent-Type: {content_type}\r\n"
            f"X-Amz-Target: {target}\r\nAuthorization: {headers.get('authorization', '')}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    conn = {"r": None, "w": None}
    try:
        _, _, r_body = await forward(strict, upstream, conn, head, body)
        return json.loads(r_body or b"{}")
    except ValueError:
        return {}
    finally:
        close_quietly(conn.get("w"))


async def upstream_rest(strict, upstream, headers, method, path, body):
    """A REST-JSON request to the emulator itself, signed as the request at hand: (status,
    parsed JSON answer)."""
    head = (f"{method} {path} HTTP/1.1\r\nHost: {upstream[0]}:{upstream[1]}\r\n"
            f"Content-Type: application/json\r\nAuthorization: {headers.get('authorization', '')}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    conn = {"r": None, "w": None}
    try:
        _, r_head, r_body = await forward(strict, upstream, conn, head, body)
        status = int(r_head.split(b" ", 2)[1])
        try:
            return status, json.loads(r_body or b"{}")
        except ValueError:
            return status, {}
    finally:
        close_quietly(conn.get("w"))


async def rest_request(strict, upstream, conn, head, body, headers, rest):
    """A Lambda or API Gateway request: refused, served, or forwarded and made AWS's answer."""
    scope, op, params = rest
    answer = strict.rest.before(scope, op, params, body)
    if answer is None:
        answer = await strict.rest.serve(
            scope, op, params, body,
            lambda m, p, b: upstream_rest(strict, upstream, headers, m, p, b), headers)
    if answer is None:
        answer, _, _ = await forward(strict, upstream, conn, head, body)
        answer = strict.rest.after(scope, op, params, body, answer, headers)
    return answer


async def iam_query(strict, upstream, headers, params):
    """An IAM query request to the emulator itself: (status, parsed XML answer)."""
    import xml.etree.ElementTree as ET

    body = urllib.parse.urlencode({**params, "Version": "2010-05-08"}).encode()
    head = (f"POST / HTTP/1.1\r\nHost: {upstream[0]}:{upstream[1]}\r\n"
            "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            f"Authorization: {headers.get('authorization', '')}\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
    conn = {"r": None, "w": None}
    try:
        _, r_head, r_body = await forward(strict, upstream, conn, head, body)
        status = int(r_head.split(b" ", 2)[1])
        try:
            return status, ET.fromstring(r_body)
        except ET.ParseError:
            return status, ET.fromstring("<x/>")
    finally:
        close_quietly(conn.get("w"))


async def refusal(strict, upstream, service, operation, payload, headers):
    """(code, message, status) when AWS would refuse the request at this moment, else None:
    the windows of eventual consistency, and what depends on what the account holds."""
    found = strict.consistency.refusal(service, operation, payload, headers)
    if found:
        return found
    if service == "events" and operation == "DeleteEventBus":
        name = payload.get("Name", "")
        rules = await upstream_json(strict, upstream, headers, "AWSEvents.ListRules",
                                    "application/x-amz-json-1.1", {"EventBusName": name})
        names = [r.get("Name") for r in rules.get("Rules", [])]
        if names:
            return ("ValidationException",
                    f"Event bus {name} still has rules ({', '.join(names)}): all rules associated with an event bus need to be deleted first.", 400)
    attrs = payload.get("Attributes") or {}
    if (service == "sqs" and operation == "SetQueueAttributes"
            and attrs.get("SqsManagedSseEnabled") == "true" and "KmsMasterKeyId" not in attrs):
        have = await upstream_json(strict, upstream, headers, "AmazonSQS.GetQueueAttributes",
                                   "application/x-amz-json-1.0",
                                   {"QueueUrl": payload.get("QueueUrl", ""), "AttributeNames": ["KmsMasterKeyId"]})
        if (have.get("Attributes") or {}).get("KmsMasterKeyId"):
            return ("InvalidAttributeValue",
                    "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.", 400)
    return None


# What TestEventPattern requires of the event, as AWS documents it.
TEST_EVENT_FIELDS = ("id", "account", "source", "time", "region", "resources", "detail-type")


def test_event_pattern(service, operation, payload):
    """TestEventPattern's answer (moto has none: it answers an empty body, which the SDK reads
    as false), evaluated with moto's own pattern matcher; None for other requests."""
    if service != "events" or operation != "TestEventPattern":
        return None
    from moto.events.models import EventPattern

    try:
        event = json.loads(payload.get("Event", ""))
    except ValueError:
        event = None
    if not isinstance(event, dict) or any(k not in event for k in TEST_EVENT_FIELDS):
        return error_response("events", "InvalidEventPatternException",
                              f"Event is not valid: it must have {', '.join(TEST_EVENT_FIELDS)}")
    try:
        pattern = EventPattern.load(payload.get("EventPattern", ""))
    except Exception as e:  # moto raises its own errors for a bad pattern
        return error_response("events", "InvalidEventPatternException", f"Event pattern is not valid: {e}")
    return json_response({"Result": bool(pattern.matches_event(event))})


async def receive(strict, upstream, conn, head, body, payload):
    """A ReceiveMessage held as AWS holds it, with overlapping polls of one queue counted."""
    url = payload.get("QueueUrl", "")
    wait = payload.get("WaitTimeSeconds") or 0
    started = time.monotonic()
    strict.receiving[url] = strict.receiving.get(url, 0) + 1
    if strict.receiving[url] > 1:
        strict.count("receive_overlaps")
    strict.stats["max_receive_in_flight"] = max(strict.stats["max_receive_in_flight"], strict.receiving[url])
    try:
        answer, _, r_body = await forward(strict, upstream, conn, head, body)
        try:
            empty = not json.loads(r_body or b"{}").get("Messages")
        except ValueError:
            empty = False
        if empty and wait:
            await asyncio.sleep(max(0.0, started + wait - time.monotonic()))
        await asyncio.sleep(strict.args.poll_rtt_ms / 1000.0)
        return answer
    finally:
        strict.receiving[url] -= 1


class CborBridge:
    """Translates Smithy RPC v2 CBOR requests to AWS JSON 1.0 and the answers back."""

    def __init__(self):
        loader = botocore.session.get_session().get_component("data_loader")
        self.models = {name: loader.load_service_model(name, "service-2") for name in CBOR_SERVICES.values()}

    def request(self, first, headers, body):
        """(head, body, model name, operation) of the JSON request, or None if not CBOR."""
        if headers.get("smithy-protocol") != "rpc-v2-cbor":
            return None
        parts = first.split(" ")[1].split("/")
        # /service/<ServiceName>/operation/<Operation>
        if len(parts) != 5 or parts[1] != "service" or parts[3] != "operation" or parts[2] not in CBOR_SERVICES:
            return None
        service, operation = parts[2], parts[4]
        payload = cbor.decode(body) if body else {}
        new_body = json.dumps(payload).encode()
        keep = {k: v for k, v in headers.items()
                if k not in ("content-type", "content-length", "smithy-protocol", "accept", "transfer-encoding")}
        keep["content-type"] = "application/x-amz-json-1.0"
        keep["x-amz-target"] = f"{service}.{operation}"
        keep["content-length"] = str(len(new_body))
        head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in keep.items()) + "\r\n"
        return head.encode("latin-1"), new_body, CBOR_SERVICES[service], operation

    def answer(self, model_name, operation, r_head, r_body):
        """The JSON answer as a CBOR answer."""
        status_line = r_head.split(b"\r\n", 1)[0].decode("latin-1")
        status = int(status_line.split(" ")[1])
        try:
            doc = json.loads(r_body or b"{}")
        except ValueError:
            doc = {"__type": "InternalFailure", "message": r_body.decode("utf-8", "replace")}
        if status == 200:
            model = self.models[model_name]
            out_shape = model["operations"][operation].get("output", {}).get("shape")
            if out_shape:
                doc = self.timestamps(model, out_shape, doc)
        elif isinstance(doc, dict) and "__type" in doc:
            doc["__type"] = doc["__type"].split("#")[-1]
        body = cbor.encode(doc)
        head = (f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                "content-type: application/cbor\r\nsmithy-protocol: rpc-v2-cbor\r\n"
                # The emulator closes its side after each answer: so does the bridge.
                f"connection: close\r\ncontent-length: {len(body)}\r\n\r\n")
        return head.encode("latin-1") + body

    def timestamps(self, model, shape_name, value):
        shape = model["shapes"][shape_name]
        kind = shape["type"]
        if kind == "timestamp":
            if isinstance(value, str):
                from datetime import datetime
                value = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            return cbor.Timestamp(float(value))
        if kind == "structure" and isinstance(value, dict):
            return {k: self.timestamps(model, shape["members"][k]["shape"], v) if k in shape.get("members", {}) else v
                    for k, v in value.items()}
        if kind == "list" and isinstance(value, list):
            return [self.timestamps(model, shape["member"]["shape"], v) for v in value]
        if kind == "map" and isinstance(value, dict):
            return {k: self.timestamps(model, shape["value"]["shape"], v) for k, v in value.items()}
        return value


def moto_calls(strict, upstream):
    """How the double acts on moto as a service would (Scheduler's clock, SES's events): a REST
    call to Scheduler, a JSON call to a service."""
    async def rest(region, method, path, body):
        headers = {"authorization": schedclock.auth(region, "scheduler")}
        return await upstream_rest(strict, upstream, headers, method, path, body)

    async def json_call(region, service, target, content_type, payload):
        headers = {"authorization": schedclock.auth(region, service)}
        return await upstream_json(strict, upstream, headers, target, content_type, payload)

    return rest, json_call


async def control(strict, upstream, method, path, body):
    """The double's own requests: its counters, SES's recorded sends, SES's event publishing."""
    if path.startswith("/__strict/ses/sent"):
        return 200, {"sent": strict.rest.ses.sent}
    if path.startswith("/__strict/ses/publish") and method == "POST":
        _, json_call = moto_calls(strict, upstream)

        async def put_events(region, payload):
            return await json_call(region, "events", "AWSEvents.PutEvents", "application/x-amz-json-1.1", payload)
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return 400, {"error": "the body is not JSON"}
        return await strict.rest.ses.publish(request, put_events)
    return 200, {**strict.stats, **strict.rest.stats, "clock": strict.clock.stats}


async def handle(client_r, client_w, strict, upstream):
    conn = {"r": None, "w": None}
    try:
        while True:
            try:
                head, first, headers = await read_head(client_r)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            body, _ = await read_body(client_r, headers)
            method, path = first.split(" ")[0], first.split(" ")[1]
            if path.startswith("/__strict/"):
                status, doc = await control(strict, upstream, method, path, body)
                payload = json.dumps(doc).encode()
                client_w.write(
                    f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n".encode()
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await client_w.drain()
                continue
            strict.count("requests")
            # Whether a client works while its long polls are held (a worker that overlaps
            # them with its batches), or only between them.
            if any(strict.receiving.values()) and headers.get("x-amz-target") != "AmazonSQS.ReceiveMessage":
                strict.count("requests_during_receive")
            bridged = strict.cbor.request(first, headers, body)
            if bridged is not None:
                j_head, j_body, model_name, operation = bridged
                _, r_head, r_body = await forward(strict, upstream, conn, j_head, j_body)
                r_body = drop_invalid_periods(operation, j_body, r_head, r_body)
                client_w.write(strict.cbor.answer(model_name, operation, r_head, r_body))
                await client_w.drain()
                return
            rest = strict.rest.identify(method, path, headers)
            if rest is not None:
                client_w.write(await rest_request(strict, upstream, conn, head, body, headers, rest))
                await client_w.drain()
                continue
            known = strict.identify(method, path, headers, body)
            if known is None:
                answer, _, _ = await forward(strict, upstream, conn, head, body)
                client_w.write(answer)
                await client_w.drain()
                continue
            service, operation, payload = known
            errors = strict.validate(service, operation, payload)
            if errors:
                strict.count("validation_errors")
                message = f"{len(errors)} validation error{'s' if len(errors) > 1 else ''} detected: " + "; ".join(errors)
                strict.stats["last_errors"] = (strict.stats["last_errors"] + [f"{operation}: {message}"])[-5:]
                code = "InvalidParameterValue" if service == "sqs" else "ValidationException"
                client_w.write(error_response(service, code, message))
                await client_w.drain()
                continue
            token_name = strict.token_member(service, operation)
            token = payload.get(token_name) if token_name else None
            if token:
                key = (operation, token)
                rest = {k: v for k, v in payload.items() if k != token_name}
                fingerprint = hashlib.sha256(json.dumps(rest, sort_keys=True).encode()).hexdigest()
                seen = strict.tokens.get(key)
                if seen is not None and seen[0] != fingerprint:
                    strict.count("token_mismatches")
                    client_w.write(error_response(
                        service, "ValidationException",
                        f"ClientToken {token} was already used with a different {operation} request",
                    ))
                    await client_w.drain()
                    continue
                if seen is not None and seen[1] is not None:
                    strict.count("token_replays")
                    client_w.write(seen[1])
                    await client_w.drain()
                    continue
            refused = await refusal(strict, upstream, service, operation, payload, headers)
            if refused:
                strict.count("consistency_refusals")
                code, message, status = refused
                client_w.write(error_response(service, code, message, status))
                await client_w.drain()
                continue
            deleting = strict.consistency.deleting_group_answer(operation, payload)
            synthesized = json_response(deleting) if deleting is not None else test_event_pattern(service, operation, payload)
            if synthesized is not None:
                client_w.write(synthesized)
                await client_w.drain()
                continue
            if service == "iam" and operation == "SimulatePrincipalPolicy":
                client_w.write(await iamsim.simulate(
                    lambda params: iam_query(strict, upstream, headers, params), payload))
                await client_w.drain()
                continue
            if service == "sqs" and operation == "ReceiveMessage":
                answer = await receive(strict, upstream, conn, head, body, payload)
            else:
                answer, _, _ = await forward(strict, upstream, conn, head, body)
            ok = answer.split(b" ", 2)[1] == b"200"
            if ok:
                strict.consistency.record(service, operation, payload, headers)
                if service == "scheduler":
                    strict.clock.record(operation, payload, region_of(headers))
                    strict.clock.start(moto_calls(strict, upstream))
                if service == "iam":
                    strict.rest.iam_done(operation)
            if token and ok:
                strict.tokens[(operation, token)] = (fingerprint, answer)
            client_w.write(answer)
            await client_w.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        close_quietly(client_w, conn.get("w"))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True, help="http://host:port of the emulator")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--poll-rtt-ms", type=float, default=0.0, help="round trip added to each ReceiveMessage")
    p.add_argument("--watch-stdin", action="store_true")
    add_options(p)
    restdouble.add_options(p)
    schedclock.add_options(p)
    return p.parse_args(argv)


def run(args, watch_stdin=None, announce=()):
    """Serves the double for `args` (see parse_args); `announce` lines are printed after the
    address."""
    strict = Strict(args)
    upstream = upstream_address(args.upstream)
    watch = args.watch_stdin if watch_stdin is None else watch_stdin
    serve(lambda r, w: handle(r, w, strict, upstream), args.port, watch, announce)


def main():
    run(parse_args())


if __name__ == "__main__":
    main()
