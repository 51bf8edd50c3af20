"""Notifications at a run's end: Slack, email, PagerDuty, SNS (`outputs.sns`); only the
channels configured.

``notify_all`` never raises: a channel that fails is logged and recorded as an outcome
(``{"channel", "status": sent|failed|skipped, "attempts", "error"}``) and the other
channels still go. Outcomes never carry a webhook URL, routing key or password.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from driftq.config_models import Notifications
from driftq.history import AlertStates
from driftq.notify import email, pagerduty, slack, sns
from driftq.notify.content import top_findings
from driftq.notify.http import Delivery
from driftq.notify.policy import ALERT_LEVELS, AlertInput, reaches
from driftq.outputs.settings import Outputs

__all__ = ["AlertInput", "notify_all"]
log = logging.getLogger(__name__)


def notify_all(
    notifications: Notifications,
    alert: AlertInput,
    location: str,
    outputs: Outputs | None = None,
    source_identity: str | None = None,
) -> tuple[list[dict[str, Any]], AlertStates]:
    """(the outcomes, each channel's memory after this run)."""
    outcomes: list[dict[str, Any]] = []
    states: AlertStates = {}
    report = alert.report
    if notifications.slack and notifications.slack.enabled:
        cfg_slack = notifications.slack
        _digest(
            "slack",
            alert,
            lambda new: slack.send(
                cfg_slack, slack.build_message(cfg_slack, report, new, location)
            ),
            outcomes,
            states,
        )
    if notifications.email and notifications.email.enabled:
        cfg_email = notifications.email
        _digest(
            "email",
            alert,
            lambda new: email.send(cfg_email, email.build_email(cfg_email, report, new, location)),
            outcomes,
            states,
        )
    if notifications.pagerduty and notifications.pagerduty.enabled:
        _pagerduty(notifications, alert, location, outcomes, states)
    if outputs and outputs.sns and outputs.sns.enabled:
        sns.notify(outputs, alert, location, outcomes, states, source_identity)
    return outcomes, states


def _guarded(channel: str, send: Callable[[], Delivery]) -> Delivery:
    try:
        return send()
    except Exception as exc:  # a bug or odd input in one channel must not stop the others
        log.exception("%s: could not send", channel)
        return Delivery(False, 1, error=f"{type(exc).__name__}")


def _outcome(channel: str, delivery: Delivery, **extra: Any) -> dict[str, Any]:
    return {
        "channel": channel,
        **extra,
        "status": "sent" if delivery.ok else "failed",
        "attempts": delivery.attempts,
        "error": delivery.error,
    }


def _digest(
    channel: str,
    alert: AlertInput,
    send: Callable[[list[dict[str, Any]]], Delivery],
    outcomes: list[dict[str, Any]],
    states: AlertStates,
) -> None:
    report = alert.report
    new = alert.unseen(channel, report["findings"])
    delivered = False
    if report["severity"] not in ALERT_LEVELS:
        outcomes.append(_skipped(channel, f"severity is {report['severity']}"))
    elif not new:
        outcomes.append(_skipped(channel, "no new findings since the last alert"))
    else:
        delivery = _guarded(channel, lambda: send(new))
        delivered = delivery.ok
        outcomes.append(_outcome(channel, delivery, new_findings=len(new)))
    for account in alert.accounts():
        states[(channel, account)] = alert.next_state(channel, account, delivered)


def _pagerduty(
    notifications: Notifications,
    alert: AlertInput,
    location: str,
    outcomes: list[dict[str, Any]],
    states: AlertStates,
) -> None:
    cfg = notifications.pagerduty
    assert cfg is not None
    report = alert.report
    for account in report.get("accounts") or []:
        name = account["name"]
        prev = alert.states.get(("pagerduty", name))
        was_open = bool(prev and prev.open)
        mine = alert.by_account.get(name, [])
        if reaches(account["severity"], cfg.severity_threshold):
            new = alert.unseen("pagerduty", mine)
            if not new and was_open:
                states[("pagerduty", name)] = alert.next_state("pagerduty", name, True, True)
                continue
            lines, _ = top_findings({**report, "findings": mine}, new, limit=5)
            event = pagerduty.trigger_event(
                cfg, report, account, [line.text() for line in lines], location
            )
        elif was_open and not account["units_failed"]:
            # a failed unit could hide the drift that opened the incident: resolve only when
            # the whole account was seen
            event = pagerduty.resolve_event(cfg, account)
        else:
            states[("pagerduty", name)] = alert.next_state("pagerduty", name, False)
            continue
        delivery = _guarded("pagerduty", partial(pagerduty.send, cfg, event))
        outcomes.append(
            _outcome(
                "pagerduty",
                delivery,
                account=name,
                event_action=event["event_action"],
                dedup_key=event["dedup_key"],
            )
        )
        triggered = event["event_action"] == "trigger"
        # a failed event changes nothing: the next run sends it again
        is_open = triggered if delivery.ok else was_open
        states[("pagerduty", name)] = alert.next_state(
            "pagerduty", name, delivery.ok and triggered, is_open
        )


def _skipped(channel: str, reason: str) -> dict[str, Any]:
    return {"channel": channel, "status": "skipped", "attempts": 0, "error": None, "reason": reason}
