"""A recording reverse proxy in front of the moto server: every request that reaches the
emulator passes here and is recorded, so a test can prove a call was never sent."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def mentions(self, operation: str) -> bool:
        """Whether the request names ``operation`` (query/JSON protocols name it; REST
        protocols are matched by the caller on method and path)."""
        target = self.headers.get("X-Amz-Target", "")
        return f"Action={operation}".encode() in self.body or target.endswith(f".{operation}")


@dataclass
class Proxy:
    url: str
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests(self) -> list[Seen]:
        with self.lock:
            return list(self.seen)


@contextmanager
def recording_proxy(upstream: str) -> Iterator[Proxy]:
    target = urlparse(upstream)
    proxy: Proxy

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            with proxy.lock:
                proxy.seen.append(Seen(self.command, self.path, headers, body))
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            forwarded = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP}
            forwarded["Host"] = f"{target.hostname}:{target.port}"
            conn.request(self.command, self.path, body=body, headers=forwarded)
            answer = conn.getresponse()
            payload = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    proxy = Proxy(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
