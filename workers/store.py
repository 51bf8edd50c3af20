"""The run store: everything a run keeps in Redis, under one key layout.

    driftq:run:<id>                hash   metadata (config path + digest, selection, totals,
                                          status: running | done | failed, report status)
    driftq:run:<id>:units          string the planned units, JSON (the callback's checklist)
    driftq:run:<id>:unit:<label>   string one unit's full UnitResult JSON (SET: a unit scanned
                                          twice leaves one, identical, value)
    driftq:run:<id>:done|failed    sets   unit labels; their sizes are the progress counters
    driftq:run:<id>:accounts       string with concurrent_accounts: accounts in dispatch order,
                                          each [name, first unit index, unit count]
    driftq:run:<id>:left|next|triggers    units left per account, the next account to send,
                                          and which unit's completion sent which account
    driftq:run:<id>:timing         hash   per unit label: worker, start time, seconds (kept
                                          out of the results, which stay identical on repeat)
    driftq:run:<id>:finalize_by    string the unit whose result completed the count: it sends
                                          finalize (again, when it is redelivered)
    driftq:run:<id>:finalizing     string claim: one callback at a time
    driftq:run:<id>:sent:<step>    string the callback sent notifications/approvals (set first)
    driftq:run:<id>:files          hash   the report files by relative path, for `--wait`
                                          (zlib-compressed, base64: pack_file/unpack_file)
    driftq:lock:<scope>            string the run lock of one config: the running run's id
    driftq:runs                    zset   recent run ids by start time (`driftq runs`, the
                                          watchdog): the last RECENT_RUNS within the TTL

Every key expires (settings.run_ttl). Nothing here holds a credential: runs carry names.
Redis errors become RunError at this boundary.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

import redis
from redis.typing import EncodableT

from driftq.errors import RunError
from driftq.model import Unit, UnitResult
from driftq.plan import Selection
from workers.settings import masked

PREFIX = "driftq"
AccountUnits = tuple[str, int, int]  # account, index of its first unit, number of units
_MGET_CHUNK = 500
RUNS_KEY = f"{PREFIX}:runs"
RECENT_RUNS = 1000
# One unit's result, stored and counted in one step. Idempotent: a repeat overwrites the same
# value and is counted once (SADD). With concurrent_accounts, the unit that finishes its
# account's last unit claims the next account to send and is recorded as its trigger, so a
# redelivered trigger sends that account again (its task ids make the repeat harmless).
# The unit whose result completes the count claims the run's finalize (the callback comes
# from these counters, not from a chord); a redelivered claimer is told to send it again
# (finalize runs once whatever it is sent: callback.py).
# KEYS: result, timing, done, failed, left, next, triggers, finalize claim
# ARGV: label, value, timing, ttl, status, account, accounts in the run (0: no waves),
#       units in the run (0: unknown, never finalize)
# Returns {index of the account to send next or -1, 1 when this unit sends finalize}
_RECORD = """
local label, ttl, total = ARGV[1], tonumber(ARGV[4]), tonumber(ARGV[7])
local units = tonumber(ARGV[8])
redis.call('SET', KEYS[1], ARGV[2], 'EX', ttl)
redis.call('HSET', KEYS[2], label, ARGV[3])
if ARGV[5] == 'error' then
  redis.call('SADD', KEYS[4], label)
else
  redis.call('SREM', KEYS[4], label)
end
local first = redis.call('SADD', KEYS[3], label)
for i = 2, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
local wave = -1
if total > 0 then
  local claimed = redis.call('HGET', KEYS[7], label)
  if claimed then
    wave = tonumber(claimed)
  elseif first == 1 and redis.call('HINCRBY', KEYS[5], ARGV[6], -1) == 0 then
    local nxt = redis.call('INCR', KEYS[6]) - 1
    if nxt < total then
      redis.call('HSET', KEYS[7], label, nxt)
      redis.call('EXPIRE', KEYS[7], ttl)
      wave = nxt
    end
  end
