"""Peak memory and time of the run callback (finalize) for a 10,000-unit run.

    .venv/bin/python benchmarks/callback_memory.py [--units 10000] [--findings-per-unit 2]

A private redis-server is filled with a run's record and 10,000 stored unit results (with
drifted, missing and unmanaged findings), as the scan tasks leave them. Then a fresh process,
with the worker's modules imported (Celery app, engine), runs the callback's body: the
10,000 results from Redis, thresholds, report JSON + HTML, import blocks,
history (SQLite). Its peak RSS (VmHWM) is the number. Target: under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks.cluster_support import REPO, estate_for_units, processes, scratch, start_redis

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path

def rss(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0

import workers.tasks  # what a worker process has loaded
from workers.callback import finalize_run
from workers.runtime import Runtime

run_id = sys.argv[1]
runtime = Runtime.current()
before = rss("VmRSS:")
started = time.perf_counter()
outcome = finalize_run(runtime, run_id)
took = time.perf_counter() - started
print(json.dumps({"outcome": outcome, "seconds": took, "rss_before_mb": before,
                  "peak_mb": rss("VmHWM:")}))
"""


def fill(url: str, config_path: str, units: int, per_unit: int) -> tuple[str, str]:
    """The run record and every unit's stored result, as the scan tasks write them."""
    from driftq.model import Change, Finding, Kind, UnitResult
    from driftq.plan import Selection
    from workers.dispatch import prepare
    from workers.runtime import file_digest
    from workers.store import RunMeta, RunStore

    store = RunStore.from_url(url)
    prepared = prepare(config_path, Selection())
    chosen = prepared.units[:units]
    meta = RunMeta(
        run_id="bench-callback",
        config_path=str(prepared.config_path),
        config_sha256=file_digest(prepared.config_path),
        selection=Selection(),
        started_at="2025-01-01T00:00:00Z",
        deadline=time.time() + 3600,
        total=len(chosen),
        scope="bench",
        output_dir=str(scratch() / "report"),
    )
    store.create(meta, chosen, 3600, [])
    summaries = []
    kinds: tuple[Kind, ...] = ("drifted", "missing", "unmanaged")
    for n, unit in enumerate(chosen):
        findings = [
            Finding(
                kind=kinds[(n + k) % 3],
                account=unit.account,
                account_id=f"{n:012d}",
                region=unit.region,
                service=unit.service,
                resource_type="aws_sqs_queue",
                resource_id=f"https://sqs.{unit.region}.amazonaws.com/q-{n}-{k}",
                address=f"aws_sqs_queue.q_{n}_{k}",
                state="s3://states/terraform.tfstate",
                changes=[Change("visibility_timeout_seconds", 30, 60)],
                tags={"Team": "platform", "Env": "prod"},
            )
            for k in range(per_unit)
        ]
        for f in findings:
            if f.kind == "unmanaged":
                f.address = f.state = None
        result = UnitResult(
            unit,
            "ok" if n % 97 else "error",
            findings=findings,
            managed=20,
            error_code=None if n % 97 else "Throttled",
            error_message=None if n % 97 else "Rate exceeded",
        )
        store.record(meta.run_id, result, {"worker": "bench", "started": 0, "seconds": 1.0})
        summaries.append(
            {
                "unit": unit.label(),
                "status": result.status,
                "findings": len(findings),
                "error": result.error_code,
            }
        )
    path = scratch() / "summaries.json"
    path.write_text(json.dumps(summaries))
    return meta.run_id, str(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--findings-per-unit", type=int, default=2)
    args = parser.parse_args()
    workdir = scratch()
    state = workdir / "empty.tfstate"
    state.write_text(json.dumps({"version": 4, "resources": []}))
    config = estate_for_units(workdir / "estate.yaml", args.units, state)
    with processes() as started:
        url = start_redis(started, workdir)
        env = {
            **os.environ,
            "DRIFTQ_REDIS_URL": url,
            "DRIFTQ_DATABASE_URL": f"sqlite:///{workdir / 'history.db'}",
        }
        env.pop("DRIFTQ_CONFIG", None)
        os.environ.update(DRIFTQ_REDIS_URL=url)
        run_id, summaries = fill(url, str(config), args.units, args.findings_per_unit)
        used = int(__import__("redis").Redis.from_url(url).info("memory")["used_memory"])
        child = subprocess.run(
            [sys.executable, "-c", CHILD, run_id, summaries],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    findings = args.units * args.findings_per_unit
    print(
        f"units: {args.units}, findings: {findings}, Redis memory for the run: "
        f"{used / 2**20:.0f} MB"
    )
    print(f"callback: {result['seconds']:.1f}s, outcome {result['outcome']}")
    print(
        f"callback process RSS: {result['rss_before_mb']:.0f} MB before, "
        f"peak {result['peak_mb']:.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    main()
