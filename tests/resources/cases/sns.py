"""SNS cases: a topic, and a topic's policy kept in its own resource."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import Built, Res, TypeCase, jsonencode
from tests.resources.test_sns import make_topic, publish_policy, tf_topic, tf_topic_policy
from tests.support.estate import unique

DELIVERY = {"http": {"defaultHealthyRetryPolicy": {"numRetries": 5, "minDelayTarget": 20}}}


def _topic(account: Any) -> Built:
    name = unique("topic")
    arn = make_topic(account, name)
    account.client("sns").set_topic_attributes(
        TopicArn=arn, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(DELIVERY)
    )
    state = tf_topic(account, name, delivery_policy=jsonencode(DELIVERY))
    return Built([Res("aws_sns_topic", "t", state)], import_id=arn)


def _topic_policy(account: Any) -> Built:
    name = unique("alerts")
    arn = make_topic(account, name)
    policy = publish_policy(arn)
    account.client("sns").set_topic_attributes(
        TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy)
    )
    return Built(
        [
            Res("aws_sns_topic_policy", "p", tf_topic_policy(account, name, jsonencode(policy))),
            Res("aws_sns_topic", "t", tf_topic(account, name)),  # its copy: AWS's default
        ],
        import_id=arn,
    )


CASES = [
    TypeCase(
        type="aws_sns_topic",
        build=_topic,
        # 0 and 1 both mean AWS's default signature version
        mutations={"signature_version": 2, "delivery_policy": jsonencode({"http": {}})},
    ),
    TypeCase(
        type="aws_sns_topic_policy",
        build=_topic_policy,
        unmanaged_as=("drifted", "aws_sns_topic"),
        note="every topic has a policy: one set outside Terraform is drift of the topic's",
    ),
]
