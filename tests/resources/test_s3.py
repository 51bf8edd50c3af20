"""S3 against a real moto server: buckets and their versioning, public access block,
encryption and policy; one global unit per account, each finding in its bucket's region.

States are written the way the provider writes them: provider 4.x+ (separate settings
resources, the bucket's deprecated inline blocks filled in as computed values) and provider
3.x (settings inline on the bucket, `versioning = [{enabled = false}]` on every bucket).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.config import parse_config
from driftq.config_models import Config
from driftq.engine import Engine
from driftq.model import Finding, LiveResource, StateResource, Unit, UnitResult
from driftq.passes.children import drop_covered_children
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resources
from tests.conftest import single_account_config
from tests.support.estate import StateFile, unique

UNIT = Unit("test", "global", "s3")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only
WEST = 'provider["registry.terraform.io/hashicorp/aws"].west'
KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


# --- AWS side -----------------------------------------------------------------------------


def make_bucket(account: Any, prefix: str, region: str = "us-east-1", **tags: str) -> str:
    name = unique(prefix)
    s3 = account.client("s3", region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    tags = {"Name": name, **DEFAULT_TAGS, **tags}
    s3.put_bucket_tagging(
        Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
    )
    return name


def aws_defaults(account: Any, name: str, region: str = "us-east-1") -> None:
    """What AWS gives every new bucket since 2023 (moto does not): SSE-S3 and a full PAB."""
    s3 = account.client("s3", region)
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=sse_config("AES256"))
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=pab_config(True))


def sse_config(algorithm: str, key: str | None = None, bucket_key: bool = False) -> Any:
    default = {"SSEAlgorithm": algorithm, **({"KMSMasterKeyID": key} if key else {})}
    return {
        "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": bucket_key}]
    }


def pab_config(*flags: bool) -> dict[str, bool]:
    names = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    values = flags * 4 if len(flags) == 1 else flags
    return dict(zip(names, values, strict=True))


def read_policy(name: str, *actions: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Read",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": list(actions) or ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{name}/*"],
            }
        ],
    }


# --- Terraform side -----------------------------------------------------------------------


def tf_bucket(
    name: str, region: str = "us-east-1", provider3: bool = False, **inline: Any
) -> dict[str, Any]:
    """aws_s3_bucket as provider 4.x+ (or 3.x) writes it; ``inline`` overrides the
    versioning / server_side_encryption_configuration / policy blocks."""
    attrs: dict[str, Any] = {
        "acceleration_status": "",
        "acl": None if not provider3 else "private",
        "arn": f"arn:aws:s3:::{name}",
        "bucket": name,
        "bucket_domain_name": f"{name}.s3.amazonaws.com",
        "bucket_prefix": "" if not provider3 else None,
        "bucket_regional_domain_name": f"{name}.s3.{region}.amazonaws.com",
        "cors_rule": [],
        "force_destroy": False,
        "grant": [],
        "hosted_zone_id": "Z3AQBSTGFYJSTF",
        "id": name,
        "lifecycle_rule": [],
        "logging": [],
        "object_lock_configuration": [],
        "policy": None,
        "region": region,
        "replication_configuration": [],
        "request_payer": "BucketOwner",
        "server_side_encryption_configuration": [],
        "tags": {"Name": name},
        "tags_all": {"Name": name, **DEFAULT_TAGS},
        "versioning": [{"enabled": False, "mfa_delete": False}],
        "website": [],
        "website_domain": None,
        "website_endpoint": None,
    }
    if not provider3:
        attrs.update(object_lock_enabled=False, timeouts=None)
    attrs.update(inline)
    return attrs


def tf_versioning(name: str, status: str, bucket_id: str | None = None) -> dict[str, Any]:
    return {
        "bucket": name,
        "expected_bucket_owner": "",
        "id": bucket_id or name,
        "mfa": None,
        "versioning_configuration": [{"mfa_delete": "", "status": status}],
    }


def tf_pab(name: str, *flags: bool) -> dict[str, Any]:
    values = pab_config(*flags)
    return {
        "block_public_acls": values["BlockPublicAcls"],
        "block_public_policy": values["BlockPublicPolicy"],
        "bucket": name,
        "id": name,
        "ignore_public_acls": values["IgnorePublicAcls"],
        "restrict_public_buckets": values["RestrictPublicBuckets"],
        "skip_destroy": None,
    }


def tf_rule(algorithm: str, key: str = "", bucket_key: bool = False) -> list[dict[str, Any]]:
    return [
        {
            "apply_server_side_encryption_by_default": [
                {"kms_master_key_id": key, "sse_algorithm": algorithm}
            ],
            "bucket_key_enabled": bucket_key,
        }
    ]


def tf_sse(name: str, rule: list[dict[str, Any]], owner: str = "") -> dict[str, Any]:
    return {
        "bucket": name,
        "expected_bucket_owner": owner,
        "id": f"{name},{owner}" if owner else name,
        "rule": rule,
    }


def tf_policy(name: str, policy: str) -> dict[str, Any]:
    return {"bucket": name, "id": name, "policy": policy}


def jsonencode(document: dict[str, Any]) -> str:
    """Terraform's jsonencode(): keys sorted, no whitespace."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


