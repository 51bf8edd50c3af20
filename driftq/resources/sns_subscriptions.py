"""SNS subscriptions (`aws_sns_topic_subscription`), keyed and imported by their ARN.

ListSubscriptions names every subscription of the region in pages of 100; its attributes
(filter, delivery and redrive policies, raw delivery) need one GetSubscriptionAttributes
each: AWS has no batch read. A subscription awaiting confirmation has no ARN yet
(`PendingConfirmation`): nothing Terraform could hold or import, skipped. A subscription of
a topic that is itself unmanaged is reported once, under its topic.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec

_POLICIES = {
    "filter_policy": "FilterPolicy",
    "delivery_policy": "DeliveryPolicy",
    "redrive_policy": "RedrivePolicy",
    "replay_policy": "ReplayPolicy",
}


def _subscription(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    arn = str(item.get("SubscriptionArn") or "")
    if not arn.startswith("arn:"):
        return None  # `PendingConfirmation`: no subscription yet
    attributes = item.get("Attributes") or {}
    return {
        "id": arn,
        "arn": arn,
        "topic_arn": item.get("TopicArn"),
        "protocol": item.get("Protocol"),
        "endpoint": item.get("Endpoint"),
        "raw_message_delivery": str(attributes.get("RawMessageDelivery")).lower() == "true",
        "filter_policy_scope": attributes.get("FilterPolicyScope") or "",
        "subscription_role_arn": attributes.get("SubscriptionRoleArn") or "",
        **{tf: attributes.get(api) or "" for tf, api in _POLICIES.items()},
    }


def _scope(value: Any) -> Any:
    # AWS sets `MessageAttributes` as soon as a filter policy exists: the default scope
    return None if value in (None, "", "MessageAttributes") else value


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_sns_topic_subscription",
        service="sns",
        list_call=ListCall(operation="ListSubscriptions", items="Subscriptions[]"),
        calls=(
            Detail(
                operation="GetSubscriptionAttributes",
                key={"SubscriptionArn": "SubscriptionArn"},
                result="Attributes",
                into="Attributes",
                when=lambda item, ctx: str(item.get("SubscriptionArn", "")).startswith("arn:"),
            ),
        ),
        normalize=_subscription,
        compared=(
            "topic_arn",
            "protocol",
            "endpoint",
            "raw_message_delivery",
            "filter_policy_scope",
            "subscription_role_arn",
            *_POLICIES,
        ),
        left_out=common("id", "region", "arn")
        | because(COMPUTED, "confirmation_was_authenticated", "owner_id", "pending_confirmation")
        | because(TERRAFORM_ONLY, "confirmation_timeout_in_minutes", "endpoint_auto_confirms"),
        json_attributes=frozenset(_POLICIES),
        value_forms={"filter_policy_scope": _scope},
        parent="aws_sns_topic",
        parent_identity=lambda attrs: str(attrs.get("topic_arn") or ""),
        import_id_format=(
            "subscription ARN, e.g. arn:aws:sns:us-east-1:123456789012:my-topic:8a21d249-..."
        ),
    ),
]
