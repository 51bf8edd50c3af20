"""SNS topics and topic policies against a real moto server: one regional unit per account.

Every topic has a policy: AWS writes its default one when none is set, and the provider
records it in the topic's state (the driftctl fixture holds the 9-action form older accounts
got; moto, like AWS today, writes 8 actions). That default must match a state holding either
form or nothing at all. States are provider 5.x-shaped (tags_all with a default tag).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.model import Finding, Unit, UnitResult
from driftq.resources.sns import is_default_topic_policy
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

REGION = "us-east-1"
UNIT = Unit("test", REGION, "sns")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only
DEFAULT_ACTIONS = [
    "SNS:GetTopicAttributes",
    "SNS:SetTopicAttributes",
    "SNS:AddPermission",
    "SNS:RemovePermission",
    "SNS:DeleteTopic",
    "SNS:Subscribe",
    "SNS:ListSubscriptionsByTopic",
    "SNS:Publish",
]


def arn_of(account: Any, name: str) -> str:
    return f"arn:aws:sns:{REGION}:{account.id}:{name}"


def default_policy(arn: str, owner: Any = None, receive: bool = True) -> dict[str, Any]:
    """AWS's default topic policy (with `SNS:Receive`, as the driftctl fixture has it)."""
    owner = arn.split(":")[4] if owner is None else owner
    return {
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [
            {
                "Sid": "__default_statement_ID",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": DEFAULT_ACTIONS + (["SNS:Receive"] if receive else []),
                "Resource": arn,
                "Condition": {"StringEquals": {"AWS:SourceOwner": owner}},
            }
        ],
    }


def publish_policy(arn: str, principal: str = "*") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Publish",
                "Effect": "Allow",
                "Principal": {"AWS": principal},
                "Action": "sns:Publish",
                "Resource": arn,
            }
        ],
    }


