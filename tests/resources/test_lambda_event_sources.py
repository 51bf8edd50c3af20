"""Event source mappings beyond the generic checks (test_types.py), purely: a DynamoDB
stream's mapping as real AWS lists it (moto answers only what was sent: no -1 retry limit,
no empty destination, no parallelization factor) against provider 3.x- and 5.x-shaped
states."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from driftq.compare import compare
from driftq.model import StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource

ACCOUNT = "123456789012"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders"
STREAM = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders/stream/2024-05-02T09:04:42.050"
UUID = "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE"
RECORDED: dict[str, Any] = {
    "UUID": UUID,
    "StartingPosition": "LATEST",
    "BatchSize": 100,
    "MaximumBatchingWindowInSeconds": 0,
    "ParallelizationFactor": 1,
    "EventSourceArn": STREAM,
    "FunctionArn": FUNCTION,
    "LastModified": datetime(2025, 3, 1, tzinfo=UTC),
    "LastProcessingResult": "No records processed",
    "State": "Enabled",
    "StateTransitionReason": "User action",
    "DestinationConfig": {"OnFailure": {}},
    "MaximumRecordAgeInSeconds": -1,
    "BisectBatchOnFunctionError": False,
    "MaximumRetryAttempts": -1,
    "TumblingWindowInSeconds": 0,
    "FunctionResponseTypes": [],
    "EventSourceMappingArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:event-source-mapping:{UUID}",
    "Tags": {"Name": "orders"},  # ListTags' answer, read into the item
}
_COMMON: dict[str, Any] = {
    "id": UUID,
    "uuid": UUID,
    "event_source_arn": STREAM,
    "enabled": True,
    "batch_size": 100,
    "maximum_batching_window_in_seconds": 0,
    "parallelization_factor": 1,
    "maximum_record_age_in_seconds": -1,
    "maximum_retry_attempts": -1,
    "bisect_batch_on_function_error": False,
    "starting_position": "LATEST",
    "topics": [],
    "queues": [],
    "tags": {"Name": "orders"},
}
# provider 5.x: the function as configured (its name), an empty destination block written
STATE_5X = {
    **_COMMON,
    "function_name": "orders",
    "function_arn": FUNCTION,
    "tumbling_window_in_seconds": 0,
    "function_response_types": [],
    "destination_config": [{"on_failure": [], "on_success": []}],
    "filter_criteria": [],
    "scaling_config": [],
    "kms_key_arn": "",
    "source_access_configuration": [],
    "tags_all": {"Name": "orders"},
}
# provider 3.x: the function's ARN, no tags_all, no settings added since
STATE_3X = {**_COMMON, "function_name": FUNCTION, "destination_config": []}


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("a recorded answer calls no AWS")


def _changes(item: dict[str, Any], attributes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    spec = REGISTRY["aws_lambda_event_source_mapping"]
    ctx = ScanContext(Unit("test", "us-east-1", "lambda"), ACCOUNT, ("us-east-1",), _no_aws)
    live = live_resource(spec, item, ctx)
    assert live is not None and live.import_id == UUID
    state = StateResource(spec.type, f"{spec.type}.m", UUID, attributes, "us-east-1", "")
    return {c.attribute: (c.expected, c.actual) for c in compare(spec, state, live)}


@pytest.mark.parametrize("state", [STATE_5X, STATE_3X], ids=["provider-5.x", "provider-3.x"])
def test_a_recorded_stream_mapping_is_clean(state: dict[str, Any]) -> None:
    assert _changes(RECORDED, state) == {}


@pytest.mark.parametrize("state", [STATE_5X, STATE_3X], ids=["provider-5.x", "provider-3.x"])
def test_a_disabled_mapping_with_a_retry_limit_and_another_function_is_drift(
    state: dict[str, Any],
) -> None:
    item = {
        **RECORDED,
        "State": "Disabled",
        "MaximumRetryAttempts": 3,
        "FunctionArn": f"{FUNCTION}-v2",
        "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:1:dlq"}},
    }
    assert set(_changes(item, state)) == {
        "enabled",
        "maximum_retry_attempts",
        "function_name",
        "destination_config",
    }
