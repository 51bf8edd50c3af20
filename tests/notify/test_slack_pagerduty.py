"""Slack and PagerDuty against a real local HTTP server: payload shapes, retries, failures
recorded without failing the run, no repeat alert for unchanged findings, PagerDuty resolve."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from driftq.finalize import finalize
from tests.support import reports as est
from tests.support.recorder import Recorder

SLACK_PATH = "/services/T000/B000/secret-slack-token"
PD_KEY = "R0UT1NGKEY-secret-0123456789abcdef"


def notify_config(hooks: Recorder, monkeypatch: pytest.MonkeyPatch, threshold: str = "critical"):
    monkeypatch.setenv("SLACK_WEBHOOK_URL", hooks.url + SLACK_PATH)
    monkeypatch.setenv("PAGERDUTY_KEY", PD_KEY)
    return est.config(
        f"""
notifications:
  report_url: https://drift.example.com/{{run_id}}/report.html
  slack:
    webhook_url: ${{SLACK_WEBHOOK_URL}}
    channel: "#infra-drift"
    username: driftq
    icon_emoji: ":rotating_light:"
  pagerduty:
    integration_key: ${{PAGERDUTY_KEY}}
    severity_threshold: {threshold}
    url: {hooks.url}/v2/enqueue
"""
    )


def test_slack_block_kit_message_and_pagerduty_trigger(
    hooks: Recorder,
    history_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    config = notify_config(hooks, monkeypatch)
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "out")

    (message,) = hooks.bodies(SLACK_PATH)
    assert message["channel"] == "#infra-drift"
    assert message["username"] == "driftq"
    assert message["icon_emoji"] == ":rotating_light:"
    assert message["text"].startswith("driftq: CRITICAL Terraform drift")
    types = [b["type"] for b in message["blocks"]]
    assert types[0] == "header" and types[-1] == "context"
    assert message["blocks"][0]["text"]["type"] == "plain_text"
    text = json.dumps(message["blocks"])
    assert "*production* (333333333333) critical: 2 drifted, 0 missing, 0 unmanaged" in text
    assert "module.net.aws_security_group.web" in text
    assert "https://drift.example.com/run-1/report.html" in text
    assert "<script>" not in text  # AWS values are mrkdwn-escaped
    assert hooks.on(SLACK_PATH)[0].headers["Content-Type"] == "application/json"

    # production is critical (a security group changed); staging and dev are under it
    (event,) = hooks.bodies("/v2/enqueue")
    assert event["routing_key"] == PD_KEY
    assert event["event_action"] == "trigger"
    assert event["dedup_key"] == "driftq:333333333333"
    assert event["payload"]["severity"] == "critical"
    assert event["payload"]["source"] == "driftq"
    assert event["payload"]["summary"].startswith("Terraform drift in AWS account production")
    assert event["links"][0]["href"] == "https://drift.example.com/run-1/report.html"

    assert est.by_channel(done.report, "slack") == [
        {"channel": "slack", "new_findings": 4, "status": "sent", "attempts": 1, "error": None}
    ]
    (pd,) = est.by_channel(done.report, "pagerduty")
    assert pd["status"] == "sent" and pd["event_action"] == "trigger"
    # secrets appear in no report file and no log line
    written = (tmp_path / "out" / "report.json").read_text()
    written += (tmp_path / "out" / "report.html").read_text()
    for secret in ("secret-slack-token", PD_KEY):
        assert secret not in written
        assert secret not in caplog.text


def test_unchanged_findings_do_not_alert_again_and_new_ones_do(
    hooks: Recorder, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = notify_config(hooks, monkeypatch)
    finalize(config, est.run_info("run-1"), est.results(), tmp_path / "1")
    second = finalize(config, est.run_info("run-2", 30), est.results(), tmp_path / "2")
    assert len(hooks.bodies(SLACK_PATH)) == 1
    assert len(hooks.bodies("/v2/enqueue")) == 1  # the incident is open: no new trigger
    (slack,) = est.by_channel(second.report, "slack")
    assert slack["status"] == "skipped"
    assert slack["reason"] == "no new findings since the last alert"

    staging = [est.missing_role(), est.unmanaged_vpc(), est.unmanaged_vpc(vpc_id="vpc-0new")]
    third = finalize(
        config, est.run_info("run-3", 60), est.results(staging=staging), tmp_path / "3"
    )
    assert len(hooks.bodies(SLACK_PATH)) == 2
    assert est.by_channel(third.report, "slack")[0]["new_findings"] == 1
    assert "*NEW*" in json.dumps(hooks.bodies(SLACK_PATH)[-1]["blocks"])
    assert third.report["changes_since_previous"]["new"][0]["resource_id"] == "vpc-0new"


def test_pagerduty_resolves_when_the_account_comes_back_under_the_threshold(
    hooks: Recorder, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = notify_config(hooks, monkeypatch, threshold="warning")
    finalize(config, est.run_info("run-1"), est.results(), tmp_path / "1")
    assert [e["dedup_key"] for e in hooks.bodies("/v2/enqueue")] == ["driftq:333333333333"]

    # production clean again; a failed staging unit must not resolve anything of staging
    done = finalize(config, est.run_info("run-2", 30), est.results(prod=[]), tmp_path / "2")
    (resolve,) = hooks.bodies("/v2/enqueue")[1:]
    assert resolve == {
        "routing_key": PD_KEY,
        "event_action": "resolve",
        "dedup_key": "driftq:333333333333",
    }
    assert est.by_channel(done.report, "pagerduty")[0]["event_action"] == "resolve"
    finalize(config, est.run_info("run-3", 60), est.results(prod=[]), tmp_path / "3")
    assert len(hooks.bodies("/v2/enqueue")) == 2  # resolved once, then quiet


def test_retries_then_records_a_failure_without_failing_the_run(
    hooks: Recorder,
    history_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = notify_config(hooks, monkeypatch)
    hooks.respond(500, 502, 503)  # every Slack attempt fails; PagerDuty then succeeds
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "1")
    assert len(hooks.on(SLACK_PATH)) == 3
    (slack,) = est.by_channel(done.report, "slack")
    assert slack == {
        "channel": "slack",
        "new_findings": 4,
        "status": "failed",
        "attempts": 3,
        "error": "HTTP 503",
    }
    assert est.by_channel(done.report, "pagerduty")[0]["status"] == "sent"
    assert (tmp_path / "1" / "report.json").exists()
    assert "slack: not delivered after 3 attempt(s): HTTP 503" in caplog.text

    # a failed alert is not remembered: the next run with the same findings sends it
    hooks.respond(429, retry_after="0")
    again = finalize(config, est.run_info("run-2", 30), est.results(), tmp_path / "2")
    assert est.by_channel(again.report, "slack")[0]["status"] == "sent"
    assert est.by_channel(again.report, "slack")[0]["attempts"] == 2


def test_a_client_error_is_not_retried(
    hooks: Recorder, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = notify_config(hooks, monkeypatch)
    hooks.respond(404)
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "1")
    assert est.by_channel(done.report, "slack")[0] == {
        "channel": "slack",
        "new_findings": 4,
        "status": "failed",
        "attempts": 1,
        "error": "HTTP 404",
    }


def test_no_alert_when_severity_is_ok_and_no_channel_means_no_notification(
    hooks: Recorder, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = notify_config(hooks, monkeypatch)
    quiet = est.results(prod=[], staging=[est.unmanaged_vpc()])  # below every threshold
    done = finalize(config, est.run_info("run-1"), quiet, tmp_path / "1")
    assert hooks.requests == []
    assert est.by_channel(done.report, "slack")[0]["reason"] == "severity is ok"

    plain = finalize(est.config(), est.run_info("run-2", 30), est.results(), tmp_path / "2")
    assert plain.report["notifications"] == []
    assert hooks.requests == []


def test_unreachable_webhook_is_a_recorded_failure(
    history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.moto import free_port

    monkeypatch.setenv("SLACK_WEBHOOK_URL", f"http://127.0.0.1:{free_port()}/hook")
    config = est.config("notifications: {slack: {webhook_url: '${SLACK_WEBHOOK_URL}'}}")
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "1")
    (slack,) = est.by_channel(done.report, "slack")
    assert slack["status"] == "failed" and slack["attempts"] == 3
    assert slack["error"] == "connection failed: ConnectionRefusedError"


def test_a_malformed_url_fails_that_channel_only(
    hooks: Recorder, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", hooks.url + SLACK_PATH)
    config = est.config(
        """
notifications:
  slack: {webhook_url: "${SLACK_WEBHOOK_URL}"}
  pagerduty: {integration_key: k, url: "events.pagerduty.com/v2/enqueue"}
"""
    )
    done = finalize(config, est.run_info(), est.results(), tmp_path)
    (pd,) = est.by_channel(done.report, "pagerduty")
    assert (pd["status"], pd["attempts"], pd["error"]) == ("failed", 0, "invalid URL")
    assert est.by_channel(done.report, "slack")[0]["status"] == "sent"