# --- scanning -----------------------------------------------------------------------------


def scan(
    account: Any, tmp_path: Path, state: StateFile, regions: list[str] | None = None
) -> UnitResult:
    config = single_account_config(account, state.write(tmp_path / "s3.tfstate"), regions)
    return scan_config(config)


def scan_config(config: Config) -> UnitResult:
    result = Engine(config).scan_unit(UNIT)
    assert result.status == "ok", result.error_message
    return result


def by_key(result: UnitResult) -> dict[tuple[str, str, str], Finding]:
    out: dict[tuple[str, str, str], Finding] = {
        (f.kind, f.resource_type, f.resource_id): f for f in result.findings
    }
    assert len(out) == len(result.findings), result.findings
    return out


def changes(finding: Finding) -> dict[str, tuple[Any, Any]]:
    return {c.attribute: (c.expected, c.actual) for c in finding.changes}


# --- clean matches ------------------------------------------------------------------------


def test_provider4_estate_matches_cleanly(account: Any, tmp_path: Path) -> None:
    s3 = account.client("s3")
    # one bucket with every setting managed by its own resource
    full = make_bucket(account, "full")
    s3.put_bucket_versioning(Bucket=full, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=full, PublicAccessBlockConfiguration=pab_config(True, True, False, False)
    )
    s3.put_bucket_encryption(
        Bucket=full, ServerSideEncryptionConfiguration=sse_config("aws:kms", KMS_KEY, True)
    )
    policy = read_policy(full, "s3:GetObject", "s3:ListBucket")
    s3.put_bucket_policy(Bucket=full, Policy=json.dumps(policy, indent=2))
    # a bucket with nothing but AWS's own defaults, and one whose state adopted them
    plain = make_bucket(account, "plain")
    aws_defaults(account, plain)
    adopted = make_bucket(account, "adopted")
    aws_defaults(account, adopted)

    state = (
        StateFile()
        .add(
            "aws_s3_bucket",
            "full",
            tf_bucket(
                full,
                # the deprecated blocks, filled in by the provider's read
                versioning=[{"enabled": True, "mfa_delete": False}],
                server_side_encryption_configuration=[{"rule": tf_rule("aws:kms", KMS_KEY, True)}],
                policy=jsonencode(policy),
            ),
        )
        .add("aws_s3_bucket_versioning", "full", tf_versioning(full, "Enabled"))
        .add("aws_s3_bucket_public_access_block", "full", tf_pab(full, True, True, False, False))
        .add(
            "aws_s3_bucket_server_side_encryption_configuration",
            "full",
            # imported as `bucket,expected_bucket_owner`
            tf_sse(full, tf_rule("aws:kms", KMS_KEY, True), owner=account.id),
        )
        .add("aws_s3_bucket_policy", "full", tf_policy(full, jsonencode(policy)))
        .add("aws_s3_bucket", "plain", tf_bucket(plain))
        .add("aws_s3_bucket", "adopted", tf_bucket(adopted))
        # "Disabled": a versioning resource for a bucket that was never versioned
        .add("aws_s3_bucket_versioning", "adopted", tf_versioning(adopted, "Disabled"))
        .add("aws_s3_bucket_public_access_block", "adopted", tf_pab(adopted, True))
        .add(
            "aws_s3_bucket_server_side_encryption_configuration",
            "adopted",
            tf_sse(adopted, tf_rule("AES256")),
        )
    )
    result = scan(account, tmp_path, state)
    assert result.findings == []
    assert result.managed == 10


