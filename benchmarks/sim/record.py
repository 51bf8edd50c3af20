"""Record the simulator's cassette: moto's answers to a real driftq scan of the demo
estate's `production` account grown to every service driftq scans (full_estate.py: 2
regions, every service, one resource of every type moto can make, Terraform states in S3,
the demo's drifts and planted ones).

    python -m benchmarks.sim.record [--out FILE]

Runs moto in-process (the demo's emulator), builds that estate, puts a recording
simulator in front of moto and scans `production` through it. The cassette keeps each
request (account ids replaced by a placeholder) with its answer, and what the scan found:
replayed for N accounts, the simulator serves N copies of this account.
`ensure_cassette()` records once per version of the scanning code and caches the file.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.sim.server import Settings, Simulator, save_cassette, start

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "111111111111"  # the demo's production account
STATE_ACCOUNT = "444444444444"  # the demo's state bucket owner (its reader role's account)
REGIONS = ["us-east-1", "eu-west-1"]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "driftq-sim"


@contextmanager
def running(sim: Simulator) -> Iterator[str]:
    """The simulator on a free port in a thread of this process; yields its URL."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, object] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(start(sim))
        holder["server"] = server
        holder["port"] = server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield f"http://127.0.0.1:{holder['port']}"
    finally:
        server = holder["server"]

        async def stop() -> None:
            server.close()  # type: ignore[attr-defined]
            tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
            for task in tasks:  # open keep-alive connections
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), loop)
        thread.join(timeout=10)
        loop.close()


def record(out: Path) -> Path:
    from benchmarks.sim import full_estate
    from driftq.config import load_config
    from driftq.demo import emulator
    from driftq.local import run_local
    from driftq.plan import Selection

    with full_estate.environment(), tempfile.TemporaryDirectory() as tmp, emulator() as moto_url:
        config_path, built = full_estate.build(Path(tmp))
        sim = Simulator(Settings(0, 0, 0), upstream=moto_url, keep=frozenset({b"444444444444"}))
        with running(sim) as url:
            os.environ["AWS_ENDPOINT_URL"] = url
            try:
                config = load_config(config_path)
                outcome = run_local(config, Selection(accounts=("production",)), progress=False)
            finally:
                os.environ["AWS_ENDPOINT_URL"] = moto_url
    errors = [r for r in outcome.results if r.status != "ok"]
    if errors:
        raise RuntimeError(f"the recorded scan had errors: {errors[:3]}")
    problems = full_estate.check_planted([f for r in outcome.results for f in r.findings])
    if problems:
        raise RuntimeError(f"the recorded scan's findings are not the planted drifts: {problems}")
    expected = {
        r.unit.label().replace(ACCOUNT, "{ACCT}").replace("production", "{NAME}"): len(r.findings)
        for r in outcome.results
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    save_cassette(
        sim,
        out,
        {
            "account": ACCOUNT,
            "state_account": STATE_ACCOUNT,
            "regions": REGIONS,
            "services": config.services_for(config.account("production")),
            "types": sorted(built),
            "units": len(outcome.results),
            "findings": sum(expected.values()),
            "expected": expected,
            "calls": sum(sim.calls.values()),
        },
    )
    return out


def code_digest() -> str:
    digest = hashlib.sha256()
    for folder in ("driftq/resources", "driftq/demo_data", "tests/resources"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in (".py", ".yaml", ".json") and path.is_file():
                digest.update(path.read_bytes())
    for name in (
        "driftq/demo_estate.py",
        "benchmarks/sim/full_estate.py",
        "benchmarks/sim/record.py",
        "benchmarks/sim/server.py",
    ):
        digest.update((REPO / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_cassette() -> Path:
    path = CACHE / f"cassette-{code_digest()}.json"
    if not path.exists():
        print(f"recording the simulator's cassette from moto into {path} (once, ~1 min)")
        tmp = path.with_suffix(".tmp")
        record(tmp)
        tmp.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    path = record(args.out) if args.out else ensure_cassette()
    print(path)


if __name__ == "__main__":
    main()
