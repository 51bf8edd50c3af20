"""S3: buckets and four of their settings (versioning, public access block, encryption, policy).

The bucket's other inline settings (cors, website, replication, object lock, acceleration)
are read only for buckets whose state sets them (``s3_declared.py``).

One global unit per account lists the buckets once per scanned region (``_BUCKETS``); each
bucket and its settings carry the bucket's own region, and each setting is read with a client
in that region. Settings are children of the bucket
(``passes/children.py``): not reported again when the bucket is unmanaged, and managed when a
provider 3.x state keeps them inline on the bucket. Every import id is the bucket name.

What AWS does by itself stays silent unless a state has it: since January 2023 every bucket
is encrypted with SSE-S3 (AES256, no KMS key), since April 2023 every new bucket gets a public
access block with all four flags on, and an unversioned bucket answers GetBucketVersioning
with no status (Terraform's `Disabled`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from driftq.resources import s3_declared
from driftq.resources.attributes import (
    COMPUTED,
    NOT_EMULATED,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.s3_inline import CALLS as INLINE_CALLS
from driftq.resources.s3_inline import inline_settings, sparse
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, tagging_api

_IMPORT_ID = "bucket name, e.g. my-bucket"
# ListBuckets answers every bucket of the account whatever region it is sent to; asked with
# `BucketRegion` it answers that region's buckets: one listing per scanned region, and
# buckets in regions the account does not scan are never listed (driftctl, scanning one
# region, reported other regions' buckets as unmanaged)
_BUCKETS = ListCall(operation="ListBuckets", items="Buckets[]", per_region="BucketRegion")


def bucket_name(attrs: Attrs) -> str:
    # settings ids are `bucket` or `bucket,expected_bucket_owner`: the name is the identity
    return str(attrs.get("bucket") or str(attrs.get("id") or "").split(",", 1)[0])


def _attrs(item: dict[str, Any], **attrs: Any) -> Attrs:
    return {"id": item["Name"], "bucket": item["Name"], **attrs}


def _only_when_set(
    normalize: Callable[[dict[str, Any]], Attrs | None],
) -> Callable[..., Attrs | None]:
    """An absent setting (the API's not-found answer) is no resource at all."""

    def hook(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
        return None if item["Setting"] is None else normalize(item)

    return hook


# --- aws_s3_bucket ------------------------------------------------------------------------


def _bucket(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    # the settings in provider 3.x's inline shapes, compared when the state sets them
    attrs = _attrs(item)
    if "Versioning" in item:
        response = item["Versioning"] or {}
        attrs["versioning"] = [
            {
                "enabled": response.get("Status") == "Enabled",
                "mfa_delete": response.get("MFADelete") == "Enabled",
            }
        ]
    if "Encryption" in item:
        config = (item["Encryption"] or {}).get("ServerSideEncryptionConfiguration") or {}
        rules = [_rule(r) for r in config.get("Rules") or []]
        attrs["server_side_encryption_configuration"] = [{"rule": rules}] if rules else []
    if "Policy" in item:
        attrs["policy"] = (item["Policy"] or {}).get("Policy")
    return attrs | inline_settings(item) | s3_declared.declared_settings(item)


def _inline_versioning(value: Any) -> Any:
    # `[{enabled = false, mfa_delete = false}]` is on every 3.x bucket: not set
    blocks = value if isinstance(value, list) else [value]
    return [
        {"enabled": _true(b.get("enabled")), "mfa_delete": _true(b.get("mfa_delete"))}
        for b in blocks
        if isinstance(b, dict) and (_true(b.get("enabled")) or _true(b.get("mfa_delete")))
    ]


def _true(value: Any) -> bool:
    return value in (True, "true", "Enabled")


def _inline_encryption(value: Any) -> Any:
    # provider 3.x nests `rule` as a list or a single block; kms_master_key_id "" is unset
    blocks = value if isinstance(value, list) else [value]
    rules = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        for rule in _as_list(block.get("rule")):
            default = _as_list(rule.get("apply_server_side_encryption_by_default"))
            rules.append(
                {
                    "bucket_key_enabled": _true(rule.get("bucket_key_enabled")),
                    "apply_server_side_encryption_by_default": [
                        {
                            "sse_algorithm": d.get("sse_algorithm"),
                            "kms_master_key_id": d.get("kms_master_key_id") or "",
                        }
                        for d in default
                    ],
                }
            )
    return rules


def _as_list(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, dict)]


def _bucket_of(entry: dict[str, Any]) -> str:
    # a tagging API entry's `ResourceARN`, arn:<partition>:s3:::<bucket>
    return str(entry.get("ResourceARN") or "").rsplit(":", 1)[-1]


# --- aws_s3_bucket_versioning -------------------------------------------------------------


def _versioning(item: dict[str, Any]) -> Attrs:
    # the provider's own reading: no status is `Disabled`; mfa_delete only when AWS names it
    response = item["Setting"]
    block = {"status": response.get("Status") or "Disabled"}
    if response.get("MFADelete"):
        block["mfa_delete"] = response["MFADelete"]
    return _attrs(item, versioning_configuration=[block])


def _versioning_off(attrs: Attrs) -> bool:
    # never enabled (`Disabled`) or switched off (`Suspended`, also what deleting an
    # aws_s3_bucket_versioning leaves behind): no setting of its own unless a state has it
    block = (attrs.get("versioning_configuration") or [{}])[0]
    return block.get("status") != "Enabled" and block.get("mfa_delete") != "Enabled"


def _inline_versioning_on(live: Attrs, inline: Any) -> bool:
    # provider 3.x writes `versioning = [{enabled = false, mfa_delete = false}]` for every
    # bucket, versioned or not: only an enabled block manages the bucket's versioning inline
    blocks = inline if isinstance(inline, list) else [inline]
    return any(
        isinstance(b, dict)
        and (b.get("enabled") in (True, "true") or b.get("mfa_delete") in (True, "true"))
        for b in blocks
    )


# --- aws_s3_bucket_public_access_block ----------------------------------------------------

_PAB_FLAGS = {
    "block_public_acls": "BlockPublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "ignore_public_acls": "IgnorePublicAcls",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


def _public_access_block(item: dict[str, Any]) -> Attrs:
    config = item["Setting"].get("PublicAccessBlockConfiguration") or {}
    return _attrs(item, **{tf: bool(config.get(api)) for tf, api in _PAB_FLAGS.items()})


def _all_blocked(attrs: Attrs) -> bool:
    return all(attrs.get(flag) is True for flag in _PAB_FLAGS)


# --- aws_s3_bucket_server_side_encryption_configuration -----------------------------------


def _encryption(item: dict[str, Any]) -> Attrs:
    config = item["Setting"].get("ServerSideEncryptionConfiguration") or {}
    return _attrs(item, rule=[_rule(r) for r in config.get("Rules") or []])


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"bucket_key_enabled": bool(rule.get("BucketKeyEnabled"))}
    default = rule.get("ApplyServerSideEncryptionByDefault")
    if default:
        block = {"sse_algorithm": default.get("SSEAlgorithm")}
        if default.get("KMSMasterKeyID"):
            block["kms_master_key_id"] = default["KMSMasterKeyID"]
        out["apply_server_side_encryption_by_default"] = [block]
    return out


def _sse_s3_default(attrs: Attrs) -> bool:
    rules = attrs.get("rule") or []
    if len(rules) != 1 or rules[0].get("bucket_key_enabled"):
        return False
    default = (rules[0].get("apply_server_side_encryption_by_default") or [{}])[0]
    return default.get("sse_algorithm") == "AES256" and not default.get("kms_master_key_id")


# --- aws_s3_bucket_policy -----------------------------------------------------------------


def _policy(item: dict[str, Any]) -> Attrs:
    return _attrs(item, policy=item["Setting"].get("Policy"))


_NO_ENCRYPTION = frozenset({"ServerSideEncryptionConfigurationNotFoundError"})
_NO_POLICY = frozenset({"NoSuchBucketPolicy"})


def _setting(operation: str, into: str, absent: frozenset[str]) -> Detail:
    return Detail(operation=operation, key={"Bucket": "Name"}, into=into, absent=absent)


def _child(
    type: str,
    operation: str,
    absent: frozenset[str],
    normalize: Callable[[dict[str, Any]], Attrs | None],
    compared: tuple[str, ...],
    left_out: dict[str, str],
    **extra: Any,
) -> ResourceSpec:
    """A bucket setting: one Get call per bucket in the bucket's region, keyed and imported
    by the bucket name."""
    return ResourceSpec(
        type=type,
        service="s3",
        list_call=_BUCKETS,
        calls=(Detail(operation=operation, key={"Bucket": "Name"}, into="Setting", absent=absent),),
        normalize=_only_when_set(normalize),
        compared=("bucket", *compared),
        left_out=common("id", "region") | left_out,
        identity=bucket_name,
        import_id_format=_IMPORT_ID,
        parent="aws_s3_bucket",
        parent_identity=bucket_name,
        **extra,
    )


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_s3_bucket",
        service="s3",
        list_call=_BUCKETS,
        # the same calls as the settings' specs: answered once per unit for both
        calls=(
            _setting("GetBucketVersioning", "Versioning", frozenset()),
            _setting("GetBucketEncryption", "Encryption", _NO_ENCRYPTION),
            _setting("GetBucketPolicy", "Policy", _NO_POLICY),
            *INLINE_CALLS,
            # only for buckets whose state sets them (s3_declared.py)
            *s3_declared.CALLS,
        ),
        tags=tagging_api("s3", key="Name", on=_bucket_of),
        normalize=_bucket,
        compared=(
            "bucket",
            "versioning",
            "server_side_encryption_configuration",
            "policy",
            "lifecycle_rule",
            "logging",
            "grant",
            *s3_declared.COMPARED,
            "tags",
        ),
        json_attributes=frozenset({"policy"}),
        value_forms={
            "versioning": _inline_versioning,
            "server_side_encryption_configuration": _inline_encryption,
            "lifecycle_rule": sparse,
            "logging": sparse,
            "grant": sparse,
            **s3_declared.VALUE_FORMS,
        },
        # provider 3.x manages these inline when set; 4.x+ states keep a computed copy,
        # left out when the state holds the separate resource (passes/separate_settings.py).
        # Not set: a live setting is reported as its own unmanaged type instead
        compared_when_set=frozenset(
            {
                "versioning",
                "server_side_encryption_configuration",
                "policy",
                "lifecycle_rule",
                "logging",
                "grant",
                *s3_declared.COMPARED,
            }
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(
            COMPUTED,
            "bucket_domain_name",
            "bucket_region",
            "bucket_regional_domain_name",
            "hosted_zone_id",
            "website_domain",
            "website_endpoint",
        )
        | because(TERRAFORM_ONLY, "bucket_prefix", "force_destroy")
        # a canned ACL is expanded into grants by AWS, which answers the grants (`grant`)
        | because(WRITE_ONLY, "acl")
        # GetBucketRequestPayment is not emulated (moto answers the bucket's listing)
        | because(NOT_EMULATED, "request_payer"),
        identity=bucket_name,
        import_id_format=_IMPORT_ID,
        doc="Buckets in the account's configured regions, each reported in its own region.",
    ),
    _child(
        "aws_s3_bucket_versioning",
        "GetBucketVersioning",
        frozenset(),
        _versioning,
        ("versioning_configuration",),
        left_out=because(TERRAFORM_ONLY, "expected_bucket_owner") | because(WRITE_ONLY, "mfa"),
        is_aws_default=_versioning_off,
        inline_in_parent="versioning",
        inline_covers=_inline_versioning_on,
    ),
    _child(
        "aws_s3_bucket_public_access_block",
        "GetPublicAccessBlock",
        frozenset({"NoSuchPublicAccessBlockConfiguration"}),
        _public_access_block,
        tuple(_PAB_FLAGS),
        left_out=because(TERRAFORM_ONLY, "skip_destroy"),
        is_aws_default=_all_blocked,
    ),
    _child(
        "aws_s3_bucket_server_side_encryption_configuration",
        "GetBucketEncryption",
        _NO_ENCRYPTION,
        _encryption,
        ("rule",),
        left_out=because(TERRAFORM_ONLY, "expected_bucket_owner"),
        is_aws_default=_sse_s3_default,
        inline_in_parent="server_side_encryption_configuration",
    ),
    _child(
        "aws_s3_bucket_policy",
        "GetBucketPolicy",
        _NO_POLICY,
        _policy,
        ("policy",),
        left_out={},
        json_attributes=frozenset({"policy"}),
        inline_in_parent="policy",
    ),
]
