"""A table's warm throughput on recorded DescribeTable answers (botocore's shape): AWS grows
it by itself with traffic and never lowers it, so only less than the state is drift."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted


def _table(read: int, write: int) -> dict[str, Any]:
    return {
        "TableName": "orders",
        "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "WarmThroughput": {
            "ReadUnitsPerSecond": read,
            "WriteUnitsPerSecond": write,
            "Status": "ACTIVE",
        },
    }


def _state(read: int, write: int) -> dict[str, Any]:
    block = {"read_units_per_second": read, "write_units_per_second": write}
    return {"id": "orders", "warm_throughput": [block]}


def test_the_value_the_state_copied_is_clean() -> None:
    assert drifted("aws_dynamodb_table", _table(12000, 4000), _state(12000, 4000)) == []


def test_growth_past_the_state_is_silent() -> None:
    assert drifted("aws_dynamodb_table", _table(20000, 9000), _state(12000, 4000)) == []
    assert (
        drifted("aws_dynamodb_table", _table(12000, 4000), {"id": "orders", "warm_throughput": []})
        == []
    )


def test_less_than_the_state_is_drift() -> None:
    # a pre-warmed table re-made by hand at AWS's defaults
    assert drifted("aws_dynamodb_table", _table(12000, 4000), _state(50000, 4000)) == [
        "warm_throughput"
    ]
