"""What a worker process keeps between tasks: the run store, and per recent run its config,
its Engine (states read once per process per run) and its limits.

Workers find a run's config by the path recorded at submit; the file's digest must match,
so every worker scans with the config the run was submitted with. Credentials never come
from Redis: AssumeRole happens here, in the worker, from the worker's own AWS identity.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from driftq.aws import AwsAccess
from driftq.config_models import Config
from driftq.engine import Engine
from driftq.errors import ConfigError, DriftqError, RunError
from driftq.model import Unit, UnitResult
from workers.dispatch import publish_wave
from workers.ratelimit import RateLimiter, TokenBuckets
from workers.run_accounts import run_config
from workers.settings import redis_url
from workers.store import AccountUnits, RunMeta, RunStore, connect

_CACHED_RUNS = 4
# accounts whose parsed states a process keeps per run: a pool process scans one unit at a
# time, and an account's units mostly arrive together (its wave, or its stretch of the plan)
_CACHED_ACCOUNTS = 4


def file_digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class RunContext:
    meta: RunMeta
    config: Config
    engine: Engine
    # with concurrent_accounts: the plan, and each account's stretch of it (for the waves)
    units: list[Unit] = field(default_factory=list)
    accounts: list[AccountUnits] = field(default_factory=list)
    limiter: RateLimiter | None = None  # the run's AWS budgets, asked before a unit starts


class Outcome(NamedTuple):
    result: UnitResult
    next_wave: int  # index of the account whose units this task must send, or -1
    finalize: bool = False  # this unit completed the run: it sends finalize


def error_result(unit: Unit, code: str, message: str) -> UnitResult:
    return UnitResult(unit, "error", error_code=code, error_message=message)


class Runtime:
    _current: Runtime | None = None
    _pid = 0

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self.buckets = TokenBuckets(store.client)
        self._runs: OrderedDict[str, RunContext] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def current(cls) -> Runtime:
        """The process's runtime, built lazily: pool children must not share sockets."""
        if cls._current is None or cls._pid != os.getpid():
            url = redis_url()
            cls._current = cls(RunStore(connect(url), url))
            cls._pid = os.getpid()
        return cls._current

    def context(self, run_id: str) -> RunContext:
        with self._lock:
            if run_id in self._runs:
                self._runs.move_to_end(run_id)
                return self._runs[run_id]
        meta = self.store.meta(run_id)
        if meta is None:
            raise RunError(f"run {run_id} is unknown to Redis (expired, or never submitted)")
        try:
            digest = file_digest(meta.config_path)
        except OSError as exc:
            raise ConfigError(
                f"{meta.config_path}: cannot read the run's config: {exc.strerror}"
            ) from exc
        if digest != meta.config_sha256:
            raise RunError(
                f"{meta.config_path} on this worker differs from the file the run was "
                "submitted with: mount the same config on every machine"
            )
        config = run_config(self.store, meta)
        limiter = RateLimiter(self.buckets, config)
        # one AwsAccess per run: its role sessions are named after the run (CloudTrail)
        aws = AwsAccess(
            max_pool_connections=10,
            client_hooks=limiter.client_hooks,
            run_id=run_id,
            source_identity=config.defaults.source_identity,
        )
        engine = Engine(config, meta.selection, aws, max_indexes=_CACHED_ACCOUNTS)
        ctx = RunContext(meta, config, engine, limiter=limiter)
        if meta.concurrent_accounts > 0:
            ctx.units = self.store.units(run_id)
            ctx.accounts = self.store.account_units(run_id)
        with self._lock:
            self._runs[run_id] = ctx
            while len(self._runs) > _CACHED_RUNS:
                self._runs.popitem(last=False)
        return ctx

    def forget(self, run_id: str) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    def result_of(self, run_id: str, unit: Unit, redelivered: bool = False) -> UnitResult:
        """Scan one unit. Raises Redis errors; everything else becomes an error result.

        Units that start after the run's deadline (a backlog) are reported as timed out,
        except redelivered ones: their first worker took them in time and was lost, and
        the redelivery always comes late (the visibility timeout exceeds the time limit).
        Units of a cancelled run are not scanned (`driftq cancel`)."""
        try:
            ctx = self.context(run_id)
        except DriftqError as exc:
            return error_result(unit, type(exc).__name__, str(exc))
        if self.store.cancelled(run_id):
            return error_result(unit, "Cancelled", "the run was cancelled before this unit ran")
        if time.time() > ctx.meta.deadline and not redelivered:
            return error_result(
                unit, "Timeout", "the run's timeout passed before this unit could start"
            )
        return ctx.engine.scan_unit(unit)

    def record(
        self, run_id: str, result: UnitResult, worker: str = "", started: float | None = None
    ) -> Outcome:
        now = time.time()
        started = now if started is None else started
        timing = {
            "worker": worker,
            "started": round(started, 3),
            "seconds": round(now - started, 3),
        }
        meta = self.store.meta(run_id) if run_id not in self._runs else self._runs[run_id].meta
        waves_of = meta.accounts if meta and meta.concurrent_accounts > 0 else 0
        units = meta.total if meta else 0
        recorded = self.store.record(run_id, result, timing, waves_of, units)
        return Outcome(result, recorded.next_wave, recorded.finalize)

    def wave_units(self, run_id: str, wave: int) -> list[Unit]:
        """The units of the run's account number ``wave`` (concurrent_accounts)."""
        _, first, count = self.store.account_units(run_id)[wave]
        return self.store.units(run_id)[first : first + count]

    def publish_wave(self, run_id: str, wave: int) -> None:
        """Send the units of the run's account number ``wave``."""
        ctx = self.context(run_id)
        publish_wave(run_id, ctx.units, ctx.accounts[wave])
