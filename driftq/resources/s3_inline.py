"""Provider 3.x's inline bucket settings in its own shapes, from the answers the settings'
specs read anyway (``s3_settings.py``; shared per unit): `lifecycle_rule`, `logging` and
`grant` on `aws_s3_bucket`. A 3.x state that sets one is compared by value on the bucket.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.spec import Attrs, Detail

Item = dict[str, Any]

NO_LIFECYCLE = frozenset({"NoSuchLifecycleConfiguration"})

# the same calls (and so the same answers) as the settings' specs
CALLS = (
    Detail(
        operation="GetBucketLifecycleConfiguration",
        key={"Bucket": "Name"},
        into="Lifecycle",
        absent=NO_LIFECYCLE,
    ),
    Detail(operation="GetBucketLogging", key={"Bucket": "Name"}, into="Logging"),
    Detail(operation="GetBucketAcl", key={"Bucket": "Name"}, into="Acl"),
)


def sparse(value: Any) -> Any:
    """Nested blocks without their unset members: the provider writes 0, false and "" for
    what AWS leaves out (`days = 0` in an expiration by date)."""
    if isinstance(value, dict):
        out = {k: sparse(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if _set(v)}
    if isinstance(value, list):
        return [v for v in (sparse(v) for v in value) if _set(v)]
    return value


def _set(value: Any) -> bool:
    return value not in (None, "", [], {}, 0, False)


def _day(value: Any) -> Any:
    # provider 3.x writes lifecycle dates as `2025-01-01`
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


def _lifecycle_rule(rule: Item) -> Item:
    found = rule.get("Filter") or {}
    both = found.get("And") or {}
    tags = [found["Tag"]] if found.get("Tag") else both.get("Tags") or []
    expiration = rule.get("Expiration") or {}
    noncurrent = rule.get("NoncurrentVersionExpiration") or {}
    return {
        "id": rule.get("ID") or "",
        "prefix": rule.get("Prefix") or found.get("Prefix") or both.get("Prefix") or "",
        "tags": {t["Key"]: t.get("Value", "") for t in tags},
        "enabled": rule.get("Status") == "Enabled",
        "abort_incomplete_multipart_upload_days": (
            rule.get("AbortIncompleteMultipartUpload") or {}
        ).get("DaysAfterInitiation"),
        "expiration": [
            {
                "date": _day(expiration.get("Date")),
                "days": expiration.get("Days"),
                "expired_object_delete_marker": expiration.get("ExpiredObjectDeleteMarker"),
            }
        ],
        "transition": [
            {
                "date": _day(t.get("Date")),
                "days": t.get("Days"),
                "storage_class": t.get("StorageClass"),
            }
            for t in rule.get("Transitions") or []
        ],
        "noncurrent_version_expiration": [{"days": noncurrent.get("NoncurrentDays")}],
        "noncurrent_version_transition": [
            {"days": t.get("NoncurrentDays"), "storage_class": t.get("StorageClass")}
            for t in rule.get("NoncurrentVersionTransitions") or []
        ],
    }


def _grants(acl: Item) -> list[Item]:
    # 3.x groups a grantee's permissions in one block
    by_grantee: dict[tuple[str, str, str], list[str]] = {}
    for grant in acl.get("Grants") or []:
        grantee = grant.get("Grantee") or {}
        key = (grantee.get("ID") or "", grantee.get("Type") or "", grantee.get("URI") or "")
        by_grantee.setdefault(key, []).append(grant.get("Permission"))
    return [
        {"id": id_, "type": type_, "uri": uri, "permissions": sorted(permissions)}
        for (id_, type_, uri), permissions in by_grantee.items()
    ]


def inline_settings(item: Item) -> Attrs:
    """The bucket's `lifecycle_rule`, `logging` and `grant` as provider 3.x records them."""
    attrs: Attrs = {}
    if "Lifecycle" in item:
        rules = (item["Lifecycle"] or {}).get("Rules") or []
        attrs["lifecycle_rule"] = [_lifecycle_rule(r) for r in rules]
    if "Logging" in item:
        enabled = (item["Logging"] or {}).get("LoggingEnabled")
        attrs["logging"] = (
            [
                {
                    "target_bucket": enabled.get("TargetBucket"),
                    "target_prefix": enabled.get("TargetPrefix") or "",
                }
            ]
            if enabled
            else []
        )
    if "Acl" in item:
        attrs["grant"] = _grants(item["Acl"] or {})
    return attrs
