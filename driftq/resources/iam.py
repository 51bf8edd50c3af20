"""IAM (global: one unit per account): roles, customer-managed policies, users, and roles'
managed-policy attachments.

What AWS makes stays silent. AWS-managed policies are never listed (`Scope=Local`).
Service-linked roles (path `/aws-service-role/`) and IAM Identity Center roles
(`/aws-reserved/`) are AWS defaults, silent unless a state holds them; AWS refuses customer
attachments on them, so their attachments are not listed at all. ListRoles, ListUsers and
ListPolicies leave out tags, permissions boundaries and policy descriptions, so each resource
costs one Get call (plus GetPolicyVersion for a policy's default document, and one
ListAttachedRolePolicies per role for attachments); the role listing is shared between the
role and attachment specs through ``ctx.remember``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from driftq.passes.tags import tag_list_to_map
from driftq.resources.context import ScanContext
from driftq.resources.spec import ResourceSpec

Item = dict[str, Any]

# paths of roles AWS creates and owns: service-linked roles and Identity Center (SSO) roles
_AWS_OWNED_PATHS = ("/aws-service-role/", "/aws-reserved/")


def _aws_owned(attrs: Item) -> bool:
    return str(attrs.get("path") or attrs.get("Path") or "").startswith(_AWS_OWNED_PATHS)


def _gone(exc: ClientError) -> bool:
    # listed a moment ago, deleted since: it is simply not there any more
    return exc.response.get("Error", {}).get("Code") == "NoSuchEntity"


def _pages(ctx: ScanContext, operation: str, key: str, **params: Any) -> list[Item]:
    paginator = ctx.client("iam").get_paginator(operation)
    return [item for page in paginator.paginate(**params) for item in page.get(key) or []]


def _get(call: Callable[..., Item], key: str, **params: Any) -> Item | None:
    try:
        return call(**params)[key]  # type: ignore[no-any-return]
    except ClientError as exc:
        if _gone(exc):
            return None
        raise


def _boundary(item: Item) -> str:
    return str((item.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn") or "")


# --- aws_iam_role -------------------------------------------------------------------------


def _role_list(ctx: ScanContext) -> list[Item]:
    return ctx.remember("iam.roles", lambda: _pages(ctx, "list_roles", "Roles"))


def _roles(ctx: ScanContext) -> Iterator[Item]:
    iam = ctx.client("iam")
    for listed in _role_list(ctx):
        if _aws_owned(listed):
            yield listed  # silent unless in a state: no GetRole call for its tags
            continue
        role = _get(iam.get_role, "Role", RoleName=listed["RoleName"])
        if role is not None:
            yield role


def _role(item: Item, ctx: ScanContext) -> Item:
    attrs: Item = {
        "id": item["RoleName"],
        "name": item["RoleName"],
        "arn": item.get("Arn"),
        "unique_id": item.get("RoleId"),
        "path": item.get("Path"),
        "description": item.get("Description") or "",
        "assume_role_policy": item.get("AssumeRolePolicyDocument"),
        "max_session_duration": item.get("MaxSessionDuration"),
    }
    if not _aws_owned(item):
        # only GetRole returns these; an attribute left out is not compared
        attrs["permissions_boundary"] = _boundary(item)
        attrs["tags"] = tag_list_to_map(item.get("Tags"))
    return attrs


# --- aws_iam_policy -----------------------------------------------------------------------


def _policies(ctx: ScanContext) -> Iterator[Item]:
    iam = ctx.client("iam")
    for listed in _pages(ctx, "list_policies", "Policies", Scope="Local"):
        # twice at most: a new default version may replace (and delete) the one just read
        for _ in range(2):
            policy = _get(iam.get_policy, "Policy", PolicyArn=listed["Arn"])
            if policy is None:
                break
            version = _get(
                iam.get_policy_version,
                "PolicyVersion",
                PolicyArn=policy["Arn"],
                VersionId=policy["DefaultVersionId"],
            )
            if version is not None:
                yield {**policy, "Document": version.get("Document")}
                break


def _policy(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["Arn"],
        "arn": item["Arn"],
        "name": item.get("PolicyName"),
        "policy_id": item.get("PolicyId"),
        "path": item.get("Path"),
        "description": item.get("Description") or "",
        "policy": item.get("Document"),
        "tags": tag_list_to_map(item.get("Tags")),
    }


# --- aws_iam_user -------------------------------------------------------------------------


def _users(ctx: ScanContext) -> Iterator[Item]:
    iam = ctx.client("iam")
    for listed in _pages(ctx, "list_users", "Users"):
        user = _get(iam.get_user, "User", UserName=listed["UserName"])
        if user is not None:
            yield user


def _user(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["UserName"],
        "name": item["UserName"],
        "arn": item.get("Arn"),
        "unique_id": item.get("UserId"),
        "path": item.get("Path"),
        "permissions_boundary": _boundary(item),
        "tags": tag_list_to_map(item.get("Tags")),
    }


# --- aws_iam_role_policy_attachment -------------------------------------------------------


def _attachments(ctx: ScanContext) -> Iterator[Item]:
    for role in _role_list(ctx):
        if _aws_owned(role):
            continue
        try:
            attached = _pages(
                ctx, "list_attached_role_policies", "AttachedPolicies", RoleName=role["RoleName"]
            )
        except ClientError as exc:
            if _gone(exc):
                continue
            raise
        for policy in attached:
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
        enumerate=_roles,
        normalize=_role,
        compared=(
            "name",
            "path",
            "description",
            "assume_role_policy",
            "max_session_duration",
            "permissions_boundary",
            "tags",
        ),
        json_attributes=frozenset({"assume_role_policy"}),
        is_aws_default=_aws_owned,
        is_global=True,
        import_id_format="role name, e.g. my-role",
    ),
    ResourceSpec(
        type="aws_iam_policy",
        service="iam",
        enumerate=_policies,
        normalize=_policy,
        compared=("name", "path", "description", "policy", "tags"),
        json_attributes=frozenset({"policy"}),
        is_global=True,
        import_id_format="policy ARN, e.g. arn:aws:iam::123456789012:policy/my-policy",
    ),
    ResourceSpec(
        type="aws_iam_user",
        service="iam",
        enumerate=_users,
        normalize=_user,
        compared=("name", "path", "permissions_boundary", "tags"),
        is_global=True,
        import_id_format="user name, e.g. alice",
    ),
    ResourceSpec(
        type="aws_iam_role_policy_attachment",
        service="iam",
        enumerate=_attachments,
        normalize=_attachment,
        compared=("role", "policy_arn"),
        identity=_attachment_id,
        parent="aws_iam_role",
        parent_identity=lambda attrs: str(attrs.get("role") or ""),
        inline_in_parent="managed_policy_arns",
        inline_covers=_listed_in_managed_policy_arns,
        has_tags=False,
        is_global=True,
        import_id_format=(
            "role name/policy ARN, e.g. my-role/arn:aws:iam::123456789012:policy/my-policy"
        ),
    ),
]
