"""What the strict double does for the REST services cartctl's setup and doctor call, Lambda
and API Gateway v2, where moto answers otherwise than AWS:

  * Lambda's LoggingConfig (the log format and group), which moto ignores: kept from
    CreateFunction and UpdateFunctionConfiguration and given back by GetFunction,
    GetFunctionConfiguration and UpdateFunctionConfiguration, with AWS's defaults (Text, the
    group /aws/lambda/NAME) for a function made without one;
  * the IAM propagation refusal of a new mapping: seconds after PutRolePolicy on a new role,
    CreateEventSourceMapping (and UpdateEventSourceMapping) answer InvalidParameterValueException
    "The provided execution role does not have permissions to call ReceiveMessage on SQS"; the
    double gives the next --esm-role-refusals such answers after each PutRolePolicy;
  * GetAuthorizers (moto: HTTP 500): answered from the authorizers made through the double,
    each looked up in moto (GetAuthorizer), so a deleted one is not listed;
  * UpdateStage (moto: HTTP 500): the stage read, merged with the update, made again;
  * --deny SERVICE:Action (repeatable): that action answers AccessDeniedException, as for a
    caller whose policies lack it (lambda:ListTags, say);
  * --function-pending-secs N: a new function is `Pending` (StateReasonCode Creating) for N
    seconds, as AWS reports it while it creates the function (moto: Active at once).

Operations are found from the service models (botocore's service-2.json), as for Scheduler.
"""

import json
import re
import time
import urllib.parse

import botocore.session

import sesdouble

# The REST services routed here: the model's name, and the service name of SigV4's scope.
REST_SERVICES = {"lambda": "lambda", "apigatewayv2": "apigateway", "sesv2": "ses"}


class RestRoutes:
    """Each operation of the REST services, by HTTP method and request URI."""

    def __init__(self):
        loader = botocore.session.get_session().get_component("data_loader")
        self.routes = {}
        for model_name, scope in REST_SERVICES.items():
            model = loader.load_service_model(model_name, "service-2")
            routes = []
            for op_name, op in model["operations"].items():
                uri = op["http"]["requestUri"].split("?")[0]
                names = re.findall(r"\{(\w+)\+?\}", uri)
                regex = "^" + re.sub(r"\\\{\w+(?:\\\+)?\\\}", "([^/]+)", re.escape(uri)) + "/?$"
                routes.append((op["http"]["method"], re.compile(regex), op_name, names))
            # Fixed URIs before templated ones (`/v2/apis/{apiId}` must not take `/v2/apis/x/stages`).
            routes.sort(key=lambda r: r[1].pattern.count("([^/]+)"))
            self.routes[scope] = (model_name, routes)

    def identify(self, method, path, headers):
        """(scope service, operation, URI parameters) of a request, or None."""
        auth = headers.get("authorization", "")
        for scope, (_, routes) in self.routes.items():
            if f"/{scope}/" not in auth:
                continue
            url_path = urllib.parse.urlsplit(path).path
            for m, rx, op, names in routes:
                match = rx.match(url_path)
                if m == method and match:
                    params = {n: urllib.parse.unquote(match.group(i + 1)) for i, n in enumerate(names)}
                    return scope, op, params
        return None


def function_name(ref):
    """A function's name from its name, ARN or partial ARN (`…:function:NAME[:qualifier]`)."""
    if ":function:" in ref:
        return ref.split(":function:", 1)[1].split(":", 1)[0]
    return ref


