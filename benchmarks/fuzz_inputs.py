"""Property-based fuzzing of the readers of outside input, 10,000 examples each.

    .venv/bin/python -m benchmarks.fuzz_inputs [--examples N] [--only config|state|reports]

For each reader (config loader, state parser, report consolidation + its HTML page) prints
how many inputs parsed, how many were refused with our own error, how many raised anything
else (must be 0), and the time taken. Strategies: tests/support/fuzz.py. Exits 1 when any
input raised another exception, after printing the first few.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support import fuzz

TARGETS: dict[str, tuple[Callable[[], st.SearchStrategy[Any]], Callable[[Any], str]]] = {
    "config": (fuzz.yaml_texts, fuzz.check_config),
    "state": (lambda: fuzz.json_texts(fuzz.STATE), fuzz.check_state),
    "reports": (fuzz.report_sets, fuzz.check_reports),
}


def run(name: str, examples: int) -> tuple[Counter[str], list[str], float]:
    strategy, check = TARGETS[name]
    counts: Counter[str] = Counter()
    failures: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy())
    def body(value: Any) -> None:
        try:
            counts[check(value)] += 1
        except Exception as exc:
            counts["other exception"] += 1
            if len(failures) < 5:
                failures.append(f"{type(exc).__name__}: {exc} <- {value!r:.300}")

    started = time.perf_counter()
    body()
    return counts, failures, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--only", choices=sorted(TARGETS))
    args = parser.parse_args()
    bad = 0
    for name in [args.only] if args.only else list(TARGETS):
        counts, failures, seconds = run(name, args.examples)
        total = sum(counts.values())
        print(
            f"{name:<8} {total:>6} inputs in {seconds:6.1f}s ({total / seconds:6.0f}/s): "
            f"{counts['parsed']} parsed, {counts['refused']} refused with our error, "
            f"{counts['other exception']} other exceptions",
            flush=True,
        )
        for failure in failures:
            print(f"    {failure}")
        bad += counts["other exception"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
