#!/usr/bin/env python3
"""The seed's consumer as a Python Lambda function would run it, for the Lambda start-time
benchmark: boto3 imported and the Scheduler client made at init (module level, as Lambda
functions do), then the Runtime API loop (GET next, handle, POST response) that the Python
runtime runs around a handler. Each SQS record's EventBridge event becomes one create_schedule,
as the seed's code does; the answer names the records that failed (ReportBatchItemFailures).

Configured like cartctl's function: CARTCTL_SCHEDULE_GROUP, BENCH_BUS_ARN, AWS_LAMBDA_RUNTIME_API and the SDK's variables.
"""

import json
import os
import urllib.request

import boto3_client  # the seed's create_schedule, as the other boto3 clients make it

boto3_client.client("scheduler")  # boto3 imported and the client made at init, as on Lambda
GROUP = os.environ.get("CARTCTL_SCHEDULE_GROUP", "default")
BUS_ARN = os.environ["BENCH_BUS_ARN"]
API = f"http://{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime"


def handler(event, _context):
    failures = []
    for record in event["Records"]:
        try:
            detail = json.loads(record["body"])["detail"]
            boto3_client.create_one(detail["user"], detail["product"], GROUP, BUS_ARN)
        except Exception:  # the record fails alone, as ReportBatchItemFailures allows
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def main():
    while True:
        with urllib.request.urlopen(f"{API}/invocation/next") as r:
            request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
            event = json.load(r)
        body = json.dumps(handler(event, None)).encode()
        req = urllib.request.Request(f"{API}/invocation/{request_id}/response", data=body, method="POST")
        urllib.request.urlopen(req).read()


if __name__ == "__main__":
    main()
