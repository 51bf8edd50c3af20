"""The harness itself: its pure drift check finds what a spec compares, and says what a
spec only claims to compare (no AWS: a recorded SQS answer)."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace
from typing import Any

import pytest

from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import TAGS, live_resource
from driftq.state.parse import parse_state
from tests.resources.harness import Built, Res, TypeCase, mutated, undetected_drifts
from tests.resources.test_sqs import tf_queue

ACCOUNT = SimpleNamespace(id="123456789012")
URL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
# GetQueueAttributes(All) of a plain queue, as AWS answered it
RECORDED = {
    "QueueUrl": URL,
    "Attributes": {
        "QueueArn": "arn:aws:sqs:us-east-1:123456789012:orders",
        "DelaySeconds": "0",
        "MaximumMessageSize": "262144",
        "MessageRetentionPeriod": "345600",
        "ReceiveMessageWaitTimeSeconds": "0",
        "VisibilityTimeout": "30",
        "SqsManagedSseEnabled": "true",
    },
    TAGS: {"Name": "orders", "ManagedBy": "terraform"},
}


def _pair(spec: Any) -> tuple[Any, Any]:
    ctx = ScanContext(Unit("test", "us-east-1", "sqs"), "123456789012", ("us-east-1",), _none)
    live = live_resource(spec, dict(RECORDED), ctx)
    state_doc = Built([Res("aws_sqs_queue", "q", tf_queue(ACCOUNT, "orders"))], URL).state()
    (state,) = parse_state(json.dumps(state_doc.document()), "recorded", "us-east-1")
    return state, live


def _none(service: str, region: str | None = None) -> Any:
    raise AssertionError("no AWS here")


def test_every_compared_attribute_of_a_recorded_answer_drifts() -> None:
    spec = REGISTRY["aws_sqs_queue"]
    state, live = _pair(spec)
    assert undetected_drifts(spec, state, live) == []


def test_an_attribute_the_normalizer_forgets_is_reported() -> None:
    original = REGISTRY["aws_sqs_queue"]

    def forgetful(item: Any, ctx: Any) -> Any:
        attrs = original.normalize(item, ctx)
        attrs.pop("delay_seconds")
        return attrs

    spec = dataclasses.replace(original, normalize=forgetful)
    state, live = _pair(spec)
    assert undetected_drifts(spec, state, live) == ["delay_seconds: the normalizer does not set it"]


@pytest.mark.parametrize(
    ("value", "changed"),
    [(True, False), (30, 31), ("30", "31"), ("", "drifted"), ("a", "a-drifted"), ([], ["drifted"])],
)
def test_generic_mutation_changes_the_meaning(value: Any, changed: Any) -> None:
    assert mutated(value) == changed


def test_a_case_is_built_or_recorded() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        TypeCase(type="aws_sqs_queue")
