"""Assemble ``report.json`` (schema_version 1) from every unit's result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from driftq.config_models import Config
from driftq.model import Finding, UnitResult
from driftq.thresholds import evaluate

SCHEMA_VERSION = 1
KIND_ORDER = {"drifted": 0, "missing": 1, "unmanaged": 2}


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started_at: str
    finished_at: str


def build_report(
    config: Config,
    run: RunInfo,
    results: Iterable[UnitResult],
    counted_also: Iterable[Finding] = (),
) -> dict[str, Any]:
    """``counted_also``: findings outside this run that its thresholds count too (an event
    run's accounts' other units, from history), never reported as this run's."""
    results = list(results)
    findings: list[Finding] = _once([f for r in results for f in r.findings])
    findings.sort(
        key=lambda f: (f.account, KIND_ORDER[f.kind], f.resource_type, f.region, f.resource_id)
    )
    accounts = sorted({r.unit.account for r in results})
    counted = [*findings, *counted_also]
    severity, per_account, breaches = evaluate(counted, config.monitoring.thresholds, accounts)
    failed = [r for r in results if r.status == "error"]
    counts = {kind: sum(1 for f in findings if f.kind == kind) for kind in KIND_ORDER}
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
        # beyond the contract's keys: what was scanned, for the account x region matrix and
        # for per-account alerts (an account with no finding still has a row)
        "accounts": _coverage(config, results, findings, per_account),
    }


def _coverage(
    config: Config,
    results: list[UnitResult],
    findings: list[Finding],
    severities: dict[str, str],
) -> list[dict[str, Any]]:
    ids = {a.name: a.account_id for a in config.accounts}
    rows: dict[str, dict[str, Any]] = {}
    for r in results:
        row = rows.setdefault(
            r.unit.account,
            {
                "name": r.unit.account,
                "account_id": ids.get(r.unit.account),
                "severity": severities.get(r.unit.account, "ok"),
                "regions": set(),
                "units": 0,
                "units_failed": 0,
                "managed": 0,
                **dict.fromkeys(KIND_ORDER, 0),
            },
        )
        row["regions"].add(r.unit.region)
        row["units"] += 1
        row["units_failed"] += r.status == "error"
        row["managed"] += r.managed
    for f in findings:
        rows[f.account][f.kind] += 1
        rows[f.account]["regions"].add(f.region)  # an S3 bucket's region, from a global unit
    return [{**row, "regions": sorted(row["regions"])} for _, row in sorted(rows.items())]


def exit_code(report: dict[str, Any]) -> int:
    """0: no drift and every unit scanned; 1: drift found or some units failed."""
    return 1 if report["drift_detected"] or report["status"] != "complete" else 0


def _once(findings: list[Finding]) -> list[Finding]:
    """The same finding from several units, once: an owner in no state (a CloudFormation
    stack) is reported by each unit that found something it made (passes/owners.py)."""
    seen: set[tuple[str, str, str, str, str]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.account, f.region, f.resource_type, f.resource_id, f.kind)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
