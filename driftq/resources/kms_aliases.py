"""KMS aliases (`aws_kms_alias`), keyed and imported by the alias name (`alias/...`).

ListAliases answers every alias of the region with its target key in one paginated call.
The reserved `alias/aws/*` aliases of AWS-managed keys are AWS's: silent unless a state
holds one. An alias of a key that is itself unmanaged is still reported: aliases are often
made by hand for keys made elsewhere.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec


def _alias(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    if not item.get("TargetKeyId"):
        return None  # an alias being created or of a deleted key: no target to compare
    return {
        "id": item["AliasName"],
        "name": item["AliasName"],
        "arn": item.get("AliasArn"),
        "target_key_id": item["TargetKeyId"],
    }


def _key_id(value: Any) -> Any:
    # the state may hold the key's ARN (as configured) where AWS answers its id
    return str(value or "").rsplit("key/", 1)[-1] or None


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_kms_alias",
        service="kms",
        list_call=ListCall(operation="ListAliases", items="Aliases[]"),
        normalize=_alias,
        compared=("target_key_id",),
        left_out=common("id", "region", "arn", "name_prefix")
        | because(IDENTITY, "name")
        | because(COMPUTED, "target_key_arn"),
        value_forms={"target_key_id": _key_id},
        is_aws_default=lambda attrs: str(attrs.get("name") or "").startswith("alias/aws/"),
        import_id_format="alias name, e.g. alias/my-key",
    ),
]
