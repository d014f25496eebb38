"""What the strict double does for SES v2, where moto serves less than AWS (docs/AWS-FIDELITY.md):

  * the account (GetAccount: sending enabled, production access unless --ses-sandbox, the send
    quota with --ses-send-rate, the suppression attributes) and its suppression list
    (PutAccountSuppressionAttributes, Get/Put/DeleteSuppressedDestination), which moto lacks;
  * configuration set event destinations (Create/Get/DeleteConfigurationSetEventDestination),
    which moto lacks, refusing an EventBridge destination on another bus than the account's
    default one ("Only the default bus is supported", the EventBridgeDestination reference);
  * GetContact's TopicDefaultPreferences (moto answers none): the list's topics' defaults;
  * one contact list per account: a second CreateContactList is LimitExceededException;
  * SendEmail checked as AWS checks it where moto does not: the configuration set and the
    contact list and topic it names must exist, and each message tag's name and value keep to
    ASCII letters, digits, `_` and `-`, at most 256 characters. Every send is recorded;
  * timestamps as AWS writes them (epoch seconds), where moto writes ISO 8601 strings, and
    GetConfigurationSet's `SendingOptions.SendingEnabled` as the boolean it is.

And it stands in for SES's event publishing, which moto does not do: POST /__strict/ses/publish
with {"message_id", "type": "Bounce"|"Complaint"|"Delivery", "bounce_type"} builds the event
record the SES Developer Guide documents ("Examples of event data that Amazon SES publishes")
for that recorded send, and puts it, as SES does, on the bus of each enabled EventBridge
destination of the send's configuration set that takes the type: source `aws.ses`, the
detail-type EventBridge gives the type, the configuration set in `resources`. GET
/__strict/ses/sent answers the recorded sends.
"""

import datetime
import json
import re
import urllib.parse

from consistency import region_of

TAG = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# SES's event type (the record's eventType) -> (the destination's MatchingEventTypes word,
# the EventBridge detail-type).
EVENT_TYPES = {
    "Bounce": ("BOUNCE", "Email Bounced"),
    "Complaint": ("COMPLAINT", "Email Complaint Received"),
    "Delivery": ("DELIVERY", "Email Delivered"),
    "Reject": ("REJECT", "Email Rejected"),
    "Send": ("SEND", "Email Sent"),
    "Subscription": ("SUBSCRIPTION", "Email Subscribed"),
}


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def epoch_timestamps(doc):
    """moto writes SES v2's timestamps as ISO 8601 strings; AWS's restJson1 protocol writes them as
    epoch seconds (the model's default timestampFormat), which strict clients insist on."""
    if isinstance(doc, list):
        return [epoch_timestamps(d) for d in doc]
    if not isinstance(doc, dict):
        return doc
    out = {}
    for k, v in doc.items():
        if k.endswith(("Timestamp", "Time")) and isinstance(v, str):
            try:
                v = datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
            except ValueError:
                pass
        out[k] = epoch_timestamps(v)
    return out


def sending_enabled(doc):
    """moto answers a configuration set made without SendingOptions with `"SendingEnabled": {}`;
    the member is a boolean, true unless turned off."""
    options = doc.get("SendingOptions")
    if isinstance(options, dict) and not isinstance(options.get("SendingEnabled"), bool):
        options["SendingEnabled"] = True
    return doc


