"""Assemble ``report.json`` (schema_version 1) from every unit's result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from driftq.config_models import Config
from driftq.model import Finding, UnitResult
from driftq.thresholds import evaluate

SCHEMA_VERSION = 1
_KIND_ORDER = {"drifted": 0, "missing": 1, "unmanaged": 2}


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started_at: str
    finished_at: str


def build_report(config: Config, run: RunInfo, results: Iterable[UnitResult]) -> dict[str, Any]:
    results = list(results)
    findings: list[Finding] = [f for r in results for f in r.findings]
    findings.sort(
        key=lambda f: (f.account, _KIND_ORDER[f.kind], f.resource_type, f.region, f.resource_id)
    )
    accounts = sorted({r.unit.account for r in results})
    severity, _per_account, breaches = evaluate(findings, config.monitoring.thresholds, accounts)
    failed = [r for r in results if r.status == "error"]
    counts = {kind: sum(1 for f in findings if f.kind == kind) for kind in _KIND_ORDER}
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "drift_detected": bool(findings),
        "status": "partial" if failed else "complete",
        "severity": severity,
        "summary": {
            "accounts": len(accounts),
            "units": len(results),
            "units_failed": len(failed),
            "managed": sum(r.managed for r in results),
            "drifted": counts["drifted"],
            "missing": counts["missing"],
            "unmanaged": counts["unmanaged"],
            "excluded": sum(r.excluded for r in results),
        },
        "thresholds": breaches,
        "findings": [f.to_json() for f in findings],
        "errors": [
            {
                "account": r.unit.account,
                "region": r.unit.region,
                "service": r.unit.service,
                "code": r.error_code,
                "message": r.error_message,
            }
            for r in sorted(failed, key=lambda r: r.unit)
        ],
    }


def exit_code(report: dict[str, Any]) -> int:
    """0: no drift and every unit scanned; 1: drift found or some units failed."""
    return 1 if report["drift_detected"] or report["status"] != "complete" else 0
