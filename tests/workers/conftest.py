"""The cluster under test: a redis-server on a free port (never the machine's own Redis), the
AWS emulator, and two real `celery -A workers worker` processes. One per test process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workers.cluster import Cluster, Proc, start_emulator, start_redis
from tests.workers.estate import EstateAccount, write_config

WORKERS = ("w1", "w2")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    proc.stop()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory, redis_server: str) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("cluster")
    emulator = start_emulator(tmp)
    # the cluster's own config only sets the task time limits (defaults.timeout): room for a
    # unit on a machine busy with other work
    anchor = EstateAccount("anchor", emulator.url, ["us-east-1"])
    anchor.backend = {"type": "local", "path": str(tmp / "none.tfstate")}
    config = write_config(tmp / "cluster.yaml", [anchor], ["sqs"], timeout="30s")
    cluster = Cluster(tmp, redis_server, emulator, config)
    procs: list[Proc] = [cluster.start_worker(name) for name in WORKERS]
    try:
        for proc in procs:
            cluster.wait_ready(proc)
        yield cluster
    finally:
        cluster.stop()
        emulator.proc.stop()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
