"""IAM's policy simulator, for the strict double: moto answers SimulatePrincipalPolicy with a
500, so the double answers it from the principal's policies as moto stores them.

It evaluates the identity policies of a user or a role (inline and attached managed ones) for
each action and resource asked, with the request's context entries: an explicit Deny wins,
else an Allow whose conditions hold allows, else the decision is implicitDeny. Conditions
support the string and ARN operators, with `IfExists`. A principal is known only by its exact
ARN, path included (as on AWS, where a role ARN without its path is NoSuchEntity).
"""

import fnmatch
import json
import urllib.parse
import xml.etree.ElementTree as ET

NS = {"i": "https://iam.amazonaws.com/doc/2010-05-08/"}


def members(params, name):
    """The values of a list parameter: `name.member.1`, `name.member.2`, ..."""
    out, i = [], 1
    while f"{name}.member.{i}" in params:
        out.append(params[f"{name}.member.{i}"])
        i += 1
    return out


def context_entries(params):
    ctx, i = {}, 1
    while f"ContextEntries.member.{i}.ContextKeyName" in params:
        key = params[f"ContextEntries.member.{i}.ContextKeyName"].lower()
        ctx[key] = members(params, f"ContextEntries.member.{i}.ContextKeyValues")
        i += 1
    return ctx


def as_list(v):
    return v if isinstance(v, list) else ([] if v is None else [v])


def glob(pattern, text, case=True):
    if not case:
        pattern, text = pattern.lower(), text.lower()
    return fnmatch.fnmatchcase(text, pattern.replace("[", "[[]"))


def condition_holds(condition, ctx):
    for op, keys in (condition or {}).items():
        base = op.split(":", 1)[-1]
        if_exists = base.endswith("IfExists")
        base = base[: -len("IfExists")] if if_exists else base
        for key, expected in keys.items():
            values = ctx.get(key.lower())
            if values is None:
                if if_exists:
                    continue
                return False
            expected = as_list(expected)
            tests = {
                "StringEquals": lambda v: v in expected,
                "ArnEquals": lambda v: v in expected,
                "StringLike": lambda v: any(glob(e, v) for e in expected),
                "ArnLike": lambda v: any(glob(e, v) for e in expected),
                "StringNotEquals": lambda v: v not in expected,
                "StringNotLike": lambda v: not any(glob(e, v) for e in expected),
            }
            test = tests.get(base)
            if test is None or not any(test(v) for v in values):
                return False
    return True


def decide(documents, action, resource, ctx):
    allowed = False
    for doc in documents:
        for st in as_list(doc.get("Statement")):
            acts = as_list(st.get("Action"))
            if not any(glob(a, action, case=False) for a in acts):
                continue
            if not any(glob(r, resource) for r in as_list(st.get("Resource", "*"))):
                continue
            if not condition_holds(st.get("Condition"), ctx):
                continue
            if st.get("Effect") == "Deny":
                return "explicitDeny"
            if st.get("Effect") == "Allow":
                allowed = True
    return "allowed" if allowed else "implicitDeny"


def xml_error(code, message, status):
    body = (f'<ErrorResponse xmlns="{NS["i"]}"><Error><Type>Sender</Type><Code>{code}</Code>'
            f"<Message>{message}</Message></Error><RequestId>strict</RequestId></ErrorResponse>").encode()
    head = f"HTTP/1.1 {status} Error\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def xml_answer(results):
    items = "".join(
        f"<member><EvalActionName>{a}</EvalActionName><EvalResourceName>{r}</EvalResourceName>"
        f"<EvalDecision>{d}</EvalDecision><MatchedStatements/><MissingContextValues/></member>"
        for a, r, d in results)
    body = (f'<SimulatePrincipalPolicyResponse xmlns="{NS["i"]}"><SimulatePrincipalPolicyResult>'
            f"<IsTruncated>false</IsTruncated><EvaluationResults>{items}</EvaluationResults>"
            "</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>strict</RequestId>"
            "</ResponseMetadata></SimulatePrincipalPolicyResponse>").encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def simulate(ask, params):
    """SimulatePrincipalPolicy's answer. `ask(params)` sends an IAM query request to moto and
    returns (status, parsed XML root)."""
    source = params.get("PolicySourceArn", "")
    kind, _, rest = source.partition(":iam::")[2].partition(":")[2].partition("/")
    name = rest.rsplit("/", 1)[-1]
    if kind not in ("role", "user") or not name:
        return xml_error("InvalidInput", f"{source} is not a user or role ARN", 400)
    who = "Role" if kind == "role" else "User"
    status, root = await ask({"Action": f"Get{who}", f"{who}Name": name})
    found = root.find(f".//i:{who}/i:Arn", NS) if status == 200 else None
    if found is None or found.text != source:
        return xml_error("NoSuchEntity", f"The {kind} with ARN {source} cannot be found.", 404)
    documents = []
    _, root = await ask({"Action": f"List{who}Policies", f"{who}Name": name})
    for pname in [e.text for e in root.findall(".//i:PolicyNames/i:member", NS)]:
        _, doc = await ask({"Action": f"Get{who}Policy", f"{who}Name": name, "PolicyName": pname})
        text = doc.findtext(".//i:PolicyDocument", default="{}", namespaces=NS)
        documents.append(json.loads(urllib.parse.unquote(text)))
    _, root = await ask({"Action": f"ListAttached{who}Policies", f"{who}Name": name})
    for arn in [e.text for e in root.findall(".//i:AttachedPolicies/i:member/i:PolicyArn", NS)]:
        _, policy = await ask({"Action": "GetPolicy", "PolicyArn": arn})
        version = policy.findtext(".//i:DefaultVersionId", default="v1", namespaces=NS)
        _, doc = await ask({"Action": "GetPolicyVersion", "PolicyArn": arn, "VersionId": version})
        text = doc.findtext(".//i:Document", default="{}", namespaces=NS)
        documents.append(json.loads(urllib.parse.unquote(text)))
    ctx = context_entries(params)
    results = [(a, r, decide(documents, a, r, ctx))
               for a in members(params, "ActionNames")
               for r in (members(params, "ResourceArns") or ["*"])]
    return xml_answer(results)
