"""finalize: every unit's result -> the run's report files (the chord callback and `scan` share it).

In order: the contract report (thresholds included); history's baseline for `first_seen`
and `changes_since_previous`; import blocks and the remediation plan (approval requests);
the AWS outputs (S3, CloudWatch, DynamoDB: `driftq.outputs`); notifications; the run
recorded in history; the files written. Each step after the first
is fenced: a failing database, webhook or SMTP server is logged and recorded in the report,
and the report is still written.

Beyond the contract's keys the report gets `accounts`, `changes_since_previous`,
`remediation`, `outputs`, `notifications`, `history`, and `first_seen` on each finding.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from driftq.config_models import Config
from driftq.history import ENV_URL, AlertStates, Baseline, History, finding_key
from driftq.model import Finding, UnitResult
from driftq.notify import AlertInput, notify_all
from driftq.notify.content import report_location
from driftq.outputs.run import publish_outputs
from driftq.remediation import (
    import_file_text,
    import_files,
    imports_summary,
    plan_entries,
    request_approval,
)
from driftq.report import RunInfo, build_report, write_outputs
from driftq.report.changes import annotate

log = logging.getLogger(__name__)
HISTORY_OFF = "off"


@dataclass
class Finalized:
    report: dict[str, Any]
    findings: list[Finding]
    written: dict[str, Path]


def finalize(
    config: Config,
    run: RunInfo,
    results: Iterable[UnitResult],
    out_dir: str | Path,
    *,
    database_url: str | None = None,
    send_once: Callable[[str], bool] | None = None,
    counted_also: Iterable[Finding] = (),
) -> Finalized:
    """``database_url`` overrides ``DRIFTQ_DATABASE_URL``; `off` keeps no history.

    ``send_once(step)`` is asked before each step that sends messages out (`approvals`,
    `notifications`): it records the step as done and says whether this is the first
    time. A callback that crashed after sending and runs again then sends nothing twice
    (at most once: a crash during the sending loses the rest, never repeats it)."""
    results = list(results)
    out = Path(out_dir)
    # `defaults.output_format: json` writes no report.html; messages then name the JSON
    html = config.defaults.output_format != "json"
    page = str(out.resolve() / ("report.html" if html else "report.json"))  # messages, history
    report = build_report(config, run, results, counted_also)
    findings = [f for r in results for f in r.findings]
    # which unit each finding came from (an S3 bucket's region is not its unit's region)
    unit_of = {finding_key(f.to_json()): _unit(r) for r in results for f in r.findings}
    units = [(_unit(r), r.status == "ok") for r in results]

    history, report["history"] = _open_history(database_url)
    baseline: Baseline | None = None
    if history:
        try:
            baseline = history.baseline(run.run_id, [u for u, ok in units if ok])
        except Exception as exc:
            history = None
            report["history"] = _history_failed(report["history"], "read", exc)
    annotate(report, baseline)

    imports = import_files(findings) if config.remediation.auto_generate_import else {}
    entries = plan_entries(config.remediation, report["findings"])
    approvals = (
        request_approval(config.remediation, run.run_id, entries)
        if send_once is None or send_once("approvals")
        else [_already_sent("approval_webhook")]
    )
    report["remediation"] = {
        "imports": imports_summary(imports),
        "plan": entries,
        "approval_requests": approvals,
    }

    states: AlertStates = {}
    if history:
        try:
            states = history.alert_states(a["name"] for a in report["accounts"])
        except Exception as exc:
            log.warning("history: cannot read alert state: %s", type(exc).__name__)
    location = report_location(config.notifications.report_url, run.run_id, page)
    report["outputs"], location = publish_outputs(config, report, results, imports, location)
    alert = AlertInput(
        report,
        {key: "/".join(unit) for key, unit in unit_of.items()},
        {"/".join(unit) for unit, ok in units if ok},
        states,
    )
    new_states: AlertStates = {}
    if send_once is None or send_once("notifications"):
        report["notifications"], new_states = notify_all(
            config.notifications, alert, location, config.outputs, config.defaults.source_identity
        )
    else:
        report["notifications"] = [_already_sent("all")]

    if history:
        try:
            history.record(report, units, unit_of, new_states, page)
        except Exception as exc:
            report["history"] = _history_failed(report["history"], "write", exc)
    texts = {account: import_file_text(account, blocks) for account, blocks in imports.items()}
    written = write_outputs(report, texts, out, html=html)
    return Finalized(report, findings, written)


def _already_sent(channel: str) -> dict[str, Any]:
    reason = "sent by an earlier attempt of this run's callback"
    return {"channel": channel, "status": "skipped", "attempts": 0, "error": None, "reason": reason}


def _unit(result: UnitResult) -> tuple[str, str, str]:
    return (result.unit.account, result.unit.region, result.unit.service)


def _open_history(url: str | None) -> tuple[History | None, dict[str, Any]]:
    url = url or os.environ.get(ENV_URL)
    if url == HISTORY_OFF:
        return None, {"status": "off"}
    try:
        history = History(url)
    except Exception as exc:
        return None, _history_failed({}, "open", exc)
    return history, {"status": "recorded", "database": history.display_url}


def _history_failed(info: dict[str, Any], step: str, exc: Exception) -> dict[str, Any]:
    # the exception text can carry a connection string; log and record the type only
    log.warning("history: cannot %s the run history: %s", step, type(exc).__name__)
    log.debug("history failure", exc_info=True)
    return {**info, "status": "failed", "error": f"{step}: {type(exc).__name__}"}
