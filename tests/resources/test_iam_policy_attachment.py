"""aws_iam_policy_attachment (exclusive: one resource per policy ARN) against a real moto
server: its role/user attachments are its own, never unmanaged per-entity attachments; an
entity attached or detached by hand is one drift of its `roles`/`users`/`groups`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Finding, Unit
from driftq.plan import Selection
from tests.conftest import single_account_config
from tests.resources.test_iam import (
    POLICY,
    _make_role,
    _policy_state,
    _role_state,
    _user_state,
)
from tests.support.estate import StateFile
from tests.support.scanning import scan_ok

UNIT = Unit("test", "global", "iam")


def _keys(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.kind, f.resource_type, f.resource_id) for f in findings}


def _group_state(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": group["GroupName"],
        "name": group["GroupName"],
        "arn": group["Arn"],
        "path": "/",
        "unique_id": group["GroupId"],
    }


def _managed_role(iam: Any, state: StateFile, name: str) -> None:
    state.add("aws_iam_role", name, _role_state(_make_role(iam, name)))


def _estate(account: Any) -> tuple[Any, str, StateFile]:
    """A customer policy attached to role `app`, user `alice` and group `ops`, all in the
    state, the three attachments managed by one aws_iam_policy_attachment."""
    iam = account.client("iam")
    state = StateFile()
    _managed_role(iam, state, "app")
    user = iam.create_user(UserName="alice")["User"]
    state.add("aws_iam_user", "alice", _user_state(user, tags_all={}))
    policy = iam.create_policy(PolicyName="shared", PolicyDocument=json.dumps(POLICY))["Policy"]
    state.add("aws_iam_policy", "shared", _policy_state(policy, tags_all={}))
    arn = policy["Arn"]
    iam.attach_role_policy(RoleName="app", PolicyArn=arn)
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    group = iam.create_group(GroupName="ops")["Group"]
    state.add("aws_iam_group", "ops", _group_state(group))
    iam.attach_group_policy(GroupName="ops", PolicyArn=arn)
    attachment = {
        "id": "shared",
        "name": "shared",
        "policy_arn": arn,
        "roles": ["app"],
        "users": ["alice"],
        "groups": ["ops"],
    }
    return iam, arn, state.add("aws_iam_policy_attachment", "shared", attachment)


def test_clean_estate_gives_no_finding_at_all(account: Any, tmp_path: Path) -> None:
    _, _, state = _estate(account)
    result = scan_ok(account, tmp_path, state, UNIT)
    assert _keys(result.findings) == set()
    assert result.managed == 5


def test_role_attached_by_hand_is_one_drift_of_roles(account: Any, tmp_path: Path) -> None:
    iam, arn, state = _estate(account)
    _managed_role(iam, state, "stray")  # a managed role, the attachment made by hand
    iam.attach_role_policy(RoleName="stray", PolicyArn=arn)
    result = scan_ok(account, tmp_path, state, UNIT)
    assert _keys(result.findings) == {("drifted", "aws_iam_policy_attachment", "shared")}
    (change,) = result.findings[0].changes
    assert (change.attribute, sorted(change.actual)) == ("roles", ["app", "stray"])


def test_user_detached_by_hand_is_drift_of_users(account: Any, tmp_path: Path) -> None:
    iam, arn, state = _estate(account)
    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    result = scan_ok(account, tmp_path, state, UNIT)
    assert _keys(result.findings) == {("drifted", "aws_iam_policy_attachment", "shared")}
    assert [c.attribute for c in result.findings[0].changes] == ["users"]


def test_group_attached_by_hand_is_one_drift_of_groups(account: Any, tmp_path: Path) -> None:
    iam, arn, state = _estate(account)
    group = iam.create_group(GroupName="stray")["Group"]
    state.add("aws_iam_group", "stray", _group_state(group))
    iam.attach_group_policy(GroupName="stray", PolicyArn=arn)
    result = scan_ok(account, tmp_path, state, UNIT)
    assert _keys(result.findings) == {("drifted", "aws_iam_policy_attachment", "shared")}
    assert [c.attribute for c in result.findings[0].changes] == ["groups"]


def test_policy_detached_from_everything_is_missing(account: Any, tmp_path: Path) -> None:
    iam, arn, state = _estate(account)
    iam.detach_role_policy(RoleName="app", PolicyArn=arn)
    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    iam.detach_group_policy(GroupName="ops", PolicyArn=arn)
    result = scan_ok(account, tmp_path, state, UNIT)
    assert _keys(result.findings) == {("missing", "aws_iam_policy_attachment", "shared")}


def test_other_policies_attachments_are_still_unmanaged(account: Any, tmp_path: Path) -> None:
    """Only the state's policy is exclusive: another policy attached by hand is reported as
    the per-entity attachment, and never as an unmanaged aws_iam_policy_attachment."""
    iam, _, state = _estate(account)
    other = iam.create_policy(PolicyName="other", PolicyDocument=json.dumps(POLICY))["Policy"]
    iam.attach_role_policy(RoleName="app", PolicyArn=other["Arn"])
    result = scan_ok(account, tmp_path, state, UNIT)
    assert _keys(result.findings) == {
        ("unmanaged", "aws_iam_role_policy_attachment", f"app/{other['Arn']}"),
        ("unmanaged", "aws_iam_policy", other["Arn"]),
    }


def test_selecting_only_role_attachments_still_honours_the_policy_attachment(
    account: Any, tmp_path: Path
) -> None:
    """`--resource-type aws_iam_role_policy_attachment`: the aws_iam_policy_attachment in
    the state still owns its policy's attachments."""
    iam, arn, state = _estate(account)
    _managed_role(iam, state, "stray")
    iam.attach_role_policy(RoleName="stray", PolicyArn=arn)
    path = state.write(tmp_path / "terraform.tfstate")
    selection = Selection(resource_types=("aws_iam_role_policy_attachment",))
    result = Engine(single_account_config(account, path), selection).scan_unit(UNIT)
    assert result.status == "ok", result.error_message
    assert _keys(result.findings) == set()
