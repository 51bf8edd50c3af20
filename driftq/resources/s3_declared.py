"""The bucket settings `aws_s3_bucket` compares only where its state sets them: `cors_rule`,
`website`, `replication_configuration`, `object_lock_configuration` / `object_lock_enabled`
and `acceleration_status`.

Each is one Get call per bucket and few buckets use them, so a bucket is asked only when a
state's `aws_s3_bucket` holds a non-empty value for the setting (provider 3.x manages them
inline; 4.x+ keeps a computed copy): a bucket that does not declare it costs no call, and a
setting switched on outside Terraform on such a bucket is not found here (driftq supports no
separate cors/website/... type that would report it unmanaged).

Nor is a bucket asked when a state holds the setting's separate resource (provider 4.x+,
e.g. `aws_s3_bucket_cors_configuration`): the provider does not re-read the bucket after
applying it, so the bucket's copy is stale until a refresh (as ``passes/separate_settings``
does for the settings driftq has types for). Without the answer the attribute is not
compared.

AWS's "not configured" error codes (NoSuchCORSConfiguration, ...) mean the setting is empty.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from driftq.resources.context import ScanContext
from driftq.resources.s3_inline import sparse
from driftq.resources.spec import Attrs, Detail

Item = dict[str, Any]

# the bucket attribute each call answers, and the separate types that manage it apart
SPLIT_TYPES = {
    "cors_rule": ("aws_s3_bucket_cors_configuration",),
    "website": ("aws_s3_bucket_website_configuration",),
    "replication_configuration": ("aws_s3_bucket_replication_configuration",),
    "object_lock_configuration": ("aws_s3_bucket_object_lock_configuration",),
    "object_lock_enabled": ("aws_s3_bucket_object_lock_configuration",),
    "acceleration_status": ("aws_s3_bucket_accelerate_configuration",),
}


def _bucket_of(attrs: Attrs) -> str:
    return str(attrs.get("bucket") or str(attrs.get("id") or "").split(",", 1)[0])


def _declaring(ctx: ScanContext, attributes: tuple[str, ...]) -> set[str]:
    """Buckets whose state sets one of ``attributes`` and holds none of their separate
    resources (once per unit)."""

    def compute() -> set[str]:
        apart = {
            _bucket_of(attrs)
            for name in attributes
            for rtype in SPLIT_TYPES[name]
            for attrs in ctx.state_attributes(rtype)
        }
        return {
            _bucket_of(attrs)
            for attrs in ctx.state_attributes("aws_s3_bucket")
            if any(_is_set(attrs.get(name)) for name in attributes)
        } - apart

    return ctx.remember(f"s3:declaring:{','.join(attributes)}", compute)


def _is_set(value: Any) -> bool:
    # provider 3.x writes `[]`, "" and false for a setting never configured
    return sparse(value) not in (None, "", [], {}, 0, False)


def _when(*attributes: str) -> Callable[[Item, ScanContext], bool]:
    def when(item: Item, ctx: ScanContext) -> bool:
        return str(item["Name"]) in _declaring(ctx, attributes)

    return when


def _call(operation: str, into: str, absent: frozenset[str], *attributes: str) -> Detail:
    return Detail(
        operation=operation,
        key={"Bucket": "Name"},
        into=into,
        absent=absent,
        when=_when(*attributes),
    )


CALLS = (
    _call("GetBucketCors", "Cors", frozenset({"NoSuchCORSConfiguration"}), "cors_rule"),
    _call("GetBucketWebsite", "Website", frozenset({"NoSuchWebsiteConfiguration"}), "website"),
    _call(
        "GetBucketReplication",
        "Replication",
        frozenset({"ReplicationConfigurationNotFoundError"}),
        "replication_configuration",
    ),
    _call(
        "GetObjectLockConfiguration",
        "ObjectLock",
        frozenset({"ObjectLockConfigurationNotFoundError"}),
        "object_lock_configuration",
        "object_lock_enabled",
    ),
    _call("GetBucketAccelerateConfiguration", "Accelerate", frozenset(), "acceleration_status"),
)


def _cors(response: Item | None) -> list[Item]:
    return [
        {
            "allowed_headers": rule.get("AllowedHeaders") or [],
            "allowed_methods": rule.get("AllowedMethods") or [],
            "allowed_origins": rule.get("AllowedOrigins") or [],
            "expose_headers": rule.get("ExposeHeaders") or [],
            "max_age_seconds": rule.get("MaxAgeSeconds"),
        }
        for rule in (response or {}).get("CORSRules") or []
    ]


def _website(response: Item | None) -> list[Item]:
    if not response:
        return []
    redirect = response.get("RedirectAllRequestsTo") or {}
    host = redirect.get("HostName") or ""
    protocol = redirect.get("Protocol")
    rules = response.get("RoutingRules")
    return [
        {
            "index_document": (response.get("IndexDocument") or {}).get("Suffix") or "",
            "error_document": (response.get("ErrorDocument") or {}).get("Key") or "",
            # the provider writes `https://host` when a protocol is given
            "redirect_all_requests_to": f"{protocol}://{host}" if protocol and host else host,
            "routing_rules": json.dumps(rules) if rules else "",
        }
    ]


def _replication_rule(rule: Item) -> Item:
    destination = rule.get("Destination") or {}
    translation = destination.get("AccessControlTranslation") or {}
    time = destination.get("ReplicationTime") or {}
    metrics = destination.get("Metrics") or {}
    criteria = (rule.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects") or {}
    found = rule.get("Filter") or {}
    both = found.get("And") or {}
    tags = [found["Tag"]] if found.get("Tag") else both.get("Tags") or []
    marker = (rule.get("DeleteMarkerReplication") or {}).get("Status")
    return {
        "id": rule.get("ID") or "",
        "priority": rule.get("Priority"),
        "prefix": rule.get("Prefix") or "",
        "status": rule.get("Status"),
        # the provider writes only an enabled one
        "delete_marker_replication_status": marker if marker == "Enabled" else "",
        "filter": [
            {
                "prefix": found.get("Prefix") or both.get("Prefix") or "",
                "tags": {t["Key"]: t.get("Value", "") for t in tags},
            }
        ],
        "destination": [
            {
                "bucket": destination.get("Bucket"),
                "storage_class": destination.get("StorageClass") or "",
                "replica_kms_key_id": (destination.get("EncryptionConfiguration") or {}).get(
                    "ReplicaKmsKeyID"
                )
                or "",
                "account_id": destination.get("Account") or "",
                "access_control_translation": [{"owner": translation.get("Owner")}],
                "replication_time": [
                    {
                        "status": time.get("Status"),
                        "minutes": (time.get("Time") or {}).get("Minutes"),
                    }
                ],
                "metrics": [
                    {
                        "status": metrics.get("Status"),
                        "minutes": (metrics.get("EventThreshold") or {}).get("Minutes"),
                    }
                ],
            }
        ],
        "source_selection_criteria": [
            {"sse_kms_encrypted_objects": [{"enabled": criteria.get("Status") == "Enabled"}]}
        ],
    }


def _replication(response: Item | None) -> list[Item]:
    config = (response or {}).get("ReplicationConfiguration") or {}
    if not config:
        return []
    return [
        {
            "role": config.get("Role") or "",
            "rules": [_replication_rule(r) for r in config.get("Rules") or []],
        }
    ]


def _object_lock(response: Item | None) -> list[Item]:
    config = (response or {}).get("ObjectLockConfiguration") or {}
    if config.get("ObjectLockEnabled") != "Enabled":
        return []
    retention = (config.get("Rule") or {}).get("DefaultRetention")
    rule = (
        [
            {
                "default_retention": [
                    {
                        "mode": retention.get("Mode"),
                        "days": retention.get("Days"),
                        "years": retention.get("Years"),
                    }
                ]
            }
        ]
        if retention
        else []
    )
    return [{"object_lock_enabled": "Enabled", "rule": rule}]


def declared_settings(item: Item) -> Attrs:
    """The settings read for this bucket (only those its state declares), in the
    provider's inline shapes."""
    attrs: Attrs = {}
    if "Cors" in item:
        attrs["cors_rule"] = _cors(item["Cors"])
    if "Website" in item:
        attrs["website"] = _website(item["Website"])
    if "Replication" in item:
        attrs["replication_configuration"] = _replication(item["Replication"])
    if "ObjectLock" in item:
        attrs["object_lock_configuration"] = _object_lock(item["ObjectLock"])
        attrs["object_lock_enabled"] = bool(attrs["object_lock_configuration"])
    if "Accelerate" in item:
        attrs["acceleration_status"] = (item["Accelerate"] or {}).get("Status") or ""
    return attrs


def _website_form(value: Any) -> Any:
    # routing rules are a JSON document: compared by meaning, not by text
    out = []
    for block in value if isinstance(value, list) else [value]:
        if not isinstance(block, dict):
            continue
        rules = block.get("routing_rules")
        if isinstance(rules, str) and rules.strip():
            with contextlib.suppress(ValueError):  # not JSON: compared as text
                rules = json.loads(rules)
        out.append({**block, "routing_rules": rules})
    return sparse(out)


VALUE_FORMS: dict[str, Callable[[Any], Any]] = {
    "cors_rule": sparse,
    "website": _website_form,
    "replication_configuration": sparse,
    "object_lock_configuration": sparse,
}
COMPARED = tuple(SPLIT_TYPES)
