"""IAM against a real moto server (AWS-managed policies loaded): roles, policies, users and
role policy attachments; one global unit per account."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from driftq.engine import Engine
from driftq.model import Finding, Unit, UnitResult
from tests.conftest import emulator, single_account_config
from tests.support.estate import StateFile
from tests.support.moto import MotoServer
from tests.support.scanning import scan_ok


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoServer]:
    """This module attaches AWS managed policies (ReadOnlyAccess...): its emulator holds
    them, as every real account does."""
    yield from emulator(load_aws_managed_policies=True)


UNIT = Unit("test", "global", "iam")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # the provider's default_tags, also set in AWS
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
AUDIT = "arn:aws:iam::aws:policy/SecurityAudit"

# how the role was created in AWS ...
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
# ... and how Terraform's jsonencode wrote it in state: sorted keys, no spaces, lists, a Sid
TRUST_IN_STATE = (
    '{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow",'
    '"Principal":{"Service":["lambda.amazonaws.com"]},"Sid":""}],"Version":"2012-10-17"}'
)
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": "*",
        },
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
    ],
}
# a provider 3.x heredoc: statements in another order, a one-element list, indentation
POLICY_IN_STATE = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": ["*"]},
    {"Sid": "Read", "Effect": "Allow", "Resource": "*",
     "Action": ["s3:ListBucket", "s3:GetObject"]}
  ]
}
"""


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _scan(account: Any, tmp_path: Path, state: StateFile) -> UnitResult:
    return scan_ok(account, tmp_path, state, UNIT)


def _keys(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.kind, f.resource_type, f.resource_id) for f in findings}


def _make_role(iam: Any, name: str, **extra: Any) -> dict[str, Any]:
    """A role as Terraform created it: the provider's default tags are on it."""
    extra.setdefault("Tags", _tags(DEFAULT_TAGS))
    return iam.create_role(  # type: ignore[no-any-return]
        RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST), **extra
    )["Role"]


