"""The run callback's work: every unit's stored result -> `driftq.finalize.finalize`.

The unit that completes the run's counters sends it (store._RECORD); the watchdog runs it
for a run past its deadline. It runs once per run: a run already done is left alone, and a
claim in Redis keeps a redelivered copy from finalizing in parallel (the claim expires with
the task's hard time limit, so a callback whose worker died is finished by the redelivered
copy), and notifications are recorded as sent before they are sent. Full results come from
Redis. The report files are also stored in Redis, so `driftq submit --wait` can write them
on the submitting machine.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import redis

from driftq.finalize import finalize
from driftq.local import utc_now
from driftq.model import UnitResult
from driftq.report import RunInfo
from driftq.report.build import exit_code
from workers.app import LIMITS
from workers.run_accounts import run_config
from workers.runtime import Runtime, error_result
from workers.settings import default_output_dir
from workers.store import pack_file, run_key

log = logging.getLogger(__name__)
NO_RESULT = "no result was stored for this unit"


def report_files(out_dir: Path, written: Iterable[Path]) -> dict[str, str]:
    """The report's files by relative path, compressed (store.pack_file): those finalize
    names, and the rest of its own `imports/` folder (its README)."""
    paths = set(written)
    if (out_dir / "imports").is_dir():
        paths.update(p for p in (out_dir / "imports").iterdir() if p.is_file())
    return {
        p.relative_to(out_dir).as_posix(): pack_file(p)
        for p in sorted(paths)
        if not p.name.startswith(".")
    }


def finalize_run(runtime: Runtime, run_id: str, lost: str = "") -> dict[str, Any]:
    """``lost``: set by the watchdog for a run past its deadline: units without a result
    are reported as lost with this message."""
    store = runtime.store
    meta = store.meta(run_id)
    if meta is None:
        log.error("run %s: no metadata in Redis (expired?); nothing to finalize", run_id)
        return {"run_id": run_id, "status": "unknown"}
    if store.status(run_id) in ("done", "failed"):
        return {"run_id": run_id, "status": store.status(run_id), "repeat": True}
    if not store.claim_finalize(run_id, LIMITS.hard):
        return {"run_id": run_id, "status": "finalizing elsewhere"}
    try:
        config = run_config(store, meta)
        results: list[UnitResult] = []
        for unit, result in store.results(run_id, store.units(run_id)):
            results.append(result or error_result(unit, "Lost", lost or NO_RESULT))
        run = RunInfo(run_id, meta.started_at, utc_now())
        out_dir = (
            Path(meta.output_dir) if meta.output_dir else default_output_dir(run_id)
        ).resolve()
        done = finalize(
            config, run, results, out_dir, send_once=lambda step: store.mark_sent(run_id, step)
        )
        report, written, units = done.report, list(done.written.values()), len(results)
        fields = {
            "status": "done",
            "finished_at": run.finished_at,
            "report_status": report["status"],
            "severity": report["severity"],
            "exit_code": exit_code(report),
            "report_dir": str(out_dir),
        }
        # the run's objects go before the files are read, so the callback's peak memory
        # stays that of finalize itself (benchmarks/callback_memory.py)
        del done, results, report
        store.finish(run_id, fields, report_files(out_dir, written))
        return {"run_id": run_id, "status": fields["report_status"], "units": units}
    except redis.exceptions.RedisError:
        # Redis went away (a restart): the run is not over. Its claim expires, and the
        # watchdog sends the callback again; what was sent is not sent twice (mark_sent)
        log.warning("run %s: Redis unreachable while finalizing; the watchdog retries", run_id)
        with contextlib.suppress(redis.exceptions.RedisError):
            store.client.delete(run_key(run_id, "finalizing"))
        runtime.forget(run_id)
        raise
    except Exception as exc:  # the run must end either way: `--wait` is watching
        log.exception("run %s: finalize failed", run_id)
        store.fail(run_id, f"{type(exc).__name__}: {exc}")
        return {"run_id": run_id, "status": "failed"}
    finally:
        if store.status(run_id) in ("done", "failed"):
            store.release_lock(meta.scope, run_id)
            runtime.forget(run_id)
