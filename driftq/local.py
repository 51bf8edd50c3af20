"""The in-process executor: a thread pool runs every unit, then the report is finalized."""

from __future__ import annotations

import secrets
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from driftq.aws import AwsAccess
from driftq.config_models import Config
from driftq.engine import Engine
from driftq.model import Finding, Unit, UnitResult
from driftq.plan import Selection, plan
from driftq.progress import Progress
from driftq.report import RunInfo, build_report


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class RunOutcome:
    config: Config
    run: RunInfo
    results: list[UnitResult]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def report(self) -> dict[str, Any]:
        return build_report(self.config, self.run, self.results)


def run_local(
    config: Config,
    selection: Selection | None = None,
    *,
    aws: AwsAccess | None = None,
    progress: bool = True,
    run_id: str | None = None,
) -> RunOutcome:
    """Plan and scan every unit in a thread pool. Raises DriftqError (exit 2) when the run
    cannot start (a bad selection); an unreadable state fails its account's units only."""
    selection = selection or Selection()
    run_id = run_id or new_run_id()
    units = plan(config, selection)
    engine = Engine(config, selection, aws, run_id=run_id)
    engine.preload_states(sorted({u.account for u in units}))
    started_at = utc_now()
    bar = Progress(len(units)) if progress else None
    results = _run_units(
        engine, units, config.defaults.parallel_workers, config.defaults.timeout, bar
    )
    if bar:
        bar.close()
    return RunOutcome(config, RunInfo(run_id, started_at, utc_now()), results)


def _run_units(
    engine: Engine, units: list[Unit], workers: int, timeout: float, bar: Progress | None
) -> list[UnitResult]:
    deadline = time.monotonic() + timeout
    results: dict[Unit, UnitResult] = {}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="driftq-unit")
    pending: dict[Future[UnitResult], Unit] = {pool.submit(engine.scan_unit, u): u for u in units}
    try:
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            done, _ = wait(pending, timeout=remaining, return_when=FIRST_COMPLETED)
            for future in done:
                unit = pending.pop(future)
                result = future.result()
                results[unit] = result
                if bar:
                    bar.advance(unit.label(), result.status == "ok", result.error_code or "")
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)
    for unit in pending.values():
        results[unit] = UnitResult(
            unit,
            "error",
            error_code="Timeout",
            error_message=f"the run's timeout ({timeout:.0f}s) passed before this unit finished",
        )
    return [results[u] for u in units]
