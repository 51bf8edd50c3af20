"""`driftq report consolidate`: merge report files (one per account and region, say) into one.

Counts add up; a finding present in two files (overlapping selections) counts once, the
newer file's copy winning. Without a config, severity and breaches are each file's own, the
worst kept per account; with one, thresholds are evaluated again on the merged findings
(a per-region file cannot see that an account's regions together cross a limit).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from driftq.config_models import Config
from driftq.errors import ReportError
from driftq.files import Unreadable, decode_utf8, read_bounded
from driftq.history import finding_key
from driftq.model import Finding
from driftq.report.build import KIND_ORDER, SCHEMA_VERSION
from driftq.report.schema import parse_report
from driftq.thresholds import LEVELS, evaluate

# a report of 100,000 findings is ~60 MB of JSON
MAX_REPORT_BYTES = 512 * 2**20


def load_reports(
    input_dir: str | Path, skip: Path | None = None
) -> list[tuple[Path, dict[str, Any]]]:
    """Every report in ``input_dir``; ``skip`` is the merge's own output, which a second
    run would otherwise count again."""
    folder = Path(input_dir)
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a directory")
    out = []
    for path in sorted(folder.glob("*.json")):
        if path.is_dir() or (skip is not None and _same_file(path, skip)):
            continue
        try:
            text = decode_utf8(read_bounded(path, MAX_REPORT_BYTES))
        except Unreadable as exc:
            raise ReportError(f"{path}: not a readable JSON report: {exc}") from exc
        data = parse_report(text, str(path))
        if data is None:
            continue  # some other JSON file in the folder
        out.append((path, data))
    if not out:
        raise ReportError(f"{folder}: no driftq report (*.json) in this directory")
    return out


def consolidate(
    reports: list[tuple[Path, dict[str, Any]]], config: Config | None = None
) -> dict[str, Any]:
    reports = sorted(reports, key=lambda item: (item[1]["finished_at"], str(item[0])))
    findings: dict[str, dict[str, Any]] = {}
    errors: dict[tuple[str, str, str], dict[str, Any]] = {}
    accounts: dict[str, dict[str, Any]] = {}
    summary = dict.fromkeys(("units", "units_failed", "managed", "excluded"), 0)
    for _, r in reports:
        for f in r["findings"]:
            findings[finding_key(f)] = f
        for e in r["errors"]:
            errors[(e["account"], e["region"], e["service"])] = e
        for key in summary:
            summary[key] += r["summary"].get(key, 0)
        for a in r.get("accounts") or []:
            _merge_account(accounts, a)
    merged = sorted(
        findings.values(),
        key=lambda f: (
            f["account"],
            KIND_ORDER[f["kind"]],
            f["resource_type"],
            f["region"],
            f["resource_id"],
        ),
    )
    for a in accounts.values():
        a.update(dict.fromkeys(KIND_ORDER, 0))
    for f in merged:
        if f["account"] in accounts:
            accounts[f["account"]][f["kind"]] += 1
    names = set(accounts) | {f["account"] for f in merged} | {e[0] for e in errors}
    severity, breaches = _severity(reports, merged, names, accounts, config)
    counts = {kind: sum(1 for f in merged if f["kind"] == kind) for kind in KIND_ORDER}
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": f"consolidated-{now.replace(':', '').replace('-', '')}",
        "started_at": min(r["started_at"] for _, r in reports),
        "finished_at": max(r["finished_at"] for _, r in reports),
        "drift_detected": bool(merged),
        "status": "partial"
        if errors or any(r["status"] != "complete" for _, r in reports)
        else "complete",
        "severity": severity,
        "summary": {
            "accounts": len(names),
            "units": summary["units"],
            "units_failed": summary["units_failed"],
            "managed": summary["managed"],
            **{kind: counts[kind] for kind in KIND_ORDER},
            "excluded": summary["excluded"],
        },
        "thresholds": breaches,
        "findings": merged,
        "errors": [errors[k] for k in sorted(errors)],
        "accounts": [accounts[n] for n in sorted(accounts)],
        "remediation": _merge_remediation(reports),
        "sources": [
            {"file": path.name, "run_id": r["run_id"], "finished_at": r["finished_at"]}
            for path, r in reports
        ],
    }


def _merge_account(accounts: dict[str, dict[str, Any]], a: dict[str, Any]) -> None:
    row = accounts.setdefault(
        a["name"],
        {
            "name": a["name"],
            "account_id": a.get("account_id"),
            "severity": "ok",
            "regions": [],
            "units": 0,
            "units_failed": 0,
            "managed": 0,
        },
    )
    row["severity"] = max(row["severity"], a["severity"], key=LEVELS.index)
    row["regions"] = sorted(set(row["regions"]) | set(a["regions"]))
    for key in ("units", "units_failed", "managed"):
        row[key] += a.get(key, 0)


def _severity(
    reports: list[tuple[Path, dict[str, Any]]],
    findings: list[dict[str, Any]],
    names: set[str],
    accounts: dict[str, dict[str, Any]],
    config: Config | None,
) -> tuple[str, list[dict[str, Any]]]:
    if config is not None:
        objects = [Finding.from_json(f) for f in findings]
        severity, per_account, breaches = evaluate(
            objects, config.monitoring.thresholds, sorted(names)
        )
        for name, level in per_account.items():
            if name in accounts:
                accounts[name]["severity"] = level
        return severity, breaches
    worst: dict[tuple[str, str, str], dict[str, Any]] = {}
    for _, r in reports:
        for t in r["thresholds"]:
            key = (t["account"], t["level"], t["metric"])
            if key not in worst or t["value"] > worst[key]["value"]:
                worst[key] = t
    severity = max((r["severity"] for _, r in reports), key=LEVELS.index, default="ok")
    return severity, [worst[k] for k in sorted(worst)]


def _merge_remediation(reports: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    imports: dict[str, dict[str, Any]] = {}
    plan: list[dict[str, Any]] = []
    for _, r in reports:
        rem = r.get("remediation") or {}
        plan.extend(rem.get("plan") or [])
        for imp in rem.get("imports") or []:
            target = imports.setdefault(imp["account"], {**imp, "blocks": []})
            target["blocks"].extend(imp["blocks"])
    return {"imports": [imports[a] for a in sorted(imports)], "plan": plan, "approval_requests": []}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
