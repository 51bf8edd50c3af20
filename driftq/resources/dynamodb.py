"""DynamoDB: tables (`aws_dynamodb_table`), keyed and imported by the table name.

AWS behaviours handled here:
- DescribeTable has no BillingModeSummary for tables never switched off PROVISIONED.
- On-demand tables report 0 capacity, as the state does; capacity is compared only for
  PROVISIONED tables, and not at all for a dimension Application Auto Scaling manages
  (it moves the capacity all day; Terraform users ignore_changes it).
- A global table (version 2019.11.21) is one table per region, each listing the others as
  `Replicas`; Terraform manages it from one region through `replica` blocks. The copies in
  the other regions are silent unless a state holds them (an `aws_dynamodb_table` there).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from driftq.passes.tags import tag_list_to_map
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec

_DENIED = frozenset({"AccessDenied", "AccessDeniedException"})


def _autoscaled(ctx: ScanContext) -> set[tuple[str, str]] | None:
    """(resource id, dimension) pairs under auto scaling; None when we may not ask."""

    def fetch() -> set[tuple[str, str]] | None:
        client = ctx.client("application-autoscaling")
        pages = client.get_paginator("describe_scalable_targets").paginate(
            ServiceNamespace="dynamodb"
        )
        try:
            return {
                (t["ResourceId"], t["ScalableDimension"])
                for page in pages
                for t in page.get("ScalableTargets") or []
            }
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _DENIED:
                return None
            raise

    return ctx.remember("dynamodb:autoscaled", fetch)


def _tags(ctx: ScanContext, arn: str) -> dict[str, str]:
    client = ctx.client("dynamodb")
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"ResourceArn": arn}
    while True:
        answer = client.list_tags_of_resource(**params)
        items.extend(answer.get("Tags") or [])
        if not answer.get("NextToken"):
            return tag_list_to_map(items)
        params["NextToken"] = answer["NextToken"]


def _table(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    try:
        table = ctx.client("dynamodb").describe_table(TableName=item["name"])["Table"]
        if table.get("TableStatus") == "DELETING":
            return None
        tags = _tags(ctx, table["TableArn"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None  # deleted between the listing and this call
        raise
    keys = {k["KeyType"]: k["AttributeName"] for k in table.get("KeySchema") or []}
    stream = table.get("StreamSpecification") or {}
    billing = (table.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    attrs: Attrs = {
        "id": table["TableName"],
        "name": table["TableName"],
        "arn": table["TableArn"],
        "billing_mode": billing,
        "hash_key": keys.get("HASH") or "",
        "range_key": keys.get("RANGE") or "",
        "attribute": [
            {"name": a["AttributeName"], "type": a["AttributeType"]}
            for a in table.get("AttributeDefinitions") or []
        ],
        "stream_enabled": bool(stream.get("StreamEnabled")),
        "stream_view_type": (stream.get("StreamViewType") or "")
        if stream.get("StreamEnabled")
        else "",
        "tags": tags,
        "_replica": bool(table.get("Replicas")),
    }
    if "DeletionProtectionEnabled" in table:
        attrs["deletion_protection_enabled"] = bool(table["DeletionProtectionEnabled"])
    if billing == "PROVISIONED":
        attrs.update(_capacity(ctx, table))
    return attrs


def _capacity(ctx: ScanContext, table: dict[str, Any]) -> Attrs:
    autoscaled = _autoscaled(ctx)
    if autoscaled is None:
        return {}  # unknown whether auto scaling moves it: comparing could only mislead
    throughput = table.get("ProvisionedThroughput") or {}
    resource = f"table/{table['TableName']}"
    out: Attrs = {}
    for attribute, api, dimension in (
        ("read_capacity", "ReadCapacityUnits", "dynamodb:table:ReadCapacityUnits"),
        ("write_capacity", "WriteCapacityUnits", "dynamodb:table:WriteCapacityUnits"),
    ):
        if (resource, dimension) not in autoscaled:
            out[attribute] = throughput.get(api)
    return out


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_dynamodb_table",
        service="dynamodb",
        list_call=ListCall(operation="list_tables", items="TableNames[].{name: @}"),
        normalize=_table,
        compared=(
            "billing_mode",
            "read_capacity",
            "write_capacity",
            "hash_key",
            "range_key",
            "attribute",
            "stream_enabled",
            "stream_view_type",
            "deletion_protection_enabled",
            "tags",
        ),
        is_aws_default=lambda attrs: bool(attrs.get("_replica")),
        import_id_format="table name, e.g. my-table",
    ),
]
