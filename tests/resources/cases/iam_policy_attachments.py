"""aws_iam_policy_attachment: one customer managed policy attached to a role."""

from __future__ import annotations

from typing import Any

from tests.resources.cases.iam_links import customer_policy
from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_iam import _make_role, _role_state
from tests.support.estate import unique


def _policy_attachment(account: Any) -> Built:
    iam = account.client("iam")
    name = unique("role")
    role = _make_role(iam, name)
    arn, policy = customer_policy(iam)
    iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    state = {
        "id": "app-attachment",
        "name": "app-attachment",
        "policy_arn": arn,
        "roles": [name],
        "users": [],
        "groups": [],
    }
    return Built(
        [
            Res("aws_iam_policy_attachment", "a", state),
            Res("aws_iam_role", "r", _role_state(role)),
            policy,
        ],
        import_id=arn,
    )


CASES = [
    TypeCase(
        type="aws_iam_policy_attachment",
        build=_policy_attachment,
        # AWS has no such object: without it in the state, the role's attachment is what
        # was made outside Terraform
        unmanaged_as=("unmanaged", "aws_iam_role_policy_attachment"),
    ),
]
