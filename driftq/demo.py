"""`driftq demo`: a local AWS emulator, a drifted three-account estate, one scan of it."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from driftq.config import load_config
from driftq.errors import DriftqError
from driftq.finalize import finalize
from driftq.local import new_run_id, run_local
from driftq.report.build import exit_code
from driftq.summary import format_summary

_FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def emulator() -> Iterator[str]:
    """moto's server on a free loopback port, with this process's AWS settings pointed at it."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # the emulator is an extra: images that scan AWS leave it out
        raise DriftqError(
            "the demo needs its AWS emulator: pip install 'driftq[demo]' (or run `make demo`)"
        ) from exc
    # moto's server logs every request through werkzeug at INFO: keep the demo's output readable
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    saved = {
        k: os.environ.get(k)
        for k in [*_FAKE_AWS, "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"]
    }
    os.environ.update({**_FAKE_AWS, "AWS_ENDPOINT_URL": url})
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    try:
        yield url
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_demo(output_dir: str | None = None, progress: bool = True) -> int:
    from driftq.demo_estate import build_estate

    run_id = new_run_id()
    out = Path(output_dir or Path("reports") / f"demo-{run_id}")
    with emulator() as url:
        print(f"driftq demo: AWS emulator (moto) listening on {url}", file=sys.stderr)
        started = time.monotonic()
        config_path = build_estate(out)
        print(
            f"driftq demo: built 3 accounts x 2 regions with Terraform states in S3 "
            f"({time.monotonic() - started:.1f}s); scanning",
            file=sys.stderr,
        )
        config = load_config(config_path)
        outcome = run_local(config, progress=progress, run_id=run_id)
        # the demo's runs go to a history beside its report, not into the user's own
        database = os.environ.get("DRIFTQ_DATABASE_URL") or f"sqlite:///{out.resolve()}/history.db"
        done = finalize(config, outcome.run, outcome.results, out, database_url=database)
    print(format_summary(done.report, done.written))
    print(f"\nOpen the report: {done.written['html'].resolve()}")
    # the demo's drift is on purpose: it succeeded when the scan ran
    return 0 if exit_code(done.report) in (0, 1) else 1
