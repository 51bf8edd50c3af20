"""Start moto's AWS emulator in server mode on a free loopback port (a child process)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoServer:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        # the emulator keeps everything in memory: nothing to flush. After a busy session its
        # shutdown can wait ~10 s on its request threads, so it gets a short grace only.
        self.process.terminate()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_moto(extra_env: dict[str, str] | None = None) -> MotoServer:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        **(extra_env or {}),
    }
    # moto's server, with AWS's managed policies parsed once rather than per account
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.moto_policies", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).read()
            return MotoServer(process, url)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("moto_server exited at start") from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("moto_server did not answer within 30s")
