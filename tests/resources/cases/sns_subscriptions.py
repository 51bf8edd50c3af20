"""SNS subscription case: an SQS queue subscribed to a topic with a filter policy."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import Built, Res, TypeCase, jsonencode
from tests.resources.test_sns import make_topic, tf_topic
from tests.support.estate import unique

FILTER = {"event": ["created", "deleted"]}


def _subscription(account: Any) -> Built:
    name = unique("events")
    topic = make_topic(account, name)
    queue_url = account.client("sqs").create_queue(QueueName=unique("subscriber"))["QueueUrl"]
    queue_arn = account.client("sqs").get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    arn = account.client("sns").subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"FilterPolicy": json.dumps(FILTER), "RawMessageDelivery": "true"},
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    state = {
        "id": arn,
        "arn": arn,
        "topic_arn": topic,
        "protocol": "sqs",
        "endpoint": queue_arn,
        "raw_message_delivery": True,
        "filter_policy": jsonencode(FILTER),
        "filter_policy_scope": "MessageAttributes",
        "delivery_policy": "",
        "redrive_policy": "",
        "replay_policy": "",
        "subscription_role_arn": "",
        "confirmation_timeout_in_minutes": 1,
        "confirmation_was_authenticated": True,
        "endpoint_auto_confirms": False,
        "owner_id": account.id,
        "pending_confirmation": False,
    }
    return Built(
        [
            Res("aws_sns_topic_subscription", "s", state),
            Res("aws_sns_topic", "t", tf_topic(account, name)),
        ],
        import_id=arn,
    )


CASES = [
    TypeCase(
        type="aws_sns_topic_subscription",
        build=_subscription,
        mutations={"filter_policy_scope": "MessageBody"},
    )
]
