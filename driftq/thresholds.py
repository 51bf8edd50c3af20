"""Thresholds: per-account counts against the critical and warning limits.

A limit is reached when the count is at least the limit. An account's severity is the worst
level it reaches; the run's severity is the worst account's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from driftq.config_models import ThresholdLimits, Thresholds
from driftq.model import Finding

LEVELS = ("ok", "warning", "critical")
SECURITY_GROUP_TYPES = frozenset(
    {
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_default_security_group",
    }
)
METRICS = (
    "drifted_resources",
    "missing_resources",
    "unmanaged_resources",
    "security_groups_changed",
    "iam_changes",
)


def account_metrics(findings: Iterable[Finding]) -> dict[str, Counter[str]]:
    per_account: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        counts = per_account[f.account]
        counts[f"{f.kind}_resources"] += 1
        if f.resource_type in SECURITY_GROUP_TYPES:
            counts["security_groups_changed"] += 1
        if f.resource_type.startswith("aws_iam_"):
            counts["iam_changes"] += 1
    return per_account


def evaluate(
    findings: Iterable[Finding], thresholds: Thresholds, accounts: Iterable[str]
) -> tuple[str, dict[str, str], list[dict[str, Any]]]:
    """(run severity, severity per account, the breaches in report form)."""
    metrics = account_metrics(findings)
    severities: dict[str, str] = {}
    breaches: list[dict[str, Any]] = []
    for account in accounts:
        counts = metrics.get(account, Counter())
        severity = "ok"
        for metric in METRICS:
            value = counts.get(metric, 0)
            level = _level(value, metric, thresholds)
            if level:
                limit = getattr(getattr(thresholds, level), metric)
                breaches.append(
                    {
                        "account": account,
                        "level": level,
                        "metric": metric,
                        "value": value,
                        "limit": limit,
                    }
                )
                severity = max(severity, level, key=LEVELS.index)
        severities[account] = severity
    run = max(severities.values(), key=LEVELS.index, default="ok")
    return run, severities, breaches


def _level(value: int, metric: str, thresholds: Thresholds) -> str | None:
    for level in ("critical", "warning"):
        limits: ThresholdLimits = getattr(thresholds, level)
        limit = getattr(limits, metric)
        if limit is not None and value >= limit and value > 0:
            return level
    return None
