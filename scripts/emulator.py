#!/usr/bin/env python3
"""The project's local AWS: moto in server mode behind the strict AWS double
(tests/support/strictaws.py: AWS's validation, client tokens, long-poll timing, eventual
consistency, and the Smithy RPC v2 CBOR that CloudWatch's SDK speaks), on loopback ports.

Prints `listening on http://127.0.0.1:<port>` (the double: point AWS_ENDPOINT_URL there), then
`moto on http://127.0.0.1:<port>` (moto itself), and serves until SIGINT or SIGTERM, until its
stdin closes when stdin is a pipe, or until the process that started it exits (so a run that
dies never leaves an emulator behind). moto runs in a process of its own, so the two use two
cores.

    emulator.py [--port N] [strict double options: --poll-rtt-ms N, --queue-reuse-secs N, ...]
    emulator.py --moto-only [--port N]     # moto alone, as the double's upstream

Run it as `scripts/emulator`, which installs the environment first.
"""

import argparse
import os
import signal
import stat
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "support"))


def stdin_is_a_pipe():
    try:
        return stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def fast_sqs():
    """moto's SQS is quadratic in a queue's depth: each received message reads the queue's
    retention period through every attribute (three scans of all its messages), and each
    message's visibility reads the clock through a datetime round trip. A ReceiveMessage takes
    over a second once a queue holds 1,000 messages, so moto, not the client, is what a worker
    on a full queue would measure. The same values, read directly, give the same answers."""
    import moto.sqs.models as sqs

    slow = sqs.unix_time

    def unix_time(dt=None):
        return time.time() if dt is None else slow(dt)

    def retained(self, queue_name, message):
        retention = int(self.get_queue(queue_name).message_retention_period)
        return retention + message.sent_timestamp / 1000 > unix_time()

    sqs.unix_time = unix_time
    sqs.unix_time_millis = lambda dt=None: unix_time(dt) * 1000.0
    sqs.SQSBackend.is_message_valid_based_on_retention_period = retained


def fast_dynamodb_transactions():
    """moto's TransactWriteItems deep-copies every table it touches, whole, before each
    transaction, to restore it on a refusal: a transaction costs as much as the table is big
    (50 ms at 2,000 items), so the ledger's conditional writes, not the client, would bound a
    worker. Keeping the items the transaction names, and putting them back on a refusal,
    restores the same state (a transaction changes no other item)."""
    import copy as stdlib_copy
    import types

    import moto.dynamodb.models as ddb
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    def deepcopy(value, memo=None):
        return value if isinstance(value, Table) else stdlib_copy.deepcopy(value, memo)

    ddb.copy = types.SimpleNamespace(deepcopy=deepcopy, copy=stdlib_copy.copy)
    original = ddb.DynamoDBBackend.transact_write_items

    def slots(backend, transact_items):
        """(table, hash key, range key) of each item the transaction names, when it names them
        as a transaction must."""
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            if table.hash_key_attr not in key:
                continue
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            yield table, hash_key, range_key

    def transact_write_items(self, transact_items):
        kept = []
        for table, hash_key, range_key in slots(self, transact_items):
            if range_key is None:
                item = table.items.get(hash_key)
            else:
                item = table.items.get(hash_key, {}).get(range_key)
            kept.append((table, hash_key, range_key, stdlib_copy.deepcopy(item)))
        try:
            return original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(kept):
                home = table.items if range_key is None else table.items.setdefault(hash_key, {})
                slot = hash_key if range_key is None else range_key
                if item is None:
                    home.pop(slot, None)
                else:
                    home[slot] = item
                if range_key is not None and not home:
                    table.items.pop(hash_key, None)
            raise

    ddb.DynamoDBBackend.transact_write_items = transact_write_items


def moto_only(port):
    """moto on `port`, until stdin closes (a pipe), SIGTERM, or the parent exits."""
    from moto.server import ThreadedMotoServer

    fast_sqs()
    fast_dynamodb_transactions()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    print(f"listening on http://{host}:{bound}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if stdin_is_a_pipe():
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    parent = os.getppid()
    try:
        while not stop.is_set() and os.getppid() == parent:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    server.stop()


def start_moto():
    """A moto process of its own; (process, its URL)."""
    child = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--moto-only"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = child.stdout.readline().strip()
    if not line.startswith("listening on "):
        child.kill()
        sys.exit(f"emulator: moto did not start ({line!r})")
    return child, line[len("listening on "):]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="the port (0: a free one)")
    parser.add_argument("--moto-only", action="store_true", help="run moto alone")
    args, strict_args = parser.parse_known_args()
    if args.moto_only:
        return moto_only(args.port)

    import strictaws

    moto, upstream = start_moto()

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    options = strictaws.parse_args(["--upstream", upstream, "--port", str(args.port)] + strict_args)
    try:
        strictaws.run(options, watch_stdin=stdin_is_a_pipe(), announce=[f"moto on {upstream}"])
    finally:
        moto.stdin.close()
        try:
            moto.wait(timeout=5)
        except subprocess.TimeoutExpired:
            moto.kill()


if __name__ == "__main__":
    main()
