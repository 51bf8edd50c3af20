"""Write a run's outputs: report.json, report.html and imports/<account>.tf."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from driftq.errors import ReportError
from driftq.report.html import render_html_chunks
from driftq.report.safe_write import atomic_write

__all__ = ["atomic_write", "report_json", "save_report", "save_report_path", "write_outputs"]

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")

IMPORTS_README = """\
# Import blocks

One file per AWS account: an `import {}` block for every resource driftq found in AWS but in
no Terraform state. The `to` addresses are suggestions (from the Name tag or the id).

To adopt them:

1. Copy the account's file into the Terraform configuration that should own the resources.
2. Run `terraform plan -generate-config-out=generated.tf` (Terraform 1.5 or newer): Terraform
   writes a resource block for each import into `generated.tf`.
3. Review and tidy `generated.tf`, then `terraform apply` to record the resources in state.

Or delete the resources in AWS if nobody should have created them.
"""


def report_json(report: dict[str, Any]) -> str:
    return "".join(report_json_chunks(report))


def report_json_chunks(report: dict[str, Any]) -> Iterator[str]:
    yield from json.JSONEncoder(indent=2, default=str).iterencode(report)
    yield "\n"


def write_outputs(
    report: dict[str, Any],
    imports: dict[str, str],
    out_dir: str | Path,
    html: bool = True,
) -> dict[str, Path]:
    """Paths written, by name (json, html, and imports:<account>); ``imports`` holds the
    text of each account's import file. report.json is always written (history, `submit
    --wait` and `report consolidate` read it); ``html`` False leaves out report.html."""
    out = Path(out_dir)
    written: dict[str, Path] = {}
    atomic_write(out / "report.json", report_json_chunks(report))
    written["json"] = out / "report.json"
    if html:
        atomic_write(out / "report.html", render_html_chunks(report))
        written["html"] = out / "report.html"
    for account, text in sorted(imports.items()):
        path = out / "imports" / f"{account}.tf"
        atomic_write(path, text)
        written[f"imports:{account}"] = path
    if imports:
        atomic_write(out / "imports" / "README.md", IMPORTS_README)
    return written


def save_report(report: dict[str, Any], target: str | Path, selection: dict[str, Any]) -> Path:
    """`scan --save-report`: the report JSON at ``target`` (see ``save_report_path``)."""
    path = save_report_path(target, selection, report["run_id"], report["started_at"][:10])
    atomic_write(path, report_json(report))
    return path


def save_report_path(target: str | Path, selection: dict[str, Any], run_id: str, date: str) -> Path:
    """Where `--save-report` writes. ``target`` may use {account}, {region}, {date} and
    {run_id}; a directory (an existing one, or a path ending in /) gets the guide's name
    `drift-<account>-<region>-<date>.json`. One selected account or region names itself;
    otherwise the name says `all`. A filled-in value is one plain path component, so a
    name cannot lead the file out of the folder the template names.
    """
    accounts = selection.get("accounts") or []
    regions = selection.get("regions") or []
    fields = {
        "account": accounts[0] if len(accounts) == 1 else "all",
        "region": regions[0] if len(regions) == 1 else "all",
        "date": date,
        "run_id": run_id,
    }
    text = str(target)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        text = os.path.join(text, "drift-{account}-{region}-{date}.json")
    for name, value in fields.items():
        placeholder = "{" + name + "}"
        if placeholder in text and not _PLAIN.match(value):
            raise ReportError(
                f"--save-report: {placeholder} would be {value!r:.80}, not a plain file name"
            )
        text = text.replace(placeholder, value)
    return Path(text)
