"""Plan -> a scan task per unit, the run's record in Redis; the unit that completes the
run's counters sends the finalize callback (no chord).

`prepare` needs no cluster (config, plan, limits are checked first, so a bad config fails
fast with exit 2); `start` takes the config's run lock, records the run and sends its units.

`monitoring.concurrent_accounts` caps the accounts scanned at once across the cluster by
sending them in waves: the first N accounts' units go out at submit, and the task that
finishes an account's last unit sends the next account's units (the run store decides
which, atomically). Units of waiting accounts are not in any queue, so
they neither hold worker slots nor churn through retries.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import kombu.exceptions

from driftq.accounts_org import OrgAccount, discover, with_accounts
from driftq.config import load_config
from driftq.config_models import Config
from driftq.errors import ConfigError, RunError
from driftq.local import new_run_id, utc_now
from driftq.model import Unit
from driftq.plan import Selection, plan
from workers.app import app
from workers.names import FINALIZE_TASK, SCAN_TASK
from workers.queues import QueueName, queue_for
from workers.ratelimit import check_overrides
from workers.run_accounts import save_org_accounts
from workers.settings import TimeLimits, masked, run_ttl
from workers.store import AccountUnits, RunMeta, RunStore, redis_errors

_PUBLISH_BATCH = 1000


@dataclass(frozen=True)
class Prepared:
    config_path: Path
    config: Config
    digest: str
    selection: Selection
    units: list[Unit]
    # the accounts `accounts_from` listed for this run (stored with it for the workers)
    discovered: list[OrgAccount] = field(default_factory=list)
    # chosen before listing the organisation, so that AssumeRole is named after the run too
    run_id: str = field(default_factory=new_run_id)

    @property
    def accounts(self) -> int:
        return len({u.account for u in self.units})


@dataclass(frozen=True)
class Started:
    run_id: str
    total: int
    accounts: int


def config_scope(path: Path) -> str:
    """One run lock per config file."""
    return hashlib.sha256(str(path).encode()).hexdigest()[:16]


def order_units(units: Sequence[Unit], concurrent_accounts: int) -> list[Unit]:
    """Queue order. With an account cap, account by account (each account's units are sent
    together, see `start`); without one, accounts take turns, so one large account does not
    keep the others waiting behind it."""
    by_account: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        by_account[unit.account].append(unit)
    if concurrent_accounts > 0:
        return [unit for group in by_account.values() for unit in group]
    turns = zip_longest(*by_account.values())
    return [unit for turn in turns for unit in turn if unit is not None]


def account_units(units: Sequence[Unit]) -> list[AccountUnits]:
    """Each account's stretch of ``units`` (ordered account by account)."""
    out: list[AccountUnits] = []
    for index, unit in enumerate(units):
        if out and out[-1][0] == unit.account:
            name, first, count = out[-1]
            out[-1] = (name, first, count + 1)
        else:
            out.append((unit.account, index, 1))
    return out


def prepare(config_path: str | Path, selection: Selection) -> Prepared:
    path = Path(config_path).resolve()
    config = load_config(path, secrets=False)  # the workers notify, not the submitter
    run_id = new_run_id()
    discovered = discover(config, run_id=run_id)
    config = with_accounts(config, discovered)
    check_overrides(config)
    units = order_units(plan(config, selection), config.monitoring.concurrent_accounts)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
    return Prepared(path, config, digest, selection, units, discovered, run_id)


