"""`driftq serve-metrics` scraped over HTTP after runs were recorded in history, and the
Grafana dashboard that queries it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from driftq.finalize import finalize
from driftq.metrics import METRICS
from tests.support import reports as est

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "docs" / "grafana" / "driftq-dashboard.json"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@contextmanager
def serving(env: dict[str, str], *flags: str) -> Iterator[str]:
    """`driftq serve-metrics --port 0` as a process; yields its /metrics URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "driftq.cli", "serve-metrics", "--port", "0", *flags],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"(http://\S+/metrics)", line)
        assert match, line + proc.stderr.read()
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def scrape(url: str) -> Samples:
    with urllib.request.urlopen(url, timeout=30) as response:
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _ts(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Two runs in a fresh history: run-2 failed staging's eu-west-1 ec2 unit."""
    url = f"sqlite:///{tmp_path / 'history.db'}"
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", url)
    finalize(est.config(), est.run_info("run-1"), est.results(), tmp_path / "1")
    finalize(
        est.config(), est.run_info("run-2", 30), est.results(fail_staging_ec2=True), tmp_path / "2"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTQ_")}
    return {**env, "DRIFTQ_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def test_the_last_run_of_each_account_as_prometheus_metrics(
    recorded: dict[str, str], tmp_path: Path
) -> None:
    with serving(recorded, "--window", "3650d") as url:
        samples = scrape(url)
    report = json.loads((tmp_path / "2" / "report.json").read_text())
    run2 = est.run_info("run-2", 30)
    run1 = est.run_info("run-1")
    assert samples[("driftq_history_up", ())] == 1
    for account in report["accounts"]:
        a = (("account", account["name"]),)
        for kind in ("drifted", "missing", "unmanaged"):
            key = ("driftq_findings", tuple(sorted((*a, ("kind", kind)))))
            assert samples[key] == account[kind], (account["name"], kind)
        assert samples[("driftq_units", a)] == account["units"]
        assert samples[("driftq_units_failed", a)] == account["units_failed"]
        level = {"ok": 0, "warning": 1, "critical": 2}[account["severity"]]
        assert samples[("driftq_severity", a)] == level
        assert samples[("driftq_last_run_timestamp_seconds", a)] == _ts(run2.finished_at)
        assert samples[("driftq_last_run_duration_seconds", a)] == 83
    staging = (("account", "staging"),)
    assert samples[("driftq_units_failed", staging)] == 1
    # staging's last run without a failed unit is run-1; production's is run-2
    assert samples[("driftq_last_success_timestamp_seconds", staging)] == _ts(run1.finished_at)
    production = (("account", "production"),)
    assert samples[("driftq_last_success_timestamp_seconds", production)] == _ts(run2.finished_at)
    assert samples[("driftq_severity", production)] == 2  # critical in est's thresholds
    assert {name for name, _ in samples} <= set(METRICS)


def test_accounts_outside_the_window_and_an_unreadable_history(
    recorded: dict[str, str], tmp_path: Path
) -> None:
    with serving(recorded, "--window", "1d") as url:  # est's runs are from March 2025
        samples = scrape(url)
    assert samples == {("driftq_history_up", ()): 1.0}
    broken = {**recorded, "DRIFTQ_DATABASE_URL": f"sqlite:///{tmp_path / 'none' / 'x' / 'h.db'}"}
    (tmp_path / "none").write_text("a file where a folder should be")
    run = subprocess.run(
        [sys.executable, "-m", "driftq.cli", "serve-metrics", "--port", "0"],
        env=broken,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("driftq: error: cannot open the history database")


def test_the_dashboard_queries_exactly_the_exported_metrics() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    queries += [v["definition"] for v in dashboard["templating"]["list"] if "definition" in v]
    used = {name for q in queries for name in re.findall(r"\bdriftq_[a-z_]+\b", q)}
    # every query names a metric driftq exports, and every exported metric has a panel
    assert used == set(METRICS)
    for panel in dashboard["panels"]:
        assert panel["targets"] and panel["datasource"]["uid"] == "${datasource}", panel["title"]
