"""CloudFront (global, one unit per account): distributions (`aws_cloudfront_distribution`),
keyed and imported by distribution id.

ListDistributions (pages of 100) answers most of each distribution's configuration: its
origins, cache behaviors, certificate, restrictions. It leaves out the default root object,
the access logging, the continuous deployment policy and the caller reference, so each
distribution also takes one GetDistributionConfig (AWS has no batch form; the summary's
own fields win where both answer). Tags take one ListTagsForResource per distribution:
the Resource Groups Tagging API answers CloudFront only in us-east-1, which need not be a
scanned region. The endpoint is global: any region's client reaches it.

Blocks are compared as Terraform's sets, order aside, except `ordered_cache_behavior`
(its order is precedence). AWS answers every default of a block (3 connection attempts, a
disabled Origin Shield, ...) that older providers did not record: defaults count as unset
on both sides, so a provider 3.x/4.x state compares as cleanly as a 6.x one.

moto drops an S3 origin's access identity, never answers edge function associations, and
names a method for the default certificate: those are tested on answers in AWS's shape
(tests/resources/test_cloudfront.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from driftq.resources.attributes import COMPUTED, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags

Item = dict[str, Any]


def _items(value: Any) -> list[Any]:
    """A CloudFront list (`{"Quantity": n, "Items": [...]}`) as its items."""
    return list((value or {}).get("Items") or []) if isinstance(value, dict) else []


def _origin(origin: Item) -> Item:
    custom = origin.get("CustomOriginConfig")
    shield = origin.get("OriginShield") or {}
    s3 = origin.get("S3OriginConfig") or {}
    vpc = origin.get("VpcOriginConfig")
    return {
        "origin_id": origin.get("Id"),
        "domain_name": origin.get("DomainName"),
        "origin_path": origin.get("OriginPath") or "",
        "connection_attempts": origin.get("ConnectionAttempts"),
        "connection_timeout": origin.get("ConnectionTimeout"),
        "response_completion_timeout": origin.get("ResponseCompletionTimeout"),
        "origin_access_control_id": origin.get("OriginAccessControlId") or "",
        "custom_header": [
            {"name": h.get("HeaderName"), "value": h.get("HeaderValue")}
            for h in _items(origin.get("CustomHeaders"))
        ],
        "s3_origin_config": [{"origin_access_identity": s3.get("OriginAccessIdentity")}]
        if s3
        else [],
        "custom_origin_config": [
            {
                "http_port": custom.get("HTTPPort"),
                "https_port": custom.get("HTTPSPort"),
                "origin_protocol_policy": custom.get("OriginProtocolPolicy"),
                "origin_ssl_protocols": _items(custom.get("OriginSslProtocols")),
                "origin_keepalive_timeout": custom.get("OriginKeepaliveTimeout"),
                "origin_read_timeout": custom.get("OriginReadTimeout"),
                "ip_address_type": custom.get("IpAddressType"),
            }
        ]
        if custom
        else [],
        "origin_shield": [
            {
                "enabled": bool(shield.get("Enabled")),
                "origin_shield_region": shield.get("OriginShieldRegion") or "",
            }
        ]
        if shield
        else [],
        "vpc_origin_config": [
            {
                "vpc_origin_id": vpc.get("VpcOriginId"),
                "origin_keepalive_timeout": vpc.get("OriginKeepaliveTimeout"),
                "origin_read_timeout": vpc.get("OriginReadTimeout"),
            }
        ]
        if vpc
        else [],
    }


def _behavior(behavior: Item) -> Item:
    methods = behavior.get("AllowedMethods") or {}
    forwarded = behavior.get("ForwardedValues")
    out: Item = {
        "target_origin_id": behavior.get("TargetOriginId"),
        "viewer_protocol_policy": behavior.get("ViewerProtocolPolicy"),
        "allowed_methods": _items(methods),
        "cached_methods": _items(methods.get("CachedMethods")),
        "cache_policy_id": behavior.get("CachePolicyId") or "",
        "origin_request_policy_id": behavior.get("OriginRequestPolicyId") or "",
        "response_headers_policy_id": behavior.get("ResponseHeadersPolicyId") or "",
        "realtime_log_config_arn": behavior.get("RealtimeLogConfigArn") or "",
        "field_level_encryption_id": behavior.get("FieldLevelEncryptionId") or "",
        "compress": bool(behavior.get("Compress")),
        "smooth_streaming": bool(behavior.get("SmoothStreaming")),
        "min_ttl": behavior.get("MinTTL"),
        "default_ttl": behavior.get("DefaultTTL"),
        "max_ttl": behavior.get("MaxTTL"),
        "trusted_signers": _items(behavior.get("TrustedSigners")),
        "trusted_key_groups": _items(behavior.get("TrustedKeyGroups")),
        "forwarded_values": [_forwarded(forwarded)] if forwarded else [],
        "lambda_function_association": [
            {
                "event_type": a.get("EventType"),
                "lambda_arn": a.get("LambdaFunctionARN"),
                "include_body": bool(a.get("IncludeBody")),
            }
            for a in _items(behavior.get("LambdaFunctionAssociations"))
        ],
        "function_association": [
            {"event_type": a.get("EventType"), "function_arn": a.get("FunctionARN")}
            for a in _items(behavior.get("FunctionAssociations"))
        ],
        "grpc_config": [{"enabled": bool((behavior.get("GrpcConfig") or {}).get("Enabled"))}],
    }
    if "PathPattern" in behavior:
        out["path_pattern"] = behavior["PathPattern"]
    return out


def _forwarded(forwarded: Item) -> Item:
    cookies = forwarded.get("Cookies") or {}
    return {
        "query_string": bool(forwarded.get("QueryString")),
        "query_string_cache_keys": _items(forwarded.get("QueryStringCacheKeys")),
        "headers": _items(forwarded.get("Headers")),
        "cookies": [
            {
                "forward": cookies.get("Forward") or "none",
                "whitelisted_names": _items(cookies.get("WhitelistedNames")),
            }
        ],
    }


def _viewer_certificate(certificate: Item) -> list[Item]:
    out: Item = {
        "cloudfront_default_certificate": bool(certificate.get("CloudFrontDefaultCertificate")),
        "minimum_protocol_version": certificate.get("MinimumProtocolVersion") or "",
        "acm_certificate_arn": certificate.get("ACMCertificateArn") or "",
        "iam_certificate_id": certificate.get("IAMCertificateId") or "",
    }
    if out["acm_certificate_arn"] or out["iam_certificate_id"]:
        # the provider records the method only with a certificate of one's own; AWS
        # answers one for the default certificate too
        out["ssl_support_method"] = certificate.get("SSLSupportMethod") or ""
    return [out]


def _origin_group(group: Item) -> Item:
    criteria = group.get("FailoverCriteria") or {}
    return {
        "origin_id": group.get("Id"),
        "failover_criteria": [{"status_codes": _items(criteria.get("StatusCodes"))}],
        "member": [{"origin_id": m.get("OriginId")} for m in _items(group.get("Members"))],
    }


def _distribution(item: Item, ctx: ScanContext) -> Attrs:
    logging = item.get("Logging") or {}
    geo = (item.get("Restrictions") or {}).get("GeoRestriction") or {}
    return {
        "id": item["Id"],
        "arn": item.get("ARN"),
        "aliases": _items(item.get("Aliases")),
        "comment": item.get("Comment") or "",
        "default_root_object": item.get("DefaultRootObject") or "",
        "enabled": bool(item.get("Enabled")),
        "http_version": item.get("HttpVersion") or "",
        "is_ipv6_enabled": bool(item.get("IsIPV6Enabled")),
        "price_class": item.get("PriceClass") or "",
        "web_acl_id": item.get("WebACLId") or "",
        "staging": bool(item.get("Staging")),
        "continuous_deployment_policy_id": item.get("ContinuousDeploymentPolicyId") or "",
        "anycast_ip_list_id": item.get("AnycastIpListId") or "",
        "origin": [_origin(o) for o in _items(item.get("Origins"))],
        "origin_group": [_origin_group(g) for g in _items(item.get("OriginGroups"))],
        "default_cache_behavior": [_behavior(item.get("DefaultCacheBehavior") or {})],
        "ordered_cache_behavior": [_behavior(b) for b in _items(item.get("CacheBehaviors"))],
        "custom_error_response": [
            {
                "error_code": r.get("ErrorCode"),
                "response_code": r.get("ResponseCode") or "",
                "response_page_path": r.get("ResponsePagePath") or "",
                "error_caching_min_ttl": r.get("ErrorCachingMinTTL"),
            }
            for r in _items(item.get("CustomErrorResponses"))
        ],
        "restrictions": [
            {
                "geo_restriction": [
                    {
                        "restriction_type": geo.get("RestrictionType") or "none",
                        "locations": _items(geo),
                    }
                ]
            }
        ],
        "viewer_certificate": _viewer_certificate(item.get("ViewerCertificate") or {}),
        "logging_config": [
            {
                "bucket": logging.get("Bucket") or "",
                "prefix": logging.get("Prefix") or "",
                "include_cookies": bool(logging.get("IncludeCookies")),
            }
        ]
        if logging.get("Enabled")
        else [],
    }


# --- canonical forms: AWS's defaults inside blocks are "not set" ---------------------------

# (block key, AWS's default): dropped on both sides
_ORIGIN_DEFAULTS = {
    "connection_attempts": 3,
    "connection_timeout": 10,
    "response_completion_timeout": 0,
}
_CUSTOM_ORIGIN_DEFAULTS = {
    "origin_keepalive_timeout": 5,
    "origin_read_timeout": 30,
    "ip_address_type": "ipv4",
}
_LEGACY_CACHE_SETTINGS = ("forwarded_values", "min_ttl", "default_ttl", "max_ttl")


def _blocks(value: Any) -> list[Item]:
    return [b for b in value or [] if isinstance(b, dict)] if isinstance(value, list) else []


def _without(block: Item, defaults: dict[str, Any]) -> Item:
    return {k: v for k, v in block.items() if k not in defaults or str(v) != str(defaults[k])}


def _origins(value: Any) -> Any:
    out = []
    for origin in _blocks(value):
        block = _without(origin, _ORIGIN_DEFAULTS)
        block["custom_origin_config"] = [
            _without(c, _CUSTOM_ORIGIN_DEFAULTS)
            for c in _blocks(origin.get("custom_origin_config"))
        ]
        # a disabled Origin Shield, an S3 origin without an access identity (OAC or public)
        block["origin_shield"] = [
            s for s in _blocks(origin.get("origin_shield")) if s.get("enabled") in (True, "true")
        ]
        block["s3_origin_config"] = [
            s for s in _blocks(origin.get("s3_origin_config")) if s.get("origin_access_identity")
        ]
        out.append(block)
    return out


def _behaviors(value: Any) -> Any:
    out = []
    for behavior in _blocks(value):
        block = dict(behavior)
        if block.get("cache_policy_id"):
            # a cache policy replaces the legacy TTLs and forwarded values: AWS may still
            # answer them (or the provider record zeros), they mean nothing then
            for key in _LEGACY_CACHE_SETTINGS:
                block.pop(key, None)
        block["grpc_config"] = [
            g for g in _blocks(block.get("grpc_config")) if g.get("enabled") in (True, "true")
        ]
        out.append(block)
    return out


def _restrictions(value: Any) -> Any:
    # no geo restriction at all, or `restriction_type = "none"`: the same
    out = []
    for restriction in _blocks(value):
        geo = [
            g
            for g in _blocks(restriction.get("geo_restriction"))
            if g.get("restriction_type") not in (None, "", "none") or g.get("locations")
        ]
        out.append({**restriction, "geo_restriction": geo})
    return out


_FORMS: dict[str, Callable[[Any], Any]] = {
    "origin": _origins,
    "default_cache_behavior": _behaviors,
    "ordered_cache_behavior": _behaviors,
    "restrictions": _restrictions,
}

SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_cloudfront_distribution",
        service="cloudfront",
        list_call=ListCall(operation="ListDistributions", items="DistributionList.Items[]"),
        calls=(
            Detail(
                operation="GetDistributionConfig",
                key={"Id": "Id"},
                result="DistributionConfig",
                gone=frozenset({"NoSuchDistribution"}),
            ),
        ),
        tags=Tags(
            path="Tags",
            call=Detail(
                operation="ListTagsForResource",
                key={"Resource": "ARN"},
                result="Tags.Items",
                into="Tags",
                gone=frozenset({"NoSuchResource"}),
            ),
        ),
        normalize=_distribution,
        compared=(
            "aliases",
            "comment",
            "default_root_object",
            "enabled",
            "http_version",
            "is_ipv6_enabled",
            "price_class",
            "web_acl_id",
            "staging",
            "continuous_deployment_policy_id",
            "anycast_ip_list_id",
            "origin",
            "origin_group",
            "default_cache_behavior",
            "ordered_cache_behavior",
            "custom_error_response",
            "restrictions",
            "viewer_certificate",
            "logging_config",
            "tags",
        ),
        left_out=common("id", "tags_all", "arn")
        | because(
            COMPUTED,
            "domain_name",
            "etag",
            "hosted_zone_id",
            "in_progress_validation_batches",
            "last_modified_time",
            "status",
            "logging_v1_enabled",
            # the distribution-wide signers AWS reports from its cache behaviors'
            "trusted_key_groups",
            "trusted_signers",
        )
        | because(TERRAFORM_ONLY, "caller_reference", "retain_on_delete", "wait_for_deployment"),
        value_forms=_FORMS,
        ordered_attributes=frozenset({"ordered_cache_behavior"}),
        is_global=True,
        not_emulated="S3 origin access identities, edge functions, `vip` certificates",
        import_id_format="distribution id, e.g. E2QWRUHAPOMQZL",
    ),
]
