"""Lambda event source mapping case: an SQS queue feeding a function in batches, filtered,
with its concurrency capped."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.resources.test_lambda import make_function, make_role, tf_function
from tests.support.estate import unique

PATTERN = json.dumps({"body": {"kind": ["order"]}})


def _mapping(account: Any) -> Built:
    name = unique("fn")
    role = make_role(account)
    make_function(account, name, role)
    sqs = account.client("sqs")
    url = sqs.create_queue(QueueName=unique("jobs"))["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    mapping = account.client("lambda").create_event_source_mapping(
        EventSourceArn=queue,
        FunctionName=name,
        BatchSize=5,
        MaximumBatchingWindowInSeconds=10,
        FilterCriteria={"Filters": [{"Pattern": PATTERN}]},
        ScalingConfig={"MaximumConcurrency": 4},
        FunctionResponseTypes=["ReportBatchItemFailures"],
        Tags={"Name": name, **DEFAULT_TAGS},
    )
    function_arn = f"arn:aws:lambda:us-east-1:{account.id}:function:{name}"
    # as provider 5.x writes it for an SQS source: settings that do not apply as 0 or empty
    state = {
        "id": mapping["UUID"],
        "uuid": mapping["UUID"],
        "arn": mapping["EventSourceMappingArn"],
        "function_name": name,
        "function_arn": function_arn,
        "event_source_arn": queue,
        "enabled": True,
        "batch_size": 5,
        "maximum_batching_window_in_seconds": 10,
        "parallelization_factor": 0,
        "maximum_record_age_in_seconds": 0,
        "maximum_retry_attempts": 0,
        "bisect_batch_on_function_error": False,
        "tumbling_window_in_seconds": 0,
        "function_response_types": ["ReportBatchItemFailures"],
        "starting_position": "",
        "starting_position_timestamp": "",
        "topics": [],
        "queues": [],
        "kms_key_arn": "",
        "destination_config": [],
        "filter_criteria": [{"filter": [{"pattern": PATTERN}]}],
        "scaling_config": [{"maximum_concurrency": 4}],
        "source_access_configuration": [],
        "amazon_managed_kafka_event_source_config": [],
        "self_managed_event_source": [],
        "self_managed_kafka_event_source_config": [],
        "document_db_event_source_config": [],
        "metrics_config": [],
        "provisioned_poller_config": [],
        "last_modified": "2025-01-01T00:00:00Z",
        "last_processing_result": "",
        "state": "Enabled",
        "state_transition_reason": "USER_INITIATED",
        **tags_state({"Name": name}),
    }
    return Built(
        [
            Res("aws_lambda_event_source_mapping", "m", state),
            Res("aws_lambda_function", "f", tf_function(account, name, role)),
        ],
        import_id=mapping["UUID"],
    )


CASES = [
    TypeCase(
        type="aws_lambda_event_source_mapping",
        build=_mapping,
        mutations={
            "destination_config": [
                {"on_failure": [{"destination_arn": "arn:aws:sqs:us-east-1:1:dlq"}]}
            ],
            "source_access_configuration": [{"type": "VPC_SUBNET", "uri": "subnet:subnet-0d"}],
        },
    )
]
