"""EventBridge Scheduler's clock, which moto does not have: one-time schedules fire when due.

Written from the EventBridge Scheduler User Guide ("Schedule types": one-time `at()` in the
schedule's ScheduleExpressionTimezone; "Configuring flexible time windows"; "Adding context
attributes"; "Templated targets: EventBridge PutEvents"; "Configuring a dead-letter queue" and
"Retrieve the dead-letter event"; ActionAfterCompletion), not from cartctl's own `fire`.

The double notes every schedule that a CreateSchedule or UpdateSchedule through it made
(`record`), and every second (`run`) fires those that are due: it reads the schedule as it is
now (GetSchedule: gone or DISABLED is not fired), and for an event bus target puts one event on
it, with the target's EventBridgeParameters Source and DetailType, the Input as the detail
(its context attributes substituted) and the schedule's ARN in `resources`. A failed
invocation is retried within the target's RetryPolicy (185 attempts and 24 hours unless it
says less) when the error is one that can pass (throttling, a 5xx); one that cannot (the bus
does not exist, access denied) is not. Then the input goes to the DeadLetterConfig queue, with
the message attributes the guide lists. A schedule whose ActionAfterCompletion is DELETE is
deleted after it fired. `rate()` and `cron()` schedules are not fired (cartctl makes none).

`--no-fire` turns the clock off (the test suite's shared emulator: a still world).
"""

import asyncio
import datetime
import json
import random
import re
import time
import urllib.parse
import uuid
from zoneinfo import ZoneInfo

AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
ACCOUNT = "123456789012"
# Errors another attempt cannot cure: the dead-letter queue at once (RETRY_ATTEMPTS 0).
PERMANENT = ("ResourceNotFoundException", "AccessDeniedException", "ValidationException",
             "NotAuthorizedForSourceException", "InvalidEventPatternException")


def due_time(expression, timezone):
    """The UTC epoch second an `at()` expression names in `timezone`, or None."""
    m = AT.match(expression or "")
    if not m:
        return None
    local = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=ZoneInfo(timezone or "UTC"))
    return local.timestamp()


def auth(region, service):
    return f"AWS4-HMAC-SHA256 Credential=scheduler/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0"


