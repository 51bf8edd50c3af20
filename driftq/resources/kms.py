"""KMS: customer managed keys (`aws_kms_key`), keyed and imported by the key id.

AWS behaviours handled here:
- AWS-managed keys (KeyManager `AWS`, the targets of the reserved `alias/aws/*` aliases) are
  made by AWS services in every account: silent unless a state holds one.
- A key scheduled for deletion (`PendingDeletion`) is gone as far as Terraform is concerned:
  the provider treats it as deleted, so it is missing, never unmanaged.
- Imported key material (Origin `EXTERNAL`) is an `aws_kms_external_key`, a multi-Region
  replica an `aws_kms_replica_key`: not this type.
- A key without a policy of its own gets AWS's default key policy (the account root may do
  everything): it compares as "none set".
- Rotation exists only for symmetric keys with AWS-made material; KMS refuses the question
  for the others, and the state then holds false.
- A key policy may deny this scanner: the key still exists (ListKeys is IAM-governed), but
  what it may not read is not compared rather than failing the whole unit.

`deletion_window_in_days` and `bypass_policy_lockout_safety_check` exist only in the state.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import ClientError

from driftq.passes.policy import sole_statement
from driftq.passes.tags import tag_list_to_map
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec

_GONE_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion"})
_DENIED = frozenset({"AccessDenied", "AccessDeniedException"})
# rotation is not a question KMS answers for asymmetric, HMAC or imported keys
_NO_ROTATION = frozenset({"UnsupportedOperationException", "KMSInvalidStateException"})
_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:root$")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code") or "")


def _aws_alias_targets(ctx: ScanContext) -> set[str]:
    def fetch() -> set[str]:
        pages = ctx.client("kms").get_paginator("list_aliases").paginate()
        return {
            a["TargetKeyId"]
            for page in pages
            for a in page.get("Aliases") or []
            if a.get("AliasName", "").startswith("alias/aws/") and a.get("TargetKeyId")
        }

    return ctx.remember("kms:aws-alias-targets", fetch)


def _key(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    key_id = item["KeyId"]
    client = ctx.client("kms")
    try:
        meta = client.describe_key(KeyId=key_id)["KeyMetadata"]
    except ClientError as exc:
        if _code(exc) == "NotFoundException":
            return None
        if _code(exc) in _DENIED:
            return {"id": key_id, "key_id": key_id}  # exists; its settings are not ours to read
        raise
    if meta.get("KeyState") in _GONE_STATES or meta.get("Origin") == "EXTERNAL":
        return None
    if (meta.get("MultiRegionConfiguration") or {}).get("MultiRegionKeyType") == "REPLICA":
        return None
    attrs: Attrs = {
        "id": key_id,
        "key_id": key_id,
        "arn": meta.get("Arn"),
        "description": meta.get("Description") or "",
        "key_usage": meta.get("KeyUsage"),
        "customer_master_key_spec": meta.get("KeySpec") or meta.get("CustomerMasterKeySpec"),
        "is_enabled": bool(meta.get("Enabled")),
        "multi_region": bool(meta.get("MultiRegion")),
    }
    if meta.get("KeyManager") == "AWS" or key_id in _aws_alias_targets(ctx):
        return {**attrs, "_aws_managed": True}  # silent: no need for the other calls
    attrs.update(_readable(ctx, key_id))
    return attrs


def _readable(ctx: ScanContext, key_id: str) -> Attrs:
    """Policy, rotation and tags: each left out when the key's policy denies reading it."""
    client = ctx.client("kms")
    out: Attrs = {}
    try:
        out["policy"] = client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    except ClientError as exc:
        if _code(exc) not in _DENIED:
            raise
    try:
        out["enable_key_rotation"] = bool(
            client.get_key_rotation_status(KeyId=key_id).get("KeyRotationEnabled")
        )
    except ClientError as exc:
        if _code(exc) in _NO_ROTATION:
            out["enable_key_rotation"] = False
        elif _code(exc) not in _DENIED:
            raise
    try:
        pages = client.get_paginator("list_resource_tags").paginate(KeyId=key_id)
        items = [t for page in pages for t in page.get("Tags") or []]
        out["tags"] = tag_list_to_map(items, key="TagKey", value="TagValue")
    except ClientError as exc:
        if _code(exc) not in _DENIED:
            raise
    return out


def is_default_key_policy(value: Any) -> bool:
    """Whether ``value`` is the key policy AWS writes when none is given."""
    statement = sole_statement(value, "key-default-1")
    if statement is None:
        return False
    principal = statement.get("Principal")
    root = principal.get("AWS") if isinstance(principal, dict) else None
    action = statement.get("Action")
    resource = statement.get("Resource")
    return (
        statement.get("Effect") == "Allow"
        and set(statement) <= {"Sid", "Effect", "Principal", "Action", "Resource"}
        and isinstance(root, str)
        and bool(_ROOT.match(root))
        and action in ("kms:*", ["kms:*"])
        and resource in ("*", ["*"])
    )


def _unless_default(value: Any) -> Any:
    return None if is_default_key_policy(value) else value


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_kms_key",
        service="kms",
        list_call=ListCall(operation="list_keys", items="Keys[]"),
        normalize=_key,
        compared=(
            "description",
            "key_usage",
            "customer_master_key_spec",
            "is_enabled",
            "enable_key_rotation",
            "multi_region",
            "policy",
            "tags",
        ),
        json_attributes=frozenset({"policy"}),
        value_forms={"policy": _unless_default},
        is_aws_default=lambda attrs: bool(attrs.get("_aws_managed")),
        import_id_format="key id, e.g. 1234abcd-12ab-34cd-56ef-1234567890ab",
    ),
]
