"""IAM links of groups and users' inline policies: `aws_iam_group_policy`,
`aws_iam_group_policy_attachment`, `aws_iam_user_policy`.

All three come from the one GetAccountAuthorizationDetails listing the other IAM specs
already send (shared per unit): a group's `GroupPolicyList` and `AttachedManagedPolicies`, a
user's `UserPolicyList`; no call per group or user. Each is a child of its group or user: not
reported again when that principal is itself unmanaged. Unlike a role, neither
`aws_iam_group` nor `aws_iam_user` carries an inline copy of its policies (no
`inline_policy` / `managed_policy_arns` in their schema), so nothing is compared twice: a
policy added by hand to a managed group or user is one unmanaged finding of these types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import common
from driftq.resources.context import ScanContext
from driftq.resources.iam import _details
from driftq.resources.spec import ResourceSpec

Item = dict[str, Any]


def _group_of(attrs: Item) -> str:
    return str(attrs.get("group") or "")


def _user_of(attrs: Item) -> str:
    return str(attrs.get("user") or "")


# --- aws_iam_group_policy / aws_iam_user_policy: inline policies ---------------------------


def _group_policies(group: Item) -> Iterator[Item]:
    for policy in group.get("GroupPolicyList") or []:
        yield {
            "group": group["GroupName"],
            "name": policy["PolicyName"],
            "policy": policy.get("PolicyDocument"),
        }


def _user_policies(user: Item) -> Iterator[Item]:
    for policy in user.get("UserPolicyList") or []:
        yield {
            "user": user["UserName"],
            "name": policy["PolicyName"],
            "policy": policy.get("PolicyDocument"),
        }


def _group_policy_id(attrs: Item) -> str:
    # the provider's id and import id: `<group>:<policy name>`
    return f"{_group_of(attrs)}:{attrs.get('name') or ''}"


def _user_policy_id(attrs: Item) -> str:
    return f"{_user_of(attrs)}:{attrs.get('name') or ''}"


def _group_policy(item: Item, ctx: ScanContext) -> Item:
    return {"id": _group_policy_id(item), **item}


def _user_policy(item: Item, ctx: ScanContext) -> Item:
    return {"id": _user_policy_id(item), **item}


# --- aws_iam_group_policy_attachment --------------------------------------------------------


def _group_attachments(group: Item) -> Iterator[Item]:
    for policy in group.get("AttachedManagedPolicies") or []:
        yield {"group": group["GroupName"], "policy_arn": policy["PolicyArn"]}


def _group_attachment_id(attrs: Item) -> str:
    # the state `id` is an opaque `<group>-<timestamp>`: both sides are keyed on group/ARN,
    # which is also what `terraform import` takes
    return f"{_group_of(attrs)}/{attrs.get('policy_arn') or ''}"


def _group_attachment(item: Item, ctx: ScanContext) -> Item:
    return {"id": _group_attachment_id(item), **item}


_INLINE_LEFT_OUT = common("id", "name_prefix")

SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_iam_group_policy",
        service="iam",
        list_call=_details("GroupDetailList[]"),
        expand=_group_policies,
        normalize=_group_policy,
        compared=("group", "name", "policy"),
        left_out=_INLINE_LEFT_OUT,
        identity=_group_policy_id,
        json_attributes=frozenset({"policy"}),
        parent="aws_iam_group",
        parent_identity=_group_of,
        is_global=True,
        import_id_format="group name:policy name, e.g. developers:my-policy",
    ),
    ResourceSpec(
        type="aws_iam_group_policy_attachment",
        service="iam",
        list_call=_details("GroupDetailList[]"),
        expand=_group_attachments,
        normalize=_group_attachment,
        compared=("group", "policy_arn"),
        left_out=common("id"),
        identity=_group_attachment_id,
        parent="aws_iam_group",
        parent_identity=_group_of,
        is_global=True,
        import_id_format=(
            "group name/policy ARN, e.g. developers/arn:aws:iam::123456789012:policy/my-policy"
        ),
    ),
    ResourceSpec(
        type="aws_iam_user_policy",
        service="iam",
        list_call=_details("UserDetailList[]"),
        expand=_user_policies,
        normalize=_user_policy,
        compared=("user", "name", "policy"),
        left_out=_INLINE_LEFT_OUT,
        identity=_user_policy_id,
        json_attributes=frozenset({"policy"}),
        parent="aws_iam_user",
        parent_identity=_user_of,
        is_global=True,
        import_id_format="user name:policy name, e.g. alice:my-policy",
    ),
]
