"""The JSON `driftq event` prints: the guide's keys (`drift_detected`, `summary`,
`drifted_resources`) plus our findings, each with `changed_by`, and what became of each
event."""

from __future__ import annotations

from typing import Any

from driftq.events.plan import Outcome
from driftq.events.targeted import EventRun


def event_output(outcome: Outcome, run: EventRun | None) -> dict[str, Any]:
    findings = run.findings if run else []
    failed = [r for r in run.results if r.status == "error"] if run else []
    counts = {k: sum(f.kind == k for f in findings) for k in ("drifted", "missing", "unmanaged")}
    scanned = [
        {
            "event": c.label(),
            "event_id": c.event_id,
            "status": "scanned",
            "unit": t.unit.label(),
            "by_terraform": c.by_terraform,
        }
        for t in outcome.targets
        for c in t.calls
    ]
    return {
        "drift_detected": bool(findings),
        "summary": {
            "events": len(scanned) + len(outcome.ignored),
            "targets": len(outcome.targets),
            **counts,
            "units_failed": len(failed),
        },
        "drifted_resources": [
            {"kind": f.kind, "resource_type": f.resource_type, "resource_id": f.resource_id}
            for f in findings
        ],
        "findings": [f.to_json() for f in findings],
        "events": scanned + [{**i, "status": "ignored"} for i in outcome.ignored],
        "errors": [
            {"unit": r.unit.label(), "code": r.error_code, "message": r.error_message}
            for r in failed
        ],
        "run_id": run.finalized.report["run_id"] if run else None,
        "report": str(run.finalized.written.get("html", "")) if run else None,
    }
