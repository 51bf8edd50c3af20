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


# --- Kafka, DocumentDB and a starting timestamp, as real AWS lists them ---------------------

MSK = f"arn:aws:kafka:us-east-1:{ACCOUNT}:cluster/orders/abcd1234-ef56-7890-abcd-1234567890ab-2"
# an MSK mapping started at a timestamp, no consumer group chosen (AWS names the mapping's
# UUID), with its event-count metrics on
KAFKA: dict[str, Any] = {
    **{
        k: v for k, v in RECORDED.items() if k not in ("ParallelizationFactor", "DestinationConfig")
    },
    "EventSourceArn": MSK,
    "StartingPosition": "AT_TIMESTAMP",
    "StartingPositionTimestamp": datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
    "Topics": ["orders"],
    "AmazonManagedKafkaEventSourceConfig": {"ConsumerGroupId": UUID},
    "MetricsConfig": {"Metrics": ["EventCount"]},
    "ProvisionedPollerConfig": {"MinimumPollers": 1, "MaximumPollers": 5},
}
KAFKA_STATE: dict[str, Any] = {
    **_COMMON,
    "event_source_arn": MSK,
    "function_name": "orders",
    "starting_position": "AT_TIMESTAMP",
    # as written, in another zone
    "starting_position_timestamp": "2025-03-01T10:00:00+01:00",
    "topics": ["orders"],
    "parallelization_factor": 0,
    "amazon_managed_kafka_event_source_config": [],
    "metrics_config": [{"metrics": ["EventCount"]}],
    "provisioned_poller_config": [{"minimum_pollers": 1, "maximum_pollers": 5}],
}
# a self-managed Kafka cluster with a schema registry, and a DocumentDB change stream
SELF_MANAGED: dict[str, Any] = {
    **KAFKA,
    "EventSourceArn": None,
    "StartingPosition": "TRIM_HORIZON",
    "StartingPositionTimestamp": None,
    "AmazonManagedKafkaEventSourceConfig": None,
    "SelfManagedEventSource": {"Endpoints": {"KAFKA_BOOTSTRAP_SERVERS": ["b2:9092", "b1:9092"]}},
    "SelfManagedKafkaEventSourceConfig": {
        "ConsumerGroupId": "orders-consumer",
        "SchemaRegistryConfig": {
            "SchemaRegistryURI": "https://registry.example.com",
            "EventRecordFormat": "JSON",
            "AccessConfigs": [{"Type": "BASIC_AUTH", "URI": "arn:aws:secretsmanager:x"}],
            "SchemaValidationConfigs": [{"Attribute": "VALUE"}],
        },
    },
}
SELF_MANAGED_STATE: dict[str, Any] = {
    **KAFKA_STATE,
    "event_source_arn": "",
    "starting_position": "TRIM_HORIZON",
    "starting_position_timestamp": "",
    "self_managed_event_source": [{"endpoints": {"KAFKA_BOOTSTRAP_SERVERS": "b1:9092,b2:9092"}}],
    "self_managed_kafka_event_source_config": [
        {
            "consumer_group_id": "orders-consumer",
            "schema_registry_config": [
                {
                    "schema_registry_uri": "https://registry.example.com",
                    "event_record_format": "JSON",
                    "access_config": [{"type": "BASIC_AUTH", "uri": "arn:aws:secretsmanager:x"}],
                    "schema_validation_config": [{"attribute": "VALUE"}],
                }
            ],
        }
    ],
}
DOCDB = f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:shop"
DOCUMENT_DB: dict[str, Any] = {
    **RECORDED,
    "EventSourceArn": DOCDB,
    "DocumentDBEventSourceConfig": {
        "DatabaseName": "shop",
        "CollectionName": "orders",
        "FullDocument": "Default",
    },
}
DOCUMENT_DB_STATE: dict[str, Any] = {
    **STATE_5X,
    "event_source_arn": DOCDB,
    "document_db_event_source_config": [{"database_name": "shop", "collection_name": "orders"}],
}


@pytest.mark.parametrize(
    ("item", "state"),
    [
        (KAFKA, KAFKA_STATE),
        # provider 6.x records AWS's consumer group
        (
            KAFKA,
            {
                **KAFKA_STATE,
                "amazon_managed_kafka_event_source_config": [{"consumer_group_id": UUID}],
            },
        ),
        (SELF_MANAGED, SELF_MANAGED_STATE),
        (DOCUMENT_DB, DOCUMENT_DB_STATE),
    ],
    ids=["msk-group-unset", "msk-group-recorded", "self-managed-kafka", "document-db"],
)
def test_recorded_kafka_and_document_db_mappings_are_clean(
    item: dict[str, Any], state: dict[str, Any]
) -> None:
    assert _changes(item, state) == {}


def _schema_registry(**changes: Any) -> dict[str, Any]:
    config = SELF_MANAGED["SelfManagedKafkaEventSourceConfig"]
    registry = {**config["SchemaRegistryConfig"], **changes}
    return {
        **SELF_MANAGED,
        "SelfManagedKafkaEventSourceConfig": {**config, "SchemaRegistryConfig": registry},
    }


@pytest.mark.parametrize(
    ("item", "state", "attribute"),
    [
        (
            {**KAFKA, "StartingPositionTimestamp": datetime(2025, 3, 1, 10, 0, tzinfo=UTC)},
            KAFKA_STATE,
            "starting_position_timestamp",
        ),
        (
            {**KAFKA, "AmazonManagedKafkaEventSourceConfig": {"ConsumerGroupId": "billing"}},
            KAFKA_STATE,
            "amazon_managed_kafka_event_source_config",
        ),
        ({**KAFKA, "MetricsConfig": None}, KAFKA_STATE, "metrics_config"),
        (
            {**KAFKA, "ProvisionedPollerConfig": {"MinimumPollers": 1, "MaximumPollers": 20}},
            KAFKA_STATE,
            "provisioned_poller_config",
        ),
        (
            {
                **SELF_MANAGED,
                "SelfManagedEventSource": {"Endpoints": {"KAFKA_BOOTSTRAP_SERVERS": ["b3:9092"]}},
            },
            SELF_MANAGED_STATE,
            "self_managed_event_source",
        ),
        (
            _schema_registry(EventRecordFormat="SOURCE"),
            SELF_MANAGED_STATE,
            "self_managed_kafka_event_source_config",
        ),
        (
            {
                **DOCUMENT_DB,
                "DocumentDBEventSourceConfig": {
                    **DOCUMENT_DB["DocumentDBEventSourceConfig"],
                    "FullDocument": "UpdateLookup",
                },
            },
            DOCUMENT_DB_STATE,
            "document_db_event_source_config",
        ),
    ],
    ids=[
        "timestamp",
        "consumer-group",
        "metrics-off",
        "pollers",
        "bootstrap-servers",
        "schema-registry",
        "full-document",
    ],
)
def test_a_changed_kafka_or_document_db_setting_is_drift(
    item: dict[str, Any], state: dict[str, Any], attribute: str
) -> None:
    assert list(_changes(item, state)) == [attribute]