def rest_error(code, message, status):
    body = json.dumps({"message": message, "Message": message}).encode()
    reason = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}.get(status, "Error")
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"x-amzn-ErrorType: {code}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def json_answer(doc, status=200):
    body = json.dumps(doc).encode()
    reason = {200: "OK", 201: "Created"}.get(status, "OK")
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def rewrite(answer, change):
    """The answer with its JSON body passed through `change` (a 2xx answer only)."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1]
    if not status.startswith(b"2"):
        return answer
    try:
        doc = json.loads(body or b"{}")
    except ValueError:
        return answer
    doc = change(doc)
    new_body = json.dumps(doc).encode()
    lines = [l for l in head.decode("latin-1").split("\r\n")
             if not l.lower().startswith(("content-length:", "transfer-encoding:"))]
    lines.append(f"Content-Length: {len(new_body)}")
    return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + new_body


class RestDouble:
    """The state the double keeps for the REST services (see the module documentation)."""

    def __init__(self, args):
        self.args = args
        self.routes = RestRoutes()
        self.logging = {}          # function name -> LoggingConfig
        self.created = {}          # function name -> when it was made
        self.authorizers = {}      # api id -> [authorizer id]
        self.refusals_left = 0
        self.stats = {"esm_role_refusals": 0, "denied": 0, "served": 0}
        self.ses = sesdouble.SesDouble(args, json_answer, rest_error, rewrite)

    def identify(self, method, path, headers):
        return self.routes.identify(method, path, headers)

    def before(self, scope, op, params, body):
        """An answer the double gives instead of forwarding, or None."""
        action = f"{scope}:{op}"
        if action in (self.args.deny or []):
            self.stats["denied"] += 1
            return rest_error("AccessDeniedException",
                              f"User: arn:aws:sts::123456789012:assumed-role/caller/session is not authorized to perform: {action} because no identity-based policy allows the {action} action",
                              403)
        if op in ("CreateEventSourceMapping", "UpdateEventSourceMapping") and self.refusals_left > 0:
            self.refusals_left -= 1
            self.stats["esm_role_refusals"] += 1
            return rest_error("InvalidParameterValueException",
                              "The provided execution role does not have permissions to call ReceiveMessage on SQS",
                              400)
        return None

    def iam_done(self, operation):
        """A successful IAM call: a policy put on a role has not reached Lambda's check yet."""
        if operation == "PutRolePolicy":
            self.refusals_left = self.args.esm_role_refusals

    def after(self, scope, op, params, body, answer, headers=None):
        """The answer moto gave, made AWS's."""
        if scope == "ses":
            return self.ses.after(op, body, headers or {}, answer)
        if scope == "lambda":
            return self.lambda_after(op, params, body, answer)
        if scope == "apigateway" and op == "CreateAuthorizer" and b" 20" in answer[:16]:
            try:
                made = json.loads(answer.partition(b"\r\n\r\n")[2])
                self.authorizers.setdefault(params.get("apiId"), []).append(made.get("authorizerId"))
            except ValueError:
                pass
        return answer

    def lambda_after(self, op, params, body, answer):
        name = function_name(params.get("FunctionName", ""))
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = {}
        if op == "CreateFunction":
            name = function_name(payload.get("FunctionName", ""))
            if b" 20" in answer[:16]:
                self.created[name] = time.monotonic()
        if op in ("CreateFunction", "UpdateFunctionConfiguration") and payload.get("LoggingConfig"):
            config = dict(self.logging.get(name) or self.default_logging(name))
            config.update(payload["LoggingConfig"])
            self.logging[name] = config
        if op == "DeleteFunction" and b" 20" in answer[:16]:
            self.logging.pop(name, None)
            return answer

        pending = time.monotonic() - self.created.get(name, float("-inf")) < self.args.function_pending_secs

        def add(doc):
            target = doc.get("Configuration") if op == "GetFunction" else doc
            if isinstance(target, dict):
                target["LoggingConfig"] = self.logging.get(name) or self.default_logging(name)
                if pending:
                    target.update({"State": "Pending", "StateReason": "The function is being created.",
                                   "StateReasonCode": "Creating"})
            return doc

        if op in ("CreateFunction", "GetFunction", "GetFunctionConfiguration", "UpdateFunctionConfiguration"):
            return rewrite(answer, add)
        return answer

    @staticmethod
    def default_logging(name):
        return {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}

    async def serve(self, scope, op, params, body, call, headers=None):
        """The answer to an operation moto does not serve, or None. `call(method, path, body)`
        asks moto itself: (status, parsed JSON)."""
        if scope == "ses":
            answer = await self.ses.serve(op, params, body, headers or {}, call)
            if answer is not None:
                self.stats["served"] += 1
            return answer
        if scope != "apigateway":
            return None
        api = params.get("apiId", "")
        if op == "GetAuthorizers":
            self.stats["served"] += 1
            items = []
            for auth_id in self.authorizers.get(api, []):
                status, doc = await call("GET", f"/v2/apis/{api}/authorizers/{auth_id}", b"")
                if status == 200:
                    items.append(doc)
            return json_answer({"items": items})
        if op == "UpdateStage":
            self.stats["served"] += 1
            stage = params.get("stageName", "")
            path = f"/v2/apis/{api}/stages/{urllib.parse.quote(stage, safe='')}"
            status, have = await call("GET", path, b"")
            if status != 200:
                return rest_error("NotFoundException", f"Invalid stage identifier specified {stage}", 404)
            update = json.loads(body or b"{}")
            merged = {k: v for k, v in have.items() if k not in ("createdDate", "lastUpdatedDate")}
            merged.update(update)
            merged["stageName"] = stage
            await call("DELETE", path, b"")
            status, made = await call("POST", f"/v2/apis/{api}/stages", json.dumps(merged).encode())
            return json_answer(made) if status in (200, 201) else rest_error("BadRequestException", str(made), 400)
        return None


def add_options(parser):
    sesdouble.add_options(parser)
    parser.add_argument("--deny", action="append", metavar="SERVICE:ACTION",
                        help="answer this action AccessDeniedException (repeatable), e.g. lambda:ListTags")
    parser.add_argument("--function-pending-secs", type=float, default=0.0,
                        help="how long a new function reports State Pending")
    parser.add_argument("--esm-role-refusals", type=int, default=1,
                        help="CreateEventSourceMapping refusals for an unpropagated role after each PutRolePolicy")
