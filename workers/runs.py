"""`driftq status`, `driftq runs` and `driftq cancel`: a run found again by its id.

Everything comes from the run store (workers/store.py): the run's hash, its counters, the
failed units' stored results, the units' timings. A run is listed while its keys live
(settings.run_ttl); `driftq history` keeps finished runs for good.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from driftq.errors import RunError
from driftq.model import Unit
from driftq.text import display
from workers.settings import default_output_dir, redis_url
from workers.store import RunStore, redis_errors, run_key

# failed units listed per error code (the rest are counted)
_LISTED = 5


@dataclass
class RunStatus:
    run_id: str
    status: str  # running | done | failed
    total: int
    done: int
    failed: int
    started_at: str
    source: str
    cancelled: bool = False
    finished_at: str = ""
    report_status: str = ""
    report_dir: str = ""
    error: str = ""
    eta_s: float | None = None
    # error code -> failed unit labels
    failed_units: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_status(store: RunStore, run_id: str, details: bool = True) -> RunStatus:
    with redis_errors(store.url):
        data: dict[str, str] = store.client.hgetall(run_key(run_id))  # type: ignore[assignment]
        if not data:
            raise RunError(f"no run {run_id} in Redis (expired, or never submitted)")
        progress = store.progress(run_id)
        status = RunStatus(
            run_id=run_id,
            status=progress.status,
            total=int(data.get("total", 0)),
            done=progress.done,
            failed=progress.failed,
            started_at=data.get("started_at", ""),
            source=data.get("source", ""),
            cancelled=data.get("cancelled") == "1",
            finished_at=data.get("finished_at", ""),
            report_status=data.get("report_status", ""),
            report_dir=data.get("report_dir", ""),
            error=progress.error,
        )
        if details:
            status.failed_units = failed_by_code(store, run_id)
            if status.status == "running":
                status.eta_s = eta(store, run_id, status.total - status.done)
    return status


def failed_by_code(store: RunStore, run_id: str) -> dict[str, list[str]]:
    labels = sorted(str(x) for x in store.client.smembers(run_key(run_id, "failed")))  # type: ignore[union-attr]
    units = [Unit(*label.split("/", 2)) for label in labels]
    grouped: dict[str, list[str]] = defaultdict(list)
    for unit, result in store.results(run_id, units):
        grouped[(result.error_code if result else None) or "unknown"].append(unit.label())
    return dict(sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def eta(store: RunStore, run_id: str, remaining: int) -> float | None:
    """Seconds left at the pace units have finished so far (None before the first one)."""
    timing = store.timing(run_id).values()
    if not timing or remaining <= 0:
        return None if remaining > 0 else 0.0
    first = min(float(t["started"]) for t in timing)
    last = max(float(t["started"]) + float(t["seconds"]) for t in timing)
    pace = (last - first) / len(timing)  # seconds per unit, over the whole cluster
    return round(max(0.0, pace * remaining - (time.time() - last)), 1)


def describe(status: RunStatus) -> list[str]:
    state = status.status
    if state == "running" and status.cancelled:
        state = "running (cancelled: queued units are dropped)"
    elif state == "done":
        state = f"done, report {status.report_status}"
    line = f"run {status.run_id}: {state}; {status.done}/{status.total} units"
    line += f" ({status.failed} failed), started {status.started_at}"
    if status.eta_s is not None and status.status == "running":
        line += f", about {_seconds(status.eta_s)} left"
    lines = [line]
    if status.finished_at:
        lines.append(f"  finished {status.finished_at}; report in {status.report_dir} (cluster)")
    if status.error:
        lines.append(f"  error: {status.error}")
    for code, labels in status.failed_units.items():
        shown = ", ".join(labels[:_LISTED])
        more = f" and {len(labels) - _LISTED} more" if len(labels) > _LISTED else ""
        lines.append(f"  FAILED {code} x{len(labels)}: {shown}{more}")
    return [display(line) for line in lines]


def _seconds(value: float) -> str:
    value = int(value)
    if value >= 3600:
        return f"{value // 3600}h{value % 3600 // 60:02d}m"
    return f"{value // 60}m{value % 60:02d}s" if value >= 60 else f"{value}s"


def latest(store: RunStore) -> str:
    runs = store.recent_runs(1)
    if not runs:
        raise RunError("no run in Redis yet: `driftq submit` starts one")
    return runs[0]


def status_command(args: argparse.Namespace) -> int:
    from workers.cli import follow
    from workers.dispatch import Started

    store = RunStore.from_url(redis_url())
    run_id = args.run_id or latest(store)
    current = run_status(store, run_id)
    if args.follow:
        out_dir = Path(args.output_dir) if args.output_dir else default_output_dir(run_id)
        return follow(store, Started(run_id, current.total, 0), out_dir, progress=True)
    if args.json:
        print(json.dumps(current.to_json(), indent=2))
    else:
        print("\n".join(describe(current)))
    return 0


def runs_command(args: argparse.Namespace) -> int:
    store = RunStore.from_url(redis_url())
    rows = []
    for run_id in store.recent_runs(args.limit):
        try:
            rows.append(run_status(store, run_id, details=False))
        except RunError:  # its keys expired before the index entry
            continue
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2))
        return 0
    if not rows:
        print("no runs in Redis", file=sys.stderr)
        return 0
    print(f"{'RUN':<26} {'STATE':<10} {'UNITS':>11} {'FAILED':>6} {'REPORT':<8} STARTED")
    for r in rows:
        state = "cancelled" if r.cancelled and r.status == "running" else r.status
        units = f"{r.done}/{r.total}"
        print(
            display(
                f"{r.run_id:<26} {state:<10} {units:>11} {r.failed:>6} "
                f"{r.report_status or '-':<8} {r.started_at} {r.source}"
            )
        )
    return 0


def cancel_command(args: argparse.Namespace) -> int:
    store = RunStore.from_url(redis_url())
    current = run_status(store, args.run_id, details=False)
    if not store.cancel(args.run_id):
        raise RunError(f"run {args.run_id} is {current.status}, not running: nothing to cancel")
    print(
        f"driftq: run {args.run_id} cancelled: queued units are dropped, running ones finish; "
        "the report is written as partial with the cancelled units listed",
        file=sys.stderr,
    )
    return 0
