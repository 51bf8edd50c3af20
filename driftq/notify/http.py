"""POST JSON with retries: 429 and 5xx (and dropped connections) are retried with exponential
backoff, honouring a short ``Retry-After``; other 4xx are final. Nothing here ever names the
URL in an error or a log line: webhook URLs and routing keys are secrets."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from driftq import __version__

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_S = 0.5  # 0.5 s, then 1 s: a run's end is not held up for long
TIMEOUT_S = 10.0
MAX_RETRY_AFTER_S = 10.0
USER_AGENT = f"driftq/{__version__}"


@dataclass
class Delivery:
    ok: bool
    attempts: int
    error: str | None = None
    status: int | None = None
    body: str = ""


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    what: str,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
    timeout: float = TIMEOUT_S,
) -> Delivery:
    """POST ``payload``; ``what`` names the channel in logs (never the URL)."""
    data = json.dumps(payload, default=str).encode()
    error = "not sent"
    status: int | None = None
    try:
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
    except ValueError:  # no scheme, unknown scheme: nothing to retry
        log.warning("%s: not delivered: the URL is not valid", what)
        return Delivery(False, 0, error="invalid URL")
    if request.type not in ("http", "https"):
        log.warning("%s: not delivered: the URL is not http(s)", what)
        return Delivery(False, 0, error="invalid URL")
    attempt = 0
    for attempt in range(1, attempts + 1):
        wait = backoff * 2 ** (attempt - 1)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(4096).decode("utf-8", "replace")
                return Delivery(True, attempt, status=response.status, body=body)
        except urllib.error.HTTPError as exc:
            status = exc.code
            error = f"HTTP {exc.code}"
            if not _retryable(exc.code):
                break
            wait = max(wait, _retry_after(exc.headers.get("Retry-After")))
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            error = f"connection failed: {type(reason).__name__}"
            status = None
        if attempt < attempts:
            log.info("%s: %s, retrying in %.1fs (attempt %d)", what, error, wait, attempt)
            time.sleep(wait)
    log.warning("%s: not delivered after %d attempt(s): %s", what, attempt, error)
    return Delivery(False, attempt, error=error, status=status)


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 0), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:  # an HTTP date: not worth parsing for a few seconds' wait
        return 0.0
