"""S3 cases: a bucket and each of its four settings, as provider 4.x+ splits them."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_s3 import (
    KMS_KEY,
    jsonencode,
    make_bucket,
    pab_config,
    read_policy,
    sse_config,
    tf_bucket,
    tf_pab,
    tf_policy,
    tf_rule,
    tf_sse,
    tf_versioning,
)


def _bucket(account: Any) -> Built:
    name = make_bucket(account, "bucket")
    return Built([Res("aws_s3_bucket", "b", tf_bucket(name))], import_id=name)


def _with_bucket(name: str, setting: Res) -> Built:
    return Built([setting, Res("aws_s3_bucket", "b", tf_bucket(name))], import_id=name)


def _versioning(account: Any) -> Built:
    name = make_bucket(account, "versioned")
    account.client("s3").put_bucket_versioning(
        Bucket=name, VersioningConfiguration={"Status": "Enabled"}
    )
    return _with_bucket(name, Res("aws_s3_bucket_versioning", "v", tf_versioning(name, "Enabled")))


def _public_access_block(account: Any) -> Built:
    name = make_bucket(account, "pab")
    flags = (True, False, True, False)
    account.client("s3").put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration=pab_config(*flags)
    )
    return _with_bucket(name, Res("aws_s3_bucket_public_access_block", "p", tf_pab(name, *flags)))


def _encryption(account: Any) -> Built:
    name = make_bucket(account, "sse")
    account.client("s3").put_bucket_encryption(
        Bucket=name, ServerSideEncryptionConfiguration=sse_config("aws:kms", KMS_KEY)
    )
    state = tf_sse(name, tf_rule("aws:kms", KMS_KEY))
    return _with_bucket(name, Res("aws_s3_bucket_server_side_encryption_configuration", "e", state))


def _policy(account: Any) -> Built:
    name = make_bucket(account, "policy")
    policy = read_policy(name)
    account.client("s3").put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    return _with_bucket(name, Res("aws_s3_bucket_policy", "p", tf_policy(name, jsonencode(policy))))


CASES = [
    TypeCase(
        type="aws_s3_bucket",
        build=_bucket,
        # provider 3.x's inline encryption; an empty one is "not set"
        mutations={"server_side_encryption_configuration": [{"rule": tf_rule("aws:kms", KMS_KEY)}]},
    ),
    TypeCase(type="aws_s3_bucket_versioning", build=_versioning),
    TypeCase(type="aws_s3_bucket_public_access_block", build=_public_access_block),
    TypeCase(type="aws_s3_bucket_server_side_encryption_configuration", build=_encryption),
    TypeCase(type="aws_s3_bucket_policy", build=_policy),
]
