"""SNS: topics (`aws_sns_topic`) and their access policy (`aws_sns_topic_policy`), by ARN.

Every topic has a policy: when none is set AWS writes its default one (the owner account may
do everything, ``SNS:Receive`` included in older accounts). A state that left `policy` empty
and a state that recorded that default both match it, so the default compares as "none set".

The topic's `policy` and an `aws_sns_topic_policy` describe the same setting: with a policy
resource in a state, it is compared there (``passes/separate_settings.py``). A policy
resource is never reported as unmanaged: every topic has one, and a custom policy on a
managed topic is drift of the topic's `policy`.
"""

from __future__ import annotations

import re
from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.documents import sole_statement
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, only_in_state, tagging_api

_IMPORT_ID = "topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:my-topic"
_DEFAULT_ACTIONS = frozenset(
    f"sns:{a}".lower()
    for a in (
        "GetTopicAttributes",
        "SetTopicAttributes",
        "AddPermission",
        "RemovePermission",
        "DeleteTopic",
        "Subscribe",
        "ListSubscriptionsByTopic",
        "Publish",
    )
)
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:(\d{12}):[A-Za-z0-9_.-]+$")


def is_default_topic_policy(value: Any) -> bool:
    """Whether ``value`` is the policy AWS gives a topic when none is set."""
    statement = sole_statement(value, "__default_policy_ID")
    if statement is None:
        return False
    actions = statement.get("Action")
    actions = {str(a).lower() for a in (actions if isinstance(actions, list) else [actions])}
    condition = statement.get("Condition")
    if not isinstance(condition, dict) or list(condition) != ["StringEquals"]:
        return False
    equals = condition["StringEquals"]
    if not isinstance(equals, dict) or list(equals) != ["AWS:SourceOwner"]:
        return False
    owner = equals["AWS:SourceOwner"]
    owner = owner[0] if isinstance(owner, list) and len(owner) == 1 else owner
    resource = statement.get("Resource")
    topic = _TOPIC_ARN.match(resource) if isinstance(resource, str) else None
    return (
        set(statement) <= {"Sid", "Effect", "Principal", "Action", "Resource", "Condition"}
        and statement.get("Sid") == "__default_statement_ID"
        and statement.get("Effect") == "Allow"
        and statement.get("Principal") in ({"AWS": "*"}, "*")
        and actions in (_DEFAULT_ACTIONS, _DEFAULT_ACTIONS | {"sns:receive"})
        and topic is not None
        and owner == topic.group(1)
    )


def _unless_default(value: Any) -> Any:
    return None if is_default_topic_policy(value) else value


_TOPICS = ListCall(operation="ListTopics", items="Topics[]")
# read once per unit, shared by both specs
_ATTRIBUTES = Detail(
    operation="GetTopicAttributes",
    key={"TopicArn": "TopicArn"},
    result="Attributes",
    into="Attributes",
)


def _topic(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    arn, attributes = item["TopicArn"], item["Attributes"] or {}
    return {
        "id": arn,
        "arn": arn,
        "name": arn.rsplit(":", 1)[-1],
        "display_name": attributes.get("DisplayName") or "",
        "policy": attributes.get("Policy") or "",
        "kms_master_key_id": attributes.get("KmsMasterKeyId") or "",
        # both only appear on FIFO topics
        "fifo_topic": str(attributes.get("FifoTopic")).lower() == "true",
        "content_based_deduplication": (
            str(attributes.get("ContentBasedDeduplication")).lower() == "true"
        ),
        **_delivery_settings(attributes),
    }


_FEEDBACK = ("application", "firehose", "http", "lambda", "sqs")
# Terraform name -> GetTopicAttributes name, for the attributes AWS answers only when set
_OPTIONAL = {
    "delivery_policy": "DeliveryPolicy",
    "archive_policy": "ArchivePolicy",
    "fifo_throughput_scope": "FifoThroughputScope",
    "tracing_config": "TracingConfig",
    **{
        f"{kind}_{outcome}_feedback_role_arn": f"{kind.capitalize()}{outcome.capitalize()}FeedbackRoleArn"
        for kind in _FEEDBACK
        for outcome in ("success", "failure")
    },
}
_SAMPLE_RATES = {
    f"{kind}_success_feedback_sample_rate": f"{kind.capitalize()}SuccessFeedbackSampleRate"
    for kind in _FEEDBACK
}


def _delivery_settings(attributes: dict[str, Any]) -> Attrs:
    out: Attrs = {tf: attributes.get(api) or "" for tf, api in _OPTIONAL.items()}
    out |= {tf: int(attributes.get(api) or 0) for tf, api in _SAMPLE_RATES.items()}
    out["signature_version"] = attributes.get("SignatureVersion")
    return out


def _signature_version(value: Any) -> Any:
    # AWS signs with version 1 unless told otherwise; the state holds 0 or 1 for it
    return None if str(value or "") in ("", "0", "1") else str(value)


def _sample_rate(value: Any) -> Any:
    # a rate of 0 samples nothing, as no rate does: older states record none, while AWS
    # (and moto) may answer 0 for a topic whose feedback was never set
    try:
        return None if value in (None, "") or int(value) == 0 else int(value)
    except (TypeError, ValueError):
        return value


def _tracing(value: Any) -> Any:
    # `PassThrough` is what a topic does when tracing was never set
    return None if value in (None, "", "PassThrough") else value


def _topic_policy(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    arn, attributes = item["TopicArn"], item["Attributes"] or {}
    return {
        "id": arn,
        "arn": arn,
        "owner": attributes.get("Owner") or "",
        "policy": attributes.get("Policy") or "",
    }


def _arn(attrs: Attrs) -> str:
    return str(attrs.get("arn") or attrs.get("id") or "")


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_sns_topic",
        service="sns",
        list_call=_TOPICS,
        calls=(_ATTRIBUTES,),
        tags=tagging_api("sns", key="TopicArn"),
        normalize=_topic,
        compared=(
            "name",
            "display_name",
            "policy",
            "kms_master_key_id",
            "fifo_topic",
            "content_based_deduplication",
            *_OPTIONAL,
            *_SAMPLE_RATES,
            "signature_version",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "beginning_archive_time", "owner"),
        identity=_arn,
        json_attributes=frozenset({"policy", "delivery_policy", "archive_policy"}),
        value_forms={
            "policy": _unless_default,
            "signature_version": _signature_version,
            "tracing_config": _tracing,
            **dict.fromkeys(_SAMPLE_RATES, _sample_rate),
        },
        import_id_format=_IMPORT_ID,
        doc="AWS's default topic policy compares equal to no policy",
    ),
    ResourceSpec(
        type="aws_sns_topic_policy",
        service="sns",
        list_call=_TOPICS,
        calls=(_ATTRIBUTES,),
        normalize=_topic_policy,
        compared=("policy",),
        left_out=common("id", "region") | because(IDENTITY, "arn") | because(COMPUTED, "owner"),
        identity=_arn,
        json_attributes=frozenset({"policy"}),
        value_forms={"policy": _unless_default},
        parent="aws_sns_topic",
        parent_identity=_arn,
        inline_in_parent="policy",
        # reported through the topic's `policy` instead (see the module docstring)
        is_aws_default=only_in_state,
        import_id_format=_IMPORT_ID,
    ),
]
