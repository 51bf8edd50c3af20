"""What one Prometheus scrape of `driftq serve-metrics` costs with a long history.

.venv/bin/python -m benchmarks.metrics_scrape [--accounts 1000] [--runs 60]

Writes a SQLite history of RUNS runs over ACCOUNTS accounts (rows inserted directly, the
per-account pointers by History.record's own code), starts `driftq serve-metrics` and prints the time and size
of a scrape and the server's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from driftq.history import History
from driftq.history_schema import run_accounts, runs

REPO = Path(__file__).resolve().parents[1]


def build(url: str, accounts: int, count: int) -> None:
    history = History(url)
    start = datetime.now(UTC) - timedelta(hours=count)
    iso = lambda t: t.isoformat(timespec="seconds").replace("+00:00", "Z")  # noqa: E731
    with history.engine.begin() as conn:
        for n in range(count):
            run_id = f"run-{n:05d}"
            began = start + timedelta(hours=n)
            conn.execute(
                insert(runs),
                [{"run_id": run_id, "started_at": iso(began),
                  "finished_at": iso(began + timedelta(minutes=12)), "status": "complete",
                  "severity": "warning", "accounts": accounts, "units": accounts * 36,
                  "units_failed": n % 7, "managed": 0, "drifted": 0, "missing": 0,
                  "unmanaged": 0, "excluded": 0, "report_path": None}],
            )  # fmt: skip
            rows = [{"run_id": run_id, "account": f"account-{a:04d}", "account_id": f"{a:012d}",
                     "severity": ("ok", "warning", "critical")[(a + n) % 3], "units": 36,
                     "units_failed": int(a % 97 == n % 97), "drifted": (a * n) % 5,
                     "missing": a % 3, "unmanaged": (a + n) % 11}
                    for a in range(accounts)]  # fmt: skip
            conn.execute(insert(run_accounts), rows)
            # what History.record keeps per account
            named = [{**r, "name": r["account"]} for r in rows]
            history._move_account_latest(conn, run_id, iso(began), named)
    history.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'history.db'}"
        started = time.perf_counter()
        build(url, args.accounts, args.runs)
        print(f"history: {args.runs} runs x {args.accounts} accounts written in "
              f"{time.perf_counter() - started:.1f}s")  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTQ_")}
        proc = subprocess.Popen(
            [sys.executable, "-m", "driftq.cli", "serve-metrics", "--port", "0"],
            env={**env, "DRIFTQ_DATABASE_URL": url, "PYTHONPATH": str(REPO)},
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stderr is not None
            endpoint = re.search(r"(http://\S+/metrics)", proc.stderr.readline())
            assert endpoint
            times, size = [], 0
            for _ in range(5):
                began = time.perf_counter()
                with urllib.request.urlopen(endpoint.group(1), timeout=120) as response:
                    size = len(response.read())
                times.append(time.perf_counter() - began)
            status = Path(f"/proc/{proc.pid}/status").read_text()
            peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"scrape: median {sorted(times)[2] * 1000:.0f} ms (first {times[0] * 1000:.0f} ms), "
          f"{size / 1024:.0f} KiB, {size // 1000} k bytes for {args.accounts} accounts")  # fmt: skip
    print(f"serve-metrics peak RSS: {peak} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
