"""The Redis token bucket, the budgets' resolution and the botocore hooks."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from driftq.aws import AwsAccess, Identity
from driftq.config import parse_config
from driftq.config_models import RateLimit
from driftq.errors import ConfigError
from driftq.model import Unit
from workers.ratelimit import (
    DEFAULT_LIMITS,
    RateLimiter,
    TokenBuckets,
    bucket_key,
    check_overrides,
    resolve_limit,
)


@pytest.fixture
def client(redis_server: str) -> redis.Redis:
    return redis.Redis.from_url(redis_server, decode_responses=True)


def fresh_key() -> str:
    return f"driftq:bucket:test:{uuid.uuid4().hex}"


def test_burst_is_free_then_each_token_is_due_at_the_refill_rate(client: redis.Redis) -> None:
    buckets, key = TokenBuckets(client), fresh_key()
    limit = RateLimit(burst=3, refill_per_second=10)

    waits = [buckets.take(key, limit) for _ in range(6)]

    assert waits[:3] == [0.0, 0.0, 0.0]
    # reservations queue up: the 4th token is due in 0.1s, the 5th in 0.2s, ...
    assert waits[3:] == pytest.approx([0.1, 0.2, 0.3], abs=0.02)


def test_concurrent_takers_never_exceed_burst_plus_refill_time(client: redis.Redis) -> None:
    key, limit = fresh_key(), RateLimit(burst=5, refill_per_second=20)
    granted: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + 1.0

    def hammer() -> None:
        mine = TokenBuckets(redis.Redis(connection_pool=client.connection_pool))
        while time.monotonic() < stop:
            mine.acquire(key, limit)
            with lock:
                granted.append(time.monotonic())

    threads = [threading.Thread(target=hammer) for _ in range(6)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # every window [started, t] holds at most burst + refill * (t - started) grants
    for n, at in enumerate(sorted(granted), start=1):
        assert n <= limit.burst + limit.refill_per_second * (at - started) + 1
    assert len(granted) >= 20  # and the bucket is not starving anyone


def test_drain_keeps_reservations(client: redis.Redis) -> None:
    buckets, key = TokenBuckets(client), fresh_key()
    limit = RateLimit(burst=10, refill_per_second=1)
    buckets.take(key, limit)
    buckets.drain(key, limit)  # AWS throttled us: no spare tokens left
    assert buckets.take(key, limit) == pytest.approx(1.0, abs=0.05)


def test_redis_down_lets_calls_through() -> None:
    broken = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    assert TokenBuckets(broken).acquire("k", RateLimit(burst=1, refill_per_second=1)) == 0.0


def test_budgets_default_to_aws_published_limits_and_the_most_specific_override_wins() -> None:
    assert DEFAULT_LIMITS["ec2"] == RateLimit(burst=100, refill_per_second=20)
    overrides = {
        "ec2": RateLimit(burst=50, refill_per_second=10),
        "prod/ec2": RateLimit(burst=20, refill_per_second=5),
        "prod/eu-west-1/ec2": RateLimit(burst=2, refill_per_second=1),
        "333333333333/sqs": RateLimit(burst=7, refill_per_second=7),
        "stage/sqs": RateLimit(burst=9, refill_per_second=9),
    }
    assert resolve_limit(overrides, ["dev"], "us-east-1", "ec2").burst == 50
    assert resolve_limit(overrides, ["prod"], "us-east-1", "ec2").burst == 20
    assert resolve_limit(overrides, ["prod"], "eu-west-1", "ec2").burst == 2
    assert resolve_limit(overrides, ["prod"], "us-east-1", "iam") == DEFAULT_LIMITS["iam"]
    # one AWS account under two names: the smaller budget holds
    assert resolve_limit(overrides, ["333333333333", "stage"], "us-east-1", "sqs").burst == 7


def config_with(limits: str) -> Any:
    return parse_config(f"""
version: "1.0"
accounts:
  - {{name: prod, account_id: "333333333333", regions: [us-east-1],
      state_backend: {{type: local, path: /dev/null}}}}
monitoring:
  rate_limits: {limits}
""")


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ("{ec3: {burst: 1, refill_per_second: 1}}", "with a service among"),
        ("{nobody/ec2: {burst: 1, refill_per_second: 1}}", "no account 'nobody'"),
        ("{prod/eu-west-3/ec2: {burst: 1, refill_per_second: 1}}", "does not scan region"),
        ("{a/b/c/ec2: {burst: 1, refill_per_second: 1}}", "use <service>"),
    ],
)
def test_unknown_override_keys_are_config_errors(limits: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_overrides(config_with(limits))


def test_every_key_form_is_accepted() -> None:
    check_overrides(
        config_with(
            "{ec2: {burst: 1, refill_per_second: 1}, prod/iam: {burst: 1, refill_per_second: 1},"
            " 333333333333/us-east-1/sqs: {burst: 1, refill_per_second: 1}}"
        )
    )


def test_every_aws_call_takes_a_token_from_its_accounts_bucket(
    client: redis.Redis, account: Any
) -> None:
    config = parse_config(f"""
