"""A local fake HTTP server in a thread, for adapters of outside services (payment gateways,
an OAuth authorization server): real HTTP over a local socket.

Port: 0 (the system chooses), or the first free one of ``DANGJIAN_TEST_PORTS`` ("8240-8259")
when a shared machine gives each engineer a range.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _bind(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    spec = os.environ.get("DANGJIAN_TEST_PORTS", "")
    if "-" in spec:
        low, high = (int(x) for x in spec.split("-", 1))
        for port in range(low, high + 1):
            try:
                return ThreadingHTTPServer(("127.0.0.1", port), handler)
            except OSError:
                continue
    return ThreadingHTTPServer(("127.0.0.1", 0), handler)


class FakeServer:
    """A gateway server in a thread; subclasses answer ``handle(method, path, headers, body)``."""

    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.requests.append((self.command, self.path))
                status, headers, answer = owner.handle(self.command, self.path, dict(self.headers.items()), body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = _any

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
                pass

        self.server = _bind(Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    @contextmanager
    def running(self) -> Iterator[Any]:
        self.thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()