def test_provider3_inline_settings_match_cleanly(account: Any, tmp_path: Path) -> None:
    s3 = account.client("s3")
    inline = make_bucket(account, "inline")
    # what provider 3.x sends for `versioning { enabled = true }`
    s3.put_bucket_versioning(
        Bucket=inline, VersioningConfiguration={"Status": "Enabled", "MFADelete": "Disabled"}
    )
    s3.put_bucket_encryption(
        Bucket=inline, ServerSideEncryptionConfiguration=sse_config("aws:kms", KMS_KEY)
    )
    policy = read_policy(inline)
    s3.put_bucket_policy(Bucket=inline, Policy=json.dumps(policy))
    unversioned = make_bucket(account, "unversioned")
    aws_defaults(account, unversioned)
    # enabled once, then `enabled = false`: provider 3.x suspends and reads it back as false
    suspended = make_bucket(account, "suspended")
    s3.put_bucket_versioning(Bucket=suspended, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket=suspended, VersioningConfiguration={"Status": "Suspended"})

    heredoc = json.dumps(policy, indent=4) + "\n"
    state = (
        StateFile()
        .add(
            "aws_s3_bucket",
            "inline",
            tf_bucket(
                inline,
                provider3=True,
                versioning=[{"enabled": True, "mfa_delete": False}],
                server_side_encryption_configuration=[{"rule": tf_rule("aws:kms", KMS_KEY)}],
                policy=heredoc,
            ),
            provider="provider.aws",
        )
        .add("aws_s3_bucket", "unversioned", tf_bucket(unversioned, provider3=True))
        .add("aws_s3_bucket", "suspended", tf_bucket(suspended, provider3=True))
    )
    result = scan(account, tmp_path, state)
    assert result.findings == []
    assert result.managed == 3


def test_provider3_versioning_enabled_outside_terraform_is_reported(
    account: Any, tmp_path: Path
) -> None:
    # the 3.x block says `enabled = false`: it does not manage a versioning switched on since
    name = make_bucket(account, "sneaky")
    account.client("s3").put_bucket_versioning(
        Bucket=name, VersioningConfiguration={"Status": "Enabled"}
    )
    state = StateFile().add("aws_s3_bucket", "b", tf_bucket(name, provider3=True))
    result = scan(account, tmp_path, state)
    assert set(by_key(result)) == {("unmanaged", "aws_s3_bucket_versioning", name)}


def test_provider3_inline_settings_are_compared_by_value(account: Any, tmp_path: Path) -> None:
    """Versioning suspended, the SSE algorithm changed, the policy widened by hand on a
    bucket whose 3.x state keeps them inline: drift of the bucket at each attribute."""
    s3 = account.client("s3")
    name = make_bucket(account, "inline3")
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Suspended"})
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=sse_config("AES256"))
    s3.put_bucket_policy(
        Bucket=name, Policy=json.dumps(read_policy(name, "s3:GetObject", "s3:PutObject"))
    )
    state = StateFile().add(
        "aws_s3_bucket",
        "b",
        tf_bucket(
            name,
            provider3=True,
            versioning=[{"enabled": True, "mfa_delete": False}],
            server_side_encryption_configuration=[{"rule": tf_rule("aws:kms", KMS_KEY)}],
            policy=jsonencode(read_policy(name)),
        ),
        provider="provider.aws",
    )
    result = scan(account, tmp_path, state)
    finding = by_key(result)[("drifted", "aws_s3_bucket", name)]
    assert {c.attribute for c in finding.changes} == {
        "versioning",
        "server_side_encryption_configuration",
        "policy",
    }
    assert set(by_key(result)) == {("drifted", "aws_s3_bucket", name)}


