"""The read-only guard admits exactly the operations the specs declare, the role assumption
and the state reads; anything else is refused before it is sent (a recording proxy in front
of moto shows that no request left)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from driftq.aws import AwsAccess, Identity
from driftq.aws.guard import ORGANIZATIONS_READS, allowed_operations, is_allowed
from driftq.errors import ReadOnlyViolation
from driftq.resources import REGISTRY
from tests.support.estate import unique
from tests.support.proxy import Proxy, recording_proxy

# read-named calls that mint credentials or reach data, and plain writes
REFUSED = [
    ("sts", "GetSessionToken"),
    ("sts", "GetFederationToken"),
    ("sts", "AssumeRoleWithWebIdentity"),
    ("redshift", "GetClusterCredentials"),
    ("secretsmanager", "GetSecretValue"),
    ("ssm", "GetParameter"),
    ("s3", "PutObject"),
    ("s3", "DeleteBucket"),
    ("ec2", "CreateVpc"),
    ("ec2", "TerminateInstances"),
    ("iam", "CreateUser"),
    ("iam", "GetCredentialReport"),  # a read, but nothing calls it: not on the list
    ("sqs", "PurgeQueue"),
    ("kms", "Decrypt"),
]


@pytest.mark.parametrize("rtype", sorted(REGISTRY))
def test_guard_admits_every_operation_of_each_spec(rtype: str) -> None:
    spec = REGISTRY[rtype]
    assert spec.operations_called, rtype
    for service, operation in spec.operations_called:
        assert is_allowed(service, operation), f"{rtype}: {service}:{operation}"
    for service, operation in REFUSED:
        assert not is_allowed(service, operation), f"{service}:{operation}"


def test_allow_list_is_the_specs_plus_session_and_state_reads() -> None:
    """...and the single-resource reads of an event-triggered scan (`GetRole` where a full
    scan sends GetAccountAuthorizationDetails), declared in driftq/events/narrow.py."""
    from driftq.events.narrow import operations as narrowed_reads

    declared = {op for spec in REGISTRY.values() for op in spec.operations_called}
    extra = allowed_operations() - declared
    assert extra == {
        ("sts", "AssumeRole"),
        ("s3", "GetObject"),
        ("s3", "ListObjectsV2"),
        *ORGANIZATIONS_READS,
        *(narrowed_reads() - declared),
    }
    assert all(op.startswith(("Get", "List", "Describe")) for _, op in narrowed_reads())


@pytest.fixture
def proxied(aws: Any) -> Iterator[Proxy]:
    """AWS_ENDPOINT_URL pointed at a recording proxy in front of the moto server."""
    with recording_proxy(aws.url) as proxy:
        saved = os.environ["AWS_ENDPOINT_URL"]
        os.environ["AWS_ENDPOINT_URL"] = proxy.url
        try:
            yield proxy
        finally:
            os.environ["AWS_ENDPOINT_URL"] = saved


@pytest.mark.parametrize(
    ("service", "operation", "kwargs"),
    [
        ("ec2", "create_vpc", {"CidrBlock": "10.0.0.0/16"}),
        ("ec2", "terminate_instances", {"InstanceIds": ["i-123"]}),
        ("s3", "delete_bucket", {"Bucket": "anything"}),
        ("iam", "create_user", {"UserName": "mallory"}),
        ("sqs", "purge_queue", {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q"}),
        ("sts", "get_session_token", {}),
        ("sts", "get_federation_token", {"Name": "mallory"}),
    ],
)
def test_read_only_guard_refuses_mutating_calls(
    account: Any, proxied: Proxy, service: str, operation: str, kwargs: dict[str, Any]
) -> None:
    client = AwsAccess().client(Identity(account.role_arn, "ext"), service, "us-east-1")
    before = len(proxied.requests())
    assert before >= 1  # the AssumeRole went through the proxy: it sees driftq's traffic
    with pytest.raises(ReadOnlyViolation, match="only read operations"):
        getattr(client, operation)(**kwargs)
    assert proxied.requests()[before:] == []  # refused before sending


def test_refused_call_leaves_the_emulator_unchanged(account: Any, proxied: Proxy) -> None:
    name = unique("kept")
    account.client("s3").create_bucket(Bucket=name)
    client = AwsAccess().client(Identity(account.role_arn, "ext"), "s3", "us-east-1")
    with pytest.raises(ReadOnlyViolation):
        client.delete_bucket(Bucket=name)
    assert not [r for r in proxied.requests() if r.method == "DELETE"]
    assert name in [b["Name"] for b in account.client("s3").list_buckets()["Buckets"]]


def test_admitted_reads_reach_the_emulator(account: Any, proxied: Proxy) -> None:
    client = AwsAccess().client(Identity(account.role_arn, "ext"), "ec2", "us-east-1")
    assert client.describe_vpcs()["Vpcs"]
    assert any(r.mentions("DescribeVpcs") for r in proxied.requests())


def test_guard_is_installed_on_caller_clients_too(aws: Any) -> None:
    client = AwsAccess().client(Identity(), "ec2", "us-east-1")
    with pytest.raises(ReadOnlyViolation):
        client.create_vpc(CidrBlock="10.9.0.0/16")
    assert client.describe_vpcs()["Vpcs"]  # reads pass
