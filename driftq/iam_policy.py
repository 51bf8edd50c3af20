"""The least-privilege IAM policy of the scanning role, generated from the registry.

The read-only guard admits exactly the operations the specs declare; this turns the same
list into IAM actions (``iam_actions``) and a policy document (``scanner_policy``): the
resource reads, reading the Terraform state objects, and decrypting them with KMS through
S3 only. `driftq iam-policy` prints it; the deployment module and SECURITY.md use it.

Most IAM actions are `<prefix>:<Operation>`, the prefix being the service's signing name;
the exceptions are listed below (S3 names most of its actions after the setting, not the
API call), and the tests check every action against AWS's published list of actions and
their access levels (Read or List only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from driftq.aws.guard import STATE_READS, Operation, scan_operations

# boto3 clients whose IAM prefix is not their signing name
_PREFIX = {"resourcegroupstaggingapi": "tag", "cloudwatch": "cloudwatch"}
# operations whose IAM action has another name
_ACTION = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "GetBucketCors"): "s3:GetBucketCORS",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3", "GetBucketAccelerateConfiguration"): "s3:GetAccelerateConfiguration",
    ("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification",
    ("s3", "GetBucketIntelligentTieringConfiguration"): "s3:GetIntelligentTieringConfiguration",
    ("s3", "GetBucketAnalyticsConfiguration"): "s3:GetAnalyticsConfiguration",
    ("s3", "GetBucketInventoryConfiguration"): "s3:GetInventoryConfiguration",
    ("s3", "GetBucketMetricsConfiguration"): "s3:GetMetricsConfiguration",
}
VERSION = "2012-10-17"


def iam_action(service: str, operation: str) -> str:
    """The IAM action that authorizes one AWS operation of a boto3 client."""
    named = _ACTION.get((service, operation))
    if named is not None:
        return named
    return f"{_prefix(service)}:{operation}"


@cache
def _prefix(service: str) -> str:
    if service in _PREFIX:
        return _PREFIX[service]
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    return str(model.signing_name)


def iam_actions(operations: Iterable[Operation]) -> list[str]:
    return sorted({iam_action(service, operation) for service, operation in operations})


def scanner_policy(
    *,
    state_buckets: Iterable[str] = (),
    operations: Iterable[Operation] | None = None,
) -> dict[str, Any]:
    """The scanning role's policy document: every read the specs make, reading state
    objects (in ``state_buckets``, or any bucket), and KMS decryption of those objects
    through S3 (SSE-KMS states)."""
    buckets = sorted(set(state_buckets))
    objects: Any = [f"arn:aws:s3:::{b}/*" for b in buckets] or "*"
    listing: Any = [f"arn:aws:s3:::{b}" for b in buckets] or "*"
    return {
        "Version": VERSION,
        "Statement": [
            _allow(
                "DriftqReadResources",
                iam_actions(scan_operations() if operations is None else operations),
                "*",
            ),
            _allow("DriftqListStateObjects", ["s3:ListBucket"], listing),
            _allow("DriftqReadStateObjects", _state_object_actions(), objects),
            _allow(
                "DriftqDecryptState",
                ["kms:Decrypt"],
                "*",
                {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
            ),
        ],
    }


def _state_object_actions() -> list[str]:
    return sorted({iam_action(s, o) for s, o in STATE_READS} - {"s3:ListBucket"})


def _allow(
    sid: str, actions: list[str], resource: Any, condition: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": actions,
        "Resource": resource,
    }
    if condition:
        statement["Condition"] = dict(condition)
    return statement


def describe(policy: Mapping[str, Any]) -> str:
    """A short human view: each statement's actions, grouped by service."""
    lines: list[str] = []
    for statement in policy["Statement"]:
        lines.append(f"{statement['Sid']} on {statement['Resource']}:")
        by_prefix: dict[str, list[str]] = {}
        for action in statement["Action"]:
            prefix, _, name = action.partition(":")
            by_prefix.setdefault(prefix, []).append(name)
        for prefix, names in sorted(by_prefix.items()):
            lines.append(f"  {prefix}: {', '.join(names)}")
        if "Condition" in statement:
            lines.append(f"  when {statement['Condition']}")
    return "\n".join(lines)
