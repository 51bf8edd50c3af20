"""Listings that take the resource's id: a targeted scan of one resource asks AWS for that
resource only (and so makes its detail calls for it alone), instead of listing the type.

One line per type: the listing parameter and how the event's ids become its value. A
narrowed listing that fails (EC2's `InvalidGroup.NotFound` for a deleted group) is retried
whole by the targeted scan, so a deleted resource is still reported missing.

Listings that take no id but whose items are only the id (DynamoDB's ListTables, SNS's
ListTopics) are replaced by the item the listing would give (``LISTED``): the spec's detail
calls then read that one resource, and one that is gone is dropped by the service's "gone"
codes, as in a full listing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# the event's ids -> extra listing parameters, or None when these ids cannot narrow it
Narrowing = Callable[[frozenset[str]], dict[str, Any] | None]


def _ids(param: str, prefix: str) -> Narrowing:
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or not all(i.startswith(prefix) for i in ids):
            return None
        return {param: sorted(ids)}

    return narrowing


def _queue_name(ids: frozenset[str]) -> dict[str, Any] | None:
    # ListQueues filters by name prefix: a superset, which the scan narrows to the queue
    names = {i.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] for i in ids}
    return {"QueueNamePrefix": names.pop()} if len(names) == 1 else None


NARROWING: dict[str, Narrowing] = {
    "aws_instance": _ids("InstanceIds", "i-"),
    "aws_vpc": _ids("VpcIds", "vpc-"),
    "aws_subnet": _ids("SubnetIds", "subnet-"),
    "aws_security_group": _ids("GroupIds", "sg-"),
    "aws_security_group_rule": _ids("GroupIds", "sg-"),
    "aws_sqs_queue": _queue_name,
    "aws_sqs_queue_policy": _queue_name,
}


def _tail(after: str) -> Callable[[str], str]:
    return lambda i: i.rsplit(after, 1)[-1] if after in i else i


# the event's ids -> the items the listing would give for them, or None
Listed = Callable[[frozenset[str]], list[dict[str, Any]] | None]


def _items(key: str, value: Callable[[str], str], only: str = "") -> Listed:
    def listed(ids: frozenset[str]) -> list[dict[str, Any]] | None:
        if not ids or (only and not all(i.startswith(only) for i in ids)):
            return None
        return [{key: value(i)} for i in sorted(ids)]

    return listed


LISTED: dict[str, Listed] = {
    "aws_dynamodb_table": _items("TableName", _tail(":table/")),
    "aws_sns_topic": _items("TopicArn", str, only="arn:"),
    "aws_sns_topic_policy": _items("TopicArn", str, only="arn:"),
}
