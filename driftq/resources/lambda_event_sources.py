"""Lambda event source mappings (`aws_lambda_event_source_mapping`), keyed and imported by
UUID.

ListEventSourceMappings answers every mapping of the region with its settings; tags take
one ListTags per mapping (the tagging API does not list mappings). Where a setting does not
apply to the source (an SQS queue has no retry limit, no record age), AWS leaves it out of
the answer and the provider records 0 or false: the normalizer does the same.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, NOT_YET, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags

Item = dict[str, Any]


def _destination(config: Item) -> list[Item]:
    out: Item = {}
    for key, name in (("OnFailure", "on_failure"), ("OnSuccess", "on_success")):
        arn = (config.get(key) or {}).get("Destination")
        if arn:
            out[name] = [{"destination_arn": arn}]
    return [out] if out else []


def _mapping(item: Item, ctx: ScanContext) -> Attrs:
    filters = (item.get("FilterCriteria") or {}).get("Filters") or []
    concurrency = (item.get("ScalingConfig") or {}).get("MaximumConcurrency")
    state = item.get("State") or ""
    return {
        "id": item["UUID"],
        "uuid": item["UUID"],
        "arn": item.get("EventSourceMappingArn") or "",
        "function_name": item.get("FunctionArn") or "",
        "event_source_arn": item.get("EventSourceArn") or "",
        # Enabling and Updating are on their way to Enabled; Disabling to Disabled
        "enabled": state in ("Enabled", "Enabling", "Updating", "Creating"),
        "batch_size": item.get("BatchSize") or 0,
        "maximum_batching_window_in_seconds": item.get("MaximumBatchingWindowInSeconds") or 0,
        "parallelization_factor": item.get("ParallelizationFactor") or 0,
        "maximum_record_age_in_seconds": item.get("MaximumRecordAgeInSeconds") or 0,
        "maximum_retry_attempts": item.get("MaximumRetryAttempts") or 0,
        "bisect_batch_on_function_error": bool(item.get("BisectBatchOnFunctionError")),
        "tumbling_window_in_seconds": item.get("TumblingWindowInSeconds") or 0,
        "function_response_types": list(item.get("FunctionResponseTypes") or []),
        "starting_position": item.get("StartingPosition") or "",
        "topics": list(item.get("Topics") or []),
        "queues": list(item.get("Queues") or []),
        "kms_key_arn": item.get("KMSKeyArn") or "",
        "destination_config": _destination(item.get("DestinationConfig") or {}),
        "filter_criteria": [{"filter": [{"pattern": f.get("Pattern")} for f in filters]}]
        if filters
        else [],
        "scaling_config": [{"maximum_concurrency": concurrency}] if concurrency else [],
        "source_access_configuration": [
            {"type": s.get("Type"), "uri": s.get("URI")}
            for s in item.get("SourceAccessConfigurations") or []
        ],
    }


def _function(value: Any) -> Any:
    # the state holds the function as configured: a name or an ARN (with a qualifier or
    # not); AWS answers the ARN. `name` and `name:qualifier` are what both say
    text = str(value or "")
    if text.startswith("arn:"):
        return ":".join(text.split(":")[6:]) or text
    return text


def _destinations(value: Any) -> Any:
    # provider 5.x writes empty on_failure/on_success blocks; an empty destination is none
    out = []
    for block in value or []:
        if not isinstance(block, dict):
            continue
        kept = {
            k: [d for d in v or [] if isinstance(d, dict) and d.get("destination_arn")]
            for k, v in block.items()
        }
        kept = {k: v for k, v in kept.items() if v}
        if kept:
            out.append(kept)
    return out


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_lambda_event_source_mapping",
        service="lambda",
        list_call=ListCall(operation="ListEventSourceMappings", items="EventSourceMappings[]"),
        tags=Tags(
            path="Tags",
            call=Detail(
                operation="ListTags",
                key={"Resource": "EventSourceMappingArn"},
                result="Tags",
                into="Tags",
                # mappings made before AWS gave them ARNs cannot be tagged
                when=lambda item, _: bool(item.get("EventSourceMappingArn")),
            ),
        ),
        normalize=_mapping,
        compared=(
            "function_name",
            "event_source_arn",
            "enabled",
            "batch_size",
            "maximum_batching_window_in_seconds",
            "parallelization_factor",
            "maximum_record_age_in_seconds",
            "maximum_retry_attempts",
            "bisect_batch_on_function_error",
            "tumbling_window_in_seconds",
            "function_response_types",
            "starting_position",
            "topics",
            "queues",
            "kms_key_arn",
            "destination_config",
            "filter_criteria",
            "scaling_config",
            "source_access_configuration",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn")
        | because(
            COMPUTED,
            "uuid",
            "function_arn",
            "last_modified",
            "last_processing_result",
            "state",
            "state_transition_reason",
        )
        | because(
            NOT_YET,
            "amazon_managed_kafka_event_source_config",
            "document_db_event_source_config",
            "metrics_config",
            "provisioned_poller_config",
            "starting_position_timestamp",
            "self_managed_event_source",
            "self_managed_kafka_event_source_config",
        ),
        value_forms={"function_name": _function, "destination_config": _destinations},
        import_id_format="mapping UUID, e.g. 12345678-90ab-cdef-1234-567890abcdef",
    ),
]
