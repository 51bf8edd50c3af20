"""How `scan` and `submit --wait` end: what goes to stdout and which exit code.

`--format text` (default) prints the human summary on stdout. `--format json` makes stdout
the report JSON and nothing else, for CI pipelines to parse; the summary, progress and logs
go to stderr. `--detailed-exitcode` tells the outcomes apart: 0 clean, 1 error, 2 drift,
3 partial (some units failed; the report may hold drift too); without it the default codes
hold (0 clean, 1 drift or failed units, 2 cannot start).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from driftq.report.build import exit_code
from driftq.report.write import report_json_chunks
from driftq.summary import format_summary

FORMATS = ("text", "json")
DETAILED_FLAG = "--detailed-exitcode"
DETAILED_CLEAN, DETAILED_ERROR, DETAILED_DRIFT, DETAILED_PARTIAL = 0, 1, 2, 3


def detailed_exit_code(report: dict[str, Any]) -> int:
    if report["status"] != "complete":
        return DETAILED_PARTIAL
    return DETAILED_DRIFT if report["drift_detected"] else DETAILED_CLEAN


def run_exit_code(report: dict[str, Any], detailed: bool) -> int:
    return detailed_exit_code(report) if detailed else exit_code(report)


def human_stream(fmt: str) -> Any:
    """Where lines meant for people go: stderr when stdout carries the report JSON."""
    return sys.stderr if fmt == "json" else sys.stdout


def finish(
    report: dict[str, Any],
    written: dict[str, Path] | None,
    *,
    fmt: str = "text",
    detailed: bool = False,
    extra: tuple[str, ...] = (),
) -> int:
    """Print the run's end (summary, or report JSON on stdout) and return its exit code."""
    human = human_stream(fmt)
    print(format_summary(report, written), file=human)
    for line in extra:
        print(line, file=human)
    human.flush()
    if fmt == "json":
        for chunk in report_json_chunks(report):
            sys.stdout.write(chunk)
        sys.stdout.flush()
    return run_exit_code(report, detailed)
