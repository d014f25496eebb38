#!/usr/bin/env python3
"""The boto3 clients cartctl is compared with, each run as its own process so wall time and
peak memory are measured the same way for every client.

    boto3_client.py schedule FILE --group G --bus-arn ARN [--threads N]
    boto3_client.py events FILE --bus NAME [--threads N]
    boto3_client.py list --group G [--threads N]
    boto3_client.py one-schedule --user U --product P --group G --bus-arn ARN
    boto3_client.py consume --queue URL --max N --group G --bus-arn ARN
    boto3_client.py mail --queue URL --max N --sender ADDRESS

`schedule` creates one reminder a line the way the architecture's consumer code does: compute
at(now + 1 day), build the Input, call create_schedule. `events` sends the lines with
put_events in batches of 10. `consume` is the seed's consumer run as a loop: receive up to 10
cart events from the queue, create_schedule for each (one after the other), delete the batch;
until N are handled or the queue stays empty. `mail` is the seed's e-mail service the same way:
each fired reminder becomes one sesv2 send_email (a formatted subject and text), one after the
other. `list` lists a group and gets every schedule. With --threads N the
work is spread over N threads (a client each); default 1 (a sequential loop). The endpoint,
region and credentials come from the environment (AWS_ENDPOINT_URL, …).
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import sys
import threading

import boto3
from botocore.config import Config

ROLE = "arn:aws:iam::123456789012:role/cart-reminder-scheduler"
_local = threading.local()


def client(service):
    key = f"client_{service}"
    if not hasattr(_local, key):
        setattr(_local, key, boto3.session.Session().client(service, config=Config(max_pool_connections=64)))
    return getattr(_local, key)


def short(text):
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def create_one(user, product, group, bus_arn):
    due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    client("scheduler").create_schedule(
        Name=f"cart-{short(user)}-{short(product)}",
        GroupName=group,
        ScheduleExpression=f"at({due.strftime('%Y-%m-%dT%H:%M:%S')})",
        ScheduleExpressionTimezone="UTC",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target={
            "Arn": bus_arn,
            "RoleArn": ROLE,
            "Input": json.dumps({"scheduled_event": "true", "user": user, "product": product}),
            "EventBridgeParameters": {
                "DetailType": f"item {product} added to Cart",
                "Source": "putToCartService",
            },
        },
    )


def drain(queue, limit, handle):
    """Receives up to 10 messages at a time, handles each one after the other (`handle` gets
    its parsed body), deletes the handled; until `limit` are handled or the queue stays empty."""
    sqs = client("sqs")
    handled = failures = empty = 0
    while handled < limit and empty < 3:
        got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not got:
            empty += 1
            continue
        empty = 0
        done = []
        for m in got:
            try:
                handle(json.loads(m["Body"]))
                done.append({"Id": str(len(done)), "ReceiptHandle": m["ReceiptHandle"]})
            except Exception as e:
                failures += 1
                print(f"error: {e}", file=sys.stderr)
        if done:
            sqs.delete_message_batch(QueueUrl=queue, Entries=done)
        handled += len(done)
    return failures


def consume(queue, limit, group, bus_arn):
    return drain(queue, limit, lambda ev: create_one(ev["detail"]["user"], ev["detail"]["product"], group, bus_arn))


def send_reminder(ev, sender):
    d = ev["detail"]
    client("sesv2").send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": [d["email"]]},
        Content={"Simple": {"Subject": {"Data": f"{d['product']} is still in your cart"},
                            "Body": {"Text": {"Data": f"Hello {d['user']}, {d['product']} is waiting."}}}},
    )


def mail(queue, limit, sender):
    return drain(queue, limit, lambda ev: send_reminder(ev, sender))


def put_batch(batch, bus):
    entries = [
        {
            "Source": "putToCartService",
            "DetailType": f"item {line['product']} added to Cart",
            "Detail": json.dumps({"user": line["user"], "product": line["product"], **line.get("detail", {})}),
            "EventBusName": bus,
        }
        for line in batch
    ]
    out = client("events").put_events(Entries=entries)
    return out.get("FailedEntryCount", 0)


def run_all(fn, items, threads):
    failures = 0
    if threads <= 1:
        for item in items:
            try:
                r = fn(item)
                failures += r or 0
            except Exception as e:  # count and go on, as a naive script would not
                failures += 1
                print(f"error: {e}", file=sys.stderr)
        return failures
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for f in concurrent.futures.as_completed([pool.submit(fn, i) for i in items]):
            try:
                failures += f.result() or 0
            except Exception as e:
                failures += 1
                print(f"error: {e}", file=sys.stderr)
    return failures


def read_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["schedule", "events", "list", "one-schedule", "consume", "mail"])
    p.add_argument("file", nargs="?")
    p.add_argument("--group", default="default")
    p.add_argument("--bus-arn")
    p.add_argument("--bus", default="default")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--user")
    p.add_argument("--product")
    p.add_argument("--queue")
    p.add_argument("--max", type=int, default=0)
    p.add_argument("--sender")
    a = p.parse_args()
    if a.what == "one-schedule":
        create_one(a.user, a.product, a.group, a.bus_arn)
        failures = 0
    elif a.what == "mail":
        failures = mail(a.queue, a.max, a.sender)
    elif a.what == "consume":
        failures = consume(a.queue, a.max, a.group, a.bus_arn)
    elif a.what == "schedule":
        lines = read_lines(a.file)
        failures = run_all(lambda l: create_one(l["user"], l["product"], a.group, a.bus_arn), lines, a.threads)
    elif a.what == "events":
        lines = read_lines(a.file)
        batches = [lines[i:i + 10] for i in range(0, len(lines), 10)]
        failures = run_all(lambda b: put_batch(b, a.bus), batches, a.threads)
    else:
        names = []
        pages = client("scheduler").get_paginator("list_schedules").paginate(GroupName=a.group)
        for page in pages:
            names += [s["Name"] for s in page["Schedules"]]
        failures = run_all(lambda n: client("scheduler").get_schedule(GroupName=a.group, Name=n) and 0, names, a.threads)
    print(json.dumps({"failures": failures}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
