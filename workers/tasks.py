"""Task bodies: a few lines each around the engine and the run store.

Arguments are names and ids only (run id, account name, region, service): readable in
Flower and free of credentials. A scan task never fails: whatever goes wrong becomes an
error result, because one failed header task would stop the chord's callback for good.
"""

from __future__ import annotations

from typing import Any

import redis

from driftq.errors import RunError
from driftq.model import Unit, UnitResult
from workers.app import app
from workers.callback import finalize_run as finalize_stored_run
from workers.names import EVENT_TASK, FINALIZE_TASK, SCAN_TASK, SCHEDULED_TASK
from workers.runtime import Runtime, error_result

# while Redis itself is unreachable, nothing can be stored: put the unit back and wait
_REDIS_RETRY_S = 5.0


def summary(result: UnitResult) -> dict[str, Any]:
    """What the chord carries per unit: small, and the same for a repeated unit."""
    return {
        "unit": result.unit.label(),
        "status": result.status,
        "findings": len(result.findings),
        "error": result.error_code,
    }


@app.task(name=SCAN_TASK, bind=True, max_retries=None)
def scan_unit(self: Any, run_id: str, account: str, region: str, service: str) -> dict[str, Any]:
    unit = Unit(account, region, service)
    runtime = Runtime.current()
    worker = str(self.request.hostname or "")
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        try:
            outcome = runtime.scan(run_id, unit, worker, redelivered)
        except redis.exceptions.RedisError:
            raise
        except Exception as exc:  # SoftTimeLimitExceeded outside the engine, any surprise
            outcome = runtime.record(run_id, error_result(unit, type(exc).__name__, str(exc)))
        if outcome.next_wave >= 0:  # this unit finished an account: send the next one's
            runtime.publish_wave(run_id, outcome.next_wave, self.request.group, self.request.chord)
    except (redis.exceptions.RedisError, RunError):
        # Redis or the broker is unreachable: nothing could be stored or sent; try again
        raise self.retry(countdown=_REDIS_RETRY_S) from None
    return summary(outcome.result)


@app.task(name=FINALIZE_TASK)
def finalize_run(summaries: list[Any], run_id: str) -> dict[str, Any]:
    return finalize_stored_run(Runtime.current(), run_id, summaries)


@app.task(name=SCHEDULED_TASK)
def scheduled_run(config_path: str, slot: int) -> dict[str, Any]:
    from workers.schedule import submit_scheduled

    return submit_scheduled(Runtime.current().store, config_path, slot)


@app.task(name=EVENT_TASK)
def event_scan(config_path: str, target: dict[str, Any]) -> dict[str, Any]:
    from workers.events import scan_event

    return scan_event(config_path, target)
