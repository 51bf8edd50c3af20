"""KMS keys against a real moto server: one regional unit per account.

States are provider 5.x-shaped (tags_all with a default tag, `deletion_window_in_days` that
exists only in the state). AWS-managed keys appear in every account as soon as a service
uses them; moto makes one when its `alias/aws/*` alias is first described (and, unlike AWS,
labels it KeyManager CUSTOMER: the alias is what marks it here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.model import Finding, Unit, UnitResult
from driftq.resources.kms import is_default_key_policy
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

REGION = "us-east-1"
UNIT = Unit("test", REGION, "kms")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only


def default_key_policy(account_id: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


def admin_policy(account_id: str) -> dict[str, Any]:
    policy = default_key_policy(account_id)
    policy["Id"] = "key-admins"
    policy["Statement"].append(
        {
            "Sid": "Admins",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:role/admin"},
            "Action": ["kms:Describe*", "kms:Put*"],
            "Resource": "*",
        }
    )
    return policy


def jsonencode(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


# --- AWS side -----------------------------------------------------------------------------


def make_key(account: Any, description: str, **params: Any) -> str:
    tags = {"Name": description, **DEFAULT_TAGS}
    # the provider always sends the usage (moto, unlike AWS, reports none when none was sent)
    params.setdefault("KeyUsage", "ENCRYPT_DECRYPT")
    return account.client("kms", REGION).create_key(
        Description=description,
        Tags=[{"TagKey": k, "TagValue": v} for k, v in tags.items()],
        **params,
    )["KeyMetadata"]["KeyId"]


# --- Terraform side -----------------------------------------------------------------------


def tf_key(account: Any, key_id: str, description: str, **overrides: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "arn": f"arn:aws:kms:{REGION}:{account.id}:key/{key_id}",
        "bypass_policy_lockout_safety_check": False,
        "custom_key_store_id": "",
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "deletion_window_in_days": 10,
        "description": description,
        "enable_key_rotation": False,
        "id": key_id,
        "is_enabled": True,
        "key_id": key_id,
        "key_usage": "ENCRYPT_DECRYPT",
        "multi_region": False,
        "policy": jsonencode(default_key_policy(account.id)),
        "rotation_period_in_days": 0,
        "tags": {"Name": description},
        "tags_all": {"Name": description, **DEFAULT_TAGS},
        "timeouts": None,
        "xks_key_id": "",
    }
    attrs.update(overrides)
    return attrs


def scan(account: Any, tmp_path: Path, state: StateFile) -> UnitResult:
    return scan_ok(account, tmp_path, state, UNIT)


def by_key(result: UnitResult) -> dict[tuple[str, str], Finding]:
    return {(f.kind, f.resource_id): f for f in result.findings}


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "is_default"),
    [
        (default_key_policy("123456789012"), True),
        (json.dumps(default_key_policy("123456789012"), indent=4), True),
        (admin_policy("123456789012"), False),
        ({**default_key_policy("123456789012"), "Id": "key-consolepolicy-3"}, False),
        ("", False),
    ],
    ids=["default", "default-as-text", "extra-statement", "console-policy", "empty"],
)
def test_default_key_policy_recognition(policy: Any, is_default: bool) -> None:
    assert is_default_key_policy(policy) is is_default


def test_matching_keys_are_silent_and_aws_keys_stay_silent(account: Any, tmp_path: Path) -> None:
    kms = account.client("kms", REGION)
    plain = make_key(account, "plain")
    no_policy = make_key(account, "no-policy")
    custom = make_key(account, "custom", Policy=json.dumps(admin_policy(account.id), indent=2))
    signing = make_key(account, "signing", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    # AWS's own keys and a key on its way out: none is ever reported
    kms.describe_key(KeyId="alias/aws/s3")
    kms.describe_key(KeyId="alias/aws/ebs")
    kms.schedule_key_deletion(KeyId=make_key(account, "leaving"), PendingWindowInDays=7)
    state = (
        StateFile()
        .add("aws_kms_key", "plain", tf_key(account, plain, "plain"))
        # a state that never recorded the policy AWS wrote for it
        .add("aws_kms_key", "no_policy", tf_key(account, no_policy, "no-policy", policy=""))
        .add(
            "aws_kms_key",
            "custom",
            tf_key(account, custom, "custom", policy=jsonencode(admin_policy(account.id))),
        )
        .add(
            "aws_kms_key",
            "signing",
            tf_key(
                account,
                signing,
                "signing",
                customer_master_key_spec="RSA_2048",
                key_usage="SIGN_VERIFY",
                deletion_window_in_days=None,
            ),
        )
    )
    assert scan(account, tmp_path, state).findings == []


def test_missing_unmanaged_and_drifted(account: Any, tmp_path: Path) -> None:
    kms = account.client("kms", REGION)
    app = make_key(account, "app")
    off = make_key(account, "off")
    by_hand = make_key(account, "by-hand")
    deleted = make_key(account, "deleted")
    kms.update_key_description(KeyId=app, Description="app (edited)")
    kms.enable_key_rotation(KeyId=app)
    kms.tag_resource(KeyId=app, Tags=[{"TagKey": "Owner", "TagValue": "someone"}])
    kms.disable_key(KeyId=off)
    kms.put_key_policy(KeyId=off, PolicyName="default", Policy=json.dumps(admin_policy(account.id)))
    kms.schedule_key_deletion(KeyId=deleted, PendingWindowInDays=7)
    state = (
        StateFile()
        .add("aws_kms_key", "app", tf_key(account, app, "app"))
        .add("aws_kms_key", "off", tf_key(account, off, "off"))
        .add("aws_kms_key", "deleted", tf_key(account, deleted, "deleted"))
    )

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {
        ("drifted", app),
        ("drifted", off),
        ("missing", deleted),  # pending deletion is deleted for Terraform
        ("unmanaged", by_hand),  # the key id: what `terraform import` takes
    }
    assert changes(found["drifted", app]) == {
        "description": ("app", "app (edited)"),
        "enable_key_rotation": (False, True),
        "tags.Owner": (None, "someone"),
    }
    off_changes = changes(found["drifted", off])
    assert set(off_changes) == {"is_enabled", "policy"}
    assert off_changes["is_enabled"] == (True, False)
    # the default on one side reads as "none set"; the new policy is shown in full
    assert off_changes["policy"][0] is None and "key-admins" in off_changes["policy"][1]
