"""One account's (or one account x region's) part of a run's report.

An account's slice is itself a schema_version 1 report, so `driftq report consolidate`
merges the per-account files of a bucket prefix back into the whole run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

# run-level sections that do not split by account
_RUN_ONLY = {
    "findings",
    "errors",
    "thresholds",
    "accounts",
    "summary",
    "remediation",
    "changes_since_previous",
    "notifications",
    "history",
    "outputs",
}


def by_account(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        out[item["account"]].append(item)
    return out


def account_reports(
    report: dict[str, Any], excluded: dict[str, int]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(account name, its report) for every account the run scanned; ``excluded`` counts
    each account's excluded resources (the run's report only has the total)."""
    findings = by_account(report["findings"])
    errors = by_account(report["errors"])
    breaches = by_account(report.get("thresholds") or [])
    remediation = report.get("remediation") or {}
    imports = by_account(remediation.get("imports") or [])
    plan = by_account(remediation.get("plan") or [])
    base = {k: v for k, v in report.items() if k not in _RUN_ONLY}
    for row in report.get("accounts") or []:
        name = row["name"]
        mine = findings.get(name, [])
        failed = errors.get(name, [])
        yield (
            name,
            {
                **base,
                "drift_detected": bool(mine),
                "status": "partial" if failed else "complete",
                "severity": row["severity"],
                "summary": {
                    "accounts": 1,
                    "units": row["units"],
                    "units_failed": row["units_failed"],
                    "managed": row["managed"],
                    "drifted": row["drifted"],
                    "missing": row["missing"],
                    "unmanaged": row["unmanaged"],
                    "excluded": excluded.get(name, 0),
                },
                "thresholds": breaches.get(name, []),
                "findings": mine,
                "errors": failed,
                "accounts": [row],
                "remediation": {"imports": imports.get(name, []), "plan": plan.get(name, [])},
            },
        )


def region_counts(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, int]]:
    """Per (account, region) of every account row: finding counts and failed units."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for row in report.get("accounts") or []:
        for region in row["regions"]:
            out[(row["name"], region)] = dict.fromkeys(
                ("drifted", "missing", "unmanaged", "units_failed"), 0
            )
    for f in report["findings"]:
        out.setdefault(
            (f["account"], f["region"]),
            dict.fromkeys(("drifted", "missing", "unmanaged", "units_failed"), 0),
        )[f["kind"]] += 1
    for e in report["errors"]:
        key = (e["account"], e["region"])
        if key in out:
            out[key]["units_failed"] += 1
    return out
