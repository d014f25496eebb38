#!/usr/bin/env python3
"""Runs moto in server mode on a loopback port and says where.

Prints one line, `listening on http://127.0.0.1:<port>`, once the server accepts requests,
then serves until it is killed, its stdin closes, or the process that started it exits
(so a test run that dies never leaves an emulator behind).

    emulator.py [--port N]      # N = 0 (the default) picks a free port
"""

import argparse
import os
import sys
import threading
import time

from moto.server import ThreadedMotoServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--watch-stdin", action="store_true", help="stop when stdin closes")
    args = parser.parse_args()

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"listening on http://{host}:{port}", flush=True)

    stop = threading.Event()
    if args.watch_stdin:
        def wait_stdin() -> None:
            sys.stdin.read()
            stop.set()

        threading.Thread(target=wait_stdin, daemon=True).start()

    parent = os.getppid()
    try:
        while not stop.is_set():
            if os.getppid() != parent:
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()
