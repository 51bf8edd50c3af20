"""IAM cases: a role, a customer-managed policy, a user, a role's policy attachment."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.cases.iam_links import customer_policy
from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_iam import (
    DEFAULT_TAGS,
    POLICY,
    POLICY_IN_STATE,
    _attachment_state,
    _make_role,
    _policy_state,
    _role_state,
    _tags,
    _user_state,
)
from tests.support.estate import unique


def _role(account: Any) -> Built:
    """A role managing its inline policy and managed attachments exclusively (provider >=
    3.38 `inline_policy` / `managed_policy_arns` blocks)."""
    iam = account.client("iam")
    name = unique("role")
    role = _make_role(
        iam,
        name,
        Description="the app",
        MaxSessionDuration=7200,
        Tags=_tags({**DEFAULT_TAGS, "Team": "core"}),
    )
    iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=json.dumps(POLICY))
    arn, policy = customer_policy(iam)
    iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    state = _role_state(
        role,
        description="the app",
        max_session_duration=7200,
        inline_policy=[{"name": "inline", "policy": POLICY_IN_STATE}],
        managed_policy_arns=[arn],
        tags={"Team": "core"},
        tags_all={**DEFAULT_TAGS, "Team": "core"},
    )
    return Built([Res("aws_iam_role", "r", state), policy], import_id=name)


def _policy(account: Any) -> Built:
    policy = account.client("iam").create_policy(
        PolicyName=unique("policy"),
        Path="/app/",
        Description="app access",
        PolicyDocument=json.dumps(POLICY),
        Tags=_tags(DEFAULT_TAGS),
    )["Policy"]
    state = _policy_state(policy, description="app access")
    return Built([Res("aws_iam_policy", "p", state)], import_id=policy["Arn"])


def _user(account: Any) -> Built:
    name = unique("user")
    user = account.client("iam").create_user(UserName=name, Path="/ci/", Tags=_tags(DEFAULT_TAGS))
    return Built([Res("aws_iam_user", "u", _user_state(user["User"]))], import_id=name)


def _attachment(account: Any) -> Built:
    iam = account.client("iam")
    policy = iam.create_policy(PolicyName=unique("attached"), PolicyDocument=json.dumps(POLICY))
    arn = policy["Policy"]["Arn"]
    name = unique("role")
    role = _make_role(iam, name)
    iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    return Built(
        [
            Res("aws_iam_role_policy_attachment", "a", _attachment_state(name, arn)),
            Res("aws_iam_role", "r", _role_state(role)),
            Res("aws_iam_policy", "p", _policy_state(policy["Policy"], tags_all={})),
        ],
        import_id=f"{name}/{arn}",
    )


CASES = [
    TypeCase(type="aws_iam_role", build=_role),
    TypeCase(type="aws_iam_policy", build=_policy),
    TypeCase(type="aws_iam_user", build=_user),
    TypeCase(type="aws_iam_role_policy_attachment", build=_attachment),
]
