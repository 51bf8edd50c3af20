"""Secrets Manager secrets (`aws_secretsmanager_secret`), keyed and imported by their ARN.

ListSecrets answers name, description, KMS key and tags for every secret; the resource
policy needs one GetResourcePolicy each (AWS has no batch read). The secret's value is never
read. Secrets a service creates and owns (`OwningService`: RDS master passwords, ...) are
that service's: silent unless a state holds one. Secrets scheduled for deletion are not
listed (ListSecrets leaves them out unless asked).
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import NOT_YET, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags


def _secret(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    return {
        "id": item["ARN"],
        "arn": item["ARN"],
        "name": item["Name"],
        "description": item.get("Description") or "",
        "kms_key_id": item.get("KmsKeyId") or "",
        "policy": item.get("Policy") or "",
        "_owning_service": item.get("OwningService") or "",
    }


def _key(value: Any) -> Any:
    # the default key (aws/secretsmanager) is no key set
    return None if str(value or "") in ("", "alias/aws/secretsmanager") else value


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_secretsmanager_secret",
        service="secretsmanager",
        list_call=ListCall(operation="ListSecrets", items="SecretList[]"),
        calls=(
            Detail(
                operation="GetResourcePolicy",
                key={"SecretId": "ARN"},
                result="ResourcePolicy",
                into="Policy",
            ),
        ),
        tags=Tags(),
        normalize=_secret,
        compared=("name", "description", "kms_key_id", "policy", "tags"),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(TERRAFORM_ONLY, "force_overwrite_replica_secret", "recovery_window_in_days")
        | because(NOT_YET, "replica"),
        json_attributes=frozenset({"policy"}),
        value_forms={"kms_key_id": _key},
        is_aws_default=lambda attrs: bool(attrs.get("_owning_service")),
        import_id_format="secret ARN, e.g. arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    ),
]
