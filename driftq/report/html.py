"""Render the report as one self-contained HTML page (Jinja2, autoescaped)."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

_ENV = Environment(
    loader=PackageLoader("driftq.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["pretty"] = lambda v: json.dumps(v, indent=2, sort_keys=True, default=str)


def render_html(report: dict[str, Any]) -> str:
    return _ENV.get_template("report.html.j2").render(report=report)