def test_provider4_computed_copies_with_split_resources_stay_silent(
    account: Any, tmp_path: Path
) -> None:
    """A 4.x+ bucket's computed `versioning` copy is stale once aws_s3_bucket_versioning
    changed it: the split resource compares the setting, the copy is not drift."""
    s3 = account.client("s3")
    name = make_bucket(account, "split")
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    state = (
        StateFile()
        .add("aws_s3_bucket", "b", tf_bucket(name))  # refreshed before: versioning off
        .add("aws_s3_bucket_versioning", "v", tf_versioning(name, "Enabled"))
    )
    assert scan(account, tmp_path, state).findings == []


def test_provider3_inline_lifecycle_logging_and_grants_by_value(
    account: Any, tmp_path: Path
) -> None:
    """A 3.x bucket whose lifecycle, logging and grants live inline: clean as written, and
    a lifecycle rule disabled and the logging prefix changed by hand are drift."""
    s3 = account.client("s3")
    logs = make_bucket(account, "logs3")
    s3.put_bucket_acl(Bucket=logs, ACL="log-delivery-write")
    name = make_bucket(account, "inline-lc")
    rule = {
        "ID": "old",
        "Status": "Enabled",
        "Filter": {"Prefix": "tmp/"},
        "Expiration": {"Days": 7},
    }
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [rule]})
    s3.put_bucket_logging(
        Bucket=name,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": "a/"}},
    )
    owner = s3.get_bucket_acl(Bucket=name)["Owner"]["ID"]
    inline = tf_bucket(
        name,
        provider3=True,
        lifecycle_rule=[
            {
                "id": "old",
                "prefix": "tmp/",
                "tags": {},
                "enabled": True,
                "abort_incomplete_multipart_upload_days": 0,
                "expiration": [{"date": "", "days": 7, "expired_object_delete_marker": False}],
                "transition": [],
                "noncurrent_version_expiration": [],
                "noncurrent_version_transition": [],
            }
        ],
        logging=[{"target_bucket": logs, "target_prefix": "a/"}],
        grant=[{"id": owner, "type": "CanonicalUser", "uri": "", "permissions": ["FULL_CONTROL"]}],
    )
    state = (
        StateFile()
        .add("aws_s3_bucket", "b", inline, provider="provider.aws")
        .add("aws_s3_bucket", "logs", tf_bucket(logs, provider3=True), provider="provider.aws")
    )
    logs_acl = s3.get_bucket_acl(Bucket=logs)["Grants"]
    assert len(logs_acl) > 1  # log delivery's grants: unmanaged ACL of the logs bucket only
    assert set(by_key(scan(account, tmp_path, state))) == {("unmanaged", "aws_s3_bucket_acl", logs)}

    s3.put_bucket_lifecycle_configuration(
        Bucket=name, LifecycleConfiguration={"Rules": [{**rule, "Status": "Disabled"}]}
    )
    s3.put_bucket_logging(
        Bucket=name,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": "b/"}},
    )
    finding = by_key(scan(account, tmp_path, state))[("drifted", "aws_s3_bucket", name)]
    assert {c.attribute for c in finding.changes} == {"lifecycle_rule", "logging"}


POLICY = read_policy("same-meaning")
SAME_MEANING = {
    "key order and whitespace": json.dumps(
        {"Statement": POLICY["Statement"], "Version": "2012-10-17"}, indent=3
    ),
    "string vs one-element list": jsonencode(
        {
            **POLICY,
            "Statement": [
                {
                    **POLICY["Statement"][0],
                    "Action": "s3:GetObject",
                    "Resource": POLICY["Statement"][0]["Resource"][0],
                }
            ],
        }
    ),
    "statement order": jsonencode(
        {
            **POLICY,
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                *POLICY["Statement"],
            ],
        }
    ),
}


def test_policy_with_the_same_meaning_is_not_drift(account: Any, tmp_path: Path) -> None:
    s3 = account.client("s3")
    state = StateFile()
    deny_insecure = json.loads(SAME_MEANING["statement order"])["Statement"][0]
    for label, text in SAME_MEANING.items():
        name = make_bucket(account, "same")
        live = {**POLICY, "Statement": [{**POLICY["Statement"][0]}]}
        if label == "statement order":
            live["Statement"].append(deny_insecure)
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps(live))
        key = label.replace(" ", "_")
        state.add("aws_s3_bucket", key, tf_bucket(name, policy=text))
        state.add("aws_s3_bucket_policy", key, tf_policy(name, text))
    result = scan(account, tmp_path, state)
    assert result.findings == []


