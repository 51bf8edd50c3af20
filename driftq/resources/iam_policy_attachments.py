"""`aws_iam_policy_attachment`: the exclusive attachment of one managed policy to every role,
user and group that has it (one resource per policy ARN).

AWS has no such object: it is a view over the per-entity attachments, built here from the
GetAccountAuthorizationDetails listing the role, user and group specs already send (shared
per unit, no call of its own). One live item per policy ARN attached to anything, its
`roles`, `users` and `groups` the names of what has it. It is never reported unmanaged
(``is_aws_default``): a hand-made attachment is reported as the per-entity type
(aws_iam_role_policy_attachment, ...). When a state holds one, the per-entity attachments of
its policy are its own (``exclusive_over``, passes/children.py): an entity attached by hand
is drift of its `roles`/`users`/`groups`, reported once, not an unmanaged attachment too.

AWS-owned roles (service-linked, Identity Center) are left out, as the role attachment spec
leaves them out: AWS attaches their policies, not the estate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import list_items
from driftq.resources.iam import _aws_owned, _details
from driftq.resources.spec import ResourceSpec, only_in_state

Item = dict[str, Any]

# (listing, name field, attribute): who can have a managed policy attached
_ENTITIES = (
    ("RoleDetailList[]", "RoleName", "roles"),
    ("UserDetailList[]", "UserName", "users"),
    ("GroupDetailList[]", "GroupName", "groups"),
)


def _by_policy(ctx: ScanContext) -> Iterator[Item]:
    policies: dict[str, Item] = {}
    for items, name_field, attribute in _ENTITIES:
        for entity in list_items(ctx, _details(items), "iam"):
            if attribute == "roles" and _aws_owned(entity):
                continue
            for attached in entity.get("AttachedManagedPolicies") or []:
                arn = attached.get("PolicyArn")
                if not arn:
                    continue
                item = policies.setdefault(
                    arn, {"PolicyArn": arn, "roles": [], "users": [], "groups": []}
                )
                item[attribute].append(entity[name_field])
    yield from policies.values()


def _attachment(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["PolicyArn"],
        "policy_arn": item["PolicyArn"],
        "roles": sorted(item["roles"]),
        "users": sorted(item["users"]),
        "groups": sorted(item["groups"]),
    }


def _policy_arn(attrs: Item) -> str:
    return str(attrs.get("policy_arn") or "")


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_iam_policy_attachment",
        service="iam",
        enumerate=_by_policy,
        operations=("iam:GetAccountAuthorizationDetails",),
        normalize=_attachment,
        compared=("policy_arn", "roles", "users", "groups"),
        left_out=common("id") | because(TERRAFORM_ONLY, "name"),
        identity=_policy_arn,
        # AWS has no such object: silent unless a state holds it
        is_aws_default=only_in_state,
        exclusive_over={
            "aws_iam_role_policy_attachment": "policy_arn",
            "aws_iam_user_policy_attachment": "policy_arn",
            "aws_iam_group_policy_attachment": "policy_arn",
        },
        is_global=True,
        import_id_format="not importable (terraform import is unsupported for this type)",
    ),
]
