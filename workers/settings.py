"""Runtime settings from the environment: the Redis URL, the cluster config, time limits.

`DRIFTQ_REDIS_URL` is broker, result back-end and run store at once. `DRIFTQ_CONFIG` names
the config the cluster serves (compose mounts it at the same path in every container): its
`defaults.timeout` sets the task time limits and, above them, the broker's visibility
timeout, so a message is only handed to another worker once its first worker is surely gone.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDIS_URL_ENV = "DRIFTQ_REDIS_URL"
DEFAULT_REDIS_URL = "redis://localhost:6379/0"
CONFIG_ENV = "DRIFTQ_CONFIG"
DEFAULT_TIMEOUT = 1800.0
# run data outlives the longest run by a day, so a late look at a finished run still works
RUN_TTL_FLOOR = 86400
# how often beat sends the watchdog (DRIFTQ_WATCHDOG_INTERVAL overrides, in seconds)
WATCHDOG_INTERVAL_S = float(os.environ.get("DRIFTQ_WATCHDOG_INTERVAL") or 30)

log = logging.getLogger(__name__)


def redis_url() -> str:
    return os.environ.get(REDIS_URL_ENV) or DEFAULT_REDIS_URL


def masked(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True)
class TimeLimits:
    """Per-task limits. The soft limit raises inside the engine, which turns it into an error
    result; the hard limit leaves a few seconds for that; the visibility timeout sits above."""

    soft: float
    hard: float
    visibility: float

    @classmethod
    def from_timeout(cls, timeout: float) -> TimeLimits:
        hard = timeout + max(5.0, timeout * 0.05)
        return cls(soft=timeout, hard=hard, visibility=hard + max(5.0, hard * 0.1))

    @property
    def restore_interval(self) -> float:
        """How often workers look for messages of lost workers (kombu sweeps the unacked set)."""
        return max(1.0, min(60.0, self.visibility / 4))


def cluster_timeout() -> float:
    """``defaults.timeout`` of the cluster's config, or 30 minutes without one."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        return DEFAULT_TIMEOUT
    from driftq.config import load_config
    from driftq.errors import DriftqError

    try:
        return load_config(path, secrets=False).defaults.timeout
    except DriftqError as exc:
        log.warning(
            "%s=%s unusable (%s); using a %ss task limit", CONFIG_ENV, path, exc, DEFAULT_TIMEOUT
        )
        return DEFAULT_TIMEOUT


def default_output_dir(run_id: str) -> Path:
    """Where a run's reports go without --output-dir (on the machine running the callback,
    and, with --wait, on the submitting one)."""
    return Path("reports") / run_id


def run_ttl(timeout: float) -> int:
    """How long a run's keys live in Redis: well beyond the run itself."""
    return int(max(RUN_TTL_FLOOR, 3 * timeout))