# --- missing ------------------------------------------------------------------------------


def test_missing_bucket_and_settings(account: Any, tmp_path: Path) -> None:
    gone = unique("gone")  # never created: the bucket and all its settings are missing
    bare = make_bucket(account, "bare", "us-west-2")  # exists, but lost its settings
    policy = jsonencode(read_policy(bare))
    state = StateFile()
    for name, region in ((gone, "us-east-1"), (bare, "us-west-2")):
        provider = (
            WEST if region == "us-west-2" else 'provider["registry.terraform.io/hashicorp/aws"]'
        )
        state.add("aws_s3_bucket", name, tf_bucket(name, region), provider=provider)
        state.add("aws_s3_bucket_public_access_block", name, tf_pab(name, True), provider=provider)
        state.add(
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
            tf_sse(name, tf_rule("aws:kms")),
            provider=provider,
        )
        state.add("aws_s3_bucket_policy", name, tf_policy(name, policy), provider=provider)
    state.add("aws_s3_bucket_versioning", "gone", tf_versioning(gone, "Enabled"))
    result = scan(account, tmp_path, state, regions=["us-east-1", "us-west-2"])
    findings = by_key(result)
    settings = (
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_policy",
    )
    expected = {("missing", "aws_s3_bucket", gone), ("missing", "aws_s3_bucket_versioning", gone)}
    expected |= {("missing", t, name) for t in settings for name in (gone, bare)}
    assert set(findings) == expected
    for (_, _, name), finding in findings.items():
        assert finding.region == ("us-east-1" if name == gone else "us-west-2"), finding
        assert finding.address is not None


# --- unmanaged ----------------------------------------------------------------------------


def test_unmanaged_buckets_and_settings(account: Any, tmp_path: Path) -> None:
    s3 = account.client("s3")

    def configure(name: str, region: str = "us-east-1") -> None:
        client = account.client("s3", region)
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        client.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=pab_config(False)
        )
        client.put_bucket_encryption(
            Bucket=name, ServerSideEncryptionConfiguration=sse_config("aws:kms")
        )
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(read_policy(name)))

    # an unmanaged bucket: one finding, its settings are not reported again
    stray = make_bucket(account, "stray")
    configure(stray)
    west = make_bucket(account, "stray-west", "us-west-2")
    # a managed bucket whose settings were added outside Terraform
    managed = make_bucket(account, "managed")
    configure(managed)
    # a managed bucket with AWS's defaults only: silent
    quiet = make_bucket(account, "quiet")
    aws_defaults(account, quiet)
    s3.put_bucket_versioning(Bucket=quiet, VersioningConfiguration={"Status": "Suspended"})

    state = (
        StateFile()
        .add("aws_s3_bucket", "managed", tf_bucket(managed))
        .add("aws_s3_bucket", "quiet", tf_bucket(quiet))
    )
    result = scan(account, tmp_path, state, regions=["us-east-1", "us-west-2"])
    findings = by_key(result)
    settings = (
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_policy",
    )
    assert set(findings) == {
        ("unmanaged", "aws_s3_bucket", stray),
        ("unmanaged", "aws_s3_bucket", west),
        *(("unmanaged", t, managed) for t in settings),
    }
    assert findings[("unmanaged", "aws_s3_bucket", west)].region == "us-west-2"
    assert findings[("unmanaged", "aws_s3_bucket", stray)].region == "us-east-1"
    assert findings[("unmanaged", "aws_s3_bucket", stray)].tags == {"Name": stray, **DEFAULT_TAGS}
    assert all(f.address is None for f in findings.values())


# --- drifted ------------------------------------------------------------------------------


