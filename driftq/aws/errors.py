"""Translate botocore's exceptions into ScanError with a short code (the report's `code`)."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from driftq.errors import ScanError

THROTTLING = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "RequestThrottled",
}


def translate_client_error(exc: Exception) -> ScanError:
    if isinstance(exc, ScanError):
        return exc
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "ClientError")
        message = str(error.get("Message") or exc)
        operation = getattr(exc, "operation_name", "")
        if code in THROTTLING:
            return ScanError("Throttled", f"{operation}: still throttled after retries: {message}")
        if code in {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}:
            return ScanError("AccessDenied", f"{operation}: {message}")
        return ScanError(code, f"{operation}: {message}")
    if isinstance(exc, NoCredentialsError):
        return ScanError("NoCredentials", "no AWS credentials found for the caller")
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
        return ScanError("Timeout", str(exc))
    if isinstance(exc, EndpointConnectionError):
        return ScanError("EndpointUnreachable", str(exc))
    if isinstance(exc, BotoCoreError):
        return ScanError(type(exc).__name__, str(exc))
    return ScanError(type(exc).__name__, str(exc) or repr(exc))
