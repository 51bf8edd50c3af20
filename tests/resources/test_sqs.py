"""SQS queues and queue policies against a real moto server: one regional unit per account.

States hold the queue URL the way real AWS writes it (`https://sqs.<region>.amazonaws.com/
<account>/<name>`), while moto answers with its own address: queues must match by account and
name, never by the URL's text. States are provider 5.x-shaped (tags_all with a default tag).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.engine import Engine
from driftq.model import Finding, Unit, UnitResult
from driftq.resources.sqs import queue_key
from tests.conftest import single_account_config
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

REGION = "us-east-1"
UNIT = Unit("test", REGION, "sqs")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only
# set explicitly: AWS's (and moto's) default changed from 256 KiB to 1 MiB in 2025
SETTINGS = {"MaximumMessageSize": "262144", "VisibilityTimeout": "30"}


# --- AWS side -----------------------------------------------------------------------------


def make_queue(account: Any, name: str, **attributes: str) -> str:
    sqs = account.client("sqs", REGION)
    attributes = {**SETTINGS, **attributes}
    if name.endswith(".fifo"):
        attributes.setdefault("FifoQueue", "true")
    return sqs.create_queue(
        QueueName=name, Attributes=attributes, tags={"Name": name, **DEFAULT_TAGS}
    )["QueueUrl"]


def send_policy(account: Any, name: str, principal: str = "*") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Send",
                "Effect": "Allow",
                "Principal": principal,
                "Action": "sqs:SendMessage",
                "Resource": f"arn:aws:sqs:{REGION}:{account.id}:{name}",
            }
        ],
    }


def set_policy(account: Any, url: str, policy: dict[str, Any] | str) -> None:
    text = policy if isinstance(policy, str) else json.dumps(policy)
    account.client("sqs", REGION).set_queue_attributes(QueueUrl=url, Attributes={"Policy": text})


# --- Terraform side -----------------------------------------------------------------------


def aws_url(account: Any, name: str) -> str:
    return f"https://sqs.{REGION}.amazonaws.com/{account.id}/{name}"


def tf_queue(account: Any, name: str, **overrides: Any) -> dict[str, Any]:
    fifo = name.endswith(".fifo")
    attrs: dict[str, Any] = {
        "arn": f"arn:aws:sqs:{REGION}:{account.id}:{name}",
        "content_based_deduplication": False,
        "deduplication_scope": "queue" if fifo else "",
        "delay_seconds": 0,
        "fifo_queue": fifo,
        "fifo_throughput_limit": "perQueue" if fifo else "",
        "id": aws_url(account, name),
        "kms_data_key_reuse_period_seconds": 300,
        "kms_master_key_id": "",
        "max_message_size": 262144,
        "message_retention_seconds": 345600,
        "name": name,
        "name_prefix": "",
        "policy": "",
        "receive_wait_time_seconds": 0,
        "redrive_allow_policy": "",
        "redrive_policy": "",
        "sqs_managed_sse_enabled": True,
        "tags": {"Name": name},
        "tags_all": {"Name": name, **DEFAULT_TAGS},
        "timeouts": None,
        "url": aws_url(account, name),
        "visibility_timeout_seconds": 30,
    }
    attrs.update(overrides)
    return attrs


def tf_queue_policy(account: Any, name: str, policy: str) -> dict[str, Any]:
    url = aws_url(account, name)
    return {"id": url, "policy": policy, "queue_url": url}


def jsonencode(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def scan(account: Any, tmp_path: Path, state: StateFile) -> UnitResult:
    return scan_ok(account, tmp_path, state, UNIT)


def by_key(result: UnitResult) -> dict[tuple[str, str, str], Finding]:
    return {(f.kind, f.resource_type, f.resource_id): f for f in result.findings}


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_or_arn", "key"),
    [
        ("https://sqs.us-east-1.amazonaws.com/123456789012/q", "123456789012/q"),
        ("https://queue.amazonaws.com/123456789012/q.fifo", "123456789012/q.fifo"),
        ("https://eu-west-1.queue.amazonaws.com/123456789012/q", "123456789012/q"),
        ("http://127.0.0.1:5000/123456789012/q", "123456789012/q"),
        ("arn:aws:sqs:us-east-1:123456789012:q", "123456789012/q"),
    ],
)
def test_queue_key_ignores_the_url_host(url_or_arn: str, key: str) -> None:
    assert queue_key(url_or_arn) == key


def test_matching_queues_are_silent(account: Any, tmp_path: Path) -> None:
    make_queue(account, "plain")
    make_queue(account, "orders.fifo", ContentBasedDeduplication="true")
    make_queue(account, "dlq")
    redrive = {"deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{account.id}:dlq"}
    make_queue(
        account,
        "guarded",
        Policy=json.dumps(send_policy(account, "guarded"), indent=2),
        RedrivePolicy=json.dumps({**redrive, "maxReceiveCount": 5}),
    )
    state = (
        StateFile()
        .add("aws_sqs_queue", "plain", tf_queue(account, "plain"))
        .add(
            "aws_sqs_queue",
            "orders",
            tf_queue(account, "orders.fifo", content_based_deduplication=True),
        )
        .add("aws_sqs_queue", "dlq", tf_queue(account, "dlq"))
        .add(
            "aws_sqs_queue",
            "guarded",
            tf_queue(
                account,
                "guarded",
                # jsonencode's key order and no whitespace; a configured "5" for the count
                policy=jsonencode(send_policy(account, "guarded")),
                redrive_policy=jsonencode({**redrive, "maxReceiveCount": "5"}),
            ),
        )
    )
    assert scan(account, tmp_path, state).findings == []


def test_missing_unmanaged_and_drifted(account: Any, tmp_path: Path) -> None:
    url = make_queue(account, "jobs")
    by_hand = make_queue(account, "by-hand")
    sqs = account.client("sqs", REGION)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "120"})
    sqs.tag_queue(QueueUrl=url, Tags={"Owner": "someone"})
    state = (
        StateFile()
        .add("aws_sqs_queue", "jobs", tf_queue(account, "jobs"))
        .add("aws_sqs_queue", "gone", tf_queue(account, "gone"))
    )

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {
        ("drifted", "aws_sqs_queue", aws_url(account, "jobs")),
        ("missing", "aws_sqs_queue", aws_url(account, "gone")),
        ("unmanaged", "aws_sqs_queue", by_hand),  # the URL AWS reports: what import takes
    }
    assert changes(found["drifted", "aws_sqs_queue", aws_url(account, "jobs")]) == {
        "visibility_timeout_seconds": (30, 120),
        "tags.Owner": (None, "someone"),
    }


def test_queue_policy_resource_and_inline_policy(account: Any, tmp_path: Path) -> None:
    """The queue's `policy` and an aws_sqs_queue_policy are one setting, reported once."""
    policy = send_policy(account, "fresh")
    # applied just now: the queue's own state still holds no policy (no refresh since)
    make_queue(account, "fresh", Policy=json.dumps(policy))
    # the policy resource's document changed outside Terraform
    edited = make_queue(account, "edited", Policy=json.dumps(send_policy(account, "edited")))
    set_policy(account, edited, send_policy(account, "edited", principal="111122223333"))
    # a policy added by hand to a queue Terraform manages without one
    opened = make_queue(account, "opened")
    set_policy(account, opened, send_policy(account, "opened"))
    # an unmanaged queue with a policy: one finding, the queue
    loose = make_queue(account, "loose", Policy=json.dumps(send_policy(account, "loose")))
    # the policy resource's policy was removed outside Terraform
    make_queue(account, "stripped")
    state = StateFile()
    for name in ("fresh", "edited", "opened", "stripped"):
        state.add("aws_sqs_queue", name, tf_queue(account, name))
    for name in ("fresh", "edited", "stripped"):
        document = jsonencode(send_policy(account, name))
        state.add("aws_sqs_queue_policy", name, tf_queue_policy(account, name, document))

    result = scan(account, tmp_path, state)
    found = by_key(result)

    assert set(found) == {
        ("drifted", "aws_sqs_queue_policy", aws_url(account, "edited")),
        ("drifted", "aws_sqs_queue", aws_url(account, "opened")),
        ("unmanaged", "aws_sqs_queue", loose),
        ("missing", "aws_sqs_queue_policy", aws_url(account, "stripped")),
    }
    edit = changes(found["drifted", "aws_sqs_queue_policy", aws_url(account, "edited")])
    assert list(edit) == ["policy"]
    assert "111122223333" in edit["policy"][1]
    opened_change = changes(found["drifted", "aws_sqs_queue", aws_url(account, "opened")])
    assert list(opened_change) == ["policy"]
    assert opened_change["policy"][0] is None
    # `fresh` is silent because it was compared, not because it was skipped: all seven state
    # resources (four queues, three policies) took part
    assert result.managed == 7
    # the removed policy is reported on the policy resource's own address
    gone = found["missing", "aws_sqs_queue_policy", aws_url(account, "stripped")]
    assert gone.address == "aws_sqs_queue_policy.stripped"


def test_narrowed_to_queues_still_knows_the_policy_resources(account: Any, tmp_path: Path) -> None:
    """`--resource-type aws_sqs_queue`: the queue policy resources in state still tell the
    engine that a queue's own stale `policy` copy is not drift."""
    from driftq.plan import Selection

    policy = send_policy(account, "fresh")
    make_queue(account, "fresh", Policy=json.dumps(policy))
    state = StateFile().add("aws_sqs_queue", "fresh", tf_queue(account, "fresh"))
    state.add(
        "aws_sqs_queue_policy", "fresh", tf_queue_policy(account, "fresh", jsonencode(policy))
    )
    path = state.write(tmp_path / "narrow.tfstate")
    config = single_account_config(account, path)
    unit = Unit("test", "us-east-1", "sqs")
    narrowed = Engine(config, Selection(resource_types=("aws_sqs_queue",))).scan_unit(unit)
    assert narrowed.status == "ok", narrowed.error_message
    assert narrowed.findings == []
    assert narrowed.managed == 1
