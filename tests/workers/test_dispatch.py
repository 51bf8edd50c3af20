"""Plan -> chord: queue order, task arguments, the run record and its lock."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
import yaml

from driftq.errors import ConfigError, RunError
from driftq.model import Unit, UnitResult
from driftq.plan import Selection
from workers.dispatch import account_units, order_units, prepare
from workers.store import RunMeta, RunStore

U = Unit


def test_without_a_cap_accounts_take_turns() -> None:
    units = [U("a", "r1", "ec2"), U("a", "r2", "ec2"), U("a", "r3", "ec2"), U("b", "r1", "ec2")]
    assert order_units(units, 0) == [units[0], units[3], units[1], units[2]]


def test_with_a_cap_accounts_come_one_after_the_other() -> None:
    units = [U("a", "r1", "ec2"), U("b", "r1", "ec2"), U("a", "r2", "ec2")]
    assert order_units(units, 2) == [units[0], units[2], units[1]]


def test_the_messages_in_redis_name_units_only(redis_server: str, tmp_path: Path) -> None:
    # a database no worker consumes: the messages stay where `submit` put them
    url = redis_server.rsplit("/", 1)[0] + "/7"
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    env = {**os.environ, "DRIFTQ_REDIS_URL": url}
    env.pop("DRIFTQ_CONFIG", None)
    config = config_file(tmp_path)

    run = subprocess.run(
        [str(Path(sys.executable).parent / "driftq"), "submit", "-c", str(config), "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    run_id = run.stdout.strip()
    messages = {q: client.lrange(q, 0, -1) for q in ("scan.sqs", "scan.iam", "finalize")}
    assert [len(m) for m in messages.values()] == [2, 1, 0]  # the callback comes later
    sent = [json.loads(m) for q in ("scan.sqs", "scan.iam") for m in messages[q]]
    bodies = [json.loads(base64.b64decode(m["body"])) for m in sent]
    assert sorted(b[1]["region"] for b in bodies) == ["eu-west-1", "global", "us-east-1"]
    for (args, kwargs, embed), message in zip(bodies, sent, strict=True):
        assert args == [] and set(kwargs) == {"run_id", "account", "region", "service"}
        assert kwargs["run_id"] == run_id and kwargs["account"] == "prod"
        headers = message["headers"]
        assert headers["task"] == "driftq.scan_unit" and headers["ignore_result"] is True
        # Flower and the worker logs name the unit
        assert headers["shadow"] == f"scan prod/{kwargs['region']}/{kwargs['service']}"
        assert embed["chord"] is None  # the run's counters trigger the callback
    assert sorted(m["headers"]["id"] for m in sent) == [f"{run_id}:{n}" for n in range(3)]
    assert not [k for k in map(str, client.keys("*")) if k.endswith(".s")]  # no chord


def config_file(tmp_path: Path, **monitoring: object) -> Path:
    data = {
        "version": "1.0",
        "defaults": {"services": ["sqs", "iam"]},
        "accounts": [
            {
                "name": "prod",
                "account_id": "333333333333",
                "regions": ["us-east-1", "eu-west-1"],
                "state_backend": {"type": "local", "path": "/dev/null"},
            },
        ],
        "monitoring": monitoring,
    }
    path = tmp_path / "driftq.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_prepare_plans_without_a_cluster(tmp_path: Path) -> None:
    prepared = prepare(config_file(tmp_path), Selection(regions=("eu-west-1",)))
    assert [u.label() for u in prepared.units] == ["prod/eu-west-1/sqs", "prod/global/iam"]
    assert prepared.config_path.is_absolute() and len(prepared.digest) == 64


def test_prepare_rejects_rate_limits_for_unknown_accounts(tmp_path: Path) -> None:
    path = config_file(tmp_path, rate_limits={"dev/ec2": {"burst": 1, "refill_per_second": 1}})
    with pytest.raises(ConfigError, match="no account 'dev'"):
        prepare(path, Selection())


@pytest.fixture
def store(redis_server: str) -> RunStore:
    return RunStore.from_url(redis_server)


def test_lock_is_one_run_at_a_time_and_released_only_by_its_holder(store: RunStore) -> None:
    scope = uuid.uuid4().hex
    assert store.acquire_lock(scope, "run-1", 60, force=False) is None
    assert store.acquire_lock(scope, "run-2", 60, force=False) == "run-1"
    assert store.acquire_lock(scope, "run-2", 60, force=True) is None
    store.release_lock(scope, "run-1")  # the old run's callback must not free run-2's lock
    assert store.acquire_lock(scope, "run-3", 60, force=False) == "run-2"
    store.release_lock(scope, "run-2")
    assert store.acquire_lock(scope, "run-3", 60, force=False) is None
    # a lock is taken over only from the holder named
    assert not store.take_over_lock(scope, "run-1", "run-4", 60)
    assert store.take_over_lock(scope, "run-3", "run-4", 60)
    assert store.acquire_lock(scope, "run-5", 60, force=False) == "run-4"


def test_a_unit_recorded_twice_leaves_one_identical_result(store: RunStore) -> None:
    run_id = uuid.uuid4().hex
    unit = U("prod", "us-east-1", "ec2")
    failed = UnitResult(unit, "error", error_code="Throttled", error_message="slow down")
    ok = UnitResult(unit, "ok", managed=3, duration_s=1.5)
    store.record(run_id, failed, {"worker": "w1"})
    store.record(run_id, ok, {"worker": "w1"})
    value = store.client.get(f"driftq:run:{run_id}:unit:prod/us-east-1/ec2")
    store.record(run_id, UnitResult(unit, "ok", managed=3, duration_s=9.9), {"worker": "w2"})

    assert store.client.get(f"driftq:run:{run_id}:unit:prod/us-east-1/ec2") == value
    assert json.loads(str(value))["managed"] == 3
    progress = store.progress(run_id)
    assert (progress.done, progress.failed) == (1, 0)
    assert store.timing(run_id)["prod/us-east-1/ec2"]["worker"] == "w2"


def test_results_come_back_in_plan_order_with_gaps(store: RunStore) -> None:
    run_id = uuid.uuid4().hex
    units = [U("a", "r", f"s{n}") for n in range(1203)]
    for unit in units[::2]:
        store.record(run_id, UnitResult(unit, "ok"), {})
    back = list(store.results(run_id, units))
    assert [u for u, _ in back] == units
    assert [r is not None for _, r in back] == [n % 2 == 0 for n in range(1203)]


def test_redis_down_is_a_run_error_without_the_password() -> None:
    with pytest.raises(RunError) as caught:
        RunStore.from_url("redis://:pw@127.0.0.1:1/0")
    assert str(caught.value).startswith("cannot reach Redis at redis://:***@127.0.0.1:1/0")


def test_accounts_are_sent_in_waves_and_a_repeated_trigger_sends_again(store: RunStore) -> None:
    units = [U("a", "r1", "s"), U("a", "r2", "s"), U("b", "r1", "s"), U("c", "r1", "s")]
    groups = account_units(units)
    assert groups == [("a", 0, 2), ("b", 2, 1), ("c", 3, 1)]
    meta = RunMeta(
        run_id=uuid.uuid4().hex,
        config_path="/c.yaml",
        config_sha256="x",
        selection=Selection(),
        started_at="now",
        deadline=0.0,
        total=4,
        scope="s",
        concurrent_accounts=1,
        accounts=3,
    )
    store.create(meta, units, 60, groups)

    def done(unit: Unit) -> int:
        return store.record(meta.run_id, UnitResult(unit, "ok"), {}, waves_of=3).next_wave

    assert done(units[0]) == -1  # a is not finished yet
    assert done(units[1]) == 1  # a is: send account 1 (b)
    assert done(units[1]) == 1  # a redelivered trigger sends b again (same task ids)
    assert done(units[0]) == -1  # a plain repeat changes nothing
    assert done(units[2]) == 2  # b done: send c
    assert done(units[3]) == -1  # c was the last account
    assert store.progress(meta.run_id).done == 4


def test_the_unit_that_completes_the_count_sends_finalize_once(store: RunStore) -> None:
    run_id = uuid.uuid4().hex
    units = [U("a", "r1", "s"), U("a", "r2", "s"), U("b", "r1", "s")]

    def done(unit: Unit, status: str = "ok") -> bool:
        result = UnitResult(unit, status, error_code="X" if status == "error" else None)
        return store.record(run_id, result, {}, units=3).finalize

    assert not done(units[0])
    assert not done(units[1], "error")  # a failed unit counts like any other
    assert not done(units[0])  # a repeat is counted once
    assert done(units[2])  # the third distinct unit completes the run
    assert not done(units[0]) and not done(units[1], "error")  # the others never send it
    assert done(units[2])  # the sender, redelivered, sends it again (finalize runs once)
    assert store.progress(run_id).failed == 1


def test_a_wave_that_cannot_be_sent_is_recorded_as_failed_units(
    store: RunStore, tmp_path: Path
) -> None:
    """The task that finished an account cannot send the next one (here: the run's config is
    gone from this worker): that account's units, and those of the accounts after it, are
    recorded as failed with the reason, so the run still completes, instead of a task that
    fails before the callback or retries for ever."""
    from workers.runtime import Runtime
    from workers.tasks import send_wave

    units = [U("a", "r1", "sqs"), U("a", "r2", "sqs"), U("b", "r1", "sqs"), U("c", "r1", "sqs")]
    meta = RunMeta(
        run_id=uuid.uuid4().hex,
        config_path=str(tmp_path / "gone.yaml"),
        config_sha256="x",
        selection=Selection(),
        started_at="now",
        deadline=0.0,
        total=5,  # one unit more than recorded here: the count stays open, no callback is sent
        scope="s",
        concurrent_accounts=1,
        accounts=3,
    )
    store.create(meta, units, 60, account_units(units))
    runtime = Runtime(store)
    for unit in units[:2]:
        wave = runtime.record(meta.run_id, UnitResult(unit, "ok")).next_wave
    assert wave == 1

    send_wave(runtime, meta.run_id, wave, "w1")

    results = dict(store.results(meta.run_id, units[2:]))
    assert {r.error_code for r in results.values() if r} == {"ConfigError"}
    assert all(
        r and "cannot read the run's config" in (r.error_message or "") for r in results.values()
    )
    assert store.progress(meta.run_id).failed == 2


def test_a_unit_killed_at_the_hard_time_limit_is_recorded_as_failed(
    store: RunStore, redis_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's main process sees the kill (Celery calls the task's on_failure there):
    the unit is recorded, so its run's count completes without waiting for the watchdog."""
    from celery.exceptions import TimeLimitExceeded

    from workers.runtime import Runtime
    from workers.tasks import scan_unit

    monkeypatch.setenv("DRIFTQ_REDIS_URL", redis_server)
    monkeypatch.setattr(Runtime, "_current", None)
    units = [U("a", "r1", "ec2"), U("a", "r2", "ec2")]
    meta = RunMeta(
        run_id=uuid.uuid4().hex,
        config_path="/c.yaml",
        config_sha256="x",
        selection=Selection(),
        started_at="now",
        deadline=0.0,
        total=2,
        scope="s",
    )
    store.create(meta, units, 60, [])
    kwargs = {"run_id": meta.run_id, "account": "a", "region": "r1", "service": "ec2"}

    scan_unit.on_failure(TimeLimitExceeded(15.0), f"{meta.run_id}:0", (), kwargs, None)

    ((_, result),) = store.results(meta.run_id, units[:1])
    assert result is not None and result.error_code == "TimeLimitExceeded"
    assert (store.progress(meta.run_id).done, store.progress(meta.run_id).failed) == (1, 1)
