"""IAM links between principals and policies: roles' inline policies, users' managed-policy
attachments and users' group memberships.

All three come from the one GetAccountAuthorizationDetails listing the role and user specs
already send (shared per unit): no call per role or user. Each is a child of its role or
user: not reported again when that principal is itself unmanaged.

- `aws_iam_role_policy`: a provider >= 3.38 role that sets `inline_policy` manages the
  policies it names inline (covered here, compared on the role).
- `aws_iam_user_group_membership` is not exclusive (the provider leaves groups it does not
  list alone): a group the state does not list is no drift. Its Terraform id is random;
  both sides are keyed by the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.iam import _aws_owned, _details
from driftq.resources.spec import ResourceSpec

Item = dict[str, Any]


# --- aws_iam_role_policy ------------------------------------------------------------------


def _role_policies(role: Item) -> Iterator[Item]:
    if _aws_owned(role):
        return  # AWS's own roles: their policies are AWS's
    for policy in role.get("RolePolicyList") or []:
        yield {
            "role": role["RoleName"],
            "name": policy["PolicyName"],
            "policy": policy.get("PolicyDocument"),
        }


def _role_policy(item: Item, ctx: ScanContext) -> Item:
    return {"id": f"{item['role']}:{item['name']}", **item}


def _role_policy_id(attrs: Item) -> str:
    return f"{attrs.get('role') or ''}:{attrs.get('name') or ''}"


def _named_inline(attrs: Item, inline_policy: Any) -> bool:
    # a role's `inline_policy` blocks manage the policies they name, no others
    names = {b.get("name") for b in inline_policy or [] if isinstance(b, dict)}
    return attrs.get("name") in names


# --- aws_iam_user_policy_attachment -------------------------------------------------------


def _user_attachments(user: Item) -> Iterator[Item]:
    for policy in user.get("AttachedManagedPolicies") or []:
        yield {"user": user["UserName"], "policy_arn": policy["PolicyArn"]}


def _user_attachment(item: Item, ctx: ScanContext) -> Item:
    return {"id": _user_attachment_id(item), **item}


def _user_attachment_id(attrs: Item) -> str:
    # the state `id` is an opaque `<user>-<timestamp>`; `terraform import` takes user/ARN
    return f"{attrs.get('user') or ''}/{attrs.get('policy_arn') or ''}"


# --- aws_iam_user_group_membership --------------------------------------------------------


def _memberships(user: Item) -> Iterator[Item]:
    if user.get("GroupList"):
        yield {"user": user["UserName"], "groups": list(user["GroupList"])}


def _membership(item: Item, ctx: ScanContext) -> Item:
    return {"id": item["user"], **item}


def _user_of(attrs: Item) -> str:
    return str(attrs.get("user") or "")


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_iam_role_policy",
        service="iam",
        list_call=_details("RoleDetailList[]"),
        expand=_role_policies,
        normalize=_role_policy,
        compared=("role", "name", "policy"),
        left_out=common("id", "name_prefix"),
        identity=_role_policy_id,
        json_attributes=frozenset({"policy"}),
        parent="aws_iam_role",
        parent_identity=lambda attrs: str(attrs.get("role") or ""),
        inline_in_parent="inline_policy",
        inline_covers=_named_inline,
        is_global=True,
        import_id_format="role name:policy name, e.g. my-role:my-policy",
    ),
    ResourceSpec(
        type="aws_iam_user_policy_attachment",
        service="iam",
        list_call=_details("UserDetailList[]"),
        expand=_user_attachments,
        normalize=_user_attachment,
        compared=("user", "policy_arn"),
        left_out=common("id"),
        identity=_user_attachment_id,
        parent="aws_iam_user",
        parent_identity=_user_of,
        is_global=True,
        import_id_format=(
            "user name/policy ARN, e.g. alice/arn:aws:iam::123456789012:policy/my-policy"
        ),
    ),
    ResourceSpec(
        type="aws_iam_user_group_membership",
        service="iam",
        list_call=_details("UserDetailList[]"),
        expand=_memberships,
        normalize=_membership,
        compared=("user", "groups"),
        left_out=because(TERRAFORM_ONLY, "id"),
        identity=_user_of,
        import_id=lambda attrs: "/".join([_user_of(attrs), *sorted(attrs.get("groups") or [])]),
        extras_elsewhere={"groups": lambda group: group},
        parent="aws_iam_user",
        parent_identity=_user_of,
        is_global=True,
        import_id_format="user name/group/group..., e.g. alice/admins/developers",
    ),
]
