"""Redis itself killed mid-run (`kill -9`, AOF on, as the README asks) and restarted: no unit
is lost, the run completes, `submit --wait` rides over the outage.

A cluster of its own (the session's Redis must not die under the other tests): its own
redis-server with AOF, two workers, and a beat whose watchdog runs every two seconds. The
AWS emulator is the session's.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.support.moto import free_port
from tests.workers.cluster import BIN, REDIS_SERVER, Cluster, Proc, spawn, wait_for
from tests.workers.estate import drifted_account, write_config


def aof_redis(port: int, data: Path, logs: Path) -> Proc:
    argv = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    argv += ["--appendonly", "yes", "--appendfsync", "everysec"]
    argv += ["--maxmemory-policy", "noeviction", "--dir", str(data)]
    return spawn("redis", argv, {"PATH": os.environ.get("PATH", "")}, data, logs)


def pings(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture
def own_cluster(cluster: Cluster, tmp_path: Path) -> Iterator[Cluster]:
    data = tmp_path / "redis"
    data.mkdir()
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    mine = Cluster(tmp_path, url, cluster.emulator, cluster.cluster_config)
    mine.track(aof_redis(port, data, tmp_path))
    wait_for("redis with AOF", lambda: pings(url), 30)
    try:
        workers = [mine.start_worker(name) for name in ("r1", "r2")]
        env = {**mine.env, "DRIFTQ_WATCHDOG_INTERVAL": "2"}
        argv = [str(BIN / "celery"), "-A", "workers", "beat", "-l", "INFO"]
        (tmp_path / "cwd-beat").mkdir()
        mine.track(spawn("beat", argv, env, tmp_path / "cwd-beat", tmp_path))
        for proc in workers:
            mine.wait_ready(proc)
        yield mine
    finally:
        mine.stop()


def test_redis_killed_and_restarted_mid_run_loses_no_unit(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    c = own_cluster
    accounts = [
        drifted_account(name, c.emulator.url, tmp_path, ["us-east-1"])
        for name in ("one", "two", "three")
    ]
    # ec2 units paced at two calls a second: the run lasts long enough to be cut in two
    limits = {"rate_limits": {"ec2": {"burst": 2, "refill_per_second": 2}}}
    config = write_config(
        tmp_path / "aof.yaml", accounts, ["ec2", "sqs", "iam"], timeout="3m", monitoring=limits
    )
    submit = c.driftq_async("submit", "-c", str(config), "--wait", "-q", "-o", str(tmp_path / "o"))
    try:
        run_id = wait_for("the run id", lambda: submit.stdout and submit.stdout.readline(), 60)
        run_id = run_id.strip()
        client = c.redis()
        wait_for("two units done", lambda: client.scard(f"driftq:run:{run_id}:done") >= 2, 120)
        time.sleep(1.5)  # let AOF's once-a-second fsync take the run's record
        c.procs["redis"].kill()
        time.sleep(3)
        c.track(
            aof_redis(
                int(c.redis_url.rsplit(":", 1)[1].split("/")[0]), tmp_path / "redis", tmp_path
            )
        )
        wait_for("redis back", lambda: pings(c.redis_url), 30)
        _, stderr = submit.communicate(timeout=240)
    finally:
        if submit.poll() is None:
            submit.kill()

    assert submit.returncode == 1, stderr  # drift, every unit scanned
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert report["run_id"] == run_id
    assert report["status"] == "complete", report["errors"]
    assert report["summary"]["units"] == 9 and report["summary"]["units_failed"] == 0
    assert "waiting for it to come back" in stderr  # --wait saw the outage and rode over it
    status = c.driftq_here("status", run_id, "--json")
    assert json.loads(status.stdout)["status"] == "done", status.stderr
    # every key the run left (its own Redis holds nothing else) expires: run data, buckets,
    # task results
    client = c.redis()
    keys = [*client.scan_iter("driftq:*"), *client.scan_iter("celery-task-meta-*")]
    assert len(keys) > 10
    assert [k for k in keys if int(client.ttl(k)) <= 0] == []  # type: ignore[arg-type]