def test_drifted_bucket_and_settings(account: Any, tmp_path: Path) -> None:
    region = "us-west-2"
    s3 = account.client("s3", region)
    name = make_bucket(account, "drift", region, Owner="alice")
    policy = read_policy(name)
    state = (
        StateFile()
        .add(
            "aws_s3_bucket",
            "b",
            {
                **tf_bucket(name, region),
                "tags": {"Name": name, "Owner": "bob"},
                "tags_all": {"Name": name, "Owner": "bob", **DEFAULT_TAGS},
            },
            provider=WEST,
        )
        .add("aws_s3_bucket_versioning", "b", tf_versioning(name, "Enabled"), provider=WEST)
        .add("aws_s3_bucket_public_access_block", "b", tf_pab(name, True), provider=WEST)
        .add(
            "aws_s3_bucket_server_side_encryption_configuration",
            "b",
            tf_sse(name, tf_rule("AES256")),
            provider=WEST,
        )
        .add("aws_s3_bucket_policy", "b", tf_policy(name, jsonencode(policy)), provider=WEST)
    )
    # what changed outside Terraform
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Suspended"})
    s3.put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration=pab_config(True, False, True, True)
    )
    s3.put_bucket_encryption(
        Bucket=name, ServerSideEncryptionConfiguration=sse_config("aws:kms", KMS_KEY)
    )
    changed = read_policy(name, "s3:GetObject", "s3:DeleteObject")
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(changed))

    result = scan(account, tmp_path, state, regions=["us-east-1", region])
    findings = by_key(result)
    assert all(f.region == region for f in findings.values())
    assert changes(findings[("drifted", "aws_s3_bucket", name)]) == {"tags.Owner": ("bob", "alice")}
    versioning = changes(findings[("drifted", "aws_s3_bucket_versioning", name)])
    assert list(versioning) == ["versioning_configuration"]
    assert versioning["versioning_configuration"][1] == [{"status": "Suspended"}]
    assert changes(findings[("drifted", "aws_s3_bucket_public_access_block", name)]) == {
        "block_public_policy": (True, False)
    }
    sse = changes(findings[("drifted", "aws_s3_bucket_server_side_encryption_configuration", name)])
    assert sse["rule"][1] == [
        {
            "bucket_key_enabled": False,
            "apply_server_side_encryption_by_default": [
                {"sse_algorithm": "aws:kms", "kms_master_key_id": KMS_KEY}
            ],
        }
    ]
    policy_change = changes(findings[("drifted", "aws_s3_bucket_policy", name)])
    assert list(policy_change) == ["policy"]
    assert "s3:DeleteObject" in policy_change["policy"][1]
    assert len(findings) == 5


# --- regions ------------------------------------------------------------------------------


def test_buckets_outside_the_account_regions_are_silent(account: Any, tmp_path: Path) -> None:
    # driftctl's false positive: another region's buckets reported as unmanaged
    elsewhere = make_bucket(account, "eu", "eu-west-1")
    account.client("s3", "eu-west-1").put_bucket_policy(
        Bucket=elsewhere, Policy=json.dumps(read_policy(elsewhere))
    )
    also_elsewhere = make_bucket(account, "eu-managed", "eu-west-1")
    state = StateFile().add(
        "aws_s3_bucket",
        "eu",
        # drifted tags, but not in a scanned region: neither compared nor reported
        {**tf_bucket(also_elsewhere, "eu-west-1"), "tags_all": {"Name": "other"}},
    )
    result = scan(account, tmp_path, state, regions=["us-east-1", "us-west-2"])
    assert result.findings == []
    assert result.managed == 0


def test_settings_take_their_bucket_region(account: Any, tmp_path: Path) -> None:
    # the policy is kept under a provider with no regional resource, the backend is in
    # us-east-1 and the account scans us-west-2 only: the policy is where its bucket is
    name = make_bucket(account, "central", "us-west-2")
    state = (
        StateFile()
        .add("aws_s3_bucket", "b", tf_bucket(name, "us-west-2"), provider=WEST)
        .add("aws_s3_bucket_policy", "p", tf_policy(name, jsonencode(read_policy(name))))
    )
    path = state.write(tmp_path / "central.tfstate")
    config = parse_config(
        f"""
version: "1.0"
accounts:
  - name: test
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: driftq-test-external-id
    regions: [us-west-2]
    state_backend: {{type: local, path: "{path}", region: us-east-1}}
"""
    )
    result = scan_config(config)
    assert [(f.kind, f.resource_type, f.region) for f in result.findings] == [
        ("missing", "aws_s3_bucket_policy", "us-west-2")
    ]


