"""AWS's eventual consistency, for the strict double: what a real account does in the seconds
after a change, and moto does not.

  * a queue name cannot be reused for 60 s after the queue is deleted (CreateQueue answers
    AWS.SimpleQueueService.QueueDeletedRecently);
  * a queue is usable about a second after it is created: a RedrivePolicy naming a dead-letter
    queue made less than that ago is refused ("Dead-letter target does not exist");
  * a role is not assumable by Scheduler until IAM has propagated it: CreateSchedule and
    UpdateSchedule with a role made a moment ago answer the ValidationException "The execution
    role you provide must allow AWS EventBridge Scheduler to assume the role.";
  * a deleted schedule group stays DELETING for a while: GetScheduleGroup answers it with
    State DELETING, and CreateScheduleGroup of its name is a ConflictException;
  * DeleteEventBus is refused while the bus still has rules;
  * a queue has one kind of server-side encryption: turning SSE-SQS on while a KMS key is set
    (without clearing KmsMasterKeyId) is refused.

The windows are options of the double (--queue-reuse-secs, --queue-settle-secs,
--role-propagation-secs, --group-deleting-secs), AWS's or a little shorter by default, so tests
can shorten them further.
"""

import json
import re
import time


def add_options(parser):
    parser.add_argument("--queue-reuse-secs", type=float, default=60.0,
                        help="how long a deleted queue's name cannot be reused (AWS: 60)")
    parser.add_argument("--queue-settle-secs", type=float, default=1.0,
                        help="how long a new queue cannot be named as a dead-letter target (AWS: about 1)")
    parser.add_argument("--role-propagation-secs", type=float, default=2.0,
                        help="how long a new role is not yet assumable by Scheduler")
    parser.add_argument("--group-deleting-secs", type=float, default=3.0,
                        help="how long a deleted schedule group stays DELETING")


def queue_name(url_or_arn):
    return re.split(r"[/:]", url_or_arn.rstrip("/"))[-1]


def role_name(arn):
    return arn.rsplit("/", 1)[-1]


def region_of(headers):
    m = re.search(r"Credential=[^/]+/\d+/([^/]+)/", headers.get("authorization", ""))
    return m.group(1) if m else "us-east-1"


class Consistency:
    def __init__(self, args):
        self.args = args
        self.deleted_queues = {}    # name -> when
        self.created_queues = {}    # name -> when
        self.created_roles = {}     # name -> when
        self.deleting_groups = {}   # name -> (when, arn)
        self.queue_kms = {}         # queue url -> KmsMasterKeyId (as last set)

    def within(self, table, key, secs):
        at = table.get(key)
        if at is None:
            return False
        at = at[0] if isinstance(at, tuple) else at
        return time.monotonic() - at < secs

    def refusal(self, service, operation, payload, headers):
        """(code, message, status) when AWS would refuse the request now, else None."""
        a = self.args
        if service == "sqs":
            attrs = payload.get("Attributes") or {}
            if operation == "CreateQueue":
                name = payload.get("QueueName", "")
                if self.within(self.deleted_queues, name, a.queue_reuse_secs):
                    return ("AWS.SimpleQueueService.QueueDeletedRecently",
                            "You must wait 60 seconds after deleting a queue before you can create another with the same name.", 400)
            if operation in ("CreateQueue", "SetQueueAttributes") and attrs.get("RedrivePolicy"):
                try:
                    target = json.loads(attrs["RedrivePolicy"]).get("deadLetterTargetArn", "")
                except ValueError:
                    target = ""
                if self.within(self.created_queues, queue_name(target), a.queue_settle_secs):
                    return ("InvalidParameterValue",
                            f"Value {attrs['RedrivePolicy']} for parameter RedrivePolicy is invalid. Reason: Dead-letter target does not exist.", 400)
            if operation == "SetQueueAttributes" and attrs.get("SqsManagedSseEnabled") == "true":
                kms = attrs.get("KmsMasterKeyId", self.queue_kms.get(payload.get("QueueUrl", ""), ""))
                if kms:
                    return ("InvalidAttributeValue",
                            "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.", 400)
        if service == "scheduler":
            if operation in ("CreateSchedule", "UpdateSchedule"):
                role = (payload.get("Target") or {}).get("RoleArn", "")
                if self.within(self.created_roles, role_name(role), a.role_propagation_secs):
                    return ("ValidationException",
                            "The execution role you provide must allow AWS EventBridge Scheduler to assume the role.", 400)
            if operation == "CreateScheduleGroup":
                name = payload.get("Name", "")
                if self.within(self.deleting_groups, name, a.group_deleting_secs):
                    return ("ConflictException", f"Schedule group {name} is being deleted.", 409)
        return None

    def deleting_group_answer(self, operation, payload):
        """GetScheduleGroup's answer for a group that is still DELETING, else None."""
        if operation != "GetScheduleGroup":
            return None
        name = payload.get("Name", "")
        if not self.within(self.deleting_groups, name, self.args.group_deleting_secs):
            return None
        _, arn = self.deleting_groups[name]
        now = time.time()
        return {"Arn": arn, "Name": name, "State": "DELETING", "CreationDate": now, "LastModificationDate": now}

    def record(self, service, operation, payload, headers):
        """Notes what a request that succeeded changed."""
        now = time.monotonic()
        if service == "sqs":
            attrs = payload.get("Attributes") or {}
            if operation == "CreateQueue":
                self.created_queues[payload.get("QueueName", "")] = now
            if operation == "DeleteQueue":
                self.deleted_queues[queue_name(payload.get("QueueUrl", ""))] = now
            if operation == "SetQueueAttributes" and "KmsMasterKeyId" in attrs:
                self.queue_kms[payload.get("QueueUrl", "")] = attrs["KmsMasterKeyId"]
        elif service == "iam" and operation == "CreateRole":
            self.created_roles[payload.get("RoleName", "")] = now
        elif service == "scheduler" and operation == "DeleteScheduleGroup":
            name = payload.get("Name", "")
            arn = f"arn:aws:scheduler:{region_of(headers)}:123456789012:schedule-group/{name}"
            self.deleting_groups[name] = (now, arn)
