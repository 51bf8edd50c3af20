"""Canonical forms of attribute values, so that equal-meaning values compare equal."""

from __future__ import annotations

import json
from typing import Any


def canonical(value: Any, ordered: bool = False) -> Any:
    """A comparable form of ``value`` in which equal-meaning values are equal."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        members = {str(k): canonical(v) for k, v in value.items()}
        return {k: v for k, v in members.items() if v is not None} or None
    if isinstance(value, list | tuple | set):
        items = [canonical(v) for v in value]
        items = [i for i in items if i is not None]
        if not items:
            return None
        if ordered:
            return items
        return sorted(items, key=lambda i: json.dumps(i, sort_keys=True))
    return str(value)
