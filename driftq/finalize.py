"""finalize: every unit's result -> the run's report files (the chord callback and `scan` share it).

Thresholds, report JSON + HTML, import blocks. Notifications, remediation plans and history
hook in here so that the in-process and the distributed runs behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from driftq.config_models import Config
from driftq.model import Finding, UnitResult
from driftq.report import RunInfo, build_report, write_outputs


@dataclass
class Finalized:
    report: dict[str, Any]
    findings: list[Finding]
    written: dict[str, Path]


def finalize(
    config: Config, run: RunInfo, results: Iterable[UnitResult], out_dir: str | Path
) -> Finalized:
    results = list(results)
    report = build_report(config, run, results)
    findings = [f for r in results for f in r.findings]
    written = write_outputs(report, findings, config, out_dir)
    return Finalized(report, findings, written)
