"""Exclusions and thresholds are pure: tables of findings in, decisions out."""

from __future__ import annotations

import pytest

from driftq.config_models import Exclusions, Thresholds
from driftq.exclusions import is_excluded
from driftq.model import Finding
from driftq.thresholds import evaluate


def finding(
    kind: str = "drifted",
    rtype: str = "aws_instance",
    rid: str = "i-1",
    address: str | None = "aws_instance.web",
    account: str = "prod",
    tags: dict[str, str] | None = None,
) -> Finding:
    return Finding(
        kind=kind,  # type: ignore[arg-type]
        account=account,
        account_id="111111111111",
        region="us-east-1",
        service="ec2",
        resource_type=rtype,
        resource_id=rid,
        address=address if kind != "unmanaged" else None,
        tags=tags or {},
    )


@pytest.mark.parametrize(
    ("rules", "item", "excluded"),
    [
        ({"resource_types": ["aws_instance"]}, finding(), True),
        (
            {"resource_patterns": ["aws_instance.bastion-*"]},
            finding(address="aws_instance.bastion-1"),
            True,
        ),
        (
            {"resource_patterns": ["aws_instance.bastion-*"]},
            finding(address="module.net.aws_instance.bastion-1[0]"),
            True,
        ),
        (
            {"resource_patterns": ["aws_instance.bastion-*"]},
            finding(address="aws_instance.web"),
            False,
        ),
        (
            {"resource_patterns": ["module.legacy.*"]},
            finding(address="module.legacy.aws_instance.x"),
            True,
        ),
        (
            {"resource_patterns": ["aws_instance.bastion-*"]},
            finding("unmanaged", tags={"Name": "bastion-7"}),
            True,
        ),
        ({"resource_patterns": ["aws_instance.i-1"]}, finding("unmanaged"), True),
        ({"resource_patterns": ["aws_vpc.*"]}, finding("unmanaged"), False),
        (
            {"tags": [{"Key": "Environment", "Value": "Development"}]},
            finding(tags={"Environment": "Development"}),
            True,
        ),
        (
            {"tags": [{"Key": "Environment", "Value": "Development"}]},
            finding(tags={"Environment": "Production"}),
            False,
        ),
        ({"tags": [{"Key": "Ephemeral"}]}, finding(tags={"Ephemeral": "yes"}), True),
    ],
)
def test_exclusion_rules(rules: dict, item: Finding, excluded: bool) -> None:  # type: ignore[type-arg]
    assert is_excluded(item, Exclusions.model_validate(rules)) is excluded


THRESHOLDS = Thresholds.model_validate(
    {
        "critical": {"drifted_resources": 10, "security_groups_changed": 1, "iam_changes": 1},
        "warning": {"drifted_resources": 2, "unmanaged_resources": 3},
    }
)


def test_severity_per_account_and_run() -> None:
    findings = [
        finding(rid="i-1"),
        finding(rid="i-2"),  # prod: 2 drifted -> warning
        finding(account="stage", rtype="aws_security_group", rid="sg-1"),  # stage: critical
        finding("unmanaged", account="dev", rid="i-9"),  # dev: under the limits
    ]
    run, per_account, breaches = evaluate(findings, THRESHOLDS, ["prod", "stage", "dev", "empty"])
    assert run == "critical"
    assert per_account == {"prod": "warning", "stage": "critical", "dev": "ok", "empty": "ok"}
    assert {
        "account": "prod",
        "level": "warning",
        "metric": "drifted_resources",
        "value": 2,
        "limit": 2,
    } in breaches
    assert {
        "account": "stage",
        "level": "critical",
        "metric": "security_groups_changed",
        "value": 1,
        "limit": 1,
    } in breaches
    assert not [b for b in breaches if b["account"] in {"dev", "empty"}]


def test_iam_changes_count_every_iam_type_and_critical_wins_over_warning() -> None:
    findings = [finding(rtype="aws_iam_role_policy_attachment", rid="r/arn") for _ in range(12)]
    run, _, breaches = evaluate(findings, THRESHOLDS, ["prod"])
    assert run == "critical"
    levels = {(b["metric"], b["level"]) for b in breaches}
    assert levels == {("drifted_resources", "critical"), ("iam_changes", "critical")}


def test_no_thresholds_means_ok() -> None:
    run, _, breaches = evaluate([finding()] * 50, Thresholds(), ["prod"])
    assert (run, breaches) == ("ok", [])