class Clock:
    def __init__(self, args):
        self.on = not getattr(args, "no_fire", False)
        self.due = {}      # (region, group, name) -> [epoch due, attempt, first due]
        self.task = None
        self.stats = {"fired": 0, "dead_lettered": 0, "retried": 0, "deleted": 0}

    def record(self, operation, payload, region):
        """A Scheduler request that succeeded through the double."""
        if not self.on:
            return
        group = payload.get("GroupName") or "default"
        key = (region, group, payload.get("Name", ""))
        if operation in ("CreateSchedule", "UpdateSchedule"):
            at = due_time(payload.get("ScheduleExpression"), payload.get("ScheduleExpressionTimezone"))
            window = payload.get("FlexibleTimeWindow") or {}
            if at is None or payload.get("State") == "DISABLED":
                self.due.pop(key, None)
                return
            if window.get("Mode") == "FLEXIBLE":
                at += random.uniform(0, 60 * float(window.get("MaximumWindowInMinutes") or 0))
            self.due[key] = [at, 0, at]
        elif operation == "DeleteSchedule":
            self.due.pop(key, None)
        elif operation == "DeleteScheduleGroup":
            for k in [k for k in self.due if k[0] == region and k[1] == payload.get("Name")]:
                self.due.pop(k, None)

    def start(self, calls):
        """Starts the clock on the running loop once: `calls` is (rest, json_call) to moto."""
        if self.on and self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.run(*calls))

    async def run(self, rest, json_call):
        while True:
            await asyncio.sleep(1.0)
            now = time.time()
            for key, entry in list(self.due.items()):
                if entry[0] <= now:
                    entry[0] = float("inf")  # not again while this attempt runs
                    try:
                        await self.fire(key, entry, rest, json_call)
                    except Exception as e:  # the clock never stops
                        self.stats["last_error"] = repr(e)

    async def fire(self, key, entry, rest, json_call):
        region, group, name = key
        path = f"/schedules/{urllib.parse.quote(name, safe='')}?groupName={urllib.parse.quote(group, safe='')}"
        status, schedule = await rest(region, "GET", path, b"")
        if status != 200 or schedule.get("State") == "DISABLED":
            self.due.pop(key, None)
            return
        target = schedule.get("Target") or {}
        params = target.get("EventBridgeParameters")
        if params is None or ":event-bus/" not in target.get("Arn", ""):
            self.due.pop(key, None)  # only event bus targets are invoked here
            return
        attempt = entry[1]
        execution = uuid.uuid4().hex[:16]  # the guide's examples: 16 characters
        scheduled = datetime.datetime.fromtimestamp(entry[2], datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        arn = schedule.get("Arn") or f"arn:aws:scheduler:{region}:{ACCOUNT}:schedule/{group}/{name}"
        text = target.get("Input") or ""
        for attribute, value in (("<aws.scheduler.schedule-arn>", arn),
                                 ("<aws.scheduler.scheduled-time>", scheduled),
                                 ("<aws.scheduler.execution-id>", execution),
                                 ("<aws.scheduler.attempt-number>", str(attempt + 1))):
            text = text.replace(attribute, value)
        answer = await json_call(region, "events", "AWSEvents.PutEvents", "application/x-amz-json-1.1", {
            "Entries": [{"Source": params.get("Source"), "DetailType": params.get("DetailType"),
                         "Detail": text, "Resources": [arn], "EventBusName": target["Arn"]}]})
        error = None
        if "__type" in answer or "message" in answer and "Entries" not in answer:
            error = (answer.get("__type", "InternalException").split("#")[-1],
                     answer.get("message") or answer.get("Message") or "")
        elif answer.get("FailedEntryCount"):
            failed = (answer.get("Entries") or [{}])[0]
            error = (failed.get("ErrorCode", "InternalException"), failed.get("ErrorMessage", ""))
        if error is None:
            self.stats["fired"] += 1
            self.due.pop(key, None)
            if schedule.get("ActionAfterCompletion") == "DELETE":
                await rest(region, "DELETE", path, b"")
                self.stats["deleted"] += 1
            return
        policy = target.get("RetryPolicy") or {}
        max_retries = policy.get("MaximumRetryAttempts", 185)
        max_age = policy.get("MaximumEventAgeInSeconds", 86400)
        age = time.time() - entry[2]
        permanent = error[0] in PERMANENT
        if not permanent and attempt < max_retries and age < max_age:
            entry[1] = attempt + 1
            entry[0] = time.time() + min(2 ** attempt, 60) * random.uniform(0.5, 1.0)
            self.stats["retried"] += 1
            return
        self.due.pop(key, None)
        dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
        if dlq:
            attributes = {"ERROR_CODE": error[0], "ERROR_MESSAGE": error[1], "EXECUTION_ID": execution,
                          "IS_PAYLOAD_TRUNCATED": "false",
                          "RETRY_ATTEMPTS": "0" if permanent else str(attempt),
                          "SCHEDULED_TIME": scheduled, "TARGET_ARN": target["Arn"],
                          # The guide's example: a schedule of the default group, no group.
                          "SCHEDULE_ARN": arn.replace(":schedule/default/", ":schedule/")}
            if not permanent:
                attributes["EXHAUSTED_RETRY_CONDITION"] = ("MaximumRetryAttempts" if attempt >= max_retries
                                                           else "MaximumEventAgeInSeconds")
            queue = dlq.rsplit(":", 1)[-1]
            owner = dlq.split(":")[4]
            found = await json_call(region, "sqs", "AmazonSQS.GetQueueUrl", "application/x-amz-json-1.0",
                                    {"QueueName": queue, "QueueOwnerAWSAccountId": owner})
            if found.get("QueueUrl"):
                await json_call(region, "sqs", "AmazonSQS.SendMessage", "application/x-amz-json-1.0", {
                    "QueueUrl": found["QueueUrl"], "MessageBody": text,
                    "MessageAttributes": {k: {"DataType": "String", "StringValue": v}
                                          for k, v in attributes.items() if v}})
                self.stats["dead_lettered"] += 1


def add_options(parser):
    parser.add_argument("--no-fire", action="store_true",
                        help="never fire schedules (Scheduler's clock off: a still world for tests)")
