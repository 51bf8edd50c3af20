"""`driftq serve-events`: the HTTP receiver an EventBridge API destination POSTs to.

Order of checks, each before any work: the shared-secret header (constant-time compare;
401), the body's size (at most 256 KB, EventBridge's own event limit; 413, and 411 without
a Content-Length), JSON that is an event (400). An accepted event answers 202 with what
became of it: queued scans, coalesced ones, ignored and rejected calls.
"""

from __future__ import annotations

import hmac
import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from driftq.config_models import Config
from driftq.events.dispatch import Dispatcher
from driftq.events.parse import MAX_EVENT_BYTES, EventError, load_events

SECRET_HEADER = "X-Driftq-Secret"
log = logging.getLogger(__name__)


def make_server(
    port: int, address: str, secret: str, dispatcher: Dispatcher
) -> ThreadingHTTPServer:
    expected = secret.encode()

    class Handler(BaseHTTPRequestHandler):
        server_version = "driftq-events"
        sys_version = ""

        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._answer(200, {"status": "ok"})
            else:
                self._answer(404, {"error": "POST events to /"})

        def do_POST(self) -> None:
            given = (self.headers.get(SECRET_HEADER) or "").encode()
            if not hmac.compare_digest(given, expected):
                self._answer(401, {"error": f"missing or wrong {SECRET_HEADER} header"})
                return
            length_text = self.headers.get("Content-Length")
            if length_text is None or not length_text.isdigit():
                self._answer(411, {"error": "a Content-Length is required"})
                return
            length = int(length_text)
            if length > MAX_EVENT_BYTES:
                self._answer(413, {"error": f"events are at most {MAX_EVENT_BYTES} bytes"})
                return
            body = self.rfile.read(length)
            try:
                calls = load_events(body, "request body")
            except EventError as exc:
                self._answer(400, {"error": str(exc)})
                return
            try:
                outcome = dispatcher.handle(calls)
            except Exception as exc:  # the queue is down: EventBridge retries a 5xx
                log.warning("cannot queue the event's scan: %s", type(exc).__name__)
                self._answer(503, {"error": f"cannot queue the scan: {type(exc).__name__}"})
                return
            self._answer(202, outcome)

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, default=str).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status in (401, 411, 413):
                self.send_header("Connection", "close")  # the unread body goes with it
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), format % args)

    return ThreadingHTTPServer((address, port), Handler)


def serve(port: int, address: str, secret: str, config: Config, dispatcher: Dispatcher) -> int:
    server = make_server(port, address, secret, dispatcher)
    host, bound = server.server_address[:2]
    print(
        f"driftq: receiving events on http://{host!s}:{bound}/ ({SECRET_HEADER} required)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
