"""A table's secondary indexes (`global_secondary_index`, `local_secondary_index`) from the
DescribeTable answer the table spec reads anyway: no call of their own.

Both are sets in the provider: compared as multisets of blocks, `non_key_attributes` as a
set. A global index's capacity is compared like the table's: only for a PROVISIONED table,
and not for a dimension Application Auto Scaling manages (it moves all day): there the
state's own value stands in for AWS's, since a set of blocks cannot leave one member out.
The blocks' `on_demand_throughput`, `warm_throughput` and `key_schema` (provider 6) are not
compared: AWS fills warm throughput in by itself and the emulator answers none of them.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs

Item = dict[str, Any]

_GLOBAL_KEYS = (
    "name",
    "hash_key",
    "range_key",
    "projection_type",
    "non_key_attributes",
    "read_capacity",
    "write_capacity",
)
_LOCAL_KEYS = ("name", "range_key", "projection_type", "non_key_attributes")


def _keys(index: Item) -> dict[str, str]:
    return {k["KeyType"]: k["AttributeName"] for k in index.get("KeySchema") or []}


def _projection(index: Item) -> Item:
    projection = index.get("Projection") or {}
    return {
        "projection_type": projection.get("ProjectionType") or "",
        "non_key_attributes": sorted(projection.get("NonKeyAttributes") or []),
    }


def _state_capacity(ctx: ScanContext) -> dict[tuple[str, str], tuple[Any, Any]]:
    """(table, index) -> (read, write) capacity in the states' tables of this region."""

    def compute() -> dict[tuple[str, str], tuple[Any, Any]]:
        out: dict[tuple[str, str], tuple[Any, Any]] = {}
        for attrs in ctx.state_attributes("aws_dynamodb_table", ctx.region):
            for block in attrs.get("global_secondary_index") or []:
                if isinstance(block, dict):
                    key = (str(attrs.get("name")), str(block.get("name")))
                    out[key] = (block.get("read_capacity"), block.get("write_capacity"))
        return out

    return ctx.remember("dynamodb:state-index-capacity", compute)


def global_indexes(
    table: Item, ctx: ScanContext, provisioned: bool, autoscaled: set[tuple[str, str]] | None
) -> list[Item]:
    name = table["TableName"]
    out = []
    for index in table.get("GlobalSecondaryIndexes") or []:
        keys = _keys(index)
        throughput = index.get("ProvisionedThroughput") or {}
        block: Item = {
            "name": index["IndexName"],
            "hash_key": keys.get("HASH") or "",
            "range_key": keys.get("RANGE") or "",
            **_projection(index),
            # an on-demand table's indexes have no capacity: the provider writes 0
            "read_capacity": throughput.get("ReadCapacityUnits") or 0 if provisioned else 0,
            "write_capacity": throughput.get("WriteCapacityUnits") or 0 if provisioned else 0,
        }
        resource = f"table/{name}/index/{index['IndexName']}"
        for position, attribute, dimension in (
            (0, "read_capacity", "dynamodb:index:ReadCapacityUnits"),
            (1, "write_capacity", "dynamodb:index:WriteCapacityUnits"),
        ):
            if provisioned and (autoscaled is None or (resource, dimension) in autoscaled):
                # unknown or moved by auto scaling: the state's value, i.e. not compared
                stated = _state_capacity(ctx).get((name, index["IndexName"]))
                block[attribute] = stated[position] if stated else block[attribute]
        out.append(block)
    return out


def local_indexes(table: Item) -> list[Item]:
    return [
        {
            "name": index["IndexName"],
            "range_key": _keys(index).get("RANGE") or "",
            **_projection(index),
        }
        for index in table.get("LocalSecondaryIndexes") or []
    ]


def _form(keys: tuple[str, ...]) -> Any:
    def form(value: Any) -> Any:
        blocks = value if isinstance(value, list) else []
        return [
            {
                key: sorted(block.get(key) or []) if key == "non_key_attributes" else block.get(key)
                for key in keys
            }
            for block in blocks
            if isinstance(block, dict)
        ]

    return form


VALUE_FORMS = {
    "global_secondary_index": _form(_GLOBAL_KEYS),
    "local_secondary_index": _form(_LOCAL_KEYS),
}


def index_attributes(
    table: Item, ctx: ScanContext, provisioned: bool, autoscaled: set[tuple[str, str]] | None
) -> Attrs:
    return {
        "global_secondary_index": global_indexes(table, ctx, provisioned, autoscaled),
        "local_secondary_index": local_indexes(table),
    }