def _role_state(role: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    """An aws_iam_role as provider 4.x/5.x writes it (before overrides)."""
    return {
        "arn": role["Arn"],
        "assume_role_policy": TRUST_IN_STATE,
        "create_date": "2024-01-02T03:04:05Z",
        "description": "",
        "force_detach_policies": False,
        "id": role["RoleName"],
        "inline_policy": [],
        "managed_policy_arns": [],
        "max_session_duration": 3600,
        "name": role["RoleName"],
        "name_prefix": "",
        "path": role["Path"],
        "permissions_boundary": None,
        "tags": {},
        "tags_all": dict(DEFAULT_TAGS),
        "unique_id": role["RoleId"],
        **attrs,
    }


def _policy_state(policy: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    return {
        "arn": policy["Arn"],
        "attachment_count": 0,
        "description": "",
        "id": policy["Arn"],
        "name": policy["PolicyName"],
        "name_prefix": "",
        "path": policy["Path"],
        "policy": POLICY_IN_STATE,
        "policy_id": policy["PolicyId"],
        "tags": {},
        "tags_all": dict(DEFAULT_TAGS),
        **attrs,
    }


def _user_state(user: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    return {
        "arn": user["Arn"],
        "force_destroy": False,
        "id": user["UserName"],
        "name": user["UserName"],
        "path": user["Path"],
        "permissions_boundary": None,
        "tags": {},
        "tags_all": dict(DEFAULT_TAGS),
        "unique_id": user["UserId"],
        **attrs,
    }


def _attachment_state(role: str, policy_arn: str) -> dict[str, Any]:
    # the provider's id is an opaque `<role>-<timestamp>`
    return {"id": f"{role}-20240102030405000000000001", "policy_arn": policy_arn, "role": role}


def test_clean_match(account: Any, tmp_path: Path) -> None:
    iam = account.client("iam")
    policy = iam.create_policy(
        PolicyName="app",
        Path="/app/",
        Description="app access",
        PolicyDocument=json.dumps(POLICY),
        Tags=_tags({**DEFAULT_TAGS, "Team": "core"}),
    )["Policy"]
    role = _make_role(
        iam,
        "app",
        Path="/service/",
        Description="the app",
        MaxSessionDuration=7200,
        PermissionsBoundary=policy["Arn"],
        Tags=_tags({**DEFAULT_TAGS, "Team": "core"}),
    )
    iam.attach_role_policy(RoleName="app", PolicyArn=policy["Arn"])
    iam.attach_role_policy(RoleName="app", PolicyArn=READ_ONLY)
    user = iam.create_user(UserName="deploy", Path="/ci/", Tags=_tags(DEFAULT_TAGS))["User"]

    state = (
        StateFile()
        .add(
            "aws_iam_role",
            "app",
            _role_state(
                role,
                description="the app",
                max_session_duration=7200,
                permissions_boundary=policy["Arn"],
                tags={"Team": "core"},
                tags_all={**DEFAULT_TAGS, "Team": "core"},
            ),
        )
        .add(
            "aws_iam_policy",
            "app",
            _policy_state(
                policy,
                description="app access",
                tags={"Team": "core"},
                tags_all={**DEFAULT_TAGS, "Team": "core"},
            ),
        )
        .add("aws_iam_user", "deploy", _user_state(user))
        .add("aws_iam_role_policy_attachment", "app", _attachment_state("app", policy["Arn"]))
        .add("aws_iam_role_policy_attachment", "ro", _attachment_state("app", READ_ONLY))
    )
    result = _scan(account, tmp_path, state)
    assert result.findings == []
    assert result.managed == 5


def test_missing(account: Any, tmp_path: Path) -> None:
    arn = f"arn:aws:iam::{account.id}:policy/gone"
    fake_role = {
        "Arn": f"arn:aws:iam::{account.id}:role/gone",
        "RoleName": "gone",
        "Path": "/",
        "RoleId": "AROAGONE",
    }
    fake_policy = {"Arn": arn, "PolicyName": "gone", "Path": "/", "PolicyId": "ANPAGONE"}
    fake_user = {
        "Arn": f"arn:aws:iam::{account.id}:user/gone",
        "UserName": "gone",
        "Path": "/",
        "UserId": "AIDAGONE",
    }
    state = (
        StateFile()
        .add("aws_iam_role", "gone", _role_state(fake_role))
        .add("aws_iam_policy", "gone", _policy_state(fake_policy))
        .add("aws_iam_user", "gone", _user_state(fake_user))
        .add("aws_iam_role_policy_attachment", "gone", _attachment_state("gone", arn))
    )
    result = _scan(account, tmp_path, state)
    assert _keys(result.findings) == {
        ("missing", "aws_iam_role", "gone"),
        ("missing", "aws_iam_policy", arn),
        ("missing", "aws_iam_user", "gone"),
        ("missing", "aws_iam_role_policy_attachment", "gone-20240102030405000000000001"),
    }
    assert {f.region for f in result.findings} == {"global"}
    assert all(f.address and f.address.startswith("aws_iam_") for f in result.findings)


def test_unmanaged(account: Any, tmp_path: Path) -> None:
    iam = account.client("iam")
    managed = _make_role(iam, "managed")
    _make_role(iam, "stray", Path="/ops/")
    policy = iam.create_policy(PolicyName="stray", PolicyDocument=json.dumps(POLICY))["Policy"]
    iam.create_user(UserName="stray", Path="/people/")
    iam.attach_role_policy(RoleName="managed", PolicyArn=policy["Arn"])
    # the stray role's own attachment is covered by the role's finding
    iam.attach_role_policy(RoleName="stray", PolicyArn=policy["Arn"])

    state = StateFile().add("aws_iam_role", "managed", _role_state(managed))
    result = _scan(account, tmp_path, state)
    assert _keys(result.findings) == {
        ("unmanaged", "aws_iam_role", "stray"),
        ("unmanaged", "aws_iam_policy", policy["Arn"]),
        ("unmanaged", "aws_iam_user", "stray"),
        ("unmanaged", "aws_iam_role_policy_attachment", f"managed/{policy['Arn']}"),
    }
    assert {f.region for f in result.findings} == {"global"}
    assert all(f.address is None and f.state is None for f in result.findings)


def test_drifted(account: Any, tmp_path: Path) -> None:
    iam = account.client("iam")
    role = _make_role(iam, "app")
    policy = iam.create_policy(
        PolicyName="app", PolicyDocument=json.dumps(POLICY), Tags=_tags(DEFAULT_TAGS)
    )["Policy"]
    user = iam.create_user(UserName="deploy", Tags=_tags(DEFAULT_TAGS))["User"]
    state = (
        StateFile()
        .add("aws_iam_role", "app", _role_state(role))
        .add("aws_iam_policy", "app", _policy_state(policy))
        .add("aws_iam_user", "deploy", _user_state(user))
    )
    # changes made outside Terraform
    iam.update_role(RoleName="app", Description="hand-edited", MaxSessionDuration=43200)
    iam.tag_role(RoleName="app", Tags=_tags({"Owner": "alice"}))
    denied = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
    iam.create_policy_version(
        PolicyArn=policy["Arn"], PolicyDocument=json.dumps(denied), SetAsDefault=True
    )
    iam.tag_policy(PolicyArn=policy["Arn"], Tags=_tags({"ManagedBy": "console"}))
    iam.update_user(UserName="deploy", NewPath="/moved/")
    iam.untag_user(UserName="deploy", TagKeys=["ManagedBy"])

    result = _scan(account, tmp_path, state)
    changes = {
        (f.resource_type, f.resource_id): {c.attribute: (c.expected, c.actual) for c in f.changes}
        for f in result.findings
    }
    assert {f.kind for f in result.findings} == {"drifted"}
    assert changes[("aws_iam_role", "app")] == {
        "description": ("", "hand-edited"),
        "max_session_duration": (3600, 43200),
        "tags.Owner": (None, "alice"),
    }
    policy_changes = changes[("aws_iam_policy", policy["Arn"])]
    assert set(policy_changes) == {"policy", "tags.ManagedBy"}
    assert policy_changes["tags.ManagedBy"] == ("terraform", "console")
    expected_doc, actual_doc = (json.loads(v) for v in policy_changes["policy"])
    assert len(expected_doc["Statement"]) == 2
    assert actual_doc["Statement"] == [{"Action": ["*"], "Effect": "Deny", "Resource": ["*"]}]
    assert changes[("aws_iam_user", "deploy")] == {
        "path": ("/", "/moved/"),
        "tags.ManagedBy": ("terraform", None),
    }
    assert set(changes) == {
        ("aws_iam_role", "app"),
        ("aws_iam_policy", policy["Arn"]),
        ("aws_iam_user", "deploy"),
    }


def test_aws_managed_things_stay_silent(account: Any, tmp_path: Path) -> None:
    iam = account.client("iam")
    # a service-linked role; moto (unlike AWS) lets us attach a policy to it
    linked = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")["Role"]
    assert linked["Path"].startswith("/aws-service-role/")
    iam.attach_role_policy(RoleName=linked["RoleName"], PolicyArn=READ_ONLY)
    # an IAM Identity Center role (AWS creates these under /aws-reserved/)
    _make_role(iam, "AWSReservedSSO_Admin_0123", Path="/aws-reserved/sso.amazonaws.com/")
    # a managed role whose AWS-managed attachments the state records in managed_policy_arns
    role = _make_role(iam, "exclusive")
    iam.attach_role_policy(RoleName="exclusive", PolicyArn=READ_ONLY)
    # ... and one attachment made after the state was written: not covered
    iam.attach_role_policy(RoleName="exclusive", PolicyArn=AUDIT)

    state = StateFile().add(
        "aws_iam_role", "exclusive", _role_state(role, managed_policy_arns=[READ_ONLY])
    )
    result = _scan(account, tmp_path, state)
    # hundreds of AWS-managed policies exist in this account; none is reported
    assert _keys(result.findings) == {
        ("unmanaged", "aws_iam_role_policy_attachment", f"exclusive/{AUDIT}"),
    }


def test_service_linked_role_in_state_is_compared(account: Any, tmp_path: Path) -> None:
    # an AWS default a state adopted (imported) is managed like any other role
    iam = account.client("iam")
    linked = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")["Role"]
    state = StateFile().add(
        "aws_iam_role",
        "linked",
        _role_state(
            linked,
            assume_role_policy=json.dumps(linked["AssumeRolePolicyDocument"]),
            tags_all={},
            description="changed",
        ),
    )
    result = _scan(account, tmp_path, state)
    assert [(f.kind, f.resource_id) for f in result.findings] == [("drifted", linked["RoleName"])]
    assert [c.attribute for c in result.findings[0].changes] == ["description"]


def test_selecting_only_attachments_judges_them_as_a_full_scan_does(
    account: Any, tmp_path: Path
) -> None:
    """`--resource-type aws_iam_role_policy_attachment`: the roles in state still decide
    which attachments are managed, though roles themselves are not scanned."""
    from driftq.plan import Selection

    iam = account.client("iam")
    managed = _make_role(iam, "managed")
    _make_role(iam, "stray")
    policy = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(POLICY))["Policy"]
    iam.attach_role_policy(RoleName="managed", PolicyArn=policy["Arn"])
    iam.attach_role_policy(RoleName="stray", PolicyArn=policy["Arn"])
    state = StateFile().add("aws_iam_role", "managed", _role_state(managed))
    path = state.write(tmp_path / "terraform.tfstate")
    selection = Selection(resource_types=("aws_iam_role_policy_attachment",))
    result = Engine(single_account_config(account, path), selection).scan_unit(UNIT)
    assert result.status == "ok", result.error_message
    assert _keys(result.findings) == {
        ("unmanaged", "aws_iam_role_policy_attachment", f"managed/{policy['Arn']}"),
    }
    assert result.managed == 0


def test_exclusive_role_policies_changed_by_hand_are_drift(account: Any, tmp_path: Path) -> None:
    """A role whose state sets `inline_policy` and `managed_policy_arns`: an inline policy
    widened and a managed policy detached by hand are drift of the role; an inline policy
    added by hand is an unmanaged aws_iam_role_policy (reported once)."""
    iam = account.client("iam")
    role = _make_role(iam, "exclusive-role")
    widened = {
        **POLICY,
        "Statement": [*POLICY["Statement"], {"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    iam.put_role_policy(
        RoleName="exclusive-role", PolicyName="app", PolicyDocument=json.dumps(widened)
    )
    iam.put_role_policy(
        RoleName="exclusive-role", PolicyName="extra", PolicyDocument=json.dumps(POLICY)
    )
    state = StateFile().add(
        "aws_iam_role",
        "r",
        _role_state(
            role,
            inline_policy=[{"name": "app", "policy": POLICY_IN_STATE}],
            managed_policy_arns=[READ_ONLY],
        ),
    )
    result = _scan(account, tmp_path, state)
    drifted = next(f for f in result.findings if f.kind == "drifted")
    assert {c.attribute for c in drifted.changes} == {"inline_policy", "managed_policy_arns"}
    assert _keys(result.findings) == {
        ("drifted", "aws_iam_role", "exclusive-role"),
        ("unmanaged", "aws_iam_role_policy", "exclusive-role:extra"),
    }


def test_role_policies_in_split_resources_or_unset_are_no_drift(
    account: Any, tmp_path: Path
) -> None:
    """The role's copies are stale when split resources manage the policies, and empty in
    states that never set them: neither is drift."""
    iam = account.client("iam")
    split = _make_role(iam, "split-role")
    iam.put_role_policy(RoleName="split-role", PolicyName="app", PolicyDocument=json.dumps(POLICY))
    iam.attach_role_policy(RoleName="split-role", PolicyArn=READ_ONLY)
    state = (
        StateFile()
        # written before the split resources were applied: empty copies, and a stale one
        .add(
            "aws_iam_role",
            "r",
            _role_state(split, inline_policy=[{"name": "old", "policy": POLICY_IN_STATE}]),
        )
        .add(
            "aws_iam_role_policy",
            "p",
            {
                "id": "split-role:app",
                "name": "app",
                "name_prefix": "",
                "role": "split-role",
                "policy": POLICY_IN_STATE,
            },
        )
        .add("aws_iam_role_policy_attachment", "a", _attachment_state("split-role", READ_ONLY))
    )
    assert _scan(account, tmp_path, state).findings == []
