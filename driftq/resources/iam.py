"""IAM (global: one unit per account): roles, customer-managed policies, users, and roles'
managed-policy attachments.

One paginated GetAccountAuthorizationDetails answers, for every role, user and
customer-managed policy, what would otherwise take a Get call each (tags, permissions
boundaries, attachments, every policy version's document); it is sent once per unit and
shared by the four specs. It leaves out a role's description and maximum session duration,
which ListRoles has, and a policy's tags (one ListPolicyTags per policy).

What AWS makes stays silent. AWS-managed policies are never listed (the filter asks for
local ones). Service-linked roles (path `/aws-service-role/`) and IAM Identity Center roles
(`/aws-reserved/`) are AWS defaults, silent unless a state holds them; AWS refuses customer
attachments on them, so their attachments are not listed at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.passes.policy import canonical_policy
from driftq.resources.attributes import (
    COMPUTED,
    TERRAFORM_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.spec import Detail, Join, ListCall, ResourceSpec, Tags

Item = dict[str, Any]

# paths of roles AWS creates and owns: service-linked roles and Identity Center (SSO) roles
_AWS_OWNED_PATHS = ("/aws-service-role/", "/aws-reserved/")
_FILTER = {"Filter": ["Role", "User", "Group", "LocalManagedPolicy"]}


def _details(items: str) -> ListCall:
    return ListCall(operation="GetAccountAuthorizationDetails", items=items, params=_FILTER)


def _aws_owned(attrs: Item) -> bool:
    return str(attrs.get("path") or attrs.get("Path") or "").startswith(_AWS_OWNED_PATHS)


def _boundary(item: Item) -> str:
    return str((item.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn") or "")


# --- aws_iam_role -------------------------------------------------------------------------


def _role(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["RoleName"],
        "name": item["RoleName"],
        "arn": item.get("Arn"),
        "unique_id": item.get("RoleId"),
        "path": item.get("Path"),
        "description": item.get("Description") or "",
        "assume_role_policy": item.get("AssumeRolePolicyDocument"),
        "max_session_duration": item.get("MaxSessionDuration"),
        "permissions_boundary": _boundary(item),
        "inline_policy": [
            {"name": p.get("PolicyName"), "policy": p.get("PolicyDocument")}
            for p in item.get("RolePolicyList") or []
        ],
        "managed_policy_arns": [
            p["PolicyArn"] for p in item.get("AttachedManagedPolicies") or [] if p.get("PolicyArn")
        ],
    }


def _inline_policies(value: Any) -> Any:
    # the provider writes `inline_policy = [{name = "", policy = ""}]` for a role without
    # any: no policy at all; documents compare by meaning (JSON string, URL-encoded or dict)
    blocks = value if isinstance(value, list) else []
    return sorted(
        (
            {"name": b.get("name"), "policy": canonical_policy(b.get("policy"))}
            for b in blocks
            if isinstance(b, dict) and b.get("name")
        ),
        key=lambda b: str(b["name"]),
    )


# --- aws_iam_policy -----------------------------------------------------------------------


def _policy(item: Item, ctx: ScanContext) -> Item:
    default = [v for v in item.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")]
    return {
        "id": item["Arn"],
        "arn": item["Arn"],
        # AWS names the policy; some emulators leave the name out: it ends the ARN
        "name": item.get("PolicyName") or item["Arn"].rsplit("/", 1)[-1],
        "policy_id": item.get("PolicyId"),
        "path": item.get("Path"),
        "description": item.get("Description") or "",
        "policy": default[0].get("Document") if default else None,
    }


# --- aws_iam_user -------------------------------------------------------------------------


def _user(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["UserName"],
        "name": item["UserName"],
        "arn": item.get("Arn"),
        "unique_id": item.get("UserId"),
        "path": item.get("Path"),
        "permissions_boundary": _boundary(item),
    }


# --- aws_iam_role_policy_attachment -------------------------------------------------------


def _attached(role: Item) -> Iterator[Item]:
    if _aws_owned(role):
        return
    for policy in role.get("AttachedManagedPolicies") or []:
        yield {"role": role["RoleName"], "policy_arn": policy["PolicyArn"]}


def _attachment(item: Item, ctx: ScanContext) -> Item:
    return {"id": _attachment_id(item), "role": item["role"], "policy_arn": item["policy_arn"]}


def _attachment_id(attrs: Item) -> str:
    # the state `id` is an opaque `<role>-<timestamp>`: both sides are keyed on role/policy,
    # which is also what `terraform import` takes
    return f"{attrs.get('role') or ''}/{attrs.get('policy_arn') or ''}"


def _listed_in_managed_policy_arns(attrs: Item, managed_policy_arns: Any) -> bool:
    # provider >= 3.38 records a role's attachments in `managed_policy_arns` (exclusive
    # management when configured): those it lists are the role's own, not unmanaged ones
    return attrs.get("policy_arn") in (managed_policy_arns or ())


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_iam_role",
        service="iam",
        list_call=ListCall(operation="ListRoles", items="Roles[]"),
        # tags and permissions boundary (a role listed but gone from the details was
        # deleted in between)
        calls=(Join(source=_details("RoleDetailList[]"), on="RoleName", key="RoleName"),),
        tags=Tags(),
        normalize=_role,
        compared=(
            "name",
            "path",
            "description",
            "assume_role_policy",
            "max_session_duration",
            "permissions_boundary",
            "inline_policy",
            "managed_policy_arns",
            "tags",
        ),
        left_out=common("id", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "create_date", "unique_id")
        | because(TERRAFORM_ONLY, "force_detach_policies"),
        json_attributes=frozenset({"assume_role_policy"}),
        value_forms={"inline_policy": _inline_policies},
        # exclusive only when set; when a state holds aws_iam_role_policy(_attachment)
        # resources for the role, these copies are stale and compared there instead
        # (passes/separate_settings.py); when empty, a policy added by hand is reported as
        # an unmanaged aws_iam_role_policy(_attachment)
        compared_when_set=frozenset({"inline_policy", "managed_policy_arns"}),
        extras_elsewhere={
            "inline_policy": lambda block: block.get("name"),
            "managed_policy_arns": lambda arn: arn,
        },
        is_aws_default=_aws_owned,
        is_global=True,
        import_id_format="role name, e.g. my-role",
    ),
    ResourceSpec(
        type="aws_iam_policy",
        service="iam",
        list_call=_details("Policies[]"),
        tags=Tags(
            call=Detail(
                operation="ListPolicyTags",
                key={"PolicyArn": "Arn"},
                paginated=True,
                result="Tags",
                into="Tags",
            )
        ),
        normalize=_policy,
        compared=("name", "path", "description", "policy", "tags"),
        left_out=common("id", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "attachment_count", "policy_id"),
        json_attributes=frozenset({"policy"}),
        is_global=True,
        import_id_format="policy ARN, e.g. arn:aws:iam::123456789012:policy/my-policy",
    ),
    ResourceSpec(
        type="aws_iam_user",
        service="iam",
        list_call=_details("UserDetailList[]"),
        tags=Tags(),
        normalize=_user,
        compared=("name", "path", "permissions_boundary", "tags"),
        left_out=common("id", "tags_all", "arn")
        | because(COMPUTED, "unique_id")
        | because(TERRAFORM_ONLY, "force_destroy"),
        is_global=True,
        import_id_format="user name, e.g. alice",
    ),
    ResourceSpec(
        type="aws_iam_role_policy_attachment",
        service="iam",
        list_call=_details("RoleDetailList[]"),
        expand=_attached,
        normalize=_attachment,
        compared=("role", "policy_arn"),
        left_out=common("id"),
        identity=_attachment_id,
        parent="aws_iam_role",
        parent_identity=lambda attrs: str(attrs.get("role") or ""),
        inline_in_parent="managed_policy_arns",
        inline_covers=_listed_in_managed_policy_arns,
        is_global=True,
        import_id_format=(
            "role name/policy ARN, e.g. my-role/arn:aws:iam::123456789012:policy/my-policy"
        ),
    ),
]
