"""Peak RSS of one worker process as the number of accounts grows (issue: flat memory).

    .venv/bin/python -m benchmarks.memory [--accounts 50 200 1000] [--regions 2]
        [--order plan|shuffled] [--python PATH]

For each N a fresh process does what one Celery pool process does over a run: one Engine
and one AwsAccess built as workers/runtime.py builds them, every unit of N simulated
accounts (every service driftq scans, 2 regions: 42 units per account with 23 services)
scanned one at a time, each with its AssumeRoles and its account's states from S3, against
the simulator (benchmarks/sim, no latency). Prints the process's peak RSS (ru_maxrss) per N and the ratio to the first N.
`--order shuffled` interleaves the accounts' units (each unit may meet an evicted account).
`--python /work/main/.venv/bin/python` measures another checkout the same way (before/after).
Target: at 1,000 accounts within 1.2x of the 50-account figure and under 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.sim.estate import Estate
from benchmarks.sim.record import REPO, ensure_cassette

_CHILD = """
import inspect, json, os, random, resource, sys, time
from driftq.aws import AwsAccess
from driftq.config import load_config
from driftq.engine import Engine
from driftq.plan import plan
config = load_config(sys.argv[1])
units = plan(config)
if sys.argv[2] == "shuffled":
    random.Random(7).shuffle(units)
kwargs = {"max_indexes": 4} if "max_indexes" in inspect.signature(Engine).parameters else {}
engine = Engine(config, aws=AwsAccess(max_pool_connections=10), **kwargs)
started = time.monotonic()
# counts only: a worker keeps no result once it is stored, and neither may this process
done = errors = findings = 0
for unit in units:
    result = engine.scan_unit(unit)
    done, errors = done + 1, errors + (result.status != "ok")
    findings += len(result.findings)
    if done % 4200 == 0:  # every ~100 accounts: the peak so far, for long runs
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"progress: {done} units, peak RSS so far {rss:.1f} MB", flush=True)
print(json.dumps({
    "units": done,
    "errors": errors,
    "findings": findings,
    "seconds": round(time.monotonic() - started, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "state_reads": getattr(engine, "state_reads", None),
    "assumed": getattr(engine.aws, "assumed", None),
}))
"""


def measure(python: str, cassette: Path, accounts: int, regions: int, order: str) -> dict:
    estate = Estate.load(cassette, accounts, regions)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "driftq.yaml"
        config.write_text(estate.config_text())
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.sim.server", "--cassette", str(cassette),
             "--latency-ms", "0", "--jitter-ms", "0"],
            stdout=subprocess.PIPE, text=True, cwd=REPO,
        )  # fmt: skip
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split()[-1]
            env = {
                **os.environ,
                "AWS_ENDPOINT_URL": url,
                "AWS_ACCESS_KEY_ID": "simulated",
                "AWS_SECRET_ACCESS_KEY": "simulated",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
            env.pop("AWS_PROFILE", None)
            env.pop("AWS_SESSION_TOKEN", None)
            child = subprocess.Popen(
                [python, "-c", _CHILD, str(config), order],
                env=env, stdout=subprocess.PIPE, text=True, cwd=tmp,
            )  # fmt: skip
            assert child.stdout is not None
            lines = []
            for line in child.stdout:
                lines.append(line)
                if line.startswith("progress:"):
                    print(f"  {accounts} accounts: {line.strip()}", flush=True)
            if child.wait() != 0:
                raise SystemExit(f"the measuring process failed ({child.returncode})")
        finally:
            server.terminate()
            server.wait()
    row: dict = json.loads(lines[-1])
    row["accounts"] = accounts
    row["expected_findings"] = estate.expected_findings()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--regions", type=int, default=2)
    parser.add_argument("--order", choices=["plan", "shuffled"], default="plan")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    cassette = ensure_cassette()
    print(f"load before: {os.getloadavg()[0]:.2f}")
    first = None
    for n in args.accounts:
        row = measure(args.python, cassette, n, args.regions, args.order)
        first = first or row["peak_rss_mb"]
        print(
            f"accounts: {n}  units: {row['units']}  errors: {row['errors']}  "
            f"findings: {row['findings']}/{row['expected_findings']}  "
            f"seconds: {row['seconds']}  peak RSS: {row['peak_rss_mb']} MB  "
            f"ratio to {args.accounts[0]}: {row['peak_rss_mb'] / first:.2f}  "
            f"state reads: {row['state_reads']}  AssumeRoles: {row['assumed']}",
            flush=True,
        )
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