end
local fin = 0
if units > 0 then
  local by = redis.call('GET', KEYS[8])
  if by == label then
    fin = 1
  elseif not by and redis.call('SCARD', KEYS[3]) >= units then
    redis.call('SET', KEYS[8], label, 'EX', ttl)
    fin = 1
  end
end
return {wave, fin}
"""
# compare-and-delete: only the run that holds a lock may release it
_RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# compare-and-set: take a lock over from a given holder only (one of two submits wins)
_TAKE_OVER_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
  return 1
end
return 0
"""


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, decode_responses=True, socket_connect_timeout=5, socket_timeout=60
    )


@contextmanager
def redis_errors(url: str) -> Iterator[None]:
    try:
        yield
    except redis.exceptions.ConnectionError as exc:
        raise RunError(
            f"cannot reach Redis at {masked(url)} (set DRIFTQ_REDIS_URL): {exc}"
        ) from exc
    except redis.exceptions.RedisError as exc:
        raise RunError(f"Redis at {masked(url)}: {exc}") from exc


def pack_file(path: Path) -> str:
    """A file's bytes, compressed in chunks (a report can be tens of MB), as base64 text."""
    packer = zlib.compressobj(6)
    chunks: list[bytes] = []
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            chunks.append(packer.compress(block))
    chunks.append(packer.flush())
    return base64.b64encode(b"".join(chunks)).decode("ascii")


def unpack_file(packed: str) -> bytes:
    return zlib.decompress(base64.b64decode(packed))


def run_key(run_id: str, part: str = "") -> str:
    return f"{PREFIX}:run:{run_id}" + (f":{part}" if part else "")


@dataclass(frozen=True)
class RunMeta:
    run_id: str
    config_path: str
    config_sha256: str
    selection: Selection
    started_at: str
    deadline: float
    total: int
    scope: str
    output_dir: str = ""
    source: str = "cli"
    # with a cap, units are sent account by account (dispatch.py); 0 sends all at once
    concurrent_accounts: int = 0
    accounts: int = 0

    def to_hash(self) -> dict[EncodableT, EncodableT]:
        data = asdict(self)
        data["selection"] = json.dumps(self.selection.to_json())
        return {k: str(v) for k, v in data.items()}

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> RunMeta:
        return cls(
            run_id=data["run_id"],
            config_path=data["config_path"],
            config_sha256=data["config_sha256"],
            selection=Selection.from_json(json.loads(data["selection"])),
            started_at=data["started_at"],
            deadline=float(data["deadline"]),
            total=int(data["total"]),
            scope=data["scope"],
            output_dir=data.get("output_dir", ""),
            source=data.get("source", "cli"),
            concurrent_accounts=int(data.get("concurrent_accounts", 0)),
            accounts=int(data.get("accounts", 0)),
        )


class Recorded(NamedTuple):
    next_wave: int  # index of the account whose units the recording task must send, or -1
    finalize: bool  # this unit completed the run's count: it sends finalize


@dataclass(frozen=True)
class RunProgress:
    done: int
    failed: int
    status: str
    error: str = ""


