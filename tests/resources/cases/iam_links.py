"""IAM link cases: a role's inline policy, a user's policy attachment, a user's groups."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_iam import (
    POLICY,
    POLICY_IN_STATE,
    _make_role,
    _policy_state,
    _role_state,
    _user_state,
)
from tests.support.estate import unique


def customer_policy(iam: Any) -> tuple[str, Res]:
    """A customer managed policy to attach, with its state: the type checks' emulator holds
    no AWS managed policies (loading them costs seconds per account); test_iam.py attaches
    AWS managed ones."""
    policy = iam.create_policy(PolicyName=unique("attached"), PolicyDocument=json.dumps(POLICY))
    arn = str(policy["Policy"]["Arn"])
    return arn, Res("aws_iam_policy", "p", _policy_state(policy["Policy"], tags_all={}))


def _role_policy(account: Any) -> Built:
    iam = account.client("iam")
    name = unique("role")
    role = _make_role(iam, name)
    iam.put_role_policy(RoleName=name, PolicyName="app", PolicyDocument=json.dumps(POLICY))
    state = {
        "id": f"{name}:app",
        "name": "app",
        "name_prefix": "",
        "role": name,
        "policy": POLICY_IN_STATE,
    }
    return Built(
        [Res("aws_iam_role_policy", "p", state), Res("aws_iam_role", "r", _role_state(role))],
        import_id=f"{name}:app",
    )


def _new_user(iam: Any) -> dict[str, Any]:
    return iam.create_user(UserName=unique("user"))["User"]  # type: ignore[no-any-return]


def _user_res(user: dict[str, Any]) -> Res:
    return Res("aws_iam_user", "u", _user_state(user, tags_all={}))


def _user_attachment(account: Any) -> Built:
    iam = account.client("iam")
    user = _new_user(iam)
    name = user["UserName"]
    arn, policy = customer_policy(iam)
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    state = {"id": f"{name}-20240102030405000000000001", "user": name, "policy_arn": arn}
    return Built(
        [Res("aws_iam_user_policy_attachment", "a", state), _user_res(user), policy],
        import_id=f"{name}/{arn}",
    )


def _membership(account: Any) -> Built:
    iam = account.client("iam")
    user = _new_user(iam)
    name = user["UserName"]
    groups = sorted(unique("group") for _ in range(2))
    resources = [
        Res(
            "aws_iam_user_group_membership",
            "m",
            {"id": "terraform-20240102030405000000000001", "user": name, "groups": groups},
        ),
        _user_res(user),
    ]
    for i, group in enumerate(groups):
        created = iam.create_group(GroupName=group)["Group"]
        iam.add_user_to_group(GroupName=group, UserName=name)
        state = {
            "id": group,
            "name": group,
            "arn": created["Arn"],
            "path": "/",
            "unique_id": created["GroupId"],
        }
        resources.append(Res("aws_iam_group", f"g{i}", state))
    return Built(resources, import_id="/".join([name, *groups]))


CASES = [
    TypeCase(type="aws_iam_role_policy", build=_role_policy),
    TypeCase(type="aws_iam_user_policy_attachment", build=_user_attachment),
    TypeCase(
        type="aws_iam_user_group_membership",
        build=_membership,
        # not exclusive: only a group the state lists and the user left is drift
        mutations={"groups": ["not-a-member"]},
    ),
]
