"""Run every benchmark in turn and print their numbers (`make bench`).

.venv/bin/python benchmarks/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = [
    ["benchmarks.dispatch"],
    ["benchmarks.callback_memory", "--findings-per-unit", "2"],
    ["benchmarks.cluster_overhead"],
    ["benchmarks.history_migration"],
    ["benchmarks.metrics_scrape"],
    ["benchmarks.api_calls", "--resources", "5"],
    ["benchmarks.events", "--topics", "5", "--burst-seconds", "20"],
    ["benchmarks.sim.throughput"],
    ["benchmarks.memory", "--accounts", "10", "50"],
    ["benchmarks.scale", "--accounts", "20", "--workers", "2", "--concurrency", "2"],
]


def main() -> int:
    failed = 0
    for args in BENCHMARKS:
        print(f"\n== python -m {' '.join(args)}", flush=True)
        failed += (
            subprocess.run([sys.executable, "-m", *args], cwd=REPO, check=False).returncode != 0
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
