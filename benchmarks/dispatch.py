"""How fast `driftq submit` dispatches: plan -> run record -> 10,000 scan tasks.

    .venv/bin/python benchmarks/dispatch.py [--units 10000]

Starts a private redis-server; no worker consumes, so this times the client side only:
`prepare` (config + plan) and `start` (run lock, run record, publish with task-sent events). Target: at
least 2,000 units/s.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import replace

from benchmarks.cluster_support import estate_for_units, processes, scratch, start_redis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    args = parser.parse_args()
    workdir = scratch()
    state = workdir / "empty.tfstate"
    state.write_text(json.dumps({"version": 4, "resources": []}))
    with processes() as started:
        os.environ["DRIFTQ_REDIS_URL"] = start_redis(started, workdir)
        os.environ.pop("DRIFTQ_CONFIG", None)
        # imported after the URL is set: the Celery app reads it at import
        from driftq.plan import Selection
        from workers.dispatch import prepare, start
        from workers.settings import redis_url
        from workers.store import RunStore

        config = estate_for_units(workdir / "estate.yaml", args.units, state)

        t0 = time.perf_counter()
        prepared = prepare(config, Selection())
        planned = time.perf_counter() - t0
        prepared = replace(prepared, units=prepared.units[: args.units])
        store = RunStore.from_url(redis_url())
        t1 = time.perf_counter()
        started_run = start(store, prepared)
        sent = time.perf_counter() - t1
        queued = sum(store.client.llen(q) for q in store.client.keys("scan.*"))

    n = started_run.total
    print(f"accounts: {prepared.accounts}, units: {n} (queued in Redis: {queued})")
    print(f"prepare (config + plan): {planned:.2f}s")
    print(f"start (lock + run record + publish): {sent:.2f}s = {n / sent:,.0f} units/s")
    print(f"submit total: {planned + sent:.2f}s = {n / (planned + sent):,.0f} units/s")


if __name__ == "__main__":
    main()
