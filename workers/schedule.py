"""The monitoring schedule: `celery -A workers beat` submits a run every `monitoring.interval`.

Beat reads the config named by DRIFTQ_CONFIG. Runs are due at the multiples of the interval
since the epoch, so every beat process, wherever and whenever it started, fires at the same
instants and names the same slot (`round(now / interval)`). The task then claims that slot
in Redis with SET NX: two beats send two messages, only one run is submitted. A slot whose
previous run still holds the run lock is skipped, not forced.
"""

from __future__ import annotations

import logging
import math
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from celery.beat import Scheduler
from celery.schedules import schedstate, schedule

from driftq.config import load_config
from driftq.errors import DriftqError, RunError
from driftq.plan import Selection
from workers.dispatch import config_scope, prepare, start
from workers.names import SCHEDULED_TASK
from workers.queues import QueueName
from workers.settings import CONFIG_ENV
from workers.store import RunStore

log = logging.getLogger(__name__)
ENTRY = "driftq-monitoring"


class SlotSchedule(schedule):
    """Due at every multiple of the interval since the epoch (the same instants everywhere)."""

    def is_due(self, last_run_at: datetime) -> schedstate:
        interval = self.run_every.total_seconds()
        now = time.time()
        last = self.maybe_make_aware(last_run_at).timestamp()
        until_next = interval - (now % interval)
        due = math.floor(now / interval) > math.floor(last / interval)
        return schedstate(is_due=due, next=until_next)

    def __repr__(self) -> str:
        return f"<slots every {self.run_every}>"


def slot_of(now: float, interval: float) -> int:
    # beats fire just after a boundary; rounding absorbs small clock differences between hosts
    return round(now / interval)


class DriftqScheduler(Scheduler):
    """Celery's in-memory scheduler plus the monitoring entry from the config. No schedule
    file is needed: the slots, not a last-run record, decide when a run is due."""

    def setup_schedule(self) -> None:
        super().setup_schedule()
        entry = monitoring_entry()
        if entry:
            self.merge_inplace({ENTRY: entry})

    def apply_async(self, entry: Any, producer: Any = None, advance: bool = True, **kw: Any) -> Any:
        if entry.name == ENTRY:
            interval = entry.schedule.run_every.total_seconds()
            entry.args = (entry.args[0], slot_of(time.time(), interval))
        return super().apply_async(entry, producer, advance, **kw)


def monitoring_entry() -> dict[str, Any] | None:
    path = os.environ.get(CONFIG_ENV)
    if not path:
        log.warning("beat: %s is not set, so there is no monitoring schedule", CONFIG_ENV)
        return None
    # a broken config stops beat with its message; beat sends nothing, so needs no secret
    config = load_config(path, secrets=False)
    if not config.monitoring.enabled:
        log.warning("beat: monitoring.enabled is false in %s: no scheduled runs", path)
        return None
    interval = config.monitoring.interval
    log.info("beat: a run of %s every %ss", path, interval)
    return {
        "task": SCHEDULED_TASK,
        "schedule": SlotSchedule(run_every=interval),
        "args": (str(Path(path).resolve()), 0),
        "options": {"queue": QueueName.FINALIZE.value, "expires": interval},
    }


def submit_scheduled(store: RunStore, config_path: str, slot: int) -> dict[str, Any]:
    """Submit the slot's run unless another beat's message already did."""
    path = Path(config_path)
    claim = f"driftq:schedule:{config_scope(path)}:{slot}"
    interval = load_config(path, secrets=False).monitoring.interval
    if not store.client.set(claim, "claimed", nx=True, ex=int(interval * 2) + 60):
        return {"slot": slot, "submitted": False, "reason": "another beat's message took this slot"}
    try:
        started = start(store, prepare(path, Selection()), source=f"schedule:{slot}")
    except RunError as exc:
        log.warning("scheduled run of %s skipped: %s", path, exc)
        return {"slot": slot, "submitted": False, "reason": str(exc)}
    except DriftqError as exc:
        log.error("scheduled run of %s cannot start: %s", path, exc)
        return {"slot": slot, "submitted": False, "reason": str(exc)}
    log.info("scheduled run %s of %s: %d units", started.run_id, path, started.total)
    return {"slot": slot, "submitted": True, "run_id": started.run_id}
