"""`driftq serve-metrics`: Prometheus metrics of the drift the last runs found.

Read at each scrape from the run history (`DRIFTQ_DATABASE_URL`; one indexed row per
account, kept by History.record), per account: its last run, if it started within the
window (default 30 days), gives the findings by kind, units scanned and failed,
the severity and the run's time and duration; its last run without a failed unit gives the
last successful run time. With a cluster (`DRIFTQ_REDIS_URL` set), the runs in progress are
added from Redis (workers/run_metrics.py). Nothing is kept between scrapes, so memory does
not grow with the accounts ever seen; series are as many as the accounts in the window.

`METRICS` names every series: docs/grafana/driftq-dashboard.json queries only these.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from driftq.errors import DriftqError
from driftq.history import History

log = logging.getLogger(__name__)

KINDS = ("drifted", "missing", "unmanaged")
SEVERITY_LEVELS = {"ok": 0, "warning": 1, "critical": 2}
METRICS = {
    "driftq_findings": "Findings of the account's last run, by kind",
    "driftq_units": "Units (region x service) of the account scanned by its last run",
    "driftq_units_failed": "Units of the account that failed in its last run",
    "driftq_severity": "Severity of the account's last run: 0 ok, 1 warning, 2 critical",
    "driftq_last_run_timestamp_seconds": "When the account's last run finished (Unix time)",
    "driftq_last_run_duration_seconds": "How long the account's last run took",
    "driftq_last_success_timestamp_seconds": (
        "When the account's last run without a failed unit finished (Unix time)"
    ),
    "driftq_history_up": "1 when the run history could be read at this scrape",
    # from Redis, with a cluster
    "driftq_runs_active": "Runs in progress on the cluster",
    "driftq_active_run_units": "Units of the runs in progress, by state (total, done, failed)",
    "driftq_redis_up": "1 when Redis could be read at this scrape (cluster only)",
}


def _seconds(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class HistoryCollector:
    """A prometheus_client collector over the run history."""

    def __init__(self, history: History, window_s: float) -> None:
        self.history = history
        self.window_s = window_s

    def describe(self) -> Iterable[Any]:
        return []  # metrics are only known at scrape time; no registration-time query

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        def gauge(name: str, labels: tuple[str, ...] = ("account",)) -> GaugeMetricFamily:
            return GaugeMetricFamily(name, METRICS[name], labels=list(labels))

        up = gauge("driftq_history_up", ())
        since = datetime.fromtimestamp(time.time() - self.window_s, UTC)
        since_iso = since.isoformat(timespec="seconds").replace("+00:00", "Z")
        try:
            rows = self.history.latest_per_account(since_iso)
            successes = self.history.last_success_per_account()
        except Exception as exc:  # a database down must not break the scrape
            log.warning("metrics: cannot read the run history: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        findings = gauge("driftq_findings", ("account", "kind"))
        units, failed = gauge("driftq_units"), gauge("driftq_units_failed")
        severity = gauge("driftq_severity")
        finished, duration = (
            gauge("driftq_last_run_timestamp_seconds"),
            gauge("driftq_last_run_duration_seconds"),
        )
        success = gauge("driftq_last_success_timestamp_seconds")
        for row in rows:
            account = [row["account"]]
            for kind in KINDS:
                findings.add_metric([*account, kind], row[kind])
            units.add_metric(account, row["units"])
            failed.add_metric(account, row["units_failed"])
            severity.add_metric(account, SEVERITY_LEVELS.get(row["severity"], 0))
            start, end = _seconds(row["started_at"]), _seconds(row["finished_at"])
            if end is not None:
                finished.add_metric(account, end)
                if start is not None:
                    duration.add_metric(account, max(0.0, end - start))
            last_ok = _seconds(successes.get(row["account"]))
            if last_ok is not None:
                success.add_metric(account, last_ok)
        yield from (up, findings, units, failed, severity, finished, duration, success)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("metrics: " + format, *args)


def serve(
    port: int,
    address: str = "127.0.0.1",
    window_s: float = 30 * 86400,
    extra: Iterable[Any] = (),
    database_url: str | None = None,
) -> int:
    """Serve /metrics until interrupted. ``extra``: more collectors (Redis)."""
    try:
        from prometheus_client import CollectorRegistry, make_wsgi_app
    except ImportError as exc:
        raise DriftqError(
            "serve-metrics needs prometheus-client: pip install 'driftq[metrics]'"
        ) from exc
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HistoryCollector(History(database_url), window_s))  # type: ignore[arg-type]
    for collector in extra:
        registry.register(collector)
    try:
        server = make_server(address, port, make_wsgi_app(registry), handler_class=_QuietHandler)
    except OSError as exc:
        raise DriftqError(f"cannot listen on {address}:{port}: {exc.strerror}") from exc
    print(f"driftq: metrics on http://{address}:{server.server_port}/metrics", file=sys.stderr)
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
