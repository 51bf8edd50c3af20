"""DynamoDB: tables (`aws_dynamodb_table`), keyed and imported by the table name.

AWS behaviours handled here:
- DescribeTable has no BillingModeSummary for tables never switched off PROVISIONED.
- On-demand tables report 0 capacity, as the state does; capacity is compared only for
  PROVISIONED tables, and not at all for a dimension Application Auto Scaling manages
  (it moves the capacity all day; Terraform users ignore_changes it).
- A global table (version 2019.11.21) is one table per region, each listing the others as
  `Replicas`; Terraform manages it from one region through `replica` blocks. The copies in
  the other regions are silent unless a state holds them (an `aws_dynamodb_table` there).
- Secondary indexes come from DescribeTable (``dynamodb_indexes.py``).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import ACCESS_DENIED, error_code
from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_EMULATED,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.dynamodb_indexes import VALUE_FORMS as INDEX_FORMS
from driftq.resources.dynamodb_indexes import index_attributes
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags

_AUTOSCALING = "application-autoscaling"


def _autoscaled(ctx: ScanContext) -> set[tuple[str, str]] | None:
    """(resource id, dimension) pairs under auto scaling; None when we may not ask."""

    def fetch() -> set[tuple[str, str]] | None:
        try:
            pages = ctx.pages(
                _AUTOSCALING, "DescribeScalableTargets", {"ServiceNamespace": "dynamodb"}
            )
        except ClientError as exc:
            if error_code(exc) in ACCESS_DENIED:
                return None
            raise
        return {
            (t["ResourceId"], t["ScalableDimension"])
            for page in pages
            for t in page.get("ScalableTargets") or []
        }

    return ctx.remember("dynamodb:autoscaled", fetch)


def _table(table: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    if table.get("TableStatus") == "DELETING":
        return None
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
        "_replica": bool(table.get("Replicas")),
    }
    attrs["table_class"] = (table.get("TableClassSummary") or {}).get("TableClass") or "STANDARD"
    sse = table.get("SSEDescription") or {}
    attrs["server_side_encryption"] = (
        [{"enabled": True, "kms_key_arn": sse.get("KMSMasterKeyArn") or ""}]
        if sse.get("Status") in ("ENABLED", "ENABLING", "UPDATING")
        else []
    )
    if "TimeToLive" in table:
        ttl = table["TimeToLive"] or {}
        on = ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        attrs["ttl"] = [{"attribute_name": ttl.get("AttributeName") or "", "enabled": on}]
    if "Backups" in table:
        pitr = (table["Backups"] or {}).get("PointInTimeRecoveryDescription") or {}
        on = pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
        block: Attrs = {"enabled": on}
        if on and pitr.get("RecoveryPeriodInDays"):
            block["recovery_period_in_days"] = pitr["RecoveryPeriodInDays"]
        attrs["point_in_time_recovery"] = [block]
    if "DeletionProtectionEnabled" in table:
        attrs["deletion_protection_enabled"] = bool(table["DeletionProtectionEnabled"])
    warm = table.get("WarmThroughput") or {}
    attrs["warm_throughput"] = (
        [
            {
                "read_units_per_second": warm.get("ReadUnitsPerSecond") or 0,
                "write_units_per_second": warm.get("WriteUnitsPerSecond") or 0,
            }
        ]
        if warm
        else []
    )
    if billing == "PROVISIONED":
        attrs.update(_capacity(ctx, table))
    provisioned = billing == "PROVISIONED"
    autoscaled = _autoscaled(ctx) if provisioned else set()
    return attrs | index_attributes(table, ctx, provisioned, autoscaled)


_WARM = ("read_units_per_second", "write_units_per_second")


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return float("nan")  # not a number: never "at least"


def _warm_enough(expected: Any, actual: Any) -> bool:
    """AWS raises a table's warm throughput by itself as its traffic grows (and never
    lowers it); 6.x states copy whatever AWS had. More than the state is AWS's growth, or
    a raise no state can tell from it; less than the state (a table re-made by hand, a
    pre-warm not applied) is drift."""
    wanted = next((b for b in expected or [] if isinstance(b, dict)), None)
    if wanted is None:
        return not any(not isinstance(b, dict) for b in expected or [])
    have = next((b for b in actual or [] if isinstance(b, dict)), {})
    return all(_number(have.get(k)) >= _number(wanted.get(k)) for k in _WARM)


def _unless_disabled(value: Any) -> Any:
    # the provider writes `[{enabled = false, ...}]` for a setting that is off: not set
    blocks = value if isinstance(value, list) else []
    return [b for b in blocks if isinstance(b, dict) and b.get("enabled") in (True, "true")]


def _table_class(value: Any) -> Any:
    # older states leave it empty: the class every table has unless told otherwise
    return value or "STANDARD"


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
        list_call=ListCall(operation="ListTables", items="TableNames[].{TableName: @}"),
        calls=(
            Detail(operation="DescribeTable", key={"TableName": "TableName"}, result="Table"),
            # no batch form exists for either
            Detail(
                operation="DescribeTimeToLive",
                key={"TableName": "TableName"},
                result="TimeToLiveDescription",
                into="TimeToLive",
                when=lambda table, ctx: table.get("TableStatus") != "DELETING",
            ),
            Detail(
                operation="DescribeContinuousBackups",
                key={"TableName": "TableName"},
                result="ContinuousBackupsDescription",
                into="Backups",
                gone=frozenset({"TableNotFoundException"}),
                when=lambda table, ctx: table.get("TableStatus") != "DELETING",
            ),
        ),
        tags=Tags(
            call=Detail(
                operation="ListTagsOfResource",
                key={"ResourceArn": "TableArn"},
                paginated=True,
                result="Tags",
                into="Tags",
                when=lambda table, ctx: table.get("TableStatus") != "DELETING",
            )
        ),
        normalize=_table,
        operations=("application-autoscaling:DescribeScalableTargets",),
        compared=(
            "billing_mode",
            "read_capacity",
            "write_capacity",
            "hash_key",
            "range_key",
            "attribute",
            "global_secondary_index",
            "local_secondary_index",
            "stream_enabled",
            "stream_view_type",
            "deletion_protection_enabled",
            "ttl",
            "point_in_time_recovery",
            "server_side_encryption",
            "table_class",
            "warm_throughput",
            "tags",
        ),
        equal_when={"warm_throughput": _warm_enough},
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "name")
        | because(COMPUTED, "stream_arn", "stream_label")
        | because(
            WRITE_ONLY,
            "import_table",
            "restore_date_time",
            "restore_source_name",
            "restore_source_table_arn",
            "restore_to_latest_time",
        )
        | because(
            # the emulator answers no OnDemandThroughput, witness or replica description
            NOT_EMULATED,
            "global_table_witness",
            "on_demand_throughput",
            "replica",
        ),
        value_forms={
            "ttl": _unless_disabled,
            "point_in_time_recovery": _unless_disabled,
            "server_side_encryption": _unless_disabled,
            "table_class": _table_class,
            **INDEX_FORMS,
        },
        is_aws_default=lambda attrs: bool(attrs.get("_replica")),
        import_id_format="table name, e.g. my-table",
    ),
]
