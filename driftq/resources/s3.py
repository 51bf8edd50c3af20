"""S3: buckets and four of their settings (versioning, public access block, encryption, policy).

One global unit per account lists the buckets once (``s3_buckets``); each bucket and its
settings carry the bucket's own region. Settings are children of the bucket
(``passes/children.py``): not reported again when the bucket is unmanaged, and managed when a
provider 3.x state keeps them inline on the bucket. Every import id is the bucket name.

What AWS does by itself stays silent unless a state has it: since January 2023 every bucket
is encrypted with SSE-S3 (AES256, no KMS key), since April 2023 every new bucket gets a public
access block with all four flags on, and an unversioned bucket answers GetBucketVersioning
with no status (Terraform's `Disabled`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from driftq.passes.tags import tag_list_to_map
from driftq.resources.context import ScanContext
from driftq.resources.s3_buckets import per_bucket
from driftq.resources.spec import Attrs, Enumerator, ResourceSpec

_IMPORT_ID = "bucket name, e.g. my-bucket"


def bucket_name(attrs: Attrs) -> str:
    # settings ids are `bucket` or `bucket,expected_bucket_owner`: the name is the identity
    return str(attrs.get("bucket") or str(attrs.get("id") or "").split(",", 1)[0])


def _enumerate(operation: str, absent: frozenset[str] = frozenset()) -> Enumerator:
    def items(ctx: ScanContext) -> Iterator[dict[str, Any]]:
        for bucket, response in per_bucket(ctx, operation, absent):
            yield {"Bucket": bucket.name, "Region": bucket.region, "Response": response}

    return items


def _attrs(item: dict[str, Any], **attrs: Any) -> Attrs:
    return {"id": item["Bucket"], "bucket": item["Bucket"], **attrs, "_region": item["Region"]}


def _only_when_set(normalize: Callable[[dict[str, Any]], Attrs]) -> Callable[..., Attrs | None]:
    """An absent setting (the API's not-found answer) is no resource at all."""

    def hook(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
        return None if item["Response"] is None else normalize(item)

    return hook


# --- aws_s3_bucket ------------------------------------------------------------------------


def _bucket(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    # GetBucketTagging answers NoSuchTagSet for a bucket without tags
    tags = tag_list_to_map((item["Response"] or {}).get("TagSet"))
    return _attrs(item, tags=tags)


# --- aws_s3_bucket_versioning -------------------------------------------------------------


def _versioning(item: dict[str, Any]) -> Attrs:
    # the provider's own reading: no status is `Disabled`; mfa_delete only when AWS names it
    response = item["Response"]
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
    config = item["Response"].get("PublicAccessBlockConfiguration") or {}
    return _attrs(item, **{tf: bool(config.get(api)) for tf, api in _PAB_FLAGS.items()})


def _all_blocked(attrs: Attrs) -> bool:
    return all(attrs.get(flag) is True for flag in _PAB_FLAGS)


# --- aws_s3_bucket_server_side_encryption_configuration -----------------------------------


def _encryption(item: dict[str, Any]) -> Attrs:
    config = item["Response"].get("ServerSideEncryptionConfiguration") or {}
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
    return _attrs(item, policy=item["Response"].get("Policy"))


def _child(
    type: str,
    operation: str,
    absent: frozenset[str],
    normalize: Callable[[dict[str, Any]], Attrs],
    compared: tuple[str, ...],
    **extra: Any,
) -> ResourceSpec:
    """A bucket setting: one Get call per bucket, keyed and imported by the bucket name."""
    return ResourceSpec(
        type=type,
        service="s3",
        enumerate=_enumerate(operation, absent),
        normalize=_only_when_set(normalize),
        compared=("bucket", *compared),
        identity=bucket_name,
        import_id_format=_IMPORT_ID,
        parent="aws_s3_bucket",
        parent_identity=bucket_name,
        has_tags=False,
        **extra,
    )


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_s3_bucket",
        service="s3",
        enumerate=_enumerate("get_bucket_tagging", frozenset({"NoSuchTagSet"})),
        normalize=_bucket,
        compared=("bucket", "tags"),
        identity=bucket_name,
        import_id_format=_IMPORT_ID,
        doc="Buckets in the account's configured regions, each reported in its own region.",
    ),
    _child(
        "aws_s3_bucket_versioning",
        "get_bucket_versioning",
        frozenset(),
        _versioning,
        ("versioning_configuration",),
        is_aws_default=_versioning_off,
        inline_in_parent="versioning",
        inline_covers=_inline_versioning_on,
    ),
    _child(
        "aws_s3_bucket_public_access_block",
        "get_public_access_block",
        frozenset({"NoSuchPublicAccessBlockConfiguration"}),
        _public_access_block,
        tuple(_PAB_FLAGS),
        is_aws_default=_all_blocked,
    ),
    _child(
        "aws_s3_bucket_server_side_encryption_configuration",
        "get_bucket_encryption",
        frozenset({"ServerSideEncryptionConfigurationNotFoundError"}),
        _encryption,
        ("rule",),
        is_aws_default=_sse_s3_default,
        inline_in_parent="server_side_encryption_configuration",
    ),
    _child(
        "aws_s3_bucket_policy",
        "get_bucket_policy",
        frozenset({"NoSuchBucketPolicy"}),
        _policy,
        ("policy",),
        json_attributes=frozenset({"policy"}),
        inline_in_parent="policy",
    ),
]
