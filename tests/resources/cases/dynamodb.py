"""DynamoDB case: a provisioned table with a stream (capacity is compared then), a global
and a local secondary index."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_dynamodb import tf_table
from tests.resources.test_dynamodb_indexes import (
    TF_INDEX_ATTRIBUTES,
    TF_INDEXES,
    make_indexed_table,
)
from tests.support.estate import unique


def _table(account: Any) -> Built:
    name = unique("table")
    make_indexed_table(account, name)
    dynamodb = account.client("dynamodb")
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    dynamodb.update_continuous_backups(
        TableName=name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    # AWS's own warm throughput, which a 6.x state copies
    warm = dynamodb.describe_table(TableName=name)["Table"]["WarmThroughput"]
    state = {
        **tf_table(account, name, capacity=(5, 5), stream="NEW_IMAGE"),
        "warm_throughput": [
            {
                "read_units_per_second": warm["ReadUnitsPerSecond"],
                "write_units_per_second": warm["WriteUnitsPerSecond"],
            }
        ],
        "ttl": [{"attribute_name": "expires", "enabled": True}],
        "point_in_time_recovery": [{"enabled": True, "recovery_period_in_days": 35}],
        **TF_INDEXES,
    }
    state["attribute"] = [*state["attribute"], *TF_INDEX_ATTRIBUTES]
    return Built([Res("aws_dynamodb_table", "t", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_dynamodb_table",
        build=_table,
        # a disabled block means "not set"; moto answers no AWS-managed KMS encryption
        mutations={
            "point_in_time_recovery": [{"enabled": True, "recovery_period_in_days": 7}],
            "server_side_encryption": [{"enabled": True, "kms_key_arn": "arn:aws:kms:x"}],
        },
    )
]
