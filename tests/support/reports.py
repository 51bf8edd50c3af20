"""Unit results of a small drifted estate, built in memory: for report, notification and history
tests that need a finished run but not the scan that produced it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from driftq.config import parse_config
from driftq.config_models import Config
from driftq.model import Change, Finding, Unit, UnitResult
from driftq.report import RunInfo

XSS = "<script>alert(1)</script>"
PROD_ID = "333333333333"
STAGING_ID = "222222222222"
DEV_ID = "444444444444"
IDS = {"production": PROD_ID, "staging": STAGING_ID, "dev": DEV_ID}

BASE_CONFIG = f"""
version: "1.0"
accounts:
  - name: production
    account_id: "{PROD_ID}"
    regions: [us-east-1, us-west-2]
    state_backend: {{type: local, path: /nonexistent/prod.tfstate}}
  - name: staging
    account_id: "{STAGING_ID}"
    regions: [us-east-1, eu-west-1]
    state_backend: {{type: local, path: /nonexistent/staging.tfstate}}
  - name: dev
    account_id: "{DEV_ID}"
    regions: [us-east-1]
    state_backend: {{type: local, path: /nonexistent/dev.tfstate}}
monitoring:
  thresholds:
    critical: {{drifted_resources: 10, security_groups_changed: 1}}
    warning: {{drifted_resources: 1, missing_resources: 2, unmanaged_resources: 3}}
"""


def config(extra: str = "") -> Config:
    return parse_config(BASE_CONFIG + extra)


def run_info(run_id: str = "run-1", minutes_later: int = 0) -> RunInfo:
    start = datetime(2025, 3, 1, 12, 0, tzinfo=UTC) + timedelta(minutes=minutes_later)
    end = start + timedelta(seconds=83)
    iso = lambda t: t.isoformat().replace("+00:00", "Z")  # noqa: E731
    return RunInfo(run_id, iso(start), iso(end))


def drifted_sg(account: str = "production", value: str = "0.0.0.0/0") -> Finding:
    return Finding(
        kind="drifted",
        account=account,
        account_id=IDS[account],
        region="us-east-1",
        service="ec2",
        resource_type="aws_security_group",
        resource_id="sg-0abc1234",
        address="module.net.aws_security_group.web",
        state="s3://prod-terraform-state/infrastructure/terraform.tfstate",
        changes=[
            Change(
                "ingress",
                [{"cidr_blocks": ["10.0.0.0/8"], "from_port": 443, "to_port": 443}],
                [{"cidr_blocks": ["10.0.0.0/8", value], "from_port": 443, "to_port": 443}],
            ),
            Change("tags.Owner", "platform", XSS),
        ],
    )


def drifted_pab(account: str = "production") -> Finding:
    return Finding(
        kind="drifted",
        account=account,
        account_id=IDS[account],
        region="eu-central-1",  # an S3 bucket's own region, found by the global S3 unit
        service="s3",
        resource_type="aws_s3_bucket_public_access_block",
        resource_id="prod-assets",
        address='aws_s3_bucket_public_access_block.assets["main"]',
        state="s3://prod-terraform-state/env:/blue/infrastructure/terraform.tfstate",
        changes=[Change("block_public_acls", True, False)],
    )


def missing_role(account: str = "staging") -> Finding:
    return Finding(
        kind="missing",
        account=account,
        account_id=IDS[account],
        region="global",
        service="iam",
        resource_type="aws_iam_role",
        resource_id="deployer",
        address="aws_iam_role.deployer",
        state="s3://staging-terraform-state/stacks/iam.tfstate",
    )


def unmanaged_vpc(account: str = "staging", name: str = XSS, vpc_id: str = "vpc-0f00") -> Finding:
    return Finding(
        kind="unmanaged",
        account=account,
        account_id=IDS[account],
        region="eu-west-1",
        service="ec2",
        resource_type="aws_vpc",
        resource_id=vpc_id,
        tags={"Name": name},
    )


def results(
    prod: list[Finding] | None = None,
    staging: list[Finding] | None = None,
    *,
    fail_staging_ec2: bool = False,
) -> list[UnitResult]:
    """Units of the three accounts; findings are placed in the unit that finds them."""
    prod = [drifted_sg(), drifted_pab()] if prod is None else prod
    staging = [missing_role(), unmanaged_vpc()] if staging is None else staging
    units = [
        Unit("production", "us-east-1", "ec2"),
        Unit("production", "us-west-2", "ec2"),
        Unit("production", "global", "s3"),
        Unit("production", "global", "iam"),
        Unit("staging", "us-east-1", "ec2"),
        Unit("staging", "eu-west-1", "ec2"),
        Unit("staging", "global", "iam"),
        Unit("dev", "us-east-1", "ec2"),
        Unit("dev", "global", "iam"),
    ]
    out = []
    for unit in units:
        if fail_staging_ec2 and unit == Unit("staging", "eu-west-1", "ec2"):
            out.append(
                UnitResult(
                    unit,
                    "error",
                    error_code="AccessDenied",
                    error_message=f"not authorized to perform ec2:DescribeVpcs {XSS}",
                )
            )
            continue
        found = [f for f in prod + staging if _unit_of(f) == unit]
        out.append(UnitResult(unit, "ok", findings=found, managed=12))
    return out


def _unit_of(f: Finding) -> Unit:
    region = "global" if f.service in ("iam", "s3") else f.region
    return Unit(f.account, region, f.service)


def by_channel(report: dict[str, Any], channel: str) -> list[dict[str, Any]]:
    return [n for n in report["notifications"] if n["channel"] == channel]
