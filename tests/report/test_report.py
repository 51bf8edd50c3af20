"""report.json keeps the contract's keys exactly (additions beside them), and the HTML page
escapes every value from AWS or a state and allows only its own script."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from driftq.finalize import finalize
from driftq.report.html import render_html
from tests.support import reports as est

CONTRACT_KEYS = {
    "schema_version",
    "run_id",
    "started_at",
    "finished_at",
    "drift_detected",
    "status",
    "severity",
    "summary",
    "thresholds",
    "findings",
    "errors",
}
ADDED_KEYS = {
    "accounts",
    "changes_since_previous",
    "remediation",
    "outputs",
    "notifications",
    "history",
}
FINDING_KEYS = {
    "kind",
    "account",
    "account_id",
    "region",
    "service",
    "resource_type",
    "resource_id",
    "address",
    "state",
}


def test_contract_keys_and_additions(tmp_path: Path) -> None:
    done = finalize(est.config(), est.run_info(), est.results(fail_staging_ec2=True), tmp_path)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report == json.loads(json.dumps(done.report))
    assert set(report) == CONTRACT_KEYS | ADDED_KEYS
    assert report["schema_version"] == 1
    assert set(report["summary"]) == {
        "accounts", "units", "units_failed", "managed", "drifted", "missing", "unmanaged",
        "excluded",
    }  # fmt: skip
    assert report["status"] == "partial" and report["severity"] == "critical"
    for f in report["findings"]:
        extra = {"changes"} if f["kind"] == "drifted" else set()
        assert set(f) == FINDING_KEYS | extra | {"first_seen"}
    missing = next(f for f in report["findings"] if f["kind"] == "missing")
    assert missing["region"] == "global"
    (error,) = report["errors"]
    assert set(error) == {"account", "region", "service", "code", "message"}
    assert {
        "account": "production",
        "level": "critical",
        "metric": "security_groups_changed",
        "value": 1,
        "limit": 1,
    } in report["thresholds"]
    staging = next(a for a in report["accounts"] if a["name"] == "staging")
    assert staging == {
        "name": "staging",
        "account_id": est.STAGING_ID,
        "severity": "ok",
        "regions": ["eu-west-1", "global", "us-east-1"],
        "units": 3,
        "units_failed": 1,
        "managed": 24,
        "drifted": 0,
        "missing": 1,
        "unmanaged": 0,
    }


def test_every_aws_value_is_escaped_and_only_our_script_may_run(tmp_path: Path) -> None:
    done = finalize(est.config(), est.run_info(), est.results(fail_staging_ec2=True), tmp_path)
    page = render_html(done.report)
    assert "<script>alert" not in page
    assert "&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in page  # the tag's new value
    assert "not authorized to perform ec2:DescribeVpcs &lt;script&gt;" in page  # an error
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from anywhere


def test_a_report_without_the_additions_still_renders() -> None:
    """Older or hand-made files (consolidated) may only have the contract's keys."""
    finding = est.unmanaged_vpc().to_json()
    report = {
        "schema_version": 1,
        "run_id": "r",
        "started_at": "2025-01-01T00:00:00Z",
        "finished_at": "2025-01-01T01:02:03Z",
        "drift_detected": True,
        "status": "complete",
        "severity": "warning",
        "summary": {"accounts": 1, "units": 1, "units_failed": 0, "managed": 0,
                    "drifted": 0, "missing": 0, "unmanaged": 1, "excluded": 0},
        "thresholds": [],
        "findings": [finding],
        "errors": [],
    }  # fmt: skip
    page = render_html(report)
    assert "duration <b>1h 2m</b>" in page
    assert 'href="#findings?account=staging&amp;region=eu-west-1"' in page