class SesDouble:
    def __init__(self, args, answer, error, rewrite):
        self.args = args
        self.rewrite = rewrite  # rewrite(answer, change): a 2xx JSON answer changed
        self.answer = answer    # json_answer(doc, status)
        self.error = error      # rest_error(code, message, status)
        self.reasons = []
        self.suppressed = {}    # address -> (reason, time)
        self.destinations = {}  # configuration set -> {name: EventDestination}
        self.sent = []          # recorded SendEmail requests
        self.account = "123456789012"

    async def serve(self, op, params, body, headers, call):
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = {}
        handler = getattr(self, "op_" + op, None)
        if handler is None:
            return None
        return await handler(params, payload, headers, call)

    async def op_GetAccount(self, params, payload, headers, call):
        return self.answer({
            "SendingEnabled": True,
            "ProductionAccessEnabled": not self.args.ses_sandbox,
            "EnforcementStatus": "HEALTHY",
            "DedicatedIpAutoWarmupEnabled": False,
            "SendQuota": {"Max24HourSend": 50000.0, "MaxSendRate": float(self.args.ses_send_rate),
                          "SentLast24Hours": float(len(self.sent))},
            "SuppressionAttributes": {"SuppressedReasons": list(self.reasons)},
        })

    async def op_PutAccountSuppressionAttributes(self, params, payload, headers, call):
        reasons = payload.get("SuppressedReasons") or []
        if any(r not in ("BOUNCE", "COMPLAINT") for r in reasons):
            return self.error("BadRequestException", "SuppressedReasons must be BOUNCE or COMPLAINT", 400)
        self.reasons = list(reasons)
        return self.answer({})

    async def op_GetSuppressedDestination(self, params, payload, headers, call):
        address = params.get("EmailAddress", "")
        found = self.suppressed.get(address.lower())
        if found is None:
            return self.error("NotFoundException",
                              f"Email address {address} does not exist on your suppression list.", 404)
        reason, when = found
        return self.answer({"SuppressedDestination": {
            "EmailAddress": address, "Reason": reason, "LastUpdateTime": when}})

    async def op_PutSuppressedDestination(self, params, payload, headers, call):
        reason = payload.get("Reason")
        if reason not in ("BOUNCE", "COMPLAINT"):
            return self.error("BadRequestException", "Reason must be BOUNCE or COMPLAINT", 400)
        self.suppressed[payload.get("EmailAddress", "").lower()] = (
            reason, datetime.datetime.now(datetime.timezone.utc).timestamp())
        return self.answer({})

    async def op_DeleteSuppressedDestination(self, params, payload, headers, call):
        if self.suppressed.pop(params.get("EmailAddress", "").lower(), None) is None:
            return self.error("NotFoundException", "Email address does not exist on your suppression list.", 404)
        return self.answer({})

    async def set_exists(self, name, call):
        status, _ = await call("GET", f"/v2/email/configuration-sets/{urllib.parse.quote(name, safe='')}", b"")
        return status == 200

    async def op_CreateConfigurationSetEventDestination(self, params, payload, headers, call):
        name = params.get("ConfigurationSetName", "")
        if not await self.set_exists(name, call):
            return self.error("NotFoundException", f"Configuration set <{name}> does not exist.", 404)
        dest_name = payload.get("EventDestinationName", "")
        definition = payload.get("EventDestination") or {}
        bus = (definition.get("EventBridgeDestination") or {}).get("EventBusArn")
        if bus is not None and not bus.endswith(":event-bus/default"):
            return self.error("BadRequestException",
                              "Only the default event bus is supported for an EventBridge destination.", 400)
        have = self.destinations.setdefault(name, {})
        if dest_name in have:
            return self.error("AlreadyExistsException",
                              f"Event destination {dest_name} already exists in configuration set {name}.", 400)
        have[dest_name] = {"Name": dest_name, "Enabled": bool(definition.get("Enabled", False)),
                           "MatchingEventTypes": definition.get("MatchingEventTypes") or [],
                           **({"EventBridgeDestination": {"EventBusArn": bus}} if bus else {})}
        return self.answer({})

    async def op_GetConfigurationSetEventDestinations(self, params, payload, headers, call):
        name = params.get("ConfigurationSetName", "")
        if not await self.set_exists(name, call):
            return self.error("NotFoundException", f"Configuration set <{name}> does not exist.", 404)
        return self.answer({"EventDestinations": list(self.destinations.get(name, {}).values())})

    async def op_DeleteConfigurationSetEventDestination(self, params, payload, headers, call):
        name = params.get("ConfigurationSetName", "")
        if self.destinations.get(name, {}).pop(params.get("EventDestinationName", ""), None) is None:
            return self.error("NotFoundException", "Event destination does not exist.", 404)
        return self.answer({})

    async def op_DeleteConfigurationSet(self, params, payload, headers, call):
        self.destinations.pop(params.get("ConfigurationSetName", ""), None)
        return None  # moto deletes the set itself

    async def op_CreateContactList(self, params, payload, headers, call):
        status, doc = await call("GET", "/v2/email/contact-lists", b"")
        if status == 200 and doc.get("ContactLists"):
            return self.error("LimitExceededException",
                              "Maximum number of contact lists allowed per account has been reached.", 400)
        return None  # moto makes it

    async def op_GetContact(self, params, payload, headers, call):
        lst = urllib.parse.quote(params.get("ContactListName", ""), safe="")
        address = urllib.parse.quote(params.get("EmailAddress", ""), safe="")
        status, contact = await call("GET", f"/v2/email/contact-lists/{lst}/contacts/{address}", b"")
        if status != 200:
            return None  # moto's own answer (NotFoundException)
        _, the_list = await call("GET", f"/v2/email/contact-lists/{lst}", b"")
        contact["TopicDefaultPreferences"] = [
            {"TopicName": t.get("TopicName"), "SubscriptionStatus": t.get("DefaultSubscriptionStatus")}
            for t in the_list.get("Topics") or []]
        return self.answer(epoch_timestamps(contact))

    async def op_SendEmail(self, params, payload, headers, call):
        problems = []
        for i, tag in enumerate(payload.get("EmailTags") or []):
            for part in ("Name", "Value"):
                if not TAG.match(str(tag.get(part, ""))):
                    problems.append(f"EmailTags[{i}].{part} `{tag.get(part)}` must be 1 to 256 of A-Z a-z 0-9 _ -")
        if problems:
            return self.error("BadRequestException", "; ".join(problems), 400)
        cs = payload.get("ConfigurationSetName")
        if cs is not None and not await self.set_exists(cs, call):
            return self.error("NotFoundException", f"Configuration set <{cs}> does not exist.", 404)
        lm = payload.get("ListManagementOptions")
        if lm is not None:
            lst = urllib.parse.quote(lm.get("ContactListName", ""), safe="")
            status, the_list = await call("GET", f"/v2/email/contact-lists/{lst}", b"")
            if status != 200:
                return self.error("NotFoundException", f"List with name: {lm.get('ContactListName')} doesn't exist.", 404)
            topic = lm.get("TopicName")
            if topic and topic not in [t.get("TopicName") for t in the_list.get("Topics") or []]:
                return self.error("NotFoundException", f"Topic {topic} does not exist in list {lm.get('ContactListName')}.", 404)
        return None  # forwarded; recorded by after()

    def after(self, op, body, headers, answer):
        if op == "GetConfigurationSet":
            return self.rewrite(answer, lambda doc: epoch_timestamps(sending_enabled(doc)))
        if op != "SendEmail":
            return self.rewrite(answer, epoch_timestamps)
        if b" 200" not in answer[:16]:
            return answer
        try:
            payload = json.loads(body or b"{}")
            message_id = json.loads(answer.partition(b"\r\n\r\n")[2]).get("MessageId")
        except ValueError:
            return answer
        simple = (payload.get("Content") or {}).get("Simple") or {}
        body_parts = simple.get("Body") or {}
        self.sent.append({
            "message_id": message_id,
            "region": region_of(headers),
            "from": payload.get("FromEmailAddress"),
            "to": (payload.get("Destination") or {}).get("ToAddresses") or [],
            "subject": (simple.get("Subject") or {}).get("Data"),
            "text": (body_parts.get("Text") or {}).get("Data"),
            "html": (body_parts.get("Html") or {}).get("Data"),
            "configuration_set": payload.get("ConfigurationSetName"),
            "list_management": payload.get("ListManagementOptions"),
            "tags": {t.get("Name"): t.get("Value") for t in payload.get("EmailTags") or []},
            "timestamp": now_iso(),
        })
        return answer

    def record(self, sent, event_type, bounce_type):
        """The event record SES documents for `sent` (the Developer Guide's examples)."""
        source = sent["from"] or ""
        address = re.sub(r"^.*<([^>]*)>.*$", r"\1", source)
        tags = {"ses:configuration-set": [sent["configuration_set"]],
                "ses:source-ip": ["192.0.2.0"],
                "ses:from-domain": [address.rpartition("@")[2]],
                "ses:caller-identity": ["cartctl"]}
        tags.update({k: [v] for k, v in sent["tags"].items()})
        to = sent["to"]
        mail = {
            "timestamp": sent["timestamp"],
            "source": source,
            "sourceArn": f"arn:aws:ses:{sent['region']}:{self.account}:identity/{address}",
            "sendingAccountId": self.account,
            "messageId": sent["message_id"],
            "destination": to,
            "headersTruncated": False,
            "headers": [{"name": "From", "value": source}, {"name": "To", "value": ", ".join(to)},
                        {"name": "Subject", "value": sent["subject"]}, {"name": "MIME-Version", "value": "1.0"}],
            "commonHeaders": {"from": [source], "to": to, "messageId": sent["message_id"],
                              "subject": sent["subject"]},
            "tags": tags,
        }
        rec = {"eventType": event_type, "mail": mail}
        when = now_iso()
        if event_type == "Bounce":
            rec["bounce"] = {
                "bounceType": bounce_type or "Permanent", "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": a, "action": "failed", "status": "5.1.1",
                                       "diagnosticCode": "smtp; 550 5.1.1 user unknown"} for a in to],
                "timestamp": when,
                "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                "reportingMTA": "dsn; mta.example.com"}
        elif event_type == "Complaint":
            rec["complaint"] = {"complainedRecipients": [{"emailAddress": a} for a in to],
                                "timestamp": when,
                                "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                                "complaintFeedbackType": "abuse", "arrivalDate": when}
        elif event_type == "Delivery":
            rec["delivery"] = {"timestamp": when, "processingTimeMillis": 1200, "recipients": to,
                               "smtpResponse": "250 2.6.0 Message received", "reportingMTA": "mta.example.com"}
        return rec

    async def publish(self, request, put_events):
        """Publishes an event of a recorded send as SES would: {"published": N}."""
        sent = next((s for s in self.sent if s["message_id"] == request.get("message_id")), None)
        if sent is None:
            return 404, {"error": f"no send recorded with message id {request.get('message_id')}"}
        event_type = request.get("type", "Bounce")
        if event_type not in EVENT_TYPES:
            return 400, {"error": f"unknown event type {event_type}"}
        matching, detail_type = EVENT_TYPES[event_type]
        rec = self.record(sent, event_type, request.get("bounce_type"))
        published = 0
        for dest in self.destinations.get(sent["configuration_set"], {}).values():
            bus = (dest.get("EventBridgeDestination") or {}).get("EventBusArn")
            if not dest.get("Enabled") or not bus or matching not in dest.get("MatchingEventTypes", []):
                continue
            arn = f"arn:aws:ses:{sent['region']}:{self.account}:configuration-set/{sent['configuration_set']}"
            await put_events(sent["region"], {"Entries": [{
                "Source": "aws.ses", "DetailType": detail_type, "Detail": json.dumps(rec),
                "Resources": [arn], "EventBusName": bus}]})
            published += 1
        return 200, {"published": published, "record": rec}


def add_options(parser):
    parser.add_argument("--ses-send-rate", type=float, default=1000.0,
                        help="the send rate GetAccount reports (e-mails a second)")
    parser.add_argument("--ses-sandbox", action="store_true",
                        help="GetAccount reports the account in the SES sandbox")
