"""What every channel says: the headline, per-account lines and the top findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from driftq.notify.policy import fingerprint
from driftq.text import display

TOP_FINDINGS = 10
MAX_ACCOUNTS = 20


@dataclass(frozen=True)
class Line:
    """One finding, ready to print."""

    kind: str
    new: bool
    account: str
    region: str
    resource_type: str
    where: str  # the address, or the id of an unmanaged resource
    detail: str  # the changed attributes of a drifted one

    def text(self) -> str:
        mark = "NEW " if self.new else ""
        detail = f": {self.detail}" if self.detail else ""
        return (
            f"{mark}{self.kind} {self.resource_type} {self.where} "
            f"({self.account}/{self.region}){detail}"
        )


def headline(report: dict[str, Any]) -> str:
    s = report["summary"]
    hit = sum(
        1 for a in report.get("accounts") or [] if a["drifted"] + a["missing"] + a["unmanaged"] > 0
    )
    return (
        f"{report['severity'].upper()} Terraform drift: {s['drifted']} drifted, "
        f"{s['missing']} missing, {s['unmanaged']} unmanaged in {hit} of {s['accounts']} "
        f"accounts"
    )


def run_line(report: dict[str, Any]) -> str:
    s = report["summary"]
    failed = f", {s['units_failed']} failed" if s["units_failed"] else ""
    return f"run {report['run_id']} ({report['status']}): {s['units']} units{failed}"


def account_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Accounts with something to say (findings, failures), worst first; and how many more."""
    rows = [
        a
        for a in report.get("accounts") or []
        if a["drifted"] + a["missing"] + a["unmanaged"] + a["units_failed"] > 0
    ]
    order = {"critical": 0, "warning": 1, "ok": 2}
    rows.sort(key=lambda a: (order.get(a["severity"], 3), a["name"]))
    return rows[:MAX_ACCOUNTS], max(0, len(rows) - MAX_ACCOUNTS)


def top_findings(
    report: dict[str, Any], new: list[dict[str, Any]], limit: int = TOP_FINDINGS
) -> tuple[list[Line], int]:
    """New findings first, then the rest in report order; and how many were left out."""
    new_prints = {fingerprint(f) for f in new}
    ordered = sorted(report["findings"], key=lambda f: fingerprint(f) not in new_prints)
    lines = [
        # Slack, e-mail and PagerDuty show these: escaped like the terminal (driftq/text.py)
        Line(
            kind=f["kind"],
            new=fingerprint(f) in new_prints,
            account=display(f["account"]),
            region=display(f["region"]),
            resource_type=display(f["resource_type"]),
            where=display(f.get("address") or f["resource_id"]),
            detail=display(", ".join(c["attribute"] for c in f.get("changes") or [])),
        )
        for f in ordered[:limit]
    ]
    return lines, max(0, len(ordered) - limit)


def report_location(template: str | None, run_id: str, path: str) -> str:
    """The report's URL when ``notifications.report_url`` is set, else its file path."""
    if template:
        return template.replace("{run_id}", run_id)
    return path
