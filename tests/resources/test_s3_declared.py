"""A bucket's cors, website, replication, object lock and acceleration settings
(``s3_declared.py``) against a real moto server: read only for buckets whose state sets them,
compared in the provider 3.x inline shape, and left alone when a 5.x split resource
manages them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.resources import REGISTRY
from driftq.resources.enumerate import live_resources
from tests.conftest import single_account_config
from tests.resources.test_s3 import DEFAULT_TAGS, UNIT, by_key, make_bucket, scan, tf_bucket
from tests.support.estate import StateFile, unique

CORS = {
    "AllowedHeaders": ["*"],
    "AllowedMethods": ["GET", "PUT"],
    "AllowedOrigins": ["https://example.com"],
    "ExposeHeaders": ["ETag"],
    "MaxAgeSeconds": 3000,
}
# as provider 3.x writes it
TF_CORS = [
    {
        "allowed_headers": ["*"],
        "allowed_methods": ["PUT", "GET"],
        "allowed_origins": ["https://example.com"],
        "expose_headers": ["ETag"],
        "max_age_seconds": 3000,
    }
]
ROUTING = [{"Condition": {"KeyPrefixEquals": "docs/"}, "Redirect": {"ReplaceKeyPrefixWith": "d/"}}]
WEBSITE = {
    "IndexDocument": {"Suffix": "index.html"},
    "ErrorDocument": {"Key": "error.html"},
    "RoutingRules": ROUTING,
}
TF_WEBSITE = [
    {
        "index_document": "index.html",
        "error_document": "error.html",
        "redirect_all_requests_to": "",
        # the provider's own JSON text: other key order and spacing than the scanner's
        "routing_rules": json.dumps(ROUTING, indent=2, sort_keys=True),
    }
]
RETENTION = {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}
TF_LOCK = [
    {
        "object_lock_enabled": "Enabled",
        "rule": [{"default_retention": [{"mode": "GOVERNANCE", "days": 30, "years": 0}]}],
    }
]


def replication_role(account: Any) -> str:
    return f"arn:aws:iam::{account.id}:role/replication"


def tf_replication(account: Any, target: str) -> list[dict[str, Any]]:
    return [
        {
            "role": replication_role(account),
            "rules": [
                {
                    "id": "all",
                    "priority": 1,
                    "prefix": "",
                    "status": "Enabled",
                    "delete_marker_replication_status": "",
                    "filter": [{"prefix": "", "tags": {}}],
                    "destination": [
                        {
                            "bucket": f"arn:aws:s3:::{target}",
                            "storage_class": "STANDARD_IA",
                            "replica_kms_key_id": "",
                            "account_id": "",
                            "access_control_translation": [],
                            "replication_time": [],
                            "metrics": [],
                        }
                    ],
                    "source_selection_criteria": [],
                }
            ],
        }
    ]


def configure(account: Any, name: str, target: str) -> None:
    """Every setting of s3_declared on ``name`` (created with object lock), replicating to
    ``target``."""
    s3 = account.client("s3")
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [CORS]})
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration=WEBSITE)
    s3.put_object_lock_configuration(
        Bucket=name, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": RETENTION}
    )
    s3.put_bucket_accelerate_configuration(
        Bucket=name, AccelerateConfiguration={"Status": "Enabled"}
    )
    for bucket in (name, target):
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(
        Bucket=name,
        ReplicationConfiguration={
            "Role": replication_role(account),
            "Rules": [
                {
                    "ID": "all",
                    "Priority": 1,
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {
                        "Bucket": f"arn:aws:s3:::{target}",
                        "StorageClass": "STANDARD_IA",
                    },
                }
            ],
        },
    )


def locked_bucket(account: Any, prefix: str) -> str:
    """A bucket created with object lock (which also turns versioning on)."""
    name = unique(prefix)
    s3 = account.client("s3")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    s3.put_bucket_tagging(
        Bucket=name,
        Tagging={
            "TagSet": [{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]
        },
    )
    return name


def tf_declared(account: Any, name: str, target: str, **over: Any) -> dict[str, Any]:
    """The bucket as provider 3.x writes it with every setting of ``configure`` inline."""
    return tf_bucket(
        name,
        provider3=True,
        cors_rule=TF_CORS,
        website=TF_WEBSITE,
        website_endpoint=f"{name}.s3-website-us-east-1.amazonaws.com",
        replication_configuration=tf_replication(account, target),
        object_lock_configuration=TF_LOCK,
        acceleration_status="Enabled",
        **{"versioning": [{"enabled": True, "mfa_delete": False}], **over},
    )


def _versioned_target(account: Any) -> str:
    return make_bucket(account, "replica")


def test_declared_settings_match_then_drift(account: Any, tmp_path: Path) -> None:
    name = locked_bucket(account, "declared")
    target = _versioned_target(account)
    configure(account, name, target)
    state = (
        StateFile()
        .add("aws_s3_bucket", "b", tf_declared(account, name, target), provider="provider.aws")
        .add(
            "aws_s3_bucket",
            "t",
            tf_bucket(target, provider3=True, versioning=[{"enabled": True, "mfa_delete": False}]),
            provider="provider.aws",
        )
    )
    assert scan(account, tmp_path, state).findings == []

    s3 = account.client("s3")
    s3.put_bucket_cors(
        Bucket=name, CORSConfiguration={"CORSRules": [{**CORS, "AllowedOrigins": ["*"]}]}
    )
    s3.delete_bucket_website(Bucket=name)
    s3.put_bucket_accelerate_configuration(
        Bucket=name, AccelerateConfiguration={"Status": "Suspended"}
    )
    s3.put_object_lock_configuration(
        Bucket=name,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 30}},
        },
    )
    s3.delete_bucket_replication(Bucket=name)
    finding = by_key(scan(account, tmp_path, state))[("drifted", "aws_s3_bucket", name)]
    found = {c.attribute: (c.expected, c.actual) for c in finding.changes}
    assert set(found) == {
        "cors_rule",
        "website",
        "acceleration_status",
        "object_lock_configuration",
        "replication_configuration",
    }
    assert found["acceleration_status"] == ("Enabled", "Suspended")
    assert found["website"][1] == []


def test_buckets_not_declaring_a_setting_are_not_asked(account: Any, tmp_path: Path) -> None:
    """Only the bucket whose state sets `cors_rule` is asked for its CORS; a bucket with
    CORS set outside Terraform but none in its state is neither asked nor drift, and
    neither is the bucket of a 5.x split resource."""
    s3 = account.client("s3")
    declared, quiet, split = (make_bucket(account, p) for p in ("cors", "quiet", "split"))
    for name in (declared, quiet, split):
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [CORS]})
    split_state = {
        "id": split,
        "bucket": split,
        "expected_bucket_owner": "",
        "cors_rule": [{**TF_CORS[0], "id": ""}],
    }
    state = (
        StateFile()
        .add("aws_s3_bucket", "d", tf_bucket(declared, cors_rule=TF_CORS))
        .add("aws_s3_bucket", "q", tf_bucket(quiet))
        # refreshed before the split resource widened the origins: a stale copy
        .add(
            "aws_s3_bucket", "s", tf_bucket(split, cors_rule=[{**TF_CORS[0], "max_age_seconds": 1}])
        )
        .add("aws_s3_bucket_cors_configuration", "c", split_state)
    )
    path = state.write(tmp_path / "s3.tfstate")
    engine = Engine(single_account_config(account, path, ["us-east-1"]))
    asked: list[str] = []

    def factory(service: str, region: str | None = None) -> Any:
        client = account.client(service, region or "us-east-1")
        client.meta.events.register(
            "before-parameter-build",
            lambda model, params, **_: asked.append(f"{model.name}:{params.get('Bucket')}"),
        )
        return client

    ctx = engine.context(engine.config.account("test"), UNIT, engine.state_index("test"))
    ctx.client_factory = factory
    live = {r.identity: r for r in live_resources(REGISTRY["aws_s3_bucket"], ctx)}
    assert [a for a in asked if a.startswith("GetBucketCors")] == [f"GetBucketCors:{declared}"]
    assert "cors_rule" in live[declared].attributes
    assert "cors_rule" not in live[quiet].attributes
    assert not [a for a in asked if a.split(":")[0] in _DECLARED_OPERATIONS]
    assert Engine(engine.config).scan_unit(UNIT).findings == []


_DECLARED_OPERATIONS = {
    "GetBucketWebsite",
    "GetBucketReplication",
    "GetObjectLockConfiguration",
    "GetBucketAccelerateConfiguration",
}


def test_not_configured_answers_are_empty(account: Any, tmp_path: Path) -> None:
    """A 3.x state declaring settings the bucket no longer has: AWS's not-found codes read
    as empty, drift at each attribute (not a failed unit)."""
    name = make_bucket(account, "bare")
    target = make_bucket(account, "bare-target")
    state = StateFile().add(
        "aws_s3_bucket",
        "b",
        tf_declared(account, name, target, versioning=[]),
        provider="provider.aws",
    )
    found = by_key(scan(account, tmp_path, state))
    changed = {c.attribute for c in found[("drifted", "aws_s3_bucket", name)].changes}
    assert changed == {
        "cors_rule",
        "website",
        "replication_configuration",
        "object_lock_configuration",
        "acceleration_status",
    }
