"""Task bodies: a few lines each around the engine and the run store.

Arguments are names and ids only (run id, account name, region, service): readable in
Flower and free of credentials. Each scan task records its unit's result in the run store
before anything else, so a unit that errors (AccessDenied, a timeout, a bad state) is in
the run's report as a failed unit, and only then raises `UnitFailed`: Flower shows it as a
FAILURE. The unit whose result completes the run sends finalize (no chord to break).

While Redis is unreachable (restarted, failing over) a task waits for it in place, and
stores and sends what it must once Redis is back; a task that cannot is re-sent from the
run's stored plan by the watchdog (workers/watchdog.py).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import kombu.exceptions
import redis
from celery.exceptions import Retry, TimeLimitExceeded

from driftq.errors import DriftqError
from driftq.model import Unit, UnitResult
from workers.app import LIMITS, app
from workers.callback import finalize_run as finalize_stored_run
from workers.dispatch import send_finalize
from workers.names import EVENT_TASK, FINALIZE_TASK, SCAN_TASK, SCHEDULED_TASK, WATCHDOG_TASK
from workers.runtime import Runtime, error_result

log = logging.getLogger(__name__)
T = TypeVar("T")
# Redis or the broker unreachable: the errors worth waiting out
TRANSIENT = (redis.exceptions.RedisError, kombu.exceptions.OperationalError)
# how long a task waits for Redis to come back before giving up (its message is then
# redelivered, or re-sent by the watchdog)
REDIS_WAIT_S = max(60.0, LIMITS.soft)


class UnitFailed(Exception):
    """A unit that ended with an error result (already recorded in the run)."""


def budget_wait(runtime: Runtime, run_id: str, unit: Unit) -> float:
    """Seconds until the unit's AWS bucket has a token; 0 to scan now (also whenever the
    question cannot be answered: the scan then records what is wrong)."""
    try:
        ctx = runtime.context(run_id)
        if ctx.limiter is None or time.time() > ctx.meta.deadline:
            return 0.0
        if runtime.store.cancelled(run_id):  # `driftq cancel`: record it now, no waiting
            return 0.0
        return ctx.limiter.unit_wait(ctx.config.account(unit.account), unit)
    except (DriftqError, redis.exceptions.RedisError):
        return 0.0


def summary(result: UnitResult) -> dict[str, Any]:
    """What a scan task returns (Flower's Result column): small, no finding's content."""
    return {
        "unit": result.unit.label(),
        "status": result.status,
        "findings": len(result.findings),
        "error": result.error_code,
    }


def until_redis(step: Callable[[], T], what: str, wait: float = REDIS_WAIT_S) -> T:
    """``step()``, tried again while Redis or the broker is unreachable (up to ``wait``)."""
    deadline = time.monotonic() + wait
    pause = 0.5
    while True:
        try:
            return step()
        except TRANSIENT as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("%s: Redis unreachable (%s); trying again", what, type(exc).__name__)
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


class ScanTask(app.Task):  # type: ignore[name-defined,misc]
    """A unit killed at the hard time limit (its process gone, its message acknowledged) is
    recorded as failed here, in the worker's main process, so the run still completes."""

    def on_failure(self, exc: Any, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        if not isinstance(exc, TimeLimitExceeded) or not kwargs:
            return
        try:
            record_killed(kwargs, str(exc))
        except Exception:  # the watchdog ends the run at its deadline instead
            log.exception("cannot record the unit killed at the time limit: %s", task_id)


def record_killed(kwargs: dict[str, str], limit: str) -> None:
    run_id = kwargs["run_id"]
    unit = Unit(kwargs["account"], kwargs["region"], kwargs["service"])
    runtime = Runtime.current()
    message = f"stopped at the task's hard time limit ({limit})"
    outcome = runtime.record(run_id, error_result(unit, "TimeLimitExceeded", message))
    if outcome.next_wave >= 0:
        send_wave(runtime, run_id, outcome.next_wave, "")
    if outcome.finalize:
        send_finalize(run_id)


@app.task(name=SCAN_TASK, bind=True, base=ScanTask, max_retries=None, throws=(UnitFailed,))
def scan_unit(self: Any, run_id: str, account: str, region: str, service: str) -> dict[str, Any]:
    unit = Unit(account, region, service)
    runtime = Runtime.current()
    worker = str(self.request.hostname or "")
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    started = time.time()
    wait = budget_wait(runtime, run_id, unit)
    if wait > 0:
        # the bucket is empty: wait in the queue, not in this slot, which scans another
        # account meanwhile; the jitter spreads units that wait on one bucket
        raise self.retry(countdown=wait * random.uniform(1.0, 1.5))
    try:
        result = until_redis(lambda: runtime.result_of(run_id, unit, redelivered), unit.label())
    except (*TRANSIENT, Retry):  # Retry: the task asked Celery to run it again later
        raise
    except Exception as exc:  # SoftTimeLimitExceeded outside the engine, any surprise
        result = error_result(unit, type(exc).__name__, str(exc))
    outcome = until_redis(lambda: runtime.record(run_id, result, worker, started), unit.label())
    if outcome.next_wave >= 0:  # this unit finished an account: send the next one's
        send_wave(runtime, run_id, outcome.next_wave, worker)
    if outcome.finalize:
        until_redis(lambda: send_finalize(run_id), f"run {run_id}")
    if result.status == "error":
        raise UnitFailed(f"{unit.label()}: {result.error_code}: {result.error_message}")
    return summary(result)


def send_wave(runtime: Runtime, run_id: str, wave: int, worker: str) -> None:
    """Send account number ``wave``'s units. If they cannot be sent for good (the config
    unreadable on this worker, the run gone from Redis), record each of them as failed with
    the reason, so the run still completes, and go on with the waves that this completes."""
    waves = [wave]
    while waves:
        current = waves.pop()
        try:
            until_redis(partial(runtime.publish_wave, run_id, current), f"run {run_id}")
            continue
        except TRANSIENT:
            raise
        except Exception as exc:
            log.error("run %s: cannot send account %d: %s", run_id, current, exc)
            error = (type(exc).__name__, str(exc))
        try:
            units = runtime.wave_units(run_id, current)
        except Exception:  # nothing to record against: the watchdog ends the run
            log.exception("run %s: account %d's units are unknown", run_id, current)
            continue
        for unit in units:
            failed = error_result(unit, *error)
            outcome = until_redis(partial(runtime.record, run_id, failed, worker), run_id)
            if outcome.next_wave >= 0:
                waves.append(outcome.next_wave)
            if outcome.finalize:
                until_redis(lambda: send_finalize(run_id), f"run {run_id}")


@app.task(name=FINALIZE_TASK)
def finalize_run(run_id: str) -> dict[str, Any]:
    return finalize_stored_run(Runtime.current(), run_id)


@app.task(name=SCHEDULED_TASK)
def scheduled_run(config_path: str, slot: int) -> dict[str, Any]:
    from workers.schedule import submit_scheduled

    return submit_scheduled(Runtime.current().store, config_path, slot)


@app.task(name=WATCHDOG_TASK, ignore_result=True)  # every 30 s: no result to keep
def watchdog() -> dict[str, Any]:
    from workers.watchdog import sweep

    return sweep(Runtime.current())


@app.task(name=EVENT_TASK)
def event_scan(config_path: str, target: dict[str, Any]) -> dict[str, Any]:
    from workers.events import scan_event

    return scan_event(config_path, target)
