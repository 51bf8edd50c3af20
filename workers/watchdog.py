"""The watchdog beat sends every WATCHDOG_INTERVAL_S: no run stays "running" for good.

For each recent run still running (store.recent_runs):
- Redis restarted since the run last looked (its run id changed): a restart may lose the
  last second of writes (AOF `everysec`), queued messages with them, and a task that gave
  up waiting for Redis. Every sent unit without a result is sent again from the run's
  stored plan (same task ids; a unit run twice stores one result and counts once).
- every unit counted but no callback running: finalize is sent again (it runs once).
- past its deadline and beyond any redelivery (deadline + visibility timeout + twice the
  hard limit): the run is finalized here from its stored results; units without one are
  listed as failed (`Lost`), and the run's lock is released.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from driftq.model import Unit
from workers.app import LIMITS
from workers.callback import finalize_run
from workers.dispatch import publish, send_finalize
from workers.runtime import Runtime
from workers.store import RunStore, run_key

log = logging.getLogger(__name__)
LOST = "no result by the run's deadline: its worker or its message was lost"
# how long a run whose units are all counted may wait for its callback to start
_NUDGE_S = 60


def stale_after(deadline: float) -> float:
    """When a running run is surely dead: the last unit started by the deadline, its worker
    died at the hard limit, the redelivery came after the visibility timeout and ran to
    the hard limit again."""
    return deadline + LIMITS.visibility + 2 * LIMITS.hard


def sweep(runtime: Runtime, now: float | None = None) -> dict[str, Any]:
    store = runtime.store
    now = time.time() if now is None else now
    server = store.server_id()
    actions: dict[str, Any] = {}
    for run_id in store.recent_runs():
        try:
            action = check_run(runtime, run_id, server, now)
        except Exception:  # one broken run must not stop the others' checks
            log.exception("watchdog: run %s", run_id)
            continue
        if action:
            actions[run_id] = action
    return actions


def check_run(runtime: Runtime, run_id: str, server: str, now: float) -> str:
    store = runtime.store
    if store.status(run_id) != "running":  # most recent runs: one round trip each
        return ""
    meta = store.meta(run_id)
    if meta is None:
        return ""
    if now > stale_after(meta.deadline):
        log.warning("watchdog: run %s is past its deadline: finalizing it", run_id)
        finalize_run(runtime, run_id, lost=LOST)
        return "finalized"
    if server and store.client.hget(run_key(run_id), "redis") != server:
        resent = resend_missing(store, run_id)
        store.client.hset(run_key(run_id), "redis", server)
        log.warning("watchdog: Redis restarted during run %s: %d units sent again", run_id, resent)
        return f"resent {resent}"
    counted = store.progress(run_id).done >= meta.total
    # at most once a minute: a callback queued behind others is not sent over and over
    if (
        counted
        and not store.client.exists(run_key(run_id, "finalizing"))
        and store.client.set(run_key(run_id, "nudged"), "1", nx=True, ex=_NUDGE_S)
    ):
        send_finalize(run_id)
        return "finalize sent"
    return ""


def sent_units(store: RunStore, run_id: str) -> list[tuple[int, Unit]]:
    """The run's units already sent, with their index (their task id): all of them, or with
    concurrent_accounts those of the accounts sent so far."""
    units = list(enumerate(store.units(run_id)))
    meta = store.meta(run_id)
    if meta is None or meta.concurrent_accounts <= 0:
        return units
    accounts = store.account_units(run_id)
    sent = int(store.client.get(run_key(run_id, "next")) or meta.concurrent_accounts)
    end = sum(count for _, _, count in accounts[: min(sent, len(accounts))])
    return units[:end]


def resend_missing(store: RunStore, run_id: str) -> int:
    indexed = sent_units(store, run_id)
    results = store.results(run_id, (unit for _, unit in indexed))
    missing = [pair for pair, (_, result) in zip(indexed, results, strict=True) if result is None]
    if missing:
        publish(run_id, missing)
    if store.progress(run_id).done >= len(store.units(run_id)):
        send_finalize(run_id)  # the callback's own message may be what was lost
    return len(missing)
