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
# what AWS answers when a policy (IAM, a key policy, an SCP) refuses a read
ACCESS_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


def error_code(exc: BaseException) -> str:
    """AWS's error code of a ClientError (`NoSuchEntity`, `AccessDenied`, ...), else ""."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "")
    return ""


def translate_client_error(exc: Exception) -> ScanError:
    if isinstance(exc, ScanError):
        return exc
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error_code(exc) or "ClientError"
        message = str(error.get("Message") or exc)
        operation = getattr(exc, "operation_name", "")
        if code in THROTTLING:
            return ScanError("Throttled", f"{operation}: still throttled after retries: {message}")
        if code in ACCESS_DENIED:
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
