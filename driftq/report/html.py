"""Render the report as one self-contained HTML page (Jinja2, autoescaped, no external asset).

Every value from AWS or a state reaches the page through Jinja's autoescape; the page's
script reads only the DOM (data attributes, never innerHTML), so a tag value like
``<script>`` stays text.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from driftq import __version__
from driftq.history import finding_key
from driftq.text import display

_ENV = Environment(
    loader=PackageLoader("driftq.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["pretty"] = lambda v: json.dumps(v, indent=2, sort_keys=True, default=str)


def _shown(value: Any) -> Any:
    """Every `{{ }}` of every template: control and bidi characters escaped (driftq/text.py);
    our own markup (the page's script) as it is."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return display(value, multiline=True)


_ENV.finalize = _shown
CARDS = ("accounts", "units", "managed", "drifted", "missing", "unmanaged")


def render_template(name: str, **context: Any) -> str:
    return _ENV.get_template(name).render(version=__version__, **context)


def _script() -> tuple[Markup, str]:
    """The page's one script and its CSP hash: the policy allows exactly this script."""
    assert _ENV.loader is not None
    source, _, _ = _ENV.loader.get_source(_ENV, "report.js")
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return Markup(source), f"sha256-{digest}"


_SCRIPT, _SCRIPT_HASH = _script()


def render_html(report: dict[str, Any]) -> str:
    return "".join(render_html_chunks(report))


def render_html_chunks(report: dict[str, Any]) -> Iterator[str]:
    """The page piece by piece: a 10,000-finding page is written without ever being one
    string in memory (the chord callback's peak memory)."""
    template = _ENV.get_template("report.html.j2")
    yield from template.generate(
        version=__version__,
        report=report,
        view=view(report),
        script=_SCRIPT,
        script_hash=_SCRIPT_HASH,
    )


def view(report: dict[str, Any]) -> dict[str, Any]:
    """What the template shows, computed here so that the template stays declarative."""
    findings = report["findings"]
    changes = report.get("changes_since_previous")
    new_keys = {finding_key(f) for f in (changes or {}).get("new", [])}
    hcl = {
        (imp["account"], b["resource_type"], b["resource_id"]): b["hcl"]
        for imp in (report.get("remediation") or {}).get("imports", [])
        for b in imp["blocks"]
    }
    rows = [_row(f, finding_key(f) in new_keys and changes is not None, hcl) for f in findings]
    summary = report["summary"]
    return {
        "duration": _duration(report["started_at"], report["finished_at"]),
        "cards": [(name, summary.get(name, 0)) for name in CARDS]
        + [("errors", summary.get("units_failed", 0))],
        "matrix": _matrix(report),
        "rows": rows,
        "options": {
            "account": sorted({f["account"] for f in findings}),
            "region": sorted({f["region"] for f in findings}),
            "kind": [
                k
                for k in ("drifted", "missing", "unmanaged")
                if any(f["kind"] == k for f in findings)
            ],
            "type": sorted({f["resource_type"] for f in findings}),
        },
    }


def _row(f: dict[str, Any], new: bool, hcl: dict[tuple[str, str, str], str]) -> dict[str, Any]:
    changes = [
        {"attribute": c["attribute"], "lines": _diff(c["expected"], c["actual"])}
        for c in f.get("changes") or []
    ]
    words = [
        f["kind"],
        f["account"],
        f.get("account_id") or "",
        f["region"],
        f["service"],
        f["resource_type"],
        f["resource_id"],
        f.get("address") or "",
        f.get("state") or "",
        *(c["attribute"] for c in changes),
    ]
    return {
        "f": f,
        "new": new,
        "text": " ".join(str(w) for w in words).lower(),
        "changes": changes,
        "hcl": hcl.get((f["account"], f["resource_type"], f["resource_id"])),
    }


def _diff(expected: Any, actual: Any) -> list[tuple[str, str, str]]:
    """Side-by-side lines (tag, expected line, actual line); tag is same/del/add/change."""
    left = json.dumps(expected, indent=2, sort_keys=True, default=str).splitlines()
    right = json.dumps(actual, indent=2, sort_keys=True, default=str).splitlines()
    lines: list[tuple[str, str, str]] = []
    # compared without JSON's trailing commas: a line that gained a next sibling is unchanged
    matcher = difflib.SequenceMatcher(
        None, [x.rstrip(",") for x in left], [x.rstrip(",") for x in right], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines += [("same", left[a1 + i], right[b1 + i]) for i in range(a2 - a1)]
            continue
        for i in range(max(a2 - a1, b2 - b1)):
            a = left[a1 + i] if a1 + i < a2 else ""
            b = right[b1 + i] if b1 + i < b2 else ""
            lines.append(("change" if a and b else ("del" if a else "add"), a, b))
    return lines


def _duration(start: str, end: str) -> str:
    try:
        seconds = int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    except (TypeError, ValueError):
        return "?"
    minutes, seconds = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {seconds}s" if minutes else f"{seconds}s"


def _matrix(report: dict[str, Any]) -> dict[str, Any]:
    """Accounts x regions. A cell's level: ok (scanned, nothing found), notice (findings below
    every threshold), else its account's severity; `failed` marks a unit that failed."""
    accounts = {
        a["name"]: {"id": a.get("account_id"), "severity": a["severity"], "regions": a["regions"]}
        for a in report.get("accounts") or []
    }
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in report["findings"]:
        counts[(f["account"], f["region"])][f["kind"]] += 1
        _ensure(accounts, f["account"], f.get("account_id"), f["region"])
    failed: dict[tuple[str, str], int] = defaultdict(int)
    for e in report["errors"]:
        failed[(e["account"], e["region"])] += 1
        _ensure(accounts, e["account"], None, e["region"])
    regions = sorted(
        {r for a in accounts.values() for r in a["regions"]}, key=lambda r: (r == "global", r)
    )
    rows = []
    for name, info in sorted(accounts.items()):
        cells: list[dict[str, Any] | None] = []
        for region in regions:
            if region not in info["regions"]:
                cells.append(None)
                continue
            found = dict(counts.get((name, region), {}))
            level = "ok"
            if found:
                level = info["severity"] if info["severity"] != "ok" else "notice"
            cells.append(
                {
                    "region": region,
                    "counts": found,
                    "total": sum(found.values()),
                    "level": level,
                    "failed": failed.get((name, region), 0),
                }
            )
        rows.append({"name": name, "id": info["id"], "severity": info["severity"], "cells": cells})
    return {"regions": regions, "rows": rows}


def _ensure(accounts: dict[str, Any], name: str, account_id: str | None, region: str) -> None:
    # a report without `accounts` (an older file, consolidated) still gets its matrix
    info = accounts.setdefault(name, {"id": account_id, "severity": "notice", "regions": []})
    if region not in info["regions"]:
        info["regions"] = [*info["regions"], region]
