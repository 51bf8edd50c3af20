"""Write a run's outputs: report.json, report.html and imports/<account>.tf."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from driftq.config_models import Config
from driftq.model import Finding
from driftq.remediation import import_blocks
from driftq.report.html import render_html


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_outputs(
    report: dict[str, Any], findings: Iterable[Finding], config: Config, out_dir: str | Path
) -> dict[str, Path]:
    """Paths written, by name (json, html, and imports:<account>)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    _atomic_write(out / "report.json", json.dumps(report, indent=2, default=str) + "\n")
    written["json"] = out / "report.json"
    _atomic_write(out / "report.html", render_html(report))
    written["html"] = out / "report.html"
    if config.remediation.auto_generate_import:
        per_account: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            if finding.kind == "unmanaged":
                per_account[finding.account].append(finding)
        if per_account:
            (out / "imports").mkdir(exist_ok=True)
        for account, items in sorted(per_account.items()):
            path = out / "imports" / f"{account}.tf"
            header = (
                f"# Unmanaged resources in account {account} ({items[0].account_id}).\n"
                "# Review, then: terraform plan -generate-config-out=generated.tf\n\n"
            )
            _atomic_write(path, header + import_blocks(items))
            written[f"imports:{account}"] = path
    return written
