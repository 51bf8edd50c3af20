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

from driftq.aws.errors import ACCESS_DENIED
from driftq.resources.attributes import (
    IDENTITY,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.documents import sole_statement
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, tagging_api

_GONE_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion"})
# rotation is not a question KMS answers for asymmetric, HMAC or imported keys
_NO_ROTATION = frozenset({"UnsupportedOperationException", "KMSInvalidStateException"})
_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:root$")
_BY_KEY = {"KeyId": "KeyId"}
# memo key: the ids of keys an `alias/aws/*` alias targets (a targeted read of one key fills
# it from that key's own aliases: driftq/events/narrow.py)
AWS_ALIAS_TARGETS = "kms:aws-alias-targets"


def _aws_alias_targets(ctx: ScanContext) -> set[str]:
    def fetch() -> set[str]:
        return {
            a["TargetKeyId"]
            for page in ctx.pages("kms", "ListAliases", {})
            for a in page.get("Aliases") or []
            if a.get("AliasName", "").startswith("alias/aws/") and a.get("TargetKeyId")
        }

    return ctx.remember(AWS_ALIAS_TARGETS, fetch)


def _not_ours(meta: dict[str, Any]) -> bool:
    """Deleted as far as Terraform is concerned, or another type's key."""
    return (
        meta.get("KeyState") in _GONE_STATES
        or meta.get("Origin") == "EXTERNAL"
        or (meta.get("MultiRegionConfiguration") or {}).get("MultiRegionKeyType") == "REPLICA"
    )


def _aws_managed(item: dict[str, Any], ctx: ScanContext) -> bool:
    meta = item.get("Metadata") or {}
    return meta.get("KeyManager") == "AWS" or item["KeyId"] in _aws_alias_targets(ctx)


def _customer_key(item: dict[str, Any], ctx: ScanContext) -> bool:
    """Whether the key's policy, rotation and tags are worth reading (AWS-managed keys are
    silent; unreadable, deleted and other types' keys are not compared)."""
    meta = item.get("Metadata")
    return meta is not None and not _not_ours(meta) and not _aws_managed(item, ctx)


def _readable(operation: str, result: str, into: str, **extra: Any) -> Detail:
    return Detail(
        operation=operation,
        key=_BY_KEY,
        result=result,
        into=into,
        unreadable=ACCESS_DENIED,
        when=_customer_key,
        **extra,
    )


def _key(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    key_id = item["KeyId"]
    meta = item.get("Metadata")
    if meta is None:
        return {"id": key_id, "key_id": key_id}  # exists; its settings are not ours to read
    if _not_ours(meta):
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
        "custom_key_store_id": meta.get("CustomKeyStoreId") or "",
        "xks_key_id": (meta.get("XksKeyConfiguration") or {}).get("Id") or "",
    }
    if _aws_managed(item, ctx):
        return {**attrs, "_aws_managed": True}  # silent: no need for the other calls
    if "Policy" in item:
        attrs["policy"] = item["Policy"]
    if "Rotation" in item:
        rotation = item["Rotation"] or {}
        attrs["enable_key_rotation"] = bool(rotation.get("KeyRotationEnabled"))
        attrs["rotation_period_in_days"] = rotation.get("RotationPeriodInDays") or 0
    return attrs


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
        list_call=ListCall(operation="ListKeys", items="Keys[]"),
        calls=(
            # a key policy may deny this scanner: the key still exists (ListKeys is governed
            # by IAM), but what we may not read is not compared
            Detail(
                operation="DescribeKey",
                key=_BY_KEY,
                result="KeyMetadata",
                into="Metadata",
                unreadable=ACCESS_DENIED,
            ),
            _readable("GetKeyPolicy", "Policy", "Policy", params={"PolicyName": "default"}),
            # no rotation answer (asymmetric, HMAC, imported keys): the state holds false
            _readable("GetKeyRotationStatus", "@", "Rotation", absent=_NO_ROTATION),
        ),
        # tags of every key in one listing per unit (the tagging API does not go through
        # the key policy)
        tags=tagging_api("kms:key", key="Metadata.Arn", when=_customer_key),
        normalize=_key,
        operations=("kms:ListAliases",),
        compared=(
            "description",
            "key_usage",
            "customer_master_key_spec",
            "is_enabled",
            "enable_key_rotation",
            "multi_region",
            "policy",
            "rotation_period_in_days",
            "custom_key_store_id",
            "xks_key_id",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "key_id")
        | because(TERRAFORM_ONLY, "bypass_policy_lockout_safety_check")
        | because(WRITE_ONLY, "deletion_window_in_days"),
        json_attributes=frozenset({"policy"}),
        value_forms={
            "policy": _unless_default,
            # 365 days is AWS's period; without rotation there is none (0 in the state)
            "rotation_period_in_days": lambda v: None if v in (None, "", 0, 365) else v,
        },
        is_aws_default=lambda attrs: bool(attrs.get("_aws_managed")),
        import_id_format="key id, e.g. 1234abcd-12ab-34cd-56ef-1234567890ab",
    ),
]
