"""A unit that AWS refuses (AccessDenied) is an error entry; the others carry on: `partial`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from driftq.cli import main
from tests.support.estate import StateFile
from tests.support.iam_enforced import ACCOUNT, EnforcedIam, start_enforced_iam


@pytest.fixture
def enforced(monkeypatch: pytest.MonkeyPatch) -> Iterator[EnforcedIam]:
    iam = start_enforced_iam(
        ["ec2:Describe*", "ec2:Get*"]
    )  # EC2 reads as ReadOnlyAccess grants them
    monkeypatch.setenv("AWS_ENDPOINT_URL", iam.server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", iam.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", iam.secret_key)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    yield iam
    iam.server.stop()


def test_access_denied_unit_makes_a_partial_report(
    enforced: EnforcedIam, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = StateFile().write(tmp_path / "empty.tfstate")
    config = tmp_path / "driftq.yaml"
    config.write_text(
        f"""
defaults: {{services: [ec2, iam]}}
accounts:
  - name: scanned
    account_id: "{ACCOUNT}"
    role_arn: {enforced.role_arn("Scanner")}
    external_id: ext-scanner
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state}"}}
"""
    )
    out = tmp_path / "out"
    code = main(["scan", "--config", str(config), "--output-dir", str(out), "--quiet"])
    assert code == 1
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "partial"
    assert report["summary"]["units"] == 2
    assert report["summary"]["units_failed"] == 1
    (error,) = report["errors"]
    # the role may describe EC2 but not list IAM: only the iam unit failed
    assert (error["account"], error["service"]) == ("scanned", "iam")
    assert error["code"] == "AccessDenied"
    assert "not authorized" in error["message"]
    assert "FAILED" in capsys.readouterr().out
    # the refusal came from the enforcing server, to the scanner's own session: it names
    # the assumed role and the run (RoleSessionName driftq-<run_id>)
    assert f"assumed-role/Scanner/driftq-{report['run_id']} is not authorized" in error["message"]
    assert "iam:GetAccountAuthorizationDetails" in error["message"]
