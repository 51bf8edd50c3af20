"""The simulator's HTTP server: asyncio, HTTP/1.1 keep-alive, one process, one core.

    python -m benchmarks.sim.server --cassette FILE [--port 0] [--latency-ms 40]
        [--jitter-ms 20] [--storm 0.0] [--record-from URL]

Replays a cassette (see record.py); with --record-from it forwards every call to that
upstream (moto) and records the answers instead. Control endpoints:
GET /_sim/stats (calls and throttles per account/region/action, with each bucket's size),
POST /_sim/reset, POST /_sim/settings?storm=0.5&latency_ms=40&jitter_ms=20.
The first line on stdout is `listening on http://127.0.0.1:PORT`.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from benchmarks.sim import limits, protocol

ACCOUNT = re.compile(rb"(?<!\d)\d{12}(?!\d)")
PLACEHOLDER = b"{ACCT}"
_KEPT_HEADERS = (
    "content-type",
    "etag",
    "x-amzn-errortype",
    "x-amzn-query-error",
    "smithy-protocol",
)
_REASONS = {200: "OK", 304: "Not Modified", 400: "Bad Request", 429: "Too Many", 503: "Slow Down"}

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Settings:
    latency_ms: float = 40.0
    jitter_ms: float = 20.0
    storm: float = 0.0


@dataclass
class Simulator:
    settings: Settings
    cassette: dict[bytes, Answer] = field(default_factory=dict)
    keep: frozenset[bytes] = frozenset()  # account ids never rewritten (the state account)
    upstream: str | None = None
    buckets: limits.Buckets = field(default_factory=limits.Buckets)
    calls: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    throttled: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    stormed: int = 0
    unmatched: Counter[str] = field(default_factory=Counter)
    sizes: dict[tuple[str, str, str], limits.Limit] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def normalize(self, data: bytes) -> tuple[bytes, bytes | None]:
        """``data`` with every account id but the kept ones as {ACCT}; the first one seen."""
        first: list[bytes] = []

        def swap(found: re.Match[bytes]) -> bytes:
            if found.group(0) in self.keep:
                return found.group(0)
            if not first:
                first.append(found.group(0))
            return PLACEHOLDER

        return ACCOUNT.sub(swap, data), (first[0] if first else None)

    async def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> Answer:
        parsed = urlparse(target)
        if parsed.path.startswith("/_sim/"):
            return self.control(method, parsed.path, parsed.query)
        access_key, region, signing = protocol.credential(headers)
        service = protocol.service_of(signing, parsed.path)
        action = protocol.operation(
            service, method, parsed.path, parsed.query, headers.get("x-amz-target", ""), body
        )
        account = protocol.account_of_key(access_key)
        key = (account, region, f"{service}:{action}")
        self.calls[key] += 1
        size = limits.limit_for(service, action, body)
        self.sizes[key] = size
        bucket = (account, region, limits.bucket_of(service, action))
        if self.settings.latency_ms:
            spread = self.settings.jitter_ms
            delay = random.uniform(
                self.settings.latency_ms - spread, self.settings.latency_ms + spread
            )
            await asyncio.sleep(max(0.0, delay) / 1000)
        if self.upstream is None:
            if not self.buckets.take(bucket, size):
                self.throttled[key] += 1
                return protocol.throttle(service)
            if self.settings.storm and random.random() < self.settings.storm:
                self.throttled[key] += 1
                self.stormed += 1
                return protocol.throttle(service)
        if service == "sts" and action == "AssumeRole" and self.upstream is None:
            return assume_role(body)
        request_key, target_account = self.normalize(
            f"{region} {service} {method} {parsed.path}?{parsed.query} "
            f"{headers.get('x-amz-target', '')}\n".encode()
            + body
        )
        if self.upstream is not None:
            answer = await asyncio.to_thread(forward, self.upstream, method, target, headers, body)
            if answer[0] < 500 and service != "sts":
                self.cassette.setdefault(request_key, self.normalize_answer(answer))
            return answer
        recorded = self.cassette.get(request_key)
        if recorded is None:
            self.unmatched[f"{service}:{action}"] += 1
            return protocol.empty(service, action)
        status, answer_headers, payload = recorded
        etag = answer_headers.get("etag")
        if etag and headers.get("if-none-match") == etag:
            return 304, {"etag": etag}, b""
        who = (target_account or account.encode()).decode()
        return status, answer_headers, payload.replace(PLACEHOLDER, who.encode())

    def normalize_answer(self, answer: Answer) -> Answer:
        status, headers, body = answer
        kept = {k: v for k, v in headers.items() if k in _KEPT_HEADERS}
        return status, kept, self.normalize(body)[0]

    def control(self, method: str, path: str, query: str) -> Answer:
        if path == "/_sim/stats":
            return 200, {"content-type": "application/json"}, json.dumps(self.stats()).encode()
        if path == "/_sim/reset" and method == "POST":
            self.calls.clear()
            self.throttled.clear()
            self.unmatched.clear()
            self.sizes.clear()
            self.stormed = 0
            self.buckets.reset()
            self.started = time.monotonic()
            return 200, {}, b"{}"
        if path == "/_sim/settings" and method == "POST":
            for name, values in parse_qs(query).items():
                setattr(self.settings, name, float(values[0]))
            return 200, {}, json.dumps(self.settings.__dict__).encode()
        return 404, {}, b"{}"

    def stats(self) -> dict[str, Any]:
        rows = [
            [
                acct,
                region,
                action,
                n,
                self.throttled.get((acct, region, action), 0),
                *self.sizes.get((acct, region, action), limits.FALLBACK),
                limits.bucket_of(*action.split(":", 1)),
            ]
            for (acct, region, action), n in sorted(self.calls.items())
        ]
        return {
            "columns": [
                "account",
                "region",
                "action",
                "calls",
                "throttled",
                "burst",
                "refill",
                "bucket",
            ],
            "rows": rows,
            "calls": sum(self.calls.values()),
            "throttled": sum(self.throttled.values()),
            "stormed": self.stormed,
            "unmatched": dict(self.unmatched),
            "seconds": round(time.monotonic() - self.started, 3),
            "settings": self.settings.__dict__,
        }


def assume_role(body: bytes) -> Answer:
    params = parse_qs(body.decode())
    role = params.get("RoleArn", [""])[0]
    parts = role.split(":")
    account = parts[4] if len(parts) > 4 and parts[4].isdigit() else protocol.CALLER_ACCOUNT
    duration = int(params.get("DurationSeconds", ["3600"])[0])
    expires = (datetime.now(UTC) + timedelta(seconds=duration)).strftime("%Y-%m-%dT%H:%M:%SZ")
    name = params.get("RoleSessionName", ["driftq"])[0]
    xml = (
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        "<AssumeRoleResult><Credentials>"
        f"<AccessKeyId>{protocol.access_key_for(account)}</AccessKeyId>"
        "<SecretAccessKey>simulated</SecretAccessKey><SessionToken>simulated</SessionToken>"
        f"<Expiration>{expires}</Expiration></Credentials><AssumedRoleUser>"
        f"<AssumedRoleId>AROASIMULATED:{name}</AssumedRoleId>"
        f"<Arn>arn:aws:sts::{account}:assumed-role/{role.rsplit('/', 1)[-1]}/{name}</Arn>"
        "</AssumedRoleUser></AssumeRoleResult><ResponseMetadata>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>"
        "</AssumeRoleResponse>"
    )
    return 200, {"content-type": "text/xml"}, xml.encode()


def forward(
    upstream: str, method: str, target: str, headers: dict[str, str], body: bytes
) -> Answer:
    where = urlparse(upstream)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
    try:
        sent = {k: v for k, v in headers.items() if k not in ("host", "connection")}
        sent["host"] = where.netloc
        conn.request(method, target, body=body, headers=sent)
        answer = conn.getresponse()
        payload = answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, payload
    finally:
        conn.close()


async def serve_connection(
    sim: Simulator, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            body = await reader.readexactly(length) if length else b""
            if headers.get("expect", "").lower() == "100-continue":
                pass  # botocore sends bodies without waiting for 100 here (small GETs only)
            try:
                status, answer_headers, payload = await sim.handle(method, target, headers, body)
            except Exception as exc:  # a bug here must not hang the client
                status, answer_headers, payload = 500, {}, repr(exc).encode()
            out = [f"HTTP/1.1 {status} {_REASONS.get(status, 'X')}"]
            out += [f"{k}: {v}" for k, v in answer_headers.items() if k != "content-length"]
            out.append(f"content-length: {len(payload)}")
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + payload)
            await writer.drain()
    finally:
        writer.close()


def load_cassette(path: Path) -> tuple[dict[bytes, Answer], frozenset[bytes]]:
    data = json.loads(path.read_text())
    cassette = {
        key.encode("latin-1"): (status, headers, body.encode("latin-1"))
        for key, status, headers, body in data["entries"]
    }
    return cassette, frozenset(a.encode() for a in data.get("keep", []))


def save_cassette(sim: Simulator, path: Path, extra: dict[str, Any]) -> None:
    entries = [
        [key.decode("latin-1"), status, headers, body.decode("latin-1")]
        for key, (status, headers, body) in sorted(sim.cassette.items())
    ]
    keep = sorted(a.decode() for a in sim.keep)
    path.write_text(json.dumps({"entries": entries, "keep": keep, **extra}))


async def start(sim: Simulator, port: int = 0) -> asyncio.Server:
    return await asyncio.start_server(
        lambda r, w: serve_connection(sim, r, w), "127.0.0.1", port, backlog=1024
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cassette", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=40)
    parser.add_argument("--jitter-ms", type=float, default=20)
    parser.add_argument("--storm", type=float, default=0.0)
    args = parser.parse_args()
    cassette, keep = load_cassette(args.cassette)
    protocol.apis()  # botocore's models, read once before the first request
    sim = Simulator(Settings(args.latency_ms, args.jitter_ms, args.storm), cassette, keep)

    async def run() -> None:
        server = await start(sim, args.port)
        port = server.sockets[0].getsockname()[1]
        print(f"listening on http://127.0.0.1:{port}", flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(run())


if __name__ == "__main__":
    main()
