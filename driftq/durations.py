"""Durations written as `90s`, `30m`, `6h`, `1d` (or a bare number of seconds)."""

from __future__ import annotations

import math
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
# a timeout or an interval beyond a year is a typo; it would also overflow the date and
# time arithmetic (and Celery's countdowns) that use it
MAX_DAYS = 366
_FORMS = "use forms like 90s, 30m, 6h or 1d"


def parse_duration(value: object, max_days: int = MAX_DAYS) -> float:
    """Seconds in ``value`` (at most ``max_days``); raises ValueError with the accepted forms."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected a duration; {_FORMS}")
    if isinstance(value, str):
        match = _PATTERN.match(value)
        if not match:
            raise ValueError(f"{value[:40]!r} is not a duration; {_FORMS}")
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    else:
        try:
            seconds = float(value)
        except OverflowError:  # an int too large for a float
            seconds = math.inf
    if math.isnan(seconds):
        raise ValueError(f"a duration must be a number; {_FORMS}")
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    if seconds > max_days * 86400:
        raise ValueError(f"a duration must be at most {max_days} days")
    return seconds
