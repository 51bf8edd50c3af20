"""The human summary printed at the end of a run (stdout)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from driftq.text import display

MAX_LINES = 25
# failed units: one FAILED line per error code (hundreds of accounts often fail alike)
MAX_ERROR_CODES = 10
UNITS_PER_CODE = 5


def format_summary(report: dict[str, Any], written: dict[str, Path] | None = None) -> str:
    s = report["summary"]
    lines = [
        f"driftq run {report['run_id']}: {report['status']}, severity {report['severity']}",
        f"  {s['accounts']} accounts, {s['units']} units ({s['units_failed']} failed), "
        f"{s['managed']} managed resources",
        f"  drifted {s['drifted']}, missing {s['missing']}, unmanaged {s['unmanaged']}, "
        f"excluded {s['excluded']}",
    ]
    for t in report["thresholds"]:
        lines.append(
            f"  {t['level'].upper()}: {t['account']} {t['metric']} = {t['value']} (limit {t['limit']})"
        )
    findings = report["findings"]
    for f in findings[:MAX_LINES]:
        where = f.get("address") or f["resource_id"]
        detail = ""
        if f["kind"] == "drifted":
            detail = " (" + ", ".join(c["attribute"] for c in f["changes"]) + ")"
        lines.append(
            f"  {f['kind']:<9} {f['account']}/{f['region']} {f['resource_type']} {where}{detail}"
        )
    if len(findings) > MAX_LINES:
        lines.append(f"  ... and {len(findings) - MAX_LINES} more in the report")
    lines.extend(failed_lines(report["errors"]))
    for sent in report.get("notifications") or []:
        why = sent.get("error") or sent.get("reason")
        error = f" ({why})" if why else ""
        lines.append(f"  notified: {sent['channel']} {sent['status']}{error}")
    for out in report.get("outputs") or []:
        error = f" ({out['error']})" if out.get("error") else ""
        lines.append(f"  output:   {out['output']} {out['status']}{error}")
    if written:
        if "html" in written:
            lines.append(f"  report: {written['html']}")
        lines.append(f"  json:   {written['json']}")
        for name, path in written.items():
            if name.startswith("imports:"):
                lines.append(f"  import blocks: {path}")
    # every value from AWS or a state goes to the terminal escaped, one line each
    return "\n".join(display(line) for line in lines)


def failed_lines(errors: Iterable[dict[str, Any]]) -> list[str]:
    """FAILED lines grouped by error code, most frequent first, capped: each names its
    first units and the first message; the report lists them all."""
    by_code: dict[str, list[dict[str, Any]]] = {}
    for e in errors:
        by_code.setdefault(str(e["code"]), []).append(e)
    ranked = sorted(by_code.items(), key=lambda item: (-len(item[1]), item[0]))
    lines: list[str] = []
    for code, group in ranked[:MAX_ERROR_CODES]:
        units = ", ".join(
            f"{e['account']}/{e['region']}/{e['service']}" for e in group[:UNITS_PER_CODE]
        )
        more = f" and {len(group) - UNITS_PER_CODE} more" if len(group) > UNITS_PER_CODE else ""
        count = f"{len(group)} unit{'s' if len(group) != 1 else ''}"
        lines.append(f"  FAILED    {code} ({count}): {units}{more}")
        lines.append(f"            {group[0]['message']}")
    if len(ranked) > MAX_ERROR_CODES:
        rest = sum(len(group) for _, group in ranked[MAX_ERROR_CODES:])
        lines.append(
            f"  ... and {rest} more failed units with {len(ranked) - MAX_ERROR_CODES} other "
            "error codes in the report"
        )
    return lines
