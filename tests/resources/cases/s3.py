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
from tests.resources.test_s3_declared import configure, locked_bucket, tf_declared


def _bucket(account: Any) -> Built:
    # every setting it compares only where a state sets it (s3_declared.py) set, in the
    # 4.x+ computed copies' shape; 3.x's inline shape: tests/resources/test_s3_declared.py
    name = locked_bucket(account, "bucket")
    target = make_bucket(account, "replica")
    configure(account, name, target)
    versioned = [{"enabled": True, "mfa_delete": False}]
    declared = tf_declared(account, name, target)
    declared.update(object_lock_enabled=True, timeouts=None, acl=None, bucket_prefix="")
    return Built(
        [
            Res("aws_s3_bucket", "b", declared),
            Res("aws_s3_bucket", "t", tf_bucket(target, versioning=versioned)),
        ],
        import_id=name,
    )


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
        # versioning enabled: a change is mfa_delete switched on
        mutations={
            "server_side_encryption_configuration": [{"rule": tf_rule("aws:kms", KMS_KEY)}],
            "versioning": [{"enabled": True, "mfa_delete": True}],
        },
    ),
    TypeCase(type="aws_s3_bucket_versioning", build=_versioning),
    TypeCase(type="aws_s3_bucket_public_access_block", build=_public_access_block),
    TypeCase(type="aws_s3_bucket_server_side_encryption_configuration", build=_encryption),
    TypeCase(type="aws_s3_bucket_policy", build=_policy),
]


# --- lifecycle, logging, ownership controls, ACL (s3_settings.py) -------------------------

LIFECYCLE_RULES = [
    {
        "ID": "expire-logs",
        "Status": "Enabled",
        "Filter": {"Prefix": "logs/"},
        "Expiration": {"Days": 90},
        "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}],
        "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2},
    }
]
# as provider 5.x writes it: every member, unset ones as 0, false, "" or null
TF_LIFECYCLE_RULE = [
    {
        "id": "expire-logs",
        "status": "Enabled",
        "prefix": "",
        "filter": [
            {
                "prefix": "logs/",
                "and": [],
                "tag": [],
                "object_size_greater_than": None,
                "object_size_less_than": None,
            }
        ],
        "expiration": [{"days": 90, "date": None, "expired_object_delete_marker": False}],
        "transition": [{"days": 30, "date": None, "storage_class": "STANDARD_IA"}],
        "noncurrent_version_expiration": [
            {"noncurrent_days": 7, "newer_noncurrent_versions": None}
        ],
        "noncurrent_version_transition": [],
        "abort_incomplete_multipart_upload": [{"days_after_initiation": 2}],
    }
]


def _lifecycle(account: Any) -> Built:
    name = make_bucket(account, "lifecycle")
    account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=name, LifecycleConfiguration={"Rules": LIFECYCLE_RULES}
    )
    state = {
        "id": name,
        "bucket": name,
        "expected_bucket_owner": "",
        "rule": TF_LIFECYCLE_RULE,
        "timeouts": None,
        "transition_default_minimum_object_size": "all_storage_classes_128K",
    }
    return _with_bucket(name, Res("aws_s3_bucket_lifecycle_configuration", "l", state))


def _logging(account: Any) -> Built:
    s3 = account.client("s3")
    target = make_bucket(account, "logs")
    s3.put_bucket_acl(Bucket=target, ACL="log-delivery-write")
    name = make_bucket(account, "logged")
    s3.put_bucket_logging(
        Bucket=name,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "app/"}},
    )
    state = {
        "id": name,
        "bucket": name,
        "expected_bucket_owner": "",
        "target_bucket": target,
        "target_prefix": "app/",
        "target_grant": [],
        "target_object_key_format": [],
    }
    return Built(
        [
            Res("aws_s3_bucket_logging", "l", state),
            Res("aws_s3_bucket", "b", tf_bucket(name)),
            Res("aws_s3_bucket", "t", tf_bucket(target)),
            Res("aws_s3_bucket_acl", "ta", tf_acl(account, target, "log-delivery-write")),
        ],
        import_id=name,
    )


def _ownership(account: Any) -> Built:
    name = make_bucket(account, "ownership")
    account.client("s3").put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    )
    state = {"id": name, "bucket": name, "rule": [{"object_ownership": "BucketOwnerPreferred"}]}
    return _with_bucket(name, Res("aws_s3_bucket_ownership_controls", "o", state))


READ_GROUP = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


def tf_acl(account: Any, name: str, acl: str = "") -> dict[str, Any]:
    """aws_s3_bucket_acl as the provider reads it back from the bucket's current ACL."""
    answer = account.client("s3").get_bucket_acl(Bucket=name)

    def grantee(api: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "display_name": api.get("DisplayName", ""),
                "email_address": api.get("EmailAddress", ""),
                "id": api.get("ID", ""),
                "type": api["Type"],
                "uri": api.get("URI", ""),
            }
        ]

    owner = answer["Owner"]
    return {
        "id": f"{name},{acl}" if acl else name,
        "bucket": name,
        "acl": acl,
        "expected_bucket_owner": "",
        "access_control_policy": [
            {
                "grant": [
                    {"grantee": grantee(g["Grantee"]), "permission": g["Permission"]}
                    for g in answer["Grants"]
                ],
                "owner": [{"id": owner["ID"], "display_name": owner.get("DisplayName", "")}],
            }
        ],
    }


def _acl(account: Any) -> Built:
    s3 = account.client("s3")
    name = make_bucket(account, "acl")
    owner = s3.get_bucket_acl(Bucket=name)["Owner"]
    s3.put_bucket_acl(
        Bucket=name,
        AccessControlPolicy={
            "Owner": owner,
            "Grants": [
                {
                    "Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                    "Permission": "FULL_CONTROL",
                },
                {"Grantee": {"Type": "Group", "URI": READ_GROUP}, "Permission": "READ"},
            ],
        },
    )

    return _with_bucket(name, Res("aws_s3_bucket_acl", "a", tf_acl(account, name)))


CASES += [
    TypeCase(type="aws_s3_bucket_lifecycle_configuration", build=_lifecycle),
    TypeCase(
        type="aws_s3_bucket_logging",
        build=_logging,
        mutations={
            "target_grant": [
                {"grantee": [{"type": "Group", "uri": READ_GROUP}], "permission": "READ"}
            ]
        },
    ),
    TypeCase(
        type="aws_s3_bucket_ownership_controls",
        build=_ownership,
        mutations={"rule": [{"object_ownership": "ObjectWriter"}]},
    ),
    TypeCase(
        type="aws_s3_bucket_acl",
        build=_acl,
        # the generic change alters the grantee's display name, which AWS no longer answers
        mutations={"access_control_policy": [{"grant": [], "owner": [{"id": "someone"}]}]},
    ),
]
