"""S3 bucket settings beyond the first four: lifecycle, logging, ownership controls, ACL.

Each is one Get call per bucket in the bucket's region (S3 has no batch read of bucket
settings), a child of the bucket keyed and imported by the bucket name, as in ``s3.py``.
The bucket spec reads the same answers (shared per unit) for provider 3.x's inline
`lifecycle_rule`, `logging` and `acl`-less `grant`.

What AWS does by itself stays silent unless a state has it: every bucket has an ACL granting
its owner FULL_CONTROL, and since April 2023 every new bucket has ownership controls
`BucketOwnerEnforced`. AWS answers transition sizes as `all_storage_classes_128K` for
lifecycles that never chose one.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import TERRAFORM_ONLY, TIMEOUTS, WRITE_ONLY, because
from driftq.resources.s3 import _attrs, _child
from driftq.resources.s3_inline import NO_LIFECYCLE, sparse
from driftq.resources.spec import Attrs

Item = dict[str, Any]

NO_OWNERSHIP = frozenset({"OwnershipControlsNotFoundError"})
_DEFAULT_SIZE = "all_storage_classes_128K"


# --- aws_s3_bucket_lifecycle_configuration ------------------------------------------------


def _tags(tags: Any) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def _filter(api: Item | None) -> list[Item]:
    if api is None:
        return []
    out: Item = {
        "prefix": api.get("Prefix") or "",
        "object_size_greater_than": api.get("ObjectSizeGreaterThan"),
        "object_size_less_than": api.get("ObjectSizeLessThan"),
    }
    if api.get("Tag"):
        out["tag"] = [{"key": api["Tag"]["Key"], "value": api["Tag"].get("Value", "")}]
    if api.get("And"):
        both = api["And"]
        out["and"] = [
            {
                "prefix": both.get("Prefix") or "",
                "tags": _tags(both.get("Tags")),
                "object_size_greater_than": both.get("ObjectSizeGreaterThan"),
                "object_size_less_than": both.get("ObjectSizeLessThan"),
            }
        ]
    return [out]


def _date(value: Any) -> Any:
    # AWS answers a datetime; states hold RFC 3339 (`2025-01-01T00:00:00Z`)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if hasattr(value, "strftime") else value


def _lifecycle_rule(rule: Item) -> Item:
    expiration = rule.get("Expiration")
    noncurrent = rule.get("NoncurrentVersionExpiration")
    abort = rule.get("AbortIncompleteMultipartUpload")
    return {
        "id": rule.get("ID") or "",
        "status": rule.get("Status"),
        "prefix": rule.get("Prefix") or "",
        "filter": _filter(rule.get("Filter")),
        "expiration": [
            {
                "days": expiration.get("Days"),
                "date": _date(expiration.get("Date")),
                "expired_object_delete_marker": expiration.get("ExpiredObjectDeleteMarker"),
            }
        ]
        if expiration
        else [],
        "transition": [
            {
                "days": t.get("Days"),
                "date": _date(t.get("Date")),
                "storage_class": t.get("StorageClass"),
            }
            for t in rule.get("Transitions") or []
        ],
        "noncurrent_version_expiration": [
            {
                "noncurrent_days": noncurrent.get("NoncurrentDays"),
                "newer_noncurrent_versions": noncurrent.get("NewerNoncurrentVersions"),
            }
        ]
        if noncurrent
        else [],
        "noncurrent_version_transition": [
            {
                "noncurrent_days": t.get("NoncurrentDays"),
                "newer_noncurrent_versions": t.get("NewerNoncurrentVersions"),
                "storage_class": t.get("StorageClass"),
            }
            for t in rule.get("NoncurrentVersionTransitions") or []
        ],
        "abort_incomplete_multipart_upload": [
            {"days_after_initiation": abort.get("DaysAfterInitiation")}
        ]
        if abort
        else [],
    }


def _lifecycle(item: Item) -> Attrs:
    response = item["Setting"]
    return _attrs(
        item,
        rule=[_lifecycle_rule(r) for r in response.get("Rules") or []],
        transition_default_minimum_object_size=response.get("TransitionDefaultMinimumObjectSize")
        or _DEFAULT_SIZE,
    )


def _size(value: Any) -> Any:
    return None if value in (None, "", _DEFAULT_SIZE) else value


# --- aws_s3_bucket_logging ----------------------------------------------------------------


def _grantee(api: Item) -> Item:
    # `display_name` is gone from AWS's answers since 2025: not compared
    return {
        "id": api.get("ID") or "",
        "type": api.get("Type"),
        "uri": api.get("URI") or "",
        "email_address": api.get("EmailAddress") or "",
    }


def _grants(grants: Any) -> list[Item]:
    return [
        {"grantee": [_grantee(g.get("Grantee") or {})], "permission": g.get("Permission")}
        for g in grants or []
    ]


def _key_format(api: Item | None) -> list[Item]:
    if not api:
        return []
    if "PartitionedPrefix" in api:
        source = (api["PartitionedPrefix"] or {}).get("PartitionDateSource")
        return [{"partitioned_prefix": [{"partition_date_source": source}]}]
    return [{"simple_prefix": [{}]}]


def _logging(item: Item) -> Attrs | None:
    enabled = (item["Setting"] or {}).get("LoggingEnabled")
    if not enabled:
        return None  # logging off: no aws_s3_bucket_logging
    return _attrs(
        item,
        target_bucket=enabled.get("TargetBucket"),
        target_prefix=enabled.get("TargetPrefix") or "",
        target_grant=_grants(enabled.get("TargetGrants")),
        target_object_key_format=_key_format(enabled.get("TargetObjectKeyFormat")),
    )


def _grant_form(value: Any) -> Any:
    # grantees without the display name AWS no longer answers, in a comparable order
    out = []
    for grant in value or []:
        if not isinstance(grant, dict):
            continue
        grantees = [
            {k: v for k, v in g.items() if k != "display_name"}
            for g in grant.get("grantee") or []
            if isinstance(g, dict)
        ]
        out.append({"grantee": grantees, "permission": grant.get("permission")})
    return sparse(out)


# --- aws_s3_bucket_ownership_controls -----------------------------------------------------


def _ownership(item: Item) -> Attrs:
    rules = ((item["Setting"] or {}).get("OwnershipControls") or {}).get("Rules") or []
    return _attrs(item, rule=[{"object_ownership": r.get("ObjectOwnership")} for r in rules])


def _enforced(attrs: Attrs) -> bool:
    rules = attrs.get("rule") or []
    return [r.get("object_ownership") for r in rules] == ["BucketOwnerEnforced"]


# --- aws_s3_bucket_acl --------------------------------------------------------------------


def _acl(item: Item) -> Attrs:
    response = item["Setting"] or {}
    owner = response.get("Owner") or {}
    return _attrs(
        item,
        access_control_policy=[
            {"grant": _grants(response.get("Grants")), "owner": [{"id": owner.get("ID") or ""}]}
        ],
    )


def _acl_form(value: Any) -> Any:
    out = []
    for policy in value or []:
        if not isinstance(policy, dict):
            continue
        owners = [{"id": o.get("id")} for o in policy.get("owner") or [] if isinstance(o, dict)]
        out.append({"grant": _grant_form(policy.get("grant")), "owner": owners})
    return sparse(out)


def _owner_only(attrs: Attrs) -> bool:
    # the ACL every bucket is created with: its owner has FULL_CONTROL, nobody else anything
    policy = (attrs.get("access_control_policy") or [{}])[0]
    owner = ((policy.get("owner") or [{}])[0]).get("id")
    grants = policy.get("grant") or []
    return all(
        g.get("permission") == "FULL_CONTROL"
        and [x.get("id") for x in g.get("grantee") or []] == [owner]
        for g in grants
    )


SPECS = [
    _child(
        "aws_s3_bucket_lifecycle_configuration",
        "GetBucketLifecycleConfiguration",
        NO_LIFECYCLE,
        _lifecycle,
        ("rule", "transition_default_minimum_object_size"),
        left_out=because(TERRAFORM_ONLY, "expected_bucket_owner") | {"timeouts": TIMEOUTS},
        value_forms={"rule": sparse, "transition_default_minimum_object_size": _size},
        inline_in_parent="lifecycle_rule",
    ),
    _child(
        "aws_s3_bucket_logging",
        "GetBucketLogging",
        frozenset(),
        _logging,
        ("target_bucket", "target_prefix", "target_grant", "target_object_key_format"),
        left_out=because(TERRAFORM_ONLY, "expected_bucket_owner"),
        value_forms={"target_grant": _grant_form, "target_object_key_format": sparse},
        inline_in_parent="logging",
    ),
    _child(
        "aws_s3_bucket_ownership_controls",
        "GetBucketOwnershipControls",
        NO_OWNERSHIP,
        _ownership,
        ("rule",),
        left_out={},
        is_aws_default=_enforced,
    ),
    _child(
        "aws_s3_bucket_acl",
        "GetBucketAcl",
        frozenset(),
        _acl,
        ("access_control_policy",),
        left_out=because(TERRAFORM_ONLY, "expected_bucket_owner") | because(WRITE_ONLY, "acl"),
        value_forms={"access_control_policy": _acl_form},
        is_aws_default=_owner_only,
        inline_in_parent="grant",
    ),
]
