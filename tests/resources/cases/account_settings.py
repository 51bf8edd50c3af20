"""Account-level singleton cases: the account's S3 public access block (two of four switches
on, as in the driftctl fixture) and the region's default EBS encryption (on)."""

from __future__ import annotations

from typing import Any

from driftq.aws import emulator
from tests.resources.harness import Built, Res, TypeCase


def s3control(account: Any) -> Any:
    """The test's own S3 Control client, able to reach the emulator (see driftq.aws.emulator)."""
    client = account.client("s3control")
    emulator.adapt(client)
    return client


def _account_block(account: Any) -> Built:
    s3control(account).put_public_access_block(
        AccountId=account.id,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": False,
        },
    )
    state = {
        "id": account.id,
        "account_id": account.id,
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": False,
        "restrict_public_buckets": False,
    }
    return Built([Res("aws_s3_account_public_access_block", "account", state)], account.id)


def _ebs_default(account: Any) -> Built:
    account.client("ec2").enable_ebs_encryption_by_default()
    state = {"id": "terraform-20220328091515068500000001", "enabled": True}
    return Built([Res("aws_ebs_encryption_by_default", "on", state)], import_id="default")


CASES = [
    TypeCase(type="aws_s3_account_public_access_block", build=_account_block),
    TypeCase(
        type="aws_ebs_encryption_by_default",
        build=_ebs_default,
        # the setting always exists: turned off, it is drift of `enabled`
        deleted_as="drifted",
    ),
]
