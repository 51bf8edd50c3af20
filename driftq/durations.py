"""Durations written as `90s`, `30m`, `6h`, `1d` (or a bare number of seconds)."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_duration(value: str | int | float) -> float:
    """Seconds in ``value``; raises ValueError with the accepted forms."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like 90s, 30m or 6h")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _PATTERN.match(value)
        if not match:
            raise ValueError(f"{value!r} is not a duration; use forms like 90s, 30m, 6h or 1d")
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds
