"""Remediation: import files for unmanaged resources, a targeted plan for `enforce_terraform`
types, approval requests POSTed to a real local webhook; driftq itself changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from driftq.finalize import finalize
from driftq.remediation import workspace_of
from tests.support import reports as est
from tests.support.recorder import Recorder, recording_server

RULES = """
remediation:
  auto_generate_import: true
  require_approval: {approval}
  approval_webhook: ${{APPROVAL_WEBHOOK_URL}}
  auto_remediate:
    - {{resource_type: aws_s3_bucket_public_access_block, action: enforce_terraform}}
    - {{resource_type: aws_security_group, action: alert_only}}
"""


@pytest.fixture
def hooks():
    with recording_server() as recorder:
        yield recorder


def test_import_files_one_block_per_unmanaged_resource(tmp_path: Path) -> None:
    staging = [
        est.missing_role(),
        est.unmanaged_vpc(name="shared services"),
        est.unmanaged_vpc(name="shared-services", vpc_id="vpc-0b"),  # same suggested name
        est.unmanaged_vpc(name="", vpc_id="vpc-0c"),
    ]
    done = finalize(est.config(), est.run_info(), est.results(staging=staging), tmp_path / "out")
    text = (tmp_path / "out" / "imports" / "staging.tf").read_text()
    assert text.count("import {") == 3
    assert 'to = aws_vpc.shared_services\n  id = "vpc-0f00"' in text
    assert 'to = aws_vpc.shared-services\n  id = "vpc-0b"' in text
    assert 'to = aws_vpc.vpc-0c\n  id = "vpc-0c"' in text
    assert "terraform plan -generate-config-out=generated.tf" in text
    readme = (tmp_path / "out" / "imports" / "README.md").read_text()
    assert "terraform plan -generate-config-out=generated.tf" in readme
    assert not (tmp_path / "out" / "imports" / "production.tf").exists()
    (imports,) = done.report["remediation"]["imports"]
    assert imports["file"] == "imports/staging.tf"
    # ordered by type, region and id: the same order every run
    assert [b["to"] for b in imports["blocks"]] == [
        "aws_vpc.shared-services",
        "aws_vpc.vpc-0c",
        "aws_vpc.shared_services",
    ]
    assert done.written["imports:staging"] == tmp_path / "out" / "imports" / "staging.tf"


def test_the_same_name_twice_gets_a_suffix(tmp_path: Path) -> None:
    staging = [est.unmanaged_vpc(name="core"), est.unmanaged_vpc(name="core", vpc_id="vpc-1")]
    finalize(est.config(), est.run_info(), est.results(staging=staging), tmp_path)
    text = (tmp_path / "imports" / "staging.tf").read_text()
    assert "to = aws_vpc.core\n" in text and "to = aws_vpc.core_2\n" in text


def test_no_import_files_when_switched_off(tmp_path: Path) -> None:
    config = est.config("remediation: {auto_generate_import: false}")
    done = finalize(config, est.run_info(), est.results(), tmp_path)
    assert not (tmp_path / "imports").exists()
    assert done.report["remediation"]["imports"] == []


def test_enforce_terraform_plans_a_targeted_apply_in_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APPROVAL_WEBHOOK_URL", raising=False)
    config = est.config(RULES.format(approval="false"))
    done = finalize(config, est.run_info(), est.results(), tmp_path)
    (entry,) = done.report["remediation"]["plan"]  # alert_only: the security group gets none
    assert entry["resource_type"] == "aws_s3_bucket_public_access_block"
    assert entry["workspace"] == "blue"
    assert entry["command"] == (
        "terraform workspace select blue && "
        "terraform apply -target='aws_s3_bucket_public_access_block.assets[\"main\"]'"
    )
    assert entry["status"] == "planned"
    assert entry["attributes"] == ["block_public_acls"]
    assert done.report["remediation"]["approval_requests"] == []
    assert "terraform apply -target=" in (tmp_path / "report.html").read_text()


def test_require_approval_posts_the_plan_and_waits(
    hooks: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPROVAL_WEBHOOK_URL", hooks.url + "/approve/secret-token")
    config = est.config(RULES.format(approval="true"))
    done = finalize(config, est.run_info("run-9"), est.results(), tmp_path)
    (request,) = hooks.bodies("/approve/secret-token")
    assert request["run_id"] == "run-9"
    assert request["account"] == "production"
    assert request["account_id"] == est.PROD_ID
    (entry,) = request["entries"]
    assert entry["address"] == 'aws_s3_bucket_public_access_block.assets["main"]'
    assert entry["status"] == "awaiting_approval"
    assert done.report["remediation"]["plan"][0]["status"] == "awaiting_approval"
    assert done.report["remediation"]["approval_requests"] == [
        {
            "channel": "approval_webhook",
            "account": "production",
            "status": "sent",
            "attempts": 1,
            "error": None,
        }
    ]
    assert "secret-token" not in json.dumps(done.report)


def test_a_failed_approval_request_is_marked(
    hooks: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPROVAL_WEBHOOK_URL", hooks.url + "/approve")
    hooks.respond(500, 500, 500)
    config = est.config(RULES.format(approval="true"))
    done = finalize(config, est.run_info(), est.results(), tmp_path)
    assert done.report["remediation"]["plan"][0]["status"] == "approval_request_failed"
    assert done.report["remediation"]["approval_requests"][0]["error"] == "HTTP 500"


@pytest.mark.parametrize(
    ("state", "workspace"),
    [
        ("s3://b/env:/blue/infra/terraform.tfstate", "blue"),
        ("s3://b/infra/terraform.tfstate", "default"),
        ("/srv/states/prod.tfstate", "default"),
        (None, "default"),
    ],
)
def test_workspace_from_the_state_location(state: str | None, workspace: str) -> None:
    assert workspace_of(state) == workspace
