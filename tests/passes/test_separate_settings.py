"""Table tests of separate_settings: (state, live) -> which copy of a setting is compared."""

from __future__ import annotations

from typing import Any

import pytest

from driftq.diff import DiffScope, diff
from driftq.model import LiveResource, StateResource, Unit
from driftq.passes import run_passes
from driftq.resources import REGISTRY

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
LIVE_URL = "http://127.0.0.1:5000/123456789012/jobs"
OLD = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}'
NEW = OLD.replace("sqs:SendMessage", "sqs:*")


def state(rtype: str, **attrs: Any) -> StateResource:
    return StateResource(rtype, f"{rtype}.x", URL, {"id": URL, **attrs}, "us-east-1", "s")


def live(rtype: str, **attrs: Any) -> LiveResource:
    spec = REGISTRY[rtype]
    attrs = {"id": LIVE_URL, **attrs}
    return LiveResource(
        rtype,
        spec.identity(attrs),
        LIVE_URL,
        "us-east-1",
        attrs,
        aws_default=bool(spec.is_aws_default and spec.is_aws_default(attrs)),
    )


QUEUE, POLICY = "aws_sqs_queue", "aws_sqs_queue_policy"

CASES: list[tuple[str, list[StateResource], list[LiveResource], set[tuple[str, str, str]]]] = [
    (
        "policy resource just applied: the queue's copy is stale, nothing drifted",
        [state(QUEUE, policy=""), state(POLICY, queue_url=URL, policy=OLD)],
        [live(QUEUE, policy=OLD), live(POLICY, queue_url=LIVE_URL, policy=OLD)],
        set(),
    ),
    (
        "policy changed outside Terraform: reported once, on the policy resource",
        [state(QUEUE, policy=OLD), state(POLICY, queue_url=URL, policy=OLD)],
        [live(QUEUE, policy=NEW), live(POLICY, queue_url=LIVE_URL, policy=NEW)],
        {("drifted", POLICY, "policy")},
    ),
    (
        "no policy resource: the queue's own policy is compared",
        [state(QUEUE, policy="")],
        [live(QUEUE, policy=NEW), live(POLICY, queue_url=LIVE_URL, policy=NEW)],
        {("drifted", QUEUE, "policy")},
    ),
    (
        "a policy resource on an unmanaged queue: only the queue is reported",
        [],
        [live(QUEUE, policy=NEW), live(POLICY, queue_url=LIVE_URL, policy=NEW)],
        {("unmanaged", QUEUE, "")},
    ),
]


@pytest.mark.parametrize(
    ("state_side", "live_side", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_separate_setting_is_compared_once(
    state_side: list[StateResource],
    live_side: list[LiveResource],
    expected: set[tuple[str, str, str]],
) -> None:
    kept_state, kept_live = run_passes(state_side, live_side, REGISTRY)
    scope = DiffScope(Unit("a", "us-east-1", "sqs"), "123456789012", "us-east-1")
    findings = diff(scope, REGISTRY, kept_state, kept_live)
    got: set[tuple[str, str, str]] = set()
    for f in findings:
        got |= {(f.kind, f.resource_type, c.attribute) for c in f.changes} or {
            (f.kind, f.resource_type, "")
        }
    assert got == expected


def test_state_resources_are_not_modified_in_place() -> None:
    queue = state(QUEUE, policy="")
    run_passes([queue, state(POLICY, queue_url=URL, policy=OLD)], [], REGISTRY)
    assert queue.attributes["policy"] == ""
