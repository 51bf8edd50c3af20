"""Every error driftq raises on purpose.

    DriftqError                  base; the CLI turns it into one line and an exit code
    ├── ConfigError              bad YAML, unknown key, bad value, unset ${VAR}   (exit 2)
    ├── StateError               unreadable or unparsable Terraform state          (exit 2)
    ├── PlanError                filters that select nothing, unknown names        (exit 2)
    ├── ReportError              report files to consolidate missing or unreadable (exit 2)
    ├── HistoryError             the run-history database cannot be used           (exit 2)
    ├── ScanError                one unit failed: AccessDenied, throttled, timeout
    │   └── ReadOnlyViolation    something tried a non-read AWS operation
    └── RunError                 cluster problems: run lock held, broker down       (exit 2)

Foreign errors (botocore, redis, yaml) are translated at one boundary each with
``raise ... from exc`` so callers only ever catch these.
"""

from __future__ import annotations


class DriftqError(Exception):
    """Base of every driftq error."""

    exit_code = 2


class ConfigError(DriftqError):
    """The configuration file cannot be used."""


class StateError(DriftqError):
    """A Terraform state cannot be read or parsed; ``code`` is AWS's when AWS refused."""

    def __init__(self, message: str, code: str = "StateError") -> None:
        super().__init__(message)
        self.code = code


class PlanError(DriftqError):
    """The selection flags do not fit the configuration."""


class ReportError(DriftqError):
    """Report files cannot be read or merged."""


class HistoryError(DriftqError):
    """The run-history database cannot be opened or read."""


class ScanError(DriftqError):
    """A scan unit failed; ``code`` is short and machine-readable (e.g. AccessDenied)."""

    exit_code = 1

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ReadOnlyViolation(ScanError):
    """A mutating AWS operation was attempted through driftq's clients."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            "ReadOnlyViolation",
            f"driftq refuses to call {service}:{operation}; only read operations are allowed",
        )
        self.operation = operation


class RunError(DriftqError):
    """The distributed run cannot start or be followed."""
