"""A table's secondary indexes (``dynamodb_indexes.py``) against a real moto server: sets of
blocks compared by meaning, a changed index found at its attribute, a global index's
capacity left alone where auto scaling moves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.resources.test_dynamodb import DEFAULT_TAGS, REGION, UNIT, tf_table
from tests.support.estate import StateFile, unique
from tests.support.scanning import changes, scan_ok

INDEX_ATTRIBUTES = [
    {"AttributeName": "status", "AttributeType": "S"},
    {"AttributeName": "created", "AttributeType": "N"},
]
TF_INDEX_ATTRIBUTES = [{"name": "status", "type": "S"}, {"name": "created", "type": "N"}]


def make_indexed_table(account: Any, name: str) -> None:
    """A provisioned (5, 5) table with a stream, a global index `by-status` (2, 2; INCLUDE
    two attributes) and a local index `by-created` (KEYS_ONLY)."""
    account.client("dynamodb", REGION).create_table(
        TableName=name,
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            *INDEX_ATTRIBUTES,
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-created",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "created", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        Tags=[{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()],
    )


# as provider 6.x writes them: sets (here in another order), 6.x's extra members filled in
TF_INDEXES: dict[str, Any] = {
    "global_secondary_index": [
        {
            "name": "by-status",
            "hash_key": "status",
            "range_key": "sk",
            "projection_type": "INCLUDE",
            "non_key_attributes": ["b", "a"],
            "read_capacity": 2,
            "write_capacity": 2,
            "key_schema": [],
            "on_demand_throughput": [],
            "warm_throughput": [{"read_units_per_second": 12000, "write_units_per_second": 4000}],
        }
    ],
    "local_secondary_index": [
        {
            "name": "by-created",
            "range_key": "created",
            "projection_type": "KEYS_ONLY",
            "non_key_attributes": [],
        }
    ],
}


def _state(account: Any, name: str) -> StateFile:
    attrs = {**tf_table(account, name, (5, 5), "NEW_IMAGE"), **TF_INDEXES}
    attrs["attribute"] = [*attrs["attribute"], *TF_INDEX_ATTRIBUTES]
    return StateFile().add("aws_dynamodb_table", "t", attrs)


def test_indexes_match_then_drift(account: Any, tmp_path: Path) -> None:
    name = unique("indexed")
    make_indexed_table(account, name)
    state = _state(account, name)
    assert scan_ok(account, tmp_path, state, UNIT).findings == []

    account.client("dynamodb", REGION).update_table(
        TableName=name,
        GlobalSecondaryIndexUpdates=[
            {
                "Update": {
                    "IndexName": "by-status",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 9, "WriteCapacityUnits": 2},
                }
            }
        ],
    )
    (finding,) = scan_ok(account, tmp_path, state, UNIT).findings
    changed = changes(finding)
    assert list(changed) == ["global_secondary_index"]
    assert changed["global_secondary_index"][1][0]["read_capacity"] == 9


def test_an_index_the_state_does_not_have_is_drift(account: Any, tmp_path: Path) -> None:
    name = unique("extra-index")
    make_indexed_table(account, name)
    attrs = {**tf_table(account, name, (5, 5), "NEW_IMAGE"), **TF_INDEXES}
    attrs["attribute"] = [*attrs["attribute"], *TF_INDEX_ATTRIBUTES]
    attrs["local_secondary_index"] = []
    state = StateFile().add("aws_dynamodb_table", "t", attrs)
    (finding,) = scan_ok(account, tmp_path, state, UNIT).findings
    assert list(changes(finding)) == ["local_secondary_index"]


def test_index_capacity_moved_by_auto_scaling_is_not_drift(account: Any, tmp_path: Path) -> None:
    name = unique("scaled-index")
    make_indexed_table(account, name)
    account.client("application-autoscaling", REGION).register_scalable_target(
        ServiceNamespace="dynamodb",
        ResourceId=f"table/{name}/index/by-status",
        ScalableDimension="dynamodb:index:ReadCapacityUnits",
        MinCapacity=1,
        MaxCapacity=50,
    )
    account.client("dynamodb", REGION).update_table(
        TableName=name,
        GlobalSecondaryIndexUpdates=[
            {
                "Update": {
                    "IndexName": "by-status",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 17, "WriteCapacityUnits": 3},
                }
            }
        ],
    )
    (finding,) = scan_ok(account, tmp_path, _state(account, name), UNIT).findings
    # the read capacity is auto scaling's; the write capacity is still compared
    _, actual = changes(finding)["global_secondary_index"]
    assert (actual[0]["read_capacity"], actual[0]["write_capacity"]) == (2, 3)
