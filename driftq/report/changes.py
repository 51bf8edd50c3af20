"""`first_seen` on each finding and `changes_since_previous` (new and resolved findings)."""

from __future__ import annotations

from typing import Any

from driftq.history import Baseline, finding_key

_BRIEF = ("kind", "account", "account_id", "region", "resource_type", "resource_id", "address")


def brief(f: dict[str, Any]) -> dict[str, Any]:
    return {k: f.get(k) for k in _BRIEF}


def annotate(report: dict[str, Any], baseline: Baseline | None) -> None:
    """Without history (``None``) nothing is known: `first_seen` is null and so are the
    changes; on a first run every finding is first seen now and there are no changes."""
    findings = report["findings"]
    if baseline is None:
        for f in findings:
            f["first_seen"] = None
        report["changes_since_previous"] = None
        return
    keys = set()
    new = []
    for f in findings:
        key = finding_key(f)
        keys.add(key)
        before = baseline.findings.get(key)
        f["first_seen"] = before["first_seen"] if before else report["started_at"]
        if before is None:
            new.append(brief(f))
    if not baseline.known:
        report["changes_since_previous"] = None
        return
    resolved = [brief(b["data"]) for k, b in sorted(baseline.findings.items()) if k not in keys]
    report["changes_since_previous"] = {
        "previous_run_ids": baseline.previous_run_ids,
        "new": new,
        "resolved": resolved,
    }
