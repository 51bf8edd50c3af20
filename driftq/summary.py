"""The human summary printed at the end of a run (stdout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.text import display

MAX_LINES = 25


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
    for e in report["errors"]:
        lines.append(
            f"  FAILED    {e['account']}/{e['region']}/{e['service']}: {e['code']}: {e['message']}"
        )
    for sent in report.get("notifications") or []:
        why = sent.get("error") or sent.get("reason")
        error = f" ({why})" if why else ""
        lines.append(f"  notified: {sent['channel']} {sent['status']}{error}")
    for out in report.get("outputs") or []:
        error = f" ({out['error']})" if out.get("error") else ""
        lines.append(f"  output:   {out['output']} {out['status']}{error}")
    if written:
        lines.append(f"  report: {written['html']}")
        lines.append(f"  json:   {written['json']}")
        for name, path in written.items():
            if name.startswith("imports:"):
                lines.append(f"  import blocks: {path}")
    # every value from AWS or a state goes to the terminal escaped, one line each
    return "\n".join(display(line) for line in lines)
