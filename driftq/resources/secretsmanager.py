"""Secrets Manager secrets (`aws_secretsmanager_secret`), keyed and imported by their ARN.

ListSecrets answers name, description, KMS key and tags for every secret; the resource
policy needs one GetResourcePolicy each (AWS has no batch read), and the replicas (only in
DescribeSecret's answer) one DescribeSecret for each secret a state holds. The secret's value is never
read. Secrets a service creates and owns (`OwningService`: RDS master passwords, ...) are
that service's: silent unless a state holds one. Secrets scheduled for deletion are not
listed (ListSecrets leaves them out unless asked).
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.owners import OWNERS
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags


def _secret(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    return (
        _replica_owner(item, ctx)
        | {
            "id": item["ARN"],
            "arn": item["ARN"],
            "name": item["Name"],
            "description": item.get("Description") or "",
            "kms_key_id": item.get("KmsKeyId") or "",
            "policy": item.get("Policy") or "",
            "_owning_service": item.get("OwningService") or "",
        }
        | _replicas(item)
    )


def _replica_owner(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    # a replica (listed in its own region, `PrimaryRegion` another) is its primary's: the
    # primary's `replica` block manages it, it is never unmanaged while that is in a state
    primary = item.get("PrimaryRegion")
    parts = str(item.get("ARN") or "").split(":")
    if not primary or primary == ctx.region or len(parts) < 7:
        return {}
    parts[3] = primary
    return {OWNERS: [("aws_secretsmanager_secret", ":".join(parts))]}


def _replicas(item: dict[str, Any]) -> Attrs:
    if "_Described" not in item:
        return {}  # not asked: a secret no state holds
    return {
        "replica": [
            {"region": r.get("Region") or "", "kms_key_id": r.get("KmsKeyId") or ""}
            for r in (item["_Described"] or {}).get("ReplicationStatus") or []
        ]
    }


def _replica_form(value: Any) -> Any:
    # each replica by its region and key (the default key as none); its status and last
    # access are AWS's
    return [
        {"region": b.get("region") or "", "kms_key_id": _key(b.get("kms_key_id")) or ""}
        if isinstance(b, dict)
        else b
        for b in value or []
    ]


def _in_state(item: dict[str, Any], ctx: ScanContext) -> bool:
    def compute() -> set[str]:
        secrets = ctx.state_attributes("aws_secretsmanager_secret", ctx.region)
        return {str(a.get("arn") or a.get("id") or "") for a in secrets}

    return str(item.get("ARN")) in ctx.remember("secretsmanager:in-state", compute)


def _key(value: Any) -> Any:
    # the default key (aws/secretsmanager) is no key set
    return None if str(value or "") in ("", "alias/aws/secretsmanager") else value


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_secretsmanager_secret",
        service="secretsmanager",
        list_call=ListCall(operation="ListSecrets", items="SecretList[]"),
        calls=(
            # a replica answers no policy of its own (AWS refuses the call outside the
            # primary's region): only primaries are asked
            Detail(
                operation="GetResourcePolicy",
                key={"SecretId": "ARN"},
                result="ResourcePolicy",
                into="Policy",
                when=lambda item, ctx: not _replica_owner(item, ctx),
            ),
            # DescribeSecret answers one secret: asked only for the secrets a state holds
            Detail(
                operation="DescribeSecret",
                key={"SecretId": "ARN"},
                into="_Described",
                when=_in_state,
            ),
        ),
        tags=Tags(),
        normalize=_secret,
        compared=("name", "description", "kms_key_id", "policy", "replica", "tags"),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(TERRAFORM_ONLY, "force_overwrite_replica_secret", "recovery_window_in_days"),
        json_attributes=frozenset({"policy"}),
        value_forms={"kms_key_id": _key, "replica": _replica_form},
        is_aws_default=lambda attrs: bool(attrs.get("_owning_service")),
        import_id_format="secret ARN, e.g. arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    ),
]
