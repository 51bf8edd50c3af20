"""SSM parameters (`aws_ssm_parameter`), keyed and imported by their name.

DescribeParameters answers every parameter's metadata in pages of 50 and never its value:
driftq never reads a parameter's value (no GetParameter is allowed). A value changed by
hand still shows: AWS bumps the parameter's `version`, which the state records. Tags come
from the Resource Groups Tagging API (one listing per region).
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import IDENTITY, TERRAFORM_ONLY, WRITE_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, tagging_api


def _arn(item: dict[str, Any], ctx: ScanContext) -> str:
    name = str(item["Name"])
    path = name if name.startswith("/") else f"/{name}"
    return str(
        item.get("ARN")
        or f"arn:aws:ssm:{item.get('_region') or ctx.region}:{ctx.account_id}:parameter{path}"
    )


def _tag_key(item: dict[str, Any]) -> str:
    # `/app/x` and the ARN's `parameter/app/x`: the name without its leading slash
    return str(item["Name"]).lstrip("/")


def _tag_key_of_entry(entry: dict[str, Any]) -> str:
    return str(entry.get("ResourceARN") or "").split(":parameter/", 1)[-1]


def _parameter(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    secure = item.get("Type") == "SecureString"
    return {
        "id": item["Name"],
        "name": item["Name"],
        "arn": _arn(item, ctx),
        "type": item.get("Type"),
        "description": item.get("Description") or "",
        "allowed_pattern": item.get("AllowedPattern") or "",
        "tier": item.get("Tier") or "Standard",
        "data_type": item.get("DataType") or "text",
        "key_id": (item.get("KeyId") or "") if secure else "",
        "version": item.get("Version"),
    }


def _tier(value: Any) -> Any:
    # `Intelligent-Tiering` picks Standard or Advanced itself: what AWS answers is its choice
    return None if value in (None, "", "Standard", "Intelligent-Tiering") else value


def _key(value: Any) -> Any:
    return None if str(value or "") in ("", "alias/aws/ssm") else value


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ssm_parameter",
        service="ssm",
        list_call=ListCall(
            operation="DescribeParameters", items="Parameters[]", params={"MaxResults": 50}
        ),
        tags=tagging_api("ssm:parameter", key=_tag_key, on=_tag_key_of_entry),
        normalize=_parameter,
        compared=(
            "type",
            "description",
            "allowed_pattern",
            "tier",
            "data_type",
            "key_id",
            "version",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn")
        | because(IDENTITY, "name")
        # driftq never reads a parameter's value: a new value shows as a new `version`
        | because(
            WRITE_ONLY,
            "value",
            "insecure_value",
            "value_wo",
            "value_wo_version",
            "has_value_wo",
        )
        | because(TERRAFORM_ONLY, "overwrite"),
        value_forms={"tier": _tier, "key_id": _key},
        import_id_format="parameter name, e.g. /app/db/host",
    ),
]
