"""Real processes for the cluster tests: redis-server, the AWS emulator, celery workers/beats.

Nothing here keeps a change to os.environ: every child gets an explicit environment (and
`driftq_here` restores the process's own after its call), and the test's own boto3 clients
name the emulator's endpoint, so the other test packages (which share this pytest process)
keep their own moto server.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from tests.support.moto import free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# the workers' own identity: distinctive values, so a leak into Redis cannot hide
CALLER_KEY_ID = "AKIADRIFTQCALLER0001"
CALLER_SECRET = "driftq-caller-secret-8f3b2c1d9e7a6f5b4c3d2e1f"
CALLER_TOKEN = "driftq-caller-session-token-51c7e9a2b4d6f8"


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15) -> None:
        """TERM the process group (celery's pool children too), KILL what stays."""
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            self.kill()

    def kill(self) -> None:
        """SIGKILL the whole group at once: a machine that vanishes."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def redis_command(port: int, data: Path) -> list[str]:
    """A private redis-server on loopback: nothing persisted, nothing evicted."""
    return [
        REDIS_SERVER,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory-policy",
        "noeviction",
        "--dir",
        str(data),
    ]


def worker_command(name: str, concurrency: int) -> list[str]:
    """`celery -A workers worker` as the tests and benchmarks run it."""
    return [
        str(BIN / "celery"),
        "-A",
        "workers",
        "worker",
        "-n",
        f"{name}@%h",
        "-c",
        str(concurrency),
        "-l",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def spawn(name: str, argv: list[str], env: dict[str, str], cwd: Path, logs: Path) -> Proc:
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Proc(name, process, log)


def wait_for(what: str, check: Any, timeout: float, proc: Proc | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if proc is not None and not proc.alive():
            raise RuntimeError(
                f"{proc.name} exited while waiting for {what}:\n{proc.text()[-3000:]}"
            )
        time.sleep(0.1)
    tail = proc.text()[-3000:] if proc else ""
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}\n{tail}")


def start_redis(tmp: Path) -> tuple[Proc, str]:
    port = free_port()
    data = tmp / "redis"
    data.mkdir()
    proc = spawn("redis", redis_command(port, data), {"PATH": os.environ.get("PATH", "")}, tmp, tmp)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def ping() -> bool:
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False

    wait_for("redis-server", ping, 15, proc)
    return proc, url


@dataclass
class Emulator:
    proc: Proc
    url: str

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
            return json.loads(response.read())

    def calls(self) -> list[dict[str, Any]]:
        return self.get("/_driftq/calls")  # type: ignore[no-any-return]

    def secrets(self) -> list[str]:
        return self.get("/_driftq/secrets")  # type: ignore[no-any-return]

    @contextlib.contextmanager
    def holding(self, service: str) -> Iterator[None]:
        """``service``'s requests wait inside the emulator until the block ends."""
        self.get(f"/_driftq/hold/{service}")
        try:
            yield
        finally:
            self.get("/_driftq/release")


def start_emulator(tmp: Path) -> Emulator:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "tests.workers.emulator", str(port)]
    proc = spawn("emulator", argv, env, REPO, tmp)
    emulator = Emulator(proc, f"http://127.0.0.1:{port}")

    def up() -> bool:
        try:
            urllib.request.urlopen(f"{emulator.url}/moto-api/", timeout=1).read()
            return True
        except OSError:
            return False

    wait_for("the AWS emulator", up, 30, proc)
    return emulator


@dataclass
class Cluster:
    tmp: Path
    redis_url: str
    emulator: Emulator
    cluster_config: Path
    procs: dict[str, Proc] = field(default_factory=dict)
    # every process ever started, replaced ones too: all are stopped at the end
    started: list[Proc] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DRIFTQ_"))}
        return {
            **base,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(REPO),
            "AWS_ENDPOINT_URL": self.emulator.url,
            "AWS_ACCESS_KEY_ID": CALLER_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": CALLER_SECRET,
            "AWS_SESSION_TOKEN": CALLER_TOKEN,
            "AWS_DEFAULT_REGION": "us-east-1",
            "DRIFTQ_REDIS_URL": self.redis_url,
            "DRIFTQ_CONFIG": str(self.cluster_config),
            "DRIFTQ_DATABASE_URL": f"sqlite:///{self.tmp / 'history.db'}",
        }

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url, decode_responses=True)

    def start_worker(self, name: str, concurrency: int = 2) -> Proc:
        cwd = self.tmp / f"cwd-{name}"
        cwd.mkdir(exist_ok=True)
        return self.track(spawn(name, worker_command(name, concurrency), self.env, cwd, self.tmp))

    def track(self, proc: Proc) -> Proc:
        self.procs[proc.name] = proc
        self.started.append(proc)
        return proc

    def wait_ready(self, proc: Proc) -> None:
        wait_for(f"{proc.name} ready", lambda: " ready." in proc.text(), 60, proc)

    def start_beat(self, name: str, config: Path) -> Proc:
        cwd = self.tmp / f"cwd-{name}"
        cwd.mkdir(exist_ok=True)
        env = {**self.env, "DRIFTQ_CONFIG": str(config)}
        argv = [str(BIN / "celery"), "-A", "workers", "beat", "-l", "INFO"]
        return self.track(spawn(name, argv, env, cwd, self.tmp))

    def driftq(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "driftq"), *args],
            env={**self.env, **(env or {})},
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def driftq_here(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`driftq <args>` through its main() in this process, with this cluster's environment
        and its output captured: for the commands that only read or mark the run store
        (`status` without --follow, `runs`, `cancel`), which need no process of their own and
        so skip a new interpreter's start (boto3, celery: ~1 s of CPU each). The process's
        environment is this cluster's only for the call's duration."""
        from driftq.cli import main

        out, err = io.StringIO(), io.StringIO()
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env)
        try:
            with (
                contextlib.chdir(self.tmp),
                contextlib.redirect_stdout(out),
                contextlib.redirect_stderr(err),
            ):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse's own exits
                    code = exc.code if isinstance(exc.code, int) else 2
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return subprocess.CompletedProcess(["driftq", *args], code, out.getvalue(), err.getvalue())

    def driftq_async(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(BIN / "driftq"), *args],
            env=self.env,
            cwd=self.tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> None:
        for proc in self.started:
            proc.stop()
