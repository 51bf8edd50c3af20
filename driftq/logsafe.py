"""Logs never carry a secret, at any level, in the CLI and in Celery processes.

At DEBUG, botocore logs every request and response whole: the caller's session token (the
`X-Amz-Security-Token` header), the `ExternalId` of each AssumeRole and the secret key and
session token it returns; urllib3 logs the URLs. Two layers keep them out:

1. The AWS wire loggers (botocore, boto3, s3transfer, urllib3) are capped at INFO whatever
   the process's level: their DEBUG output is the wire itself.
2. Every handler gets ``RedactingFilter``: values known to be secret (the caller's
   credentials from the environment; external ids, webhook URLs, keys and passwords from the
   config) and anything that *looks* like a credential field (`SecretAccessKey`,
   `SessionToken`, `ExternalId`, `password`, ... in XML, JSON, Python reprs or query
   strings) are replaced by ``[redacted]``, in messages and in tracebacks alike.

``install()`` is called by `driftq` after it sets up logging and by every Celery process
(workers/app.py, on Celery's `after_setup_logger` signals).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from typing import Any

from driftq.text import display

REDACTED = "[redacted]"
WIRE_LOGGERS = ("botocore", "boto3", "s3transfer", "urllib3")
_ENV_SECRETS = (
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "DRIFTQ_EVENTS_SECRET",  # the event receiver's shared secret
)
_FIELDS = (
    r"SecretAccessKey|SessionToken|SecurityToken|ExternalId|Password|"
    r"aws_secret_access_key|aws_session_token|secret_access_key|session_token|"
    r"external_id|password|routing_key|integration_key|webhook_url|approval_webhook|"
    r"X-Amz-Security-Token|X-Amz-Signature|Signature"
)
_PATTERNS = (
    # <SecretAccessKey>...</SecretAccessKey> in STS's XML answers
    (re.compile(rf"(<({_FIELDS})>)[^<]*(</)"), rf"\1{REDACTED}\3"),
    # 'Authorization': b'AWS4-HMAC-SHA256 Credential=..., Signature=...'
    (re.compile(r"""(Authorization['"]?\s*[:=]\s*b?['"])[^'"]*""", re.I), rf"\1{REDACTED}"),
    # "SessionToken": "...", 'ExternalId': '...', ExternalId=...&, password=...
    (
        re.compile(rf"""(["']?\b({_FIELDS})\b["']?\s*[:=]\s*b?["']?)[^"'&,\s}}<>\]\)]+""", re.I),
        rf"\1{REDACTED}",
    ),
)
# values below this length are too common to replace everywhere (and no real secret is so short)
_MIN_SECRET = 6


class _Secrets:
    """The exact values to redact: bounded by the config (never grows per run or per call)."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, values: Iterable[str | None]) -> None:
        fresh = {v for v in values if v and len(v) >= _MIN_SECRET} - self._values
        if fresh:
            with self._lock:
                self._values |= fresh
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def sub(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(REDACTED, text) if pattern else text


_SECRETS = _Secrets()


def remember_secrets(values: Iterable[str | None]) -> None:
    """Values that must never be logged (the config loader passes its secrets here)."""
    _SECRETS.add(values)


def redact(text: str) -> str:
    """``text`` without secrets, and with control and bidi characters escaped (a log line
    is read on a terminal too: driftq/text.py)."""
    text = display(_SECRETS.sub(text), multiline=True)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback text) with secrets redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose args do not fit its format: leave it to logging
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()


def install(**_: Any) -> None:
    """Cap the wire loggers and put the filter on every handler there is now. Idempotent;
    takes (and ignores) the keyword arguments of Celery's logging signals."""
    remember_secrets(os.environ.get(name) for name in _ENV_SECRETS)
    for name in WIRE_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    loggers: list[object] = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for each in loggers:
        for handler in getattr(each, "handlers", []):
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
