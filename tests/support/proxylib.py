"""What the test proxies of tests/support share: reading HTTP/1.1 messages as AWS SDKs send
them (a Content-Length body, or a chunked answer), and serving on a loopback port until stdin
closes (--watch-stdin) or the parent process exits."""

import asyncio
import os
import sys
import threading


async def read_head(reader):
    """(raw head bytes, first line, lower-cased headers) of the next message."""
    data = await reader.readuntil(b"\r\n\r\n")
    lines = data.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return data, lines[0], headers


async def read_body(reader, headers):
    """(body bytes, whether it was chunked); a chunked body keeps its framing."""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            chunk = await reader.readexactly(size + 2)
            out += size_line + chunk
            if size == 0:
                return out, True
    n = int(headers.get("content-length", "0") or 0)
    return await reader.readexactly(n), False


def serve(handler, port, watch_stdin, announce=()):
    """Serves `handler(reader, writer)` on 127.0.0.1:`port` (0: a free one), printing
    `listening on http://127.0.0.1:<port>` (then each `announce` line), until stdin closes
    (with `watch_stdin`), the parent exits, or Ctrl-C."""

    async def run():
        server = await asyncio.start_server(handler, "127.0.0.1", port)
        print(f"listening on http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        for line in announce:
            print(line, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        if watch_stdin:
            threading.Thread(
                target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)),
                daemon=True,
            ).start()
        parent = os.getppid()
        while not stop.is_set() and os.getppid() == parent:
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except asyncio.TimeoutError:
                pass
        server.close()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


def upstream_address(url):
    """(host, port) of `http://host:port`."""
    host, port = url.split("://", 1)[-1].rstrip("/").rsplit(":", 1)
    return host, int(port)


def close_quietly(*writers):
    """Closes each writer that is open, ignoring errors (the peer may be gone)."""
    for w in writers:
        if w is not None:
            try:
                w.close()
            except Exception:
                pass
