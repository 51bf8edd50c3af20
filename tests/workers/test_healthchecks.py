"""compose.yaml's healthchecks, run for real: the worker's against a worker started with the
compose command line, beat's against the test Redis, each also where it must fail."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.support.moto import free_port
from tests.workers.cluster import BIN, Cluster, spawn, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _checks() -> dict[str, Any]:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    return {name: s["healthcheck"]["test"] for name, s in services.items() if "healthcheck" in s}


def _run(test: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # compose writes `$$` for a `$` the container's shell expands
    kind, *rest = test
    argv = ["sh", "-c", rest[0].replace("$$", "$")] if kind == "CMD-SHELL" else rest
    path = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # the image's `celery`/`python`
    return subprocess.run(
        argv, env={**env, "PATH": path}, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_worker_healthcheck_pings_that_worker(cluster: Cluster, workdir: Path) -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    command = services["worker"]["command"]
    assert command[0] == "celery"
    proc = spawn("compose-worker", [str(BIN / "celery"), *command[1:]], cluster.env, workdir,
                 workdir)  # fmt: skip
    try:
        wait_for("the compose worker", lambda: " ready." in proc.text(), 60, proc)
        here = {**cluster.env, "HOSTNAME": socket.gethostname()}
        ok = _run(_checks()["worker"], here)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert f"celery@{socket.gethostname()}: OK" in ok.stdout
        # another container's name: no such worker answers (shorter wait than the real 10s)
        test = [_checks()["worker"][0], _checks()["worker"][1].replace("10", "2")]
        missing = _run(test, {**cluster.env, "HOSTNAME": "gone-container"})
        assert missing.returncode != 0
    finally:
        proc.stop()


def test_the_beat_healthcheck_needs_the_broker(cluster: Cluster) -> None:
    beat = _checks()["beat"]
    assert _run(beat, cluster.env).returncode == 0
    down = {**cluster.env, "DRIFTQ_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    assert _run(beat, down).returncode != 0
