"""How many requests per second the simulator serves on one core (it must never be the
bottleneck of a scale benchmark).

    python -m benchmarks.sim.throughput [--seconds 5] [--connections 64]

Starts the server (no latency, no throttling in the way: every account its own buckets)
and drives it from this process with keep-alive connections replaying recorded calls
(EC2, SQS, S3, Lambda). Prints requests/s as seen by the client and per second of the
server's own CPU time, the figure that holds when the client has a core of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.sim.record import ensure_cassette

ACCOUNTS = 2000
_AUTH = "AWS4-HMAC-SHA256 Credential=ASIA{acct}SIMX/20260101/{region}/{service}/aws4_request"


def requests(cassette: Path) -> list[bytes]:
    """Recorded calls as raw HTTP requests, for many accounts."""
    data = json.loads(cassette.read_text())
    out = []
    # the first three recorded calls of every service: every protocol the specs use
    per_service: dict[str, list[list[str]]] = {}
    for entry in data["entries"]:
        calls = per_service.setdefault(entry[0].split(" ", 2)[1], [])
        if len(calls) < 3:
            calls.append(entry)
    chosen = [entry for calls in per_service.values() for entry in calls]
    # each call for ACCOUNTS accounts: a bucket (account, region, action) then sees a call
    # every few seconds at most, so every answer is a real one, never a cheap throttling error
    for index in range(ACCOUNTS):
        acct = f"{500000000000 + index:012d}"
        for key, _status, _headers, _body in chosen:
            head, _, body = key.partition("\n")
            region, service, method, target, amz_target = [*head.split(" "), ""][:5]
            payload = body.replace("{ACCT}", acct).encode("latin-1")
            lines = [
                f"{method} {target.replace('{ACCT}', acct)} HTTP/1.1",
                "host: sim",
                f"authorization: {_AUTH.format(acct=acct, region=region, service=service)}",
                f"content-length: {len(payload)}",
            ]
            if amz_target:
                lines.append(f"x-amz-target: {amz_target}")
            out.append(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)
    return out


async def drive(port: int, calls: list[bytes], seconds: float, connections: int) -> tuple[int, int]:
    """Requests answered, and of those the ones answered with an error (a throttle...)."""
    done = failed = 0
    deadline = time.monotonic() + seconds

    async def one(offset: int) -> None:
        nonlocal done, failed
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        n = offset
        while time.monotonic() < deadline:
            writer.write(calls[n % len(calls)])
            n += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            done += 1
            failed += not head.startswith((b"HTTP/1.1 2", b"HTTP/1.0 2"))
        writer.close()

    # each connection walks its own stretch of the calls (its own accounts)
    await asyncio.gather(*(one(i * len(calls) // connections) for i in range(connections)))
    return done, failed


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    cassette = ensure_cassette()
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.sim.server", "--cassette", str(cassette),
         "--latency-ms", "0", "--jitter-ms", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().rsplit(":", 1)[1])
        calls = requests(cassette)

        cpu_before, started = cpu_seconds(server.pid), time.monotonic()
        done, failed = asyncio.run(drive(port, calls, args.seconds, args.connections))
        wall, cpu = time.monotonic() - started, cpu_seconds(server.pid) - cpu_before
        print(f"requests: {done} in {wall:.1f} s over {args.connections} connections")
        print(f"answered with an error (throttled...): {failed}")
        print(f"requests/s (client's view, client on the same cores): {done / wall:.0f}")
        print(f"requests per server CPU-second (one core): {done / max(cpu, 1e-9):.0f}")
        print(f"load: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
