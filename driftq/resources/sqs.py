"""SQS: queues (`aws_sqs_queue`) and their access policy (`aws_sqs_queue_policy`).

Terraform's id for both is the queue URL, but the URL's host is not stable: AWS answers
`sqs.<region>.amazonaws.com`, older states hold `queue.amazonaws.com` or
`<region>.queue.amazonaws.com`, an emulator its own address. A queue is therefore keyed by
`<account>/<name>`, the URL's path (or the ARN's last two fields); the import id stays the
URL AWS reports.

The queue's own `policy` attribute and an `aws_sqs_queue_policy` describe the same setting;
``passes/separate_settings.py`` compares it on the policy resource when a state has one.
A policy resource is never reported as unmanaged: an out-of-band policy on a managed queue is
drift of the queue's `policy`, and on an unmanaged queue the queue itself is reported.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from driftq.resources.attributes import (
    ID,
    IDENTITY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, only_in_state, tagging_api

_IMPORT_ID = "queue URL, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/my-queue"
# without MaxResults, ListQueues stops at 1,000 queues and gives no NextToken
_QUEUES = ListCall(
    operation="ListQueues", items="QueueUrls[].{QueueUrl: @}", params={"MaxResults": 1000}
)
# read once per unit, shared by both specs
_ATTRIBUTES = Detail(
    operation="GetQueueAttributes",
    key={"QueueUrl": "QueueUrl"},
    params={"AttributeNames": ["All"]},
    result="Attributes",
    into="Attributes",
)


def queue_key(url_or_arn: str) -> str:
    """`<account>/<name>` from a queue URL or ARN, whatever host the URL names."""
    text = url_or_arn.strip()
    if text.startswith("arn:"):
        parts = text.split(":")
        return f"{parts[4]}/{parts[5]}" if len(parts) >= 6 else text
    path = urlparse(text).path if "://" in text else text
    return "/".join(path.strip("/").split("/")[-2:])


def _state_key(attrs: Attrs) -> str:
    return queue_key(str(attrs.get("queue_url") or attrs.get("id") or attrs.get("arn") or ""))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _true(value: Any) -> bool:
    return str(value).lower() == "true"


def _queue(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    url, attributes = item["QueueUrl"], item["Attributes"] or {}
    arn = attributes.get("QueueArn") or ""
    attrs: Attrs = {
        "id": url,
        "arn": arn,
        "name": arn.rsplit(":", 1)[-1] if arn else url.rstrip("/").rsplit("/", 1)[-1],
        "delay_seconds": _int(attributes.get("DelaySeconds")),
        "max_message_size": _int(attributes.get("MaximumMessageSize")),
        "message_retention_seconds": _int(attributes.get("MessageRetentionPeriod")),
        "receive_wait_time_seconds": _int(attributes.get("ReceiveMessageWaitTimeSeconds")),
        "visibility_timeout_seconds": _int(attributes.get("VisibilityTimeout")),
        # both only appear on FIFO queues
        "fifo_queue": _true(attributes.get("FifoQueue")),
        "content_based_deduplication": _true(attributes.get("ContentBasedDeduplication")),
        "kms_master_key_id": attributes.get("KmsMasterKeyId") or "",
        "policy": attributes.get("Policy") or "",
        "redrive_policy": attributes.get("RedrivePolicy") or "",
        "redrive_allow_policy": attributes.get("RedriveAllowPolicy") or "",
        # FIFO high-throughput settings: absent on standard queues
        "deduplication_scope": attributes.get("DeduplicationScope") or "",
        "fifo_throughput_limit": attributes.get("FifoThroughputLimit") or "",
        # AWS's default (300 s) is in every state; AWS may leave it out without a KMS key
        "kms_data_key_reuse_period_seconds": _int(attributes.get("KmsDataKeyReusePeriodSeconds"))
        or 300,
    }
    if "SqsManagedSseEnabled" in attributes:
        attrs["sqs_managed_sse_enabled"] = _true(attributes["SqsManagedSseEnabled"])
    return attrs


def _redrive(value: Any) -> Any:
    # AWS answers maxReceiveCount as a number; a state may hold the configured "5"
    try:
        document = json.loads(value) if isinstance(value, str) and value.strip() else value
    except ValueError:
        return value
    if isinstance(document, dict) and _int(document.get("maxReceiveCount")) is not None:
        document = {**document, "maxReceiveCount": _int(document["maxReceiveCount"])}
    return document


def _queue_policy(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    url, policy = item["QueueUrl"], (item["Attributes"] or {}).get("Policy")
    return {"id": url, "queue_url": url, "policy": policy} if policy else None


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_sqs_queue",
        service="sqs",
        list_call=_QUEUES,
        calls=(_ATTRIBUTES,),
        tags=tagging_api("sqs", key="Attributes.QueueArn"),
        normalize=_queue,
        compared=(
            "name",
            "delay_seconds",
            "max_message_size",
            "message_retention_seconds",
            "receive_wait_time_seconds",
            "visibility_timeout_seconds",
            "fifo_queue",
            "content_based_deduplication",
            "kms_master_key_id",
            "sqs_managed_sse_enabled",
            "policy",
            "redrive_policy",
            "redrive_allow_policy",
            "deduplication_scope",
            "fifo_throughput_limit",
            "kms_data_key_reuse_period_seconds",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn", "name_prefix")
        | because(ID, "url"),
        identity=lambda attrs: queue_key(str(attrs["id"])),
        state_identity=_state_key,
        import_id=lambda attrs: str(attrs["id"]),
        json_attributes=frozenset({"policy", "redrive_policy", "redrive_allow_policy"}),
        value_forms={
            "redrive_policy": _redrive,
            # a FIFO queue's defaults, which the state records and AWS may leave out
            "deduplication_scope": lambda v: None if v in (None, "", "queue") else v,
            "fifo_throughput_limit": lambda v: None if v in (None, "", "perQueue") else v,
        },
        import_id_format=_IMPORT_ID,
        doc="keyed by account/name: queue URLs differ by host between AWS endpoints",
    ),
    ResourceSpec(
        type="aws_sqs_queue_policy",
        service="sqs",
        list_call=_QUEUES,
        calls=(_ATTRIBUTES,),
        normalize=_queue_policy,
        compared=("policy",),
        left_out=common("id", "region") | because(IDENTITY, "queue_url"),
        identity=_state_key,
        import_id=lambda attrs: str(attrs["id"]),
        json_attributes=frozenset({"policy"}),
        parent="aws_sqs_queue",
        parent_identity=_state_key,
        inline_in_parent="policy",
        # reported through the queue's `policy` instead (see the module docstring)
        is_aws_default=only_in_state,
        import_id_format=_IMPORT_ID,
    ),
]
