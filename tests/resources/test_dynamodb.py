"""DynamoDB tables against a real moto server: one regional unit per account.

States are written the way the provider writes them: 5.x (tags_all with a provider default
tag, 0 capacity for on-demand tables) and 3.x (the driftctl fixture's shape).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.model import Finding, Unit, UnitResult
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

REGION = "us-east-1"
UNIT = Unit("test", REGION, "dynamodb")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only


# --- AWS side -----------------------------------------------------------------------------


def make_table(
    account: Any, name: str, capacity: tuple[int, int] | None = None, stream: str = ""
) -> str:
    """On demand without ``capacity``; a `pk` hash key and an `sk` range key."""
    extra: dict[str, Any] = {"BillingMode": "PAY_PER_REQUEST"}
    if capacity:
        extra = {
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {
                "ReadCapacityUnits": capacity[0],
                "WriteCapacityUnits": capacity[1],
            },
        }
    if stream:
        extra["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    tags = {"Name": name, **DEFAULT_TAGS}
    return account.client("dynamodb", REGION).create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        **extra,
    )["TableDescription"]["TableArn"]


# --- Terraform side -----------------------------------------------------------------------


def tf_table(
    account: Any,
    name: str,
    capacity: tuple[int, int] | None = None,
    stream: str = "",
    provider3: bool = False,
) -> dict[str, Any]:
    arn = f"arn:aws:dynamodb:{REGION}:{account.id}:table/{name}"
    attrs: dict[str, Any] = {
        "arn": arn,
        "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "N"}],
        "billing_mode": "PROVISIONED" if capacity else "PAY_PER_REQUEST",
        "global_secondary_index": [],
        "hash_key": "pk",
        "id": name,
        "local_secondary_index": [],
        "name": name,
        "point_in_time_recovery": [{"enabled": False}],
        "range_key": "sk",
        "read_capacity": capacity[0] if capacity else 0,
        "replica": [],
        "server_side_encryption": [],
        "stream_arn": f"{arn}/stream/2024-05-02T09:04:42.050" if stream else "",
        "stream_enabled": bool(stream),
        "stream_label": "2024-05-02T09:04:42.050" if stream else "",
        "stream_view_type": stream,
        "tags": {"Name": name},
        "timeouts": None,
        "ttl": [{"attribute_name": "", "enabled": False}],
        "write_capacity": capacity[1] if capacity else 0,
    }
    if provider3:
        attrs["tags"] = {"Name": name, **DEFAULT_TAGS}
        return attrs
    attrs.update(
        deletion_protection_enabled=False,
        import_table=[],
        on_demand_throughput=[],
        point_in_time_recovery=[{"enabled": False, "recovery_period_in_days": 0}],
        restore_date_time=None,
        restore_source_name=None,
        restore_source_table_arn=None,
        restore_to_latest_time=None,
        table_class="STANDARD",
        tags_all={"Name": name, **DEFAULT_TAGS},
    )
    return attrs


def scan(account: Any, tmp_path: Path, state: StateFile) -> UnitResult:
    return scan_ok(account, tmp_path, state, UNIT)


def by_key(result: UnitResult) -> dict[tuple[str, str], Finding]:
    return {(f.kind, f.resource_id): f for f in result.findings}


# --- tests --------------------------------------------------------------------------------


def test_matching_tables_are_silent(account: Any, tmp_path: Path) -> None:
    state = StateFile()
    for provider3 in (False, True):
        suffix = "-v3" if provider3 else "-v5"
        make_table(account, f"on-demand{suffix}")
        make_table(account, f"provisioned{suffix}", capacity=(5, 2), stream="NEW_AND_OLD_IMAGES")
        state.add(
            "aws_dynamodb_table",
            f"a{suffix}",
            tf_table(account, f"on-demand{suffix}", provider3=provider3),
        )
        state.add(
            "aws_dynamodb_table",
            f"b{suffix}",
            tf_table(account, f"provisioned{suffix}", (5, 2), "NEW_AND_OLD_IMAGES", provider3),
        )
    assert scan(account, tmp_path, state).findings == []


def test_missing_unmanaged_and_drifted(account: Any, tmp_path: Path) -> None:
    arn = make_table(account, "scores", capacity=(5, 5))
    make_table(account, "by-hand")
    make_table(account, "switched", capacity=(5, 5))
    client = account.client("dynamodb", REGION)
    client.update_table(
        TableName="scores",
        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
    )
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "Owner", "Value": "someone"}])
    client.update_table(TableName="switched", BillingMode="PAY_PER_REQUEST")
    state = (
        StateFile()
        .add("aws_dynamodb_table", "scores", tf_table(account, "scores", (5, 5)))
        .add("aws_dynamodb_table", "switched", tf_table(account, "switched", (5, 5)))
        .add("aws_dynamodb_table", "gone", tf_table(account, "gone"))
    )

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {
        ("drifted", "scores"),
        ("drifted", "switched"),
        ("missing", "gone"),
        ("unmanaged", "by-hand"),
    }
    assert changes(found["drifted", "scores"]) == {
        "read_capacity": (5, 10),
        "tags.Owner": (None, "someone"),
    }
    # on demand now: its capacity means nothing, the billing mode says it all
    assert changes(found["drifted", "switched"]) == {
        "billing_mode": ("PROVISIONED", "PAY_PER_REQUEST")
    }


def test_capacity_moved_by_auto_scaling_is_not_drift(account: Any, tmp_path: Path) -> None:
    make_table(account, "scaled", capacity=(5, 5))
    account.client("application-autoscaling", REGION).register_scalable_target(
        ServiceNamespace="dynamodb",
        ResourceId="table/scaled",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        MinCapacity=5,
        MaxCapacity=50,
    )
    # auto scaling raised reads; someone raised writes, which nothing scales
    account.client("dynamodb", REGION).update_table(
        TableName="scaled",
        ProvisionedThroughput={"ReadCapacityUnits": 40, "WriteCapacityUnits": 8},
    )
    state = StateFile().add("aws_dynamodb_table", "scaled", tf_table(account, "scaled", (5, 5)))

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {("drifted", "scaled")}
    assert changes(found["drifted", "scaled"]) == {"write_capacity": (5, 8)}
