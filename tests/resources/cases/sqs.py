"""SQS cases: a queue, and a queue's policy kept in its own resource."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import Built, Res, TypeCase, jsonencode
from tests.resources.test_sqs import make_queue, send_policy, tf_queue, tf_queue_policy
from tests.support.estate import unique


def _queue(account: Any) -> Built:
    name = unique("queue")
    url = make_queue(account, name)
    return Built([Res("aws_sqs_queue", "q", tf_queue(account, name))], import_id=url)


def _queue_policy(account: Any) -> Built:
    name = unique("guarded")
    policy = send_policy(account, name)
    url = make_queue(account, name, Policy=json.dumps(policy))
    return Built(
        [
            Res("aws_sqs_queue_policy", "p", tf_queue_policy(account, name, jsonencode(policy))),
            # applied before the policy resource: the queue's own copy is empty (stale)
            Res("aws_sqs_queue", "q", tf_queue(account, name)),
        ],
        import_id=url,
    )


CASES = [
    TypeCase(type="aws_sqs_queue", build=_queue),
    TypeCase(
        type="aws_sqs_queue_policy",
        build=_queue_policy,
        unmanaged_as=("drifted", "aws_sqs_queue"),
        note="a policy outside Terraform is drift of the queue's `policy`, not a resource",
    ),
]
