"""RDS: DB subnet groups (`aws_db_subnet_group`), keyed and imported by name.

DescribeDBSubnetGroups answers every setting in pages of 100; tags need one
ListTagsForResource per group (the Resource Groups Tagging API does not list subnet
groups). The `default` group AWS makes in every VPC that had an instance is AWS's: silent
unless a state holds it.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags


def _subnet_group(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    return {
        "id": item["DBSubnetGroupName"],
        "name": item["DBSubnetGroupName"],
        "arn": item.get("DBSubnetGroupArn"),
        "description": item.get("DBSubnetGroupDescription") or "",
        "vpc_id": item.get("VpcId"),
        "subnet_ids": [s["SubnetIdentifier"] for s in item.get("Subnets") or []],
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_db_subnet_group",
        service="rds",
        list_call=ListCall(operation="DescribeDBSubnetGroups", items="DBSubnetGroups[]"),
        tags=Tags(
            path="Tags",
            call=Detail(
                operation="ListTagsForResource",
                key={"ResourceName": "DBSubnetGroupArn"},
                result="TagList",
                into="Tags",
            ),
        ),
        normalize=_subnet_group,
        compared=("description", "subnet_ids", "tags"),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(IDENTITY, "name")
        | because(COMPUTED, "vpc_id", "supported_network_types"),
        is_aws_default=lambda attrs: attrs.get("name") == "default",
        import_id_format="subnet group name, e.g. app-db",
    ),
]
