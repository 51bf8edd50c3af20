"""The AWS layer against a real moto server: assume-role with external id, caching.

The read-only guard has its own tests (test_read_only_guard.py)."""

from __future__ import annotations

from typing import Any

from driftq.aws import AwsAccess, Identity


class CallLog:
    """A botocore before-call hook that records what driftq sends."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def __call__(self, model: Any, params: Any, **_: Any) -> None:
        body = params.get("body") if isinstance(params, dict) else None
        self.calls.append((model.service_model.service_name, model.name, dict(body or {})))


def test_assume_role_sends_the_external_id(account: Any) -> None:
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)])
    identity = Identity(account.role_arn, "driftq-external-42")
    access.client(identity, "ec2", "us-east-1").describe_vpcs()
    assume = [c for c in log.calls if c[1] == "AssumeRole"]
    assert len(assume) == 1
    assert assume[0][2]["RoleArn"] == account.role_arn
    assert assume[0][2]["ExternalId"] == "driftq-external-42"


def test_clients_and_credentials_are_cached_per_identity(account: Any) -> None:
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)])
    identity = Identity(account.role_arn, "ext-id")
    first = access.client(identity, "ec2", "us-east-1")
    assert access.client(identity, "ec2", "us-east-1") is first
    access.client(identity, "ec2", "us-west-2").describe_vpcs()
    access.client(identity, "iam", "us-east-1").list_roles()
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") == 1


def test_assumed_identity_sees_only_its_account(account: Any) -> None:
    account.client("sqs").create_queue(QueueName="only-here")
    access = AwsAccess()
    mine = access.client(Identity(account.role_arn, "ext"), "sqs", "us-east-1")
    other = access.client(Identity("arn:aws:iam::123412341234:role/x", "ext"), "sqs", "us-east-1")
    assert any("only-here" in url for url in mine.list_queues().get("QueueUrls", []))
    assert not any("only-here" in url for url in other.list_queues().get("QueueUrls", []))


def test_endpoint_url_setting_is_honoured(aws: Any) -> None:
    client = AwsAccess().client(Identity(), "sqs", "us-east-1")
    assert client.meta.endpoint_url == aws.url


def test_credentials_are_refreshed_before_they_expire(account: Any) -> None:
    """Short-lived role credentials (15 min, inside botocore's refresh window) are renewed
    with a new AssumeRole before use instead of failing with ExpiredToken mid-run."""
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)], session_duration=900)
    client = access.client(Identity(account.role_arn, "ext"), "ec2", "us-east-1")
    client.describe_vpcs()
    client.describe_vpcs()
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") >= 2
    long_lived = AwsAccess(hooks=[("before-call", log)])
    log.calls.clear()
    client = long_lived.client(Identity(account.role_arn, "ext"), "ec2", "us-east-1")
    client.describe_vpcs()
    client.describe_vpcs()
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") == 1
