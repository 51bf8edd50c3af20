"""Processes the cluster benchmarks need: a private redis-server and, for the overhead one,
moto's server and celery workers. Everything listens on free loopback ports and is stopped
on exit; the machine's own Redis (if any) is never touched."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import redis

# the same command lines and port picking as the cluster tests
from tests.support.moto import free_port
from tests.workers.cluster import redis_command, worker_command

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            _stop(process)


def spawn(
    started: list[subprocess.Popen[bytes]], argv: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=log.parent,
        )
    started.append(process)
    return process


def start_redis(started: list[subprocess.Popen[bytes]], workdir: Path) -> str:
    port = free_port()
    data = workdir / "redis"
    data.mkdir(exist_ok=True)
    spawn(started, redis_command(port, data), dict(os.environ), workdir / "redis.log")
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        with contextlib.suppress(redis.exceptions.ConnectionError):
            client.ping()
            return url
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def start_moto(started: list[subprocess.Popen[bytes]], workdir: Path) -> str:
    port = free_port()
    argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    spawn(started, argv, dict(os.environ), workdir / "moto.log")
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).read()
            return url
        time.sleep(0.1)
    raise RuntimeError("moto server did not start")


def start_worker(
    started: list[subprocess.Popen[bytes]],
    name: str,
    env: dict[str, str],
    workdir: Path,
    concurrency: int,
    app: str = "workers",
) -> Path:
    log = workdir / f"{name}.log"
    argv = worker_command(name, concurrency)
    argv[argv.index("-A") + 1] = app
    spawn(started, argv, env, log)
    return log


def wait_ready(log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and " ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"worker did not start; see {log}")


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="driftq-bench-"))


def estate_config(
    path: Path, accounts: int, regions: list[str], services: list[str], state: Path, extra: str = ""
) -> Path:
    """A config of ``accounts`` accounts in ``regions``, each with one local state file."""
    lines = [
        'version: "1.0"',
        f"defaults: {{timeout: 30m, parallel_workers: 4, services: [{', '.join(services)}]}}",
        "accounts:",
    ]
    for n in range(accounts):
        account_id = f"{100000000000 + n:012d}"
        lines += [
            f"  - name: acct{n:04d}",
            f'    account_id: "{account_id}"',
            f"    role_arn: arn:aws:iam::{account_id}:role/DriftqScanner",
            "    external_id: bench-external-id",
            f"    regions: [{', '.join(regions)}]",
            f"    state_backend: {{type: local, path: {state}}}",
        ]
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


BIG_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
]
ALL_SERVICES = ["ec2", "s3", "iam", "lambda", "sqs", "sns", "dynamodb", "kms"]


def estate_for_units(path: Path, units: int, state: Path) -> Path:
    """A config planning at least ``units`` units: accounts in ten regions with every
    service (six regional services per region, two global per account)."""
    per_account = len(BIG_REGIONS) * 6 + 2
    accounts = -(-units // per_account)
    return estate_config(path, accounts, BIG_REGIONS, ALL_SERVICES, state)
