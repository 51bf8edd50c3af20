"""`driftq serve-metrics` on a cluster: the runs in progress come from Redis, and with them
every metric driftq exports (the Grafana dashboard queries exactly these)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from driftq.metrics import METRICS
from driftq.model import Unit, UnitResult
from driftq.plan import Selection
from tests.test_metrics import scrape, serving
from workers.store import RunMeta, RunStore, connect

ROOT = Path(__file__).resolve().parents[2]


def test_runs_in_progress_from_redis(redis_server: str, tmp_path: Path) -> None:
    url = redis_server.rsplit("/", 1)[0] + "/7"  # a database of its own: no other test's runs
    store = RunStore(connect(url), url)
    store.client.flushdb()
    units = [Unit("production", r, "ec2") for r in ("us-east-1", "eu-west-1", "us-west-2")]
    for run_id, total in (("run-a", 3), ("run-b", 2)):
        meta = RunMeta(run_id, "/c.yaml", "0" * 64, Selection(), "2025-01-01T00:00:00Z",
                       time.time() + 600, total, f"scope-{run_id}")  # fmt: skip
        assert store.acquire_lock(meta.scope, run_id, 600, False) is None
        store.create(meta, units[:total], 600, [])
    store.record("run-a", UnitResult(units[0], "ok"), {})
    store.record("run-a", UnitResult(units[1], "error", error_code="AccessDenied"), {})
    store.record("run-b", UnitResult(units[0], "ok"), {})
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTQ_")}
    env |= {
        "DRIFTQ_REDIS_URL": url,
        "DRIFTQ_DATABASE_URL": f"sqlite:///{tmp_path / 'history.db'}",
        "PYTHONPATH": str(ROOT),
    }
    with serving(env) as endpoint:
        samples = scrape(endpoint)
        store.fail("run-b", "gone")  # a run that ended is no longer counted
        after = scrape(endpoint)
    assert samples[("driftq_redis_up", ())] == 1
    assert samples[("driftq_runs_active", ())] == 2
    by_state = {k[1][0][1]: v for k, v in samples.items() if k[0] == "driftq_active_run_units"}
    assert by_state == {"total": 5, "done": 3, "failed": 1}
    assert after[("driftq_runs_active", ())] == 1
    store.client.flushdb()


def test_every_metric_is_exported(redis_server: str, tmp_path: Path) -> None:
    """With a recorded run and Redis, every name in METRICS is in a scrape."""
    from driftq.finalize import finalize
    from tests.support import reports as est

    database = f"sqlite:///{tmp_path / 'history.db'}"
    finalize(est.config(), est.run_info(), est.results(), tmp_path / "r", database_url=database)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTQ_")}
    env |= {"DRIFTQ_REDIS_URL": redis_server, "DRIFTQ_DATABASE_URL": database,
            "PYTHONPATH": str(ROOT)}  # fmt: skip
    with serving(env, "--window", "3650d") as endpoint:
        names = {name for name, _ in scrape(endpoint)}
    assert names == set(METRICS)