version: "1.0"
accounts:
  - {{name: prod, account_id: "{account.id}", role_arn: "{account.role_arn}",
      regions: [eu-west-1], state_backend: {{type: local, path: /dev/null}}}}
monitoring:
  rate_limits: {{prod/ec2: {{burst: 50, refill_per_second: 0.001}}}}
""")
    limiter = RateLimiter(TokenBuckets(client), config)
    aws = AwsAccess(client_hooks=limiter.client_hooks)
    key = bucket_key(account.id, "eu-west-1", "ec2")
    client.delete(key)

    ec2 = aws.client(Identity(account.role_arn, "ext-id"), "ec2", "eu-west-1")
    ec2.describe_vpcs()
    ec2.describe_subnets()

    assert float(client.hget(key, "tokens") or 0) == pytest.approx(48, abs=0.05)


def test_state_object_reads_have_their_own_budget(client: redis.Redis, account: Any) -> None:
    """Every account's states often sit in one central bucket read by one role: they take
    from S3's object budget (5,500/s per prefix), not from the small bucket-API one."""
    config = config_with("{share: 1.0}")
    limiter = RateLimiter(TokenBuckets(client), config)
    aws = AwsAccess(client_hooks=limiter.client_hooks)
    objects = bucket_key(account.id, "us-east-1", "s3-objects")
    settings = bucket_key(account.id, "us-east-1", "s3")
    client.delete(objects, settings)
    s3 = aws.client(Identity(account.role_arn, "ext-id"), "s3", "us-east-1")
    account.client("s3").create_bucket(Bucket=f"states-{account.id}")
    account.client("s3").put_object(Bucket=f"states-{account.id}", Key="a.tfstate", Body=b"{}")
    s3.list_objects_v2(Bucket=f"states-{account.id}")
    s3.get_object(Bucket=f"states-{account.id}", Key="a.tfstate")
    s3.list_buckets()
    assert float(client.hget(objects, "tokens") or 0) == pytest.approx(5498, abs=1)
    assert float(client.hget(settings, "tokens") or 0) == pytest.approx(
        DEFAULT_LIMITS["s3"].burst - 1, abs=0.5
    )


def test_defaults_take_the_configured_share_of_aws_budgets_overrides_stay() -> None:
    default = config_with("{prod/sqs: {burst: 8, refill_per_second: 4}}")
    half = RateLimiter(TokenBuckets(redis.Redis()), default)
    assert half.bucket(Identity("arn:aws:iam::333333333333:role/r"), "ec2", "us-east-1")[1] == (
        RateLimit(burst=50, refill_per_second=10)
    )
    assert half.bucket(Identity("arn:aws:iam::333333333333:role/r"), "sqs", "us-east-1")[1] == (
        RateLimit(burst=8, refill_per_second=4)
    )
    full = RateLimiter(TokenBuckets(redis.Redis()), config_with("{share: 1.0}"))
    assert full.bucket(Identity(), "ec2", "us-east-1")[1] == DEFAULT_LIMITS["ec2"]
    for bad in ("{share: 0}", "{share: 1.5}", "{share: {burst: 1, refill_per_second: 1}}"):
        with pytest.raises(ConfigError, match="share"):
            config_with(bad)


def test_a_unit_facing_an_empty_bucket_is_told_how_long_to_wait(client: redis.Redis) -> None:
    """Asked before a unit starts: no token is taken, so asking never delays anyone."""
    config = config_with("{prod/ec2: {burst: 2, refill_per_second: 0.5}}")
    limiter = RateLimiter(TokenBuckets(client), config)
    account = config.accounts[0].model_copy(update={"role_arn": "arn:aws:iam::333333333333:role/r"})
    unit = Unit("prod", "us-east-1", "ec2")
    key, limit = limiter.bucket(Identity(account.role_arn), "ec2", "us-east-1")
    client.delete(key)
    assert limiter.unit_wait(account, unit) == 0.0
    assert limiter.unit_wait(account, unit) == 0.0  # asking took nothing
    buckets = TokenBuckets(client)
    buckets.take(key, limit, tokens=2)  # a running unit drew the bucket down
    wait = limiter.unit_wait(account, unit)
    assert 0.5 < wait <= 2.0  # one token at 0.5/s
    buckets.take(key, limit)  # a reservation pushes it further
    assert limiter.unit_wait(account, unit) > wait
