"""PagerDuty Events API v2: one alert per account, deduplicated by ``driftq:<account_id>``.

`trigger` when the account's severity reaches ``severity_threshold``; `resolve` with the same
key when a later run finds it back under the threshold.
"""

from __future__ import annotations

from typing import Any

from driftq.config_models import PagerDutyChannel
from driftq.notify.http import Delivery, post_json

SOURCE = "driftq"
_PD_SEVERITY = {"critical": "critical", "warning": "warning", "ok": "info"}


def dedup_key(account: dict[str, Any]) -> str:
    return f"driftq:{account.get('account_id') or account['name']}"


def trigger_event(
    channel: PagerDutyChannel,
    report: dict[str, Any],
    account: dict[str, Any],
    top: list[str],
    location: str,
) -> dict[str, Any]:
    breaches = [
        f"{t['metric']} {t['value']} >= {t['limit']} ({t['level']})"
        for t in report.get("thresholds", [])
        if t["account"] == account["name"]
    ]
    event: dict[str, Any] = {
        "routing_key": channel.integration_key,
        "event_action": "trigger",
        "dedup_key": dedup_key(account),
        "payload": {
            # PagerDuty truncates a summary at 1024 characters
            "summary": (
                f"Terraform drift in AWS account {account['name']} "
                f"({account.get('account_id')}): {account['drifted']} drifted, "
                f"{account['missing']} missing, {account['unmanaged']} unmanaged"
            )[:1024],
            "source": SOURCE,
            "severity": _PD_SEVERITY[account["severity"]],
            "component": account["name"],
            "group": account.get("account_id") or account["name"],
            "class": "terraform-drift",
            "custom_details": {
                "run_id": report["run_id"],
                "severity": account["severity"],
                "thresholds": breaches,
                "top_findings": top,
                "report": location,
            },
        },
    }
    if location.startswith(("https://", "http://")):
        event["links"] = [{"href": location, "text": "driftq report"}]
    return event


def resolve_event(channel: PagerDutyChannel, account: dict[str, Any]) -> dict[str, Any]:
    return {
        "routing_key": channel.integration_key,
        "event_action": "resolve",
        "dedup_key": dedup_key(account),
    }


def send(channel: PagerDutyChannel, event: dict[str, Any]) -> Delivery:
    return post_json(channel.url, event, what=f"pagerduty {event['event_action']}")
