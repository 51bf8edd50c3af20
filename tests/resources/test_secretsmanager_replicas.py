"""A secret's replicas (DescribeSecret's ReplicationStatus) on recorded answers in botocore's
shape: a replica's own key (moto answers the default key only), a replica removed by hand,
and a secret no state holds (not asked, so not compared)."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _secret(*replicas: dict[str, Any], asked: bool = True) -> dict[str, Any]:
    item: dict[str, Any] = {"ARN": ARN, "Name": "db"}
    if asked:
        item["_Described"] = {"ARN": ARN, "Name": "db", "ReplicationStatus": list(replicas)}
    return item


def _replica(region: str, key: str = "", status: str = "InSync") -> dict[str, Any]:
    return {"region": region, "kms_key_id": key, "status": status, "last_accessed_date": ""}


EU = {"Region": "eu-west-1", "KmsKeyId": KEY, "Status": "InSync"}
US = {"Region": "us-west-2", "KmsKeyId": "alias/aws/secretsmanager", "Status": "Failed"}


def test_replicas_match_whatever_their_status() -> None:
    state = {"id": ARN, "replica": [_replica("us-west-2"), _replica("eu-west-1", KEY, "Pending")]}
    assert drifted("aws_secretsmanager_secret", _secret(EU, US), state) == []


def test_a_replica_removed_or_added_is_drift() -> None:
    state = {"id": ARN, "replica": [_replica("us-west-2"), _replica("eu-west-1", KEY)]}
    assert drifted("aws_secretsmanager_secret", _secret(US), state) == ["replica"]
    assert drifted("aws_secretsmanager_secret", _secret(EU, US), {"id": ARN, "replica": []}) == [
        "replica"
    ]


def test_a_replica_under_another_key_is_drift() -> None:
    state = {"id": ARN, "replica": [_replica("eu-west-1")]}
    assert drifted("aws_secretsmanager_secret", _secret(EU), state) == ["replica"]


def test_no_replicas_and_a_secret_not_asked_are_silent() -> None:
    assert drifted("aws_secretsmanager_secret", _secret(), {"id": ARN, "replica": []}) == []
    state = {"id": ARN, "replica": [_replica("eu-west-1")]}
    assert drifted("aws_secretsmanager_secret", _secret(asked=False), state) == []
