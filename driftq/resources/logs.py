"""CloudWatch Logs log groups (`aws_cloudwatch_log_group`), keyed and imported by name.

DescribeLogGroups answers every setting in pages of 50; tags come from the Resource Groups
Tagging API (one listing per region) instead of a ListTagsForResource per group.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import IDENTITY, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, tagging_api


def _arn(item: dict[str, Any]) -> str:
    # `arn` ends in `:*`; `logGroupArn` (newer answers) does not
    return str(item.get("logGroupArn") or str(item.get("arn") or "").removesuffix(":*"))


def _log_group(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    return {
        "id": item["logGroupName"],
        "name": item["logGroupName"],
        "arn": _arn(item),
        "retention_in_days": item.get("retentionInDays") or 0,
        "kms_key_id": item.get("kmsKeyId") or "",
        "log_group_class": item.get("logGroupClass") or "STANDARD",
        "deletion_protection_enabled": bool(item.get("deletionProtectionEnabled")),
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_cloudwatch_log_group",
        service="logs",
        list_call=ListCall(operation="DescribeLogGroups", items="logGroups[]"),
        # the service as filter: `logs:log-group` is AWS's type name, emulators differ
        tags=tagging_api("logs", key=_arn),
        normalize=_log_group,
        compared=(
            "retention_in_days",
            "kms_key_id",
            "log_group_class",
            "deletion_protection_enabled",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(IDENTITY, "name")
        | because(TERRAFORM_ONLY, "skip_destroy"),
        value_forms={"log_group_class": lambda v: v or "STANDARD"},
        import_id_format="log group name, e.g. /aws/lambda/my-function",
    ),
]