class RunStore:
    def __init__(self, client: redis.Redis, url: str = "") -> None:
        self.client = client
        self.url = url
        self._release = client.register_script(_RELEASE_LOCK)
        self._take_over = client.register_script(_TAKE_OVER_LOCK)
        self._record = client.register_script(_RECORD)

    @classmethod
    def from_url(cls, url: str) -> RunStore:
        store = cls(connect(url), url)
        with redis_errors(url):
            store.client.ping()
        return store

    # -- run lock -----------------------------------------------------------------------
    def acquire_lock(self, scope: str, run_id: str, ttl: int, force: bool) -> str | None:
        """None when taken; else the id of the run holding it. ``force`` takes it anyway."""
        key = f"{PREFIX}:lock:{scope}"
        with redis_errors(self.url):
            if force:
                self.client.set(key, run_id, ex=ttl)
                return None
            if self.client.set(key, run_id, ex=ttl, nx=True):
                return None
            return str(self.client.get(key) or "?")

    def take_over_lock(self, scope: str, holder: str, run_id: str, ttl: int) -> bool:
        """Take the lock from ``holder`` (a run that ended without releasing it)."""
        with redis_errors(self.url):
            key = f"{PREFIX}:lock:{scope}"
            return bool(self._take_over(keys=[key], args=[holder, run_id, ttl]))

    def release_lock(self, scope: str, run_id: str) -> None:
        self._release(keys=[f"{PREFIX}:lock:{scope}"], args=[run_id])

    # -- a run's life -------------------------------------------------------------------
    def create(
        self, meta: RunMeta, units: list[Unit], ttl: int, accounts: list[AccountUnits]
    ) -> None:
        """The run's record. ``accounts`` (with a cap only): each account's run of units."""
        key = run_key(meta.run_id)
        units_json = json.dumps([[u.account, u.region, u.service] for u in units])
        with redis_errors(self.url), self.client.pipeline() as pipe:
            redis_id = self.server_id()
            pipe.hset(key, mapping={**meta.to_hash(), "status": "running", "redis": redis_id})
            pipe.expire(key, ttl)
            # the index of recent runs: bounded in count and age
            now = time.time()
            pipe.zadd(RUNS_KEY, {meta.run_id: now})
            pipe.zremrangebyscore(RUNS_KEY, "-inf", now - ttl)
            pipe.zremrangebyrank(RUNS_KEY, 0, -RECENT_RUNS - 1)
            pipe.expire(RUNS_KEY, ttl)
            pipe.set(run_key(meta.run_id, "units"), units_json, ex=ttl)
            if meta.concurrent_accounts > 0:
                pipe.set(run_key(meta.run_id, "accounts"), json.dumps(accounts), ex=ttl)
                left: dict[EncodableT, EncodableT] = {name: n for name, _, n in accounts}
                pipe.hset(run_key(meta.run_id, "left"), mapping=left)
                pipe.expire(run_key(meta.run_id, "left"), ttl)
                pipe.set(run_key(meta.run_id, "next"), meta.concurrent_accounts, ex=ttl)
            pipe.execute()

    def server_id(self) -> str:
        """Redis' own run id: it changes when redis-server restarts (the watchdog's cue to
        send again what a restart may have lost). Empty where INFO is not allowed."""
        try:
            return str(self.client.info("server").get("run_id", ""))
        except redis.exceptions.ResponseError:  # a managed Redis that disables INFO
            return ""

    def recent_runs(self, limit: int = RECENT_RUNS) -> list[str]:
        """Run ids, newest first."""
        with redis_errors(self.url):
            return [str(r) for r in self.client.zrevrange(RUNS_KEY, 0, limit - 1)]

    def account_units(self, run_id: str) -> list[AccountUnits]:
        raw = self.client.get(run_key(run_id, "accounts"))
        return [(a, int(first), int(n)) for a, first, n in json.loads(raw)] if raw else []  # type: ignore[arg-type]

    def meta(self, run_id: str) -> RunMeta | None:
        data = self.client.hgetall(run_key(run_id))
        return RunMeta.from_hash(data) if data else None  # type: ignore[arg-type]

    def ttl(self, run_id: str) -> int:
        remaining = int(self.client.ttl(run_key(run_id)))  # type: ignore[arg-type]
        return remaining if remaining > 0 else 86400

    def record(
        self,
        run_id: str,
        result: UnitResult,
        timing: dict[str, Any],
        waves_of: int = 0,
        units: int = 0,
    ) -> Recorded:
        """Store one unit's result and count it. ``waves_of`` > 0: the run's account count
        (concurrent_accounts); ``units`` > 0: the run's unit count, so the unit that
        completes it is told to send finalize."""
        label = result.unit.label()
        data = result.to_json()
        data["duration_s"] = 0.0  # timing lives apart, so a repeat writes the same value
        value = json.dumps(data, sort_keys=True, separators=(",", ":"))
        parts = ("timing", "done", "failed", "left", "next", "triggers", "finalize_by")
        keys = [run_key(run_id, f"unit:{label}"), *(run_key(run_id, p) for p in parts)]
        args: list[EncodableT] = [label, value, json.dumps(timing), self.ttl(run_id)]
        args += [result.status, result.unit.account, waves_of, units]
        wave, fin = self._record(keys=keys, args=args)  # type: ignore[misc]
        return Recorded(int(wave), bool(int(fin)))

    def progress(self, run_id: str) -> RunProgress:
        with redis_errors(self.url), self.client.pipeline() as pipe:
            pipe.scard(run_key(run_id, "done"))
            pipe.scard(run_key(run_id, "failed"))
            pipe.hmget(run_key(run_id), ["status", "error"])
            done, failed, (status, error) = pipe.execute()
        return RunProgress(int(done), int(failed), status or "unknown", error or "")

    def units(self, run_id: str) -> list[Unit]:
        raw = self.client.get(run_key(run_id, "units"))
        return [Unit(a, r, s) for a, r, s in json.loads(raw)] if raw else []  # type: ignore[arg-type]

    def results(
        self, run_id: str, units: Iterable[Unit]
    ) -> Iterator[tuple[Unit, UnitResult | None]]:
        """Each unit with its stored result (None when none was stored), in chunks."""
        units = list(units)
        for start in range(0, len(units), _MGET_CHUNK):
            chunk = units[start : start + _MGET_CHUNK]
            values = self.client.mget([run_key(run_id, f"unit:{u.label()}") for u in chunk])
            for unit, value in zip(chunk, values, strict=True):  # type: ignore[arg-type]
                yield unit, UnitResult.from_json(json.loads(value)) if value else None

    def timing(self, run_id: str) -> dict[str, dict[str, Any]]:
        """Per unit label: the worker that stored its result, its start time and seconds."""
        raw: dict[str, str] = self.client.hgetall(run_key(run_id, "timing"))  # type: ignore[assignment]
        return {label: json.loads(value) for label, value in raw.items()}

    def claim_finalize(self, run_id: str, ttl: float) -> bool:
        key = run_key(run_id, "finalizing")
        return bool(self.client.set(key, "1", nx=True, ex=max(1, int(ttl))))

    def finish(self, run_id: str, fields: dict[str, Any], files: dict[str, str]) -> None:
        ttl = self.ttl(run_id)
        with self.client.pipeline() as pipe:
            if files:
                packed: dict[EncodableT, EncodableT] = {k: v for k, v in files.items()}
                pipe.hset(run_key(run_id, "files"), mapping=packed)
                pipe.expire(run_key(run_id, "files"), ttl)
            pipe.hset(run_key(run_id), mapping={k: str(v) for k, v in fields.items()})
            pipe.delete(run_key(run_id, "finalizing"))
            pipe.execute()

    def fail(self, run_id: str, error: str) -> None:
        with contextlib.suppress(redis.exceptions.RedisError):
            self.client.hset(run_key(run_id), mapping={"status": "failed", "error": error})

    def mark_sent(self, run_id: str, step: str) -> bool:
        """Record that the run's callback sends ``step`` (notifications, approvals): True the
        first time only. Recorded before sending, so a callback that crashed after sending
        and runs again does not send twice."""
        key = run_key(run_id, f"sent:{step}")
        return bool(self.client.set(key, "1", nx=True, ex=self.ttl(run_id)))

    def cancel(self, run_id: str) -> bool:
        """Mark a running run as cancelled: its units not yet started record themselves as
        cancelled instead of scanning. False when the run is not running."""
        with redis_errors(self.url):
            if self.status(run_id) != "running":
                return False
            self.client.hset(run_key(run_id), "cancelled", "1")
            return True

    def cancelled(self, run_id: str) -> bool:
        return self.client.hget(run_key(run_id), "cancelled") == "1"

    def status(self, run_id: str) -> str:
        return str(self.client.hget(run_key(run_id), "status") or "")

    def files(self, run_id: str) -> dict[str, str]:
        with redis_errors(self.url):
            return self.client.hgetall(run_key(run_id, "files"))  # type: ignore[return-value]