def test_settings_are_read_in_the_bucket_region(account: Any) -> None:
    name = make_bucket(account, "west", "us-west-2")
    account.client("s3", "us-west-2").put_bucket_policy(
        Bucket=name, Policy=json.dumps(read_policy(name))
    )
    calls: list[tuple[str, str]] = []

    def factory(service: str, region: str | None = None) -> Any:
        client = account.client(service, region or "us-east-1")
        client.meta.events.register(
            "before-call",
            lambda model, params, **_: calls.append((model.name, client.meta.region_name)),
        )
        return client

    ctx = ScanContext(UNIT, account.id, ("us-east-1", "us-west-2"), factory)
    for rtype in ("aws_s3_bucket", "aws_s3_bucket_policy"):
        (live,) = live_resources(REGISTRY[rtype], ctx)
        assert (live.identity, live.import_id, live.region) == (name, name, "us-west-2")
    # listed once per unit and scanned region (the region is a parameter), never located
    # bucket by bucket; tags come from the tagging API in the bucket's region
    assert calls.count(("ListBuckets", "us-east-1")) == 2
    assert not [c for c in calls if c[0] == "GetBucketLocation"]
    assert ("GetResources", "us-west-2") in calls
    assert ("GetBucketPolicy", "us-west-2") in calls


# --- the children pass with S3's specs (pure) ---------------------------------------------

BUCKET = "b"
V3_OFF = [{"enabled": False, "mfa_delete": False}]
V3_ON = [{"enabled": True, "mfa_delete": False}]


def _parent(**inline: Any) -> StateResource:
    attrs = {"id": BUCKET, "bucket": BUCKET, "policy": None, "versioning": V3_OFF, **inline}
    return StateResource("aws_s3_bucket", "aws_s3_bucket.b", BUCKET, attrs, "us-east-1", "s")


def _live(rtype: str, **attrs: Any) -> LiveResource:
    return LiveResource(rtype, BUCKET, BUCKET, "us-east-1", {"bucket": BUCKET, **attrs})


VERSIONING_ON = {"versioning_configuration": [{"status": "Enabled"}]}
SSE_KMS = {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}


@pytest.mark.parametrize(
    ("case", "state", "live", "kept"),
    [
        (
            "unmanaged bucket: its settings are not reported again",
            [],
            _live("aws_s3_bucket_policy", policy="{}"),
            False,
        ),
        (
            "3.x inline policy covers the live policy",
            [_parent(policy='{"Statement":[]}')],
            _live("aws_s3_bucket_policy", policy="{}"),
            False,
        ),
        (
            "no inline policy: the live one is unmanaged",
            [_parent()],
            _live("aws_s3_bucket_policy", policy="{}"),
            True,
        ),
        (
            "3.x `enabled = false` does not cover an enabled versioning",
            [_parent()],
            _live("aws_s3_bucket_versioning", **VERSIONING_ON),
            True,
        ),
        (
            "3.x `enabled = true` covers it",
            [_parent(versioning=V3_ON)],
            _live("aws_s3_bucket_versioning", **VERSIONING_ON),
            False,
        ),
        (
            "3.x inline encryption covers it",
            [_parent(server_side_encryption_configuration=[{"rule": tf_rule("aws:kms")}])],
            _live("aws_s3_bucket_server_side_encryption_configuration", **SSE_KMS),
            False,
        ),
        (
            "no inline encryption: unmanaged",
            [_parent(server_side_encryption_configuration=[])],
            _live("aws_s3_bucket_server_side_encryption_configuration", **SSE_KMS),
            True,
        ),
        (
            "a public access block is never inline",
            [_parent()],
            _live("aws_s3_bucket_public_access_block", block_public_acls=False),
            True,
        ),
    ],
)
def test_children_pass_with_s3_specs(
    case: str, state: list[StateResource], live: LiveResource, kept: bool
) -> None:
    _, out = drop_covered_children(state, [live], REGISTRY)
    assert (out == [live]) is kept, case