def jsonencode(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


# --- AWS side -----------------------------------------------------------------------------


def make_topic(account: Any, name: str, **attributes: str) -> str:
    if name.endswith(".fifo"):
        attributes.setdefault("FifoTopic", "true")
    tags = {"Name": name, **DEFAULT_TAGS}
    return account.client("sns", REGION).create_topic(
        Name=name,
        Attributes=attributes,
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["TopicArn"]


def set_attribute(account: Any, arn: str, name: str, value: str) -> None:
    account.client("sns", REGION).set_topic_attributes(
        TopicArn=arn, AttributeName=name, AttributeValue=value
    )


# --- Terraform side -----------------------------------------------------------------------


def tf_topic(account: Any, name: str, **overrides: Any) -> dict[str, Any]:
    arn = arn_of(account, name)
    attrs: dict[str, Any] = {"id": arn, "arn": arn, "name": name, "name_prefix": ""}
    for kind in ("application", "firehose", "http", "lambda", "sqs"):
        attrs[f"{kind}_failure_feedback_role_arn"] = ""
        attrs[f"{kind}_success_feedback_role_arn"] = ""
        attrs[f"{kind}_success_feedback_sample_rate"] = 0
    attrs.update(
        archive_policy="",
        beginning_archive_time="",
        content_based_deduplication=False,
        delivery_policy="",
        display_name="",
        fifo_topic=name.endswith(".fifo"),
        kms_master_key_id="",
        owner=account.id,
        policy=jsonencode(default_policy(arn)),
        signature_version=0,
        tags={"Name": name},
        tags_all={"Name": name, **DEFAULT_TAGS},
        tracing_config="",
    )
    attrs.update(overrides)
    return attrs


def tf_topic_policy(account: Any, name: str, policy: str) -> dict[str, Any]:
    arn = arn_of(account, name)
    return {"id": arn, "arn": arn, "owner": account.id, "policy": policy}


def scan(account: Any, tmp_path: Path, state: StateFile) -> UnitResult:
    return scan_ok(account, tmp_path, state, UNIT)


def by_key(result: UnitResult) -> dict[tuple[str, str, str], Finding]:
    return {(f.kind, f.resource_type, f.resource_id): f for f in result.findings}


# --- tests --------------------------------------------------------------------------------

ARN = "arn:aws:sns:us-east-1:123456789012:alerts"


@pytest.mark.parametrize(
    ("policy", "is_default"),
    [
        (default_policy(ARN), True),
        (default_policy(ARN, receive=False), True),
        (json.dumps(default_policy(ARN), indent=2), True),
        (default_policy(ARN, owner=["123456789012"]), True),
        (default_policy(ARN, owner="999999999999"), False),  # another account's owner
        (default_policy(ARN, owner=[]), False),  # the driftctl fixture's odd empty owner
        (
            {**default_policy(ARN), "Statement": [*default_policy(ARN)["Statement"], {}]},
            False,
        ),
        (
            {
                **default_policy(ARN),
                "Statement": [
                    {**default_policy(ARN)["Statement"][0], "Principal": "*", "Condition": {}}
                ],
            },
            False,  # the same actions for everyone: not the default
        ),
        (publish_policy(ARN), False),
        ("", False),
        (None, False),
    ],
    ids=[
        "with-receive",
        "without-receive",
        "indented-text",
        "owner-as-list",
        "other-owner",
        "empty-owner",
        "extra-statement",
        "no-condition",
        "custom",
        "empty",
        "null",
    ],
)
def test_default_topic_policy_recognition(policy: Any, is_default: bool) -> None:
    assert is_default_topic_policy(policy) is is_default


def test_matching_topics_are_silent(account: Any, tmp_path: Path) -> None:
    for name in ("recorded-default", "empty-policy", "orders.fifo"):
        make_topic(account, name)
    custom = make_topic(account, "custom")
    set_attribute(account, custom, "Policy", json.dumps(publish_policy(custom), indent=2))
    state = (
        StateFile()
        # the default as an older account's AWS wrote it (with SNS:Receive)
        .add("aws_sns_topic", "recorded", tf_topic(account, "recorded-default"))
        .add("aws_sns_topic", "empty", tf_topic(account, "empty-policy", policy=""))
        .add("aws_sns_topic", "fifo", tf_topic(account, "orders.fifo"))
        .add(
            "aws_sns_topic",
            "custom",
            tf_topic(account, "custom", policy=jsonencode(publish_policy(custom))),
        )
    )
    assert scan(account, tmp_path, state).findings == []


def test_missing_unmanaged_and_drifted(account: Any, tmp_path: Path) -> None:
    alerts = make_topic(account, "alerts")
    by_hand = make_topic(account, "by-hand")
    reset = make_topic(account, "reset")  # its custom policy was reset to AWS's default
    opened = make_topic(account, "opened")  # a custom policy replaced the default
    set_attribute(account, alerts, "DisplayName", "Alerts!")
    account.client("sns", REGION).tag_resource(
        ResourceArn=alerts, Tags=[{"Key": "Owner", "Value": "someone"}]
    )
    set_attribute(account, opened, "Policy", json.dumps(publish_policy(opened)))
    state = (
        StateFile()
        .add("aws_sns_topic", "alerts", tf_topic(account, "alerts"))
        .add("aws_sns_topic", "gone", tf_topic(account, "gone"))
        .add(
            "aws_sns_topic",
            "reset",
            tf_topic(account, "reset", policy=jsonencode(publish_policy(reset))),
        )
        .add("aws_sns_topic", "opened", tf_topic(account, "opened"))
    )

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {
        ("drifted", "aws_sns_topic", alerts),
        ("missing", "aws_sns_topic", arn_of(account, "gone")),
        ("unmanaged", "aws_sns_topic", by_hand),
        ("drifted", "aws_sns_topic", reset),
        ("drifted", "aws_sns_topic", opened),
    }
    assert changes(found["drifted", "aws_sns_topic", alerts]) == {
        "display_name": ("", "Alerts!"),
        "tags.Owner": (None, "someone"),
    }
    # the default reads as "none set" on either side
    reset_change = changes(found["drifted", "aws_sns_topic", reset])
    assert list(reset_change) == ["policy"] and reset_change["policy"][1] is None
    opened_change = changes(found["drifted", "aws_sns_topic", opened])
    assert list(opened_change) == ["policy"] and opened_change["policy"][0] is None


def test_topic_policy_resource_and_inline_policy(account: Any, tmp_path: Path) -> None:
    """The topic's `policy` and an aws_sns_topic_policy are one setting, reported once."""
    fresh = make_topic(account, "fresh")
    edited = make_topic(account, "edited")
    loose = make_topic(account, "loose")  # unmanaged, with a custom policy
    for arn in (fresh, loose):
        set_attribute(account, arn, "Policy", json.dumps(publish_policy(arn)))
    set_attribute(account, edited, "Policy", json.dumps(publish_policy(edited, "111122223333")))
    state = StateFile()
    for name, arn in (("fresh", fresh), ("edited", edited)):
        # applied just now: the topic's own state still holds AWS's default policy
        state.add("aws_sns_topic", name, tf_topic(account, name))
        state.add(
            "aws_sns_topic_policy",
            name,
            tf_topic_policy(account, name, jsonencode(publish_policy(arn))),
        )

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {
        ("drifted", "aws_sns_topic_policy", edited),
        ("unmanaged", "aws_sns_topic", loose),
    }
    change = changes(found["drifted", "aws_sns_topic_policy", edited])
    assert list(change) == ["policy"] and "111122223333" in change["policy"][1]
