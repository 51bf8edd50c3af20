"""Cluster-wide AWS call budgets: one token bucket in Redis per (account, region, service).

Every worker process takes a token before each HTTP attempt it sends to AWS (a botocore
`before-send` hook, so retries pay too); when the bucket is empty it reserves the next token
and sleeps until that token is due. A unit whose bucket is empty when it starts does not
sleep in its worker slot: the task goes back to the queue with a countdown until the bucket
refills (`unit_wait`), and the slot scans another account meanwhile. The bucket
lives in Redis and is updated by one Lua script, so all workers of the cluster share it and
never overdraw it: over any window of t seconds one bucket grants at most burst + refill * t.
When AWS still answers with a throttling error, the bucket is emptied so the whole cluster
backs off, while botocore's standard retry mode retries that call with backoff.

Celery's `rate_limit` is not used: it is per worker and per task, not per AWS account.

Budgets: `DEFAULT_LIMITS` below (AWS's published rates) times `monitoring.rate_limits.share`
(default 0.5: the account's own workloads draw on the same AWS buckets), overridden by
`monitoring.rate_limits` in the config, whose keys are `<service>`, `<account>/<service>` or
`<account>/<region>/<service>`, the account named or given by its 12-digit id (the most
specific key wins; an override is taken as given, not scaled by the share). Buckets are keyed by account
id: two config entries for one AWS account share its budget, as they share AWS's.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import redis

from driftq.aws.access import Hook, Identity
from driftq.aws.errors import THROTTLING
from driftq.config_models import ALL_SERVICES, Account, Config, RateLimit
from driftq.errors import ConfigError
from driftq.model import GLOBAL, Unit
from driftq.resources.services import budgets

log = logging.getLogger(__name__)

# Each client's default budget and where its figure comes from are declared with the service,
# in driftq/resources/services.py. Tune them in the config.
DEFAULT_LIMITS: dict[str, RateLimit] = {
    name: RateLimit(burst=budget.burst, refill_per_second=budget.refill_per_second)
    for name, budget in budgets().items()
}
FALLBACK_LIMIT = RateLimit(burst=20, refill_per_second=5)
# Reading state objects is budgeted apart from S3's bucket-configuration calls: AWS publishes
# 5,500 GET/HEAD requests per second per prefix, and every account's states often live in
# one central bucket, read by one role, so they would all share one small `s3` bucket
OBJECT_READS = frozenset({"GetObject", "ListObjectsV2"})
OBJECT_READS_BUCKET = "s3-objects"
OBJECT_READS_LIMIT = RateLimit(burst=5500, refill_per_second=5500)
CALLER = "caller"  # the account of driftq's own credentials (no role to assume)

# Reserves `want` tokens and returns the seconds until they are due (0 = now). The balance
# may go negative: each caller then waits its turn, first come first served, and no caller
# polls. Redis' own clock (TIME) keeps every worker on one time line.
_TAKE = """
local burst, rate, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens, ts = burst, now
if state[1] then tokens = tonumber(state[1]); ts = tonumber(state[2]) end
if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate) end
tokens = tokens - want
local wait = 0
if tokens < 0 then wait = -tokens / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 60000)
return tostring(wait)
"""
# The seconds until one token is free, reserving nothing (0: one is free now).
_PEEK = """
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
if not state[1] then return '0' end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate)
if tokens >= 1 then return '0' end
return tostring((1 - tokens) / rate)
"""
# Empties the bucket after AWS throttled us anyway: spare tokens go, reservations stay.
_DRAIN = """
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = 0
if state[1] then tokens = tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate end
tokens = math.min(tokens, 0)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 60000)
return 1
"""


def bucket_key(account_id: str, region: str, service: str) -> str:
    return f"driftq:bucket:{account_id}:{region}:{service}"


def account_of(identity: Identity) -> str:
    """The AWS account an identity acts in: the role's account, or the caller's."""
    if identity.role_arn:
        return identity.role_arn.split(":")[4]
    return CALLER


def shared(limit: RateLimit, share: float) -> RateLimit:
    """``share`` of a published budget."""
    if share >= 1:
        return limit
    return RateLimit(
        burst=max(1, round(limit.burst * share)),
        refill_per_second=limit.refill_per_second * share,
    )


def resolve_limit(
    overrides: dict[str, RateLimit],
    names: Iterable[str],
    region: str,
    service: str,
    share: float = 1.0,
) -> RateLimit:
    """The budget of one bucket. ``names``: what the account goes by in the config (its
    names and its id); when two of them carry different overrides, the smaller one wins.
    ``share`` scales the defaults, not the overrides."""
    aliases = list(names)
    for pattern in ("{a}/{r}/{s}", "{a}/{s}"):
        found = [
            overrides[key]
            for key in (pattern.format(a=a, r=region, s=service) for a in aliases)
            if key in overrides
        ]
        if found:
            return min(found, key=lambda limit: (limit.refill_per_second, limit.burst))
    return overrides.get(service) or shared(DEFAULT_LIMITS.get(service, FALLBACK_LIMIT), share)


def check_overrides(config: Config) -> None:
    """ConfigError for a `monitoring.rate_limits` key that names nothing we know."""
    accounts = {a.name: a for a in config.accounts} | {a.account_id: a for a in config.accounts}
    services = set(ALL_SERVICES) | set(DEFAULT_LIMITS)
    for key in config.monitoring.rate_limit_overrides:
        parts = key.split("/")
        where = f"monitoring.rate_limits.{key}"
        if len(parts) > 3 or parts[-1] not in services:
            raise ConfigError(
                f"{where}: use <service>, <account>/<service> or <account>/<region>/<service> "
                f"with a service among {', '.join(sorted(services))}"
            )
        if len(parts) > 1 and parts[0] not in accounts:
            raise ConfigError(f"{where}: no account {parts[0]!r} (a name or an id) in the config")
        if len(parts) == 3 and parts[1] not in accounts[parts[0]].regions:
            raise ConfigError(f"{where}: account {parts[0]!r} does not scan region {parts[1]!r}")


class TokenBuckets:
    """The Redis side: atomic take and drain, and a blocking acquire."""

    def __init__(self, client: redis.Redis, sleep: Callable[[float], None] = time.sleep) -> None:
        self._take = client.register_script(_TAKE)
        self._drain = client.register_script(_DRAIN)
        self._peek = client.register_script(_PEEK)
        self._sleep = sleep
        self._warned = False

    def take(self, key: str, limit: RateLimit, tokens: int = 1) -> float:
        """Reserve ``tokens``; returns the seconds until they are due (0.0: now)."""
        return float(
            self._take(keys=[key], args=[limit.burst, limit.refill_per_second, tokens])  # type: ignore[arg-type]
        )

    def acquire(self, key: str, limit: RateLimit) -> float:
        """Block until one token is ours; returns the seconds waited. If Redis is down the
        call goes ahead (AWS's own throttling and botocore's retries still protect us)."""
        try:
            wait = self.take(key, limit)
        except redis.exceptions.RedisError as exc:
            if not self._warned:
                log.warning("rate limiter unavailable, calling AWS unthrottled: %s", exc)
                self._warned = True
            return 0.0
        if wait > 0:
            self._sleep(wait)
        return wait

    def wait_for_one(self, key: str, limit: RateLimit) -> float:
        """Seconds until a token is free, taking none (0.0 also when Redis is down)."""
        try:
            return float(self._peek(keys=[key], args=[limit.burst, limit.refill_per_second]))  # type: ignore[arg-type]
        except redis.exceptions.RedisError:
            return 0.0

    def drain(self, key: str, limit: RateLimit) -> None:
        with contextlib.suppress(redis.exceptions.RedisError):
            self._drain(keys=[key], args=[limit.burst, limit.refill_per_second])


class RateLimiter:
    """Hands AwsAccess the hooks of each client: its bucket follows its account and region."""

    def __init__(self, buckets: TokenBuckets, config: Config) -> None:
        self._buckets = buckets
        self._overrides = config.monitoring.rate_limit_overrides
        self._share = config.monitoring.rate_limit_share
        self._names: dict[str, list[str]] = {}
        for account in config.accounts:
            self._names.setdefault(account.account_id, [account.account_id]).append(account.name)

    def bucket(self, identity: Identity, service: str, region: str) -> tuple[str, RateLimit]:
        account_id = account_of(identity)
        names = self._names.get(account_id, [account_id])
        limit = resolve_limit(self._overrides, names, region, service, self._share)
        return bucket_key(account_id, region, service), limit

    def unit_wait(self, account: Account, unit: Unit) -> float:
        """Seconds until the bucket of ``unit``'s own service has a token (0: go now).

        Asked before a unit starts, so that a unit facing an empty bucket waits in the queue
        rather than in a worker slot. Only the unit's main bucket: helpers (STS, the tagging
        API) and the state reads are not checked, and any wait inside a unit still sleeps."""
        region = account.regions[0] if unit.region == GLOBAL else unit.region
        key, limit = self.bucket(Identity(account.role_arn), unit.service, region)
        return self._buckets.wait_for_one(key, limit)

    def client_hooks(self, identity: Identity, service: str, region: str) -> list[Hook]:
        main = self.bucket(identity, service, region)
        objects = main
        if service == "s3":  # state reads: S3's per-prefix object budget, not the bucket APIs'
            account_id = account_of(identity)
            objects = (
                bucket_key(account_id, region, OBJECT_READS_BUCKET),
                shared(OBJECT_READS_LIMIT, self._share),
            )
        buckets = self._buckets

        def which(event_name: str) -> tuple[str, RateLimit]:
            return objects if event_name.rsplit(".", 1)[-1] in OBJECT_READS else main

        def take_token(event_name: str = "", **_: Any) -> None:
            buckets.acquire(*which(event_name))  # returns None: botocore then sends it

        def on_response(parsed_response: Any = None, event_name: str = "", **_: Any) -> None:
            # fires for every attempt, before botocore decides to retry it
            code = ((parsed_response or {}).get("Error") or {}).get("Code")
            if code in THROTTLING:
                buckets.drain(*which(event_name))

        return [("before-send", take_token), ("response-received", on_response)]
