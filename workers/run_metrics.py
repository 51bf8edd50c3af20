"""The cluster's part of `driftq serve-metrics`: the runs in progress, from the run store.

A running run holds its config's lock (`driftq:lock:<scope>`), so the locks are the list of
runs in progress: a handful, however many runs and accounts Redis has seen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from driftq.metrics import METRICS
from workers.store import PREFIX, RunStore, connect

log = logging.getLogger(__name__)


class RunStoreCollector:
    def __init__(self, url: str) -> None:
        self.store = RunStore(connect(url), url)

    def describe(self) -> Iterable[Any]:
        return []

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        up = GaugeMetricFamily("driftq_redis_up", METRICS["driftq_redis_up"])
        try:
            active, units = self._active()
        except Exception as exc:  # Redis down: say so, keep the history's metrics
            log.warning("metrics: cannot read Redis: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        runs = GaugeMetricFamily("driftq_runs_active", METRICS["driftq_runs_active"])
        runs.add_metric([], active)
        by_state = GaugeMetricFamily(
            "driftq_active_run_units", METRICS["driftq_active_run_units"], labels=["state"]
        )
        for state, count in units.items():
            by_state.add_metric([state], count)
        yield from (up, runs, by_state)

    def _active(self) -> tuple[int, dict[str, int]]:
        client = self.store.client
        run_ids = {str(client.get(k)) for k in client.scan_iter(f"{PREFIX}:lock:*", count=500)}
        units = {"total": 0, "done": 0, "failed": 0}
        active = 0
        for run_id in sorted(run_ids - {"None"}):
            meta = self.store.meta(run_id)
            progress = self.store.progress(run_id)
            if meta is None or progress.status != "running":
                continue
            active += 1
            units["total"] += meta.total
            units["done"] += progress.done
            units["failed"] += progress.failed
        return active, units