def start(
    store: RunStore,
    prepared: Prepared,
    *,
    output_dir: str | None = None,
    force: bool = False,
    source: str = "cli",
    run_id: str | None = None,
) -> Started:
    run_id = run_id or prepared.run_id
    timeout = prepared.config.defaults.timeout
    scope = config_scope(prepared.config_path)
    ttl = run_ttl(timeout)
    # the lock outlives the slowest possible run: the last unit starts by the deadline, its
    # worker dies, it is redelivered after the visibility timeout and runs to its hard
    # limit; then the callback gets as long again
    limits = TimeLimits.from_timeout(timeout)
    lock_ttl = int(timeout + limits.visibility + 2 * limits.hard + 300)
    holder = store.acquire_lock(scope, run_id, lock_ttl, force)
    # a lock whose run has ended (its release lost, e.g. with a Redis restart) is stale
    if (
        holder is not None
        and store.status(holder) in ("done", "failed")
        and store.take_over_lock(scope, holder, run_id, lock_ttl)
    ):
        holder = None
    if holder is not None:
        raise RunError(
            f"run {holder} of {prepared.config_path} is still running "
            f"(`driftq status {holder}`); wait for it to finish, `driftq cancel {holder}`, "
            "or pass --force"
        )
    cap = prepared.config.monitoring.concurrent_accounts
    accounts = account_units(prepared.units) if cap > 0 else []
    meta = RunMeta(
        run_id=run_id,
        config_path=str(prepared.config_path),
        config_sha256=prepared.digest,
        selection=prepared.selection,
        started_at=utc_now(),
        deadline=time.time() + timeout,
        total=len(prepared.units),
        scope=scope,
        output_dir=output_dir or "",
        source=source,
        concurrent_accounts=cap,
        accounts=len(accounts),
    )
    # with a cap, the first `cap` accounts go now; each account's last unit sends the next
    first = accounts[cap - 1][1] + accounts[cap - 1][2] if 0 < cap < len(accounts) else None
    store.create(meta, prepared.units, ttl, accounts)
    if prepared.config.accounts_from is not None:
        save_org_accounts(store, run_id, prepared.discovered, ttl)
    try:
        send_units(run_id, prepared.units, first, store.url)
    except BaseException as exc:
        # a run sent in part never completes: say so in the run's record
        store.fail(run_id, f"dispatch failed: {exc}")
        store.release_lock(scope, run_id)
        raise
    return Started(run_id, len(prepared.units), prepared.accounts)


def scan_kwargs(run_id: str, unit: Unit) -> dict[str, str]:
    """A scan task's arguments: names only, readable in Flower, never a credential."""
    return {
        "run_id": run_id,
        "account": unit.account,
        "region": unit.region,
        "service": unit.service,
    }


def shadow_name(unit: Unit) -> str:
    """How Flower and the worker logs name a scan task: the unit it scans."""
    return f"scan {unit.label()}"


def send_units(run_id: str, units: Sequence[Unit], first: int | None, url: str = "") -> None:
    """A scan task per unit: the first ``first`` of them now (all without an account cap),
    the rest by wave. No chord: each unit records its result in the run's counters and the
    unit that completes them sends finalize (store._RECORD), so a unit may end as a real
    FAILURE (visible as such in Flower) and the report still comes out. A run without
    units is finalized at once."""
    with broker_errors(url):
        if not units:
            send_finalize(run_id)
            return
        publish(run_id, list(enumerate(units))[:first])


def publish_wave(run_id: str, units: Sequence[Unit], account: AccountUnits) -> None:
    """Send one account's units (called by the task that finished the previous account's
    last unit). Task ids are fixed per unit, so a repeat is harmless: results overwrite
    themselves and each unit is counted once. Broker errors are raised as they are: the
    task waits for Redis and tries again."""
    _, first, count = account
    publish(run_id, list(enumerate(units))[first : first + count])


def send_finalize(run_id: str) -> None:
    """The run's callback on the `finalize` queue (one fixed task id per run)."""
    app.send_task(
        FINALIZE_TASK,
        args=(run_id,),
        task_id=f"{run_id}:finalize",
        queue=QueueName.FINALIZE.value,
        shadow=f"finalize {run_id}",
    )


def publish(run_id: str, indexed: Sequence[tuple[int, Unit]]) -> None:
    with app.producer_or_acquire() as producer, producer.batch(_PUBLISH_BATCH):
        for index, unit in indexed:
            kwargs = scan_kwargs(run_id, unit)
            app.send_task(
                SCAN_TASK,
                task_id=f"{run_id}:{index}",
                kwargs=kwargs,
                queue=queue_for(unit.service).value,
                producer=producer,
                shadow=shadow_name(unit),
                # the full result is in the run store; Flower reads states from events
                ignore_result=True,
                add_to_parent=False,
                argsrepr="()",
                kwargsrepr=repr(kwargs),
            )


@contextmanager
def broker_errors(url: str = "") -> Iterator[None]:
    try:
        with redis_errors(url):
            yield
    except kombu.exceptions.OperationalError as exc:
        raise RunError(f"cannot send tasks to the broker at {masked(url)}: {exc}") from exc
