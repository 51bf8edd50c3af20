"""One AWS write with retries: throttling, 5xx and dropped connections are retried with
exponential backoff; a refusal (access denied, no such bucket/table/topic, a bad request)
is final at once. Errors come back as one short line: AWS's code and message, never a
credential."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from driftq.aws.errors import THROTTLING

log = logging.getLogger(__name__)
T = TypeVar("T")
_TRANSIENT = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
)


@dataclass
class Attempted(Generic[T]):
    value: T | None
    attempts: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Retry:
    def __init__(self, attempts: int, backoff: float) -> None:
        self.attempts = attempts
        self.backoff = backoff

    def call(self, what: str, call: Callable[[], T]) -> Attempted[T]:
        error = "not tried"
        for attempt in range(1, self.attempts + 1):
            try:
                return Attempted(call(), attempt)
            except Exception as exc:
                error, again = describe(exc)
                if not again or attempt == self.attempts:
                    log.warning("outputs: %s failed (attempt %d): %s", what, attempt, error)
                    return Attempted(None, attempt, error)
            wait = self.backoff * 2 ** (attempt - 1)
            log.info("outputs: %s: %s; retrying in %.1fs", what, error, wait)
            time.sleep(wait)
        return Attempted(None, self.attempts, error)


def describe(exc: Exception) -> tuple[str, bool]:
    """(one line for the report, whether another attempt may succeed)."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code") or "ClientError")
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        line = f"{code}: {err.get('Message') or exc}"
        return line, code in THROTTLING or status >= 500
    if isinstance(exc, _TRANSIENT):
        return f"{type(exc).__name__}: {exc}", True
    if isinstance(exc, NoCredentialsError):
        return "NoCredentials: no AWS credentials found for the caller", False
    if isinstance(exc, BotoCoreError):
        return f"{type(exc).__name__}: {exc}", False
    return f"{type(exc).__name__}: {exc}", False
