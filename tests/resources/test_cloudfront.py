"""CloudFront distribution quirks on an answer in AWS's own shape (pure, no emulator): what
moto does not answer as AWS does (an S3 origin with an origin access control, a cache
policy without legacy settings, the default certificate's `vip` method), provider 3.x/4.x
state shapes, and sets compared order aside while ordered behaviors keep their order."""

from __future__ import annotations

import copy
import json
from typing import Any

from driftq.compare import compare
from driftq.model import GLOBAL, LiveResource, StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource
from driftq.state.parse import parse_state
from tests.resources.cases.cloudfront import CACHING_OPTIMIZED, distribution_state
from tests.support.estate import StateFile

SPEC = REGISTRY["aws_cloudfront_distribution"]
ID = "E2QWRUHAPOMQZL"
ARN = f"arn:aws:cloudfront::123456789012:distribution/{ID}"
_METHODS = {
    "Quantity": 2,
    "Items": ["HEAD", "GET"],
    "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]},
}
_EMPTY_SIGNERS = {"Enabled": False, "Quantity": 0}

# ListDistributions' summary merged with GetDistributionConfig's answer, as AWS gives them
# (values made up): an S3 origin reached through an origin access control
RECORDED: dict[str, Any] = {
    "Id": ID,
    "ARN": ARN,
    "Status": "Deployed",
    "DomainName": "d111111abcdef8.cloudfront.net",
    "Aliases": {"Quantity": 1, "Items": ["www.example.com"]},
    "Origins": {
        "Quantity": 1,
        "Items": [
            {
                "Id": "app",
                "DomainName": "app.example.com",
                "OriginPath": "",
                "CustomHeaders": {"Quantity": 0},
                "CustomOriginConfig": {
                    "HTTPPort": 80,
                    "HTTPSPort": 443,
                    "OriginProtocolPolicy": "https-only",
                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    "OriginReadTimeout": 30,
                    "OriginKeepaliveTimeout": 5,
                    "IpAddressType": "ipv4",
                },
                "ConnectionAttempts": 3,
                "ConnectionTimeout": 10,
                "OriginShield": {"Enabled": False},
                "OriginAccessControlId": "",
            },
        ],
    },
    "OriginGroups": {"Quantity": 0},
    "DefaultCacheBehavior": {
        "TargetOriginId": "app",
        "TrustedSigners": _EMPTY_SIGNERS,
        "TrustedKeyGroups": _EMPTY_SIGNERS,
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": _METHODS,
        "SmoothStreaming": False,
        "Compress": True,
        "LambdaFunctionAssociations": {"Quantity": 0},
        "FunctionAssociations": {"Quantity": 0},
        "FieldLevelEncryptionId": "",
        "CachePolicyId": CACHING_OPTIMIZED,
        "GrpcConfig": {"Enabled": False},
    },
    "CacheBehaviors": {
        "Quantity": 1,
        "Items": [
            {
                "PathPattern": "/api/*",
                "TargetOriginId": "app",
                "TrustedSigners": _EMPTY_SIGNERS,
                "TrustedKeyGroups": _EMPTY_SIGNERS,
                "ViewerProtocolPolicy": "https-only",
                "AllowedMethods": _METHODS,
                "SmoothStreaming": False,
                "Compress": False,
                "LambdaFunctionAssociations": {"Quantity": 0},
                "FunctionAssociations": {"Quantity": 0},
                "FieldLevelEncryptionId": "",
                "ForwardedValues": {
                    "QueryString": True,
                    "Cookies": {"Forward": "all"},
                    "Headers": {"Quantity": 0},
                    "QueryStringCacheKeys": {"Quantity": 0},
                },
                "MinTTL": 0,
                "DefaultTTL": 60,
                "MaxTTL": 300,
            }
        ],
    },
    "CustomErrorResponses": {"Quantity": 0},
    "Comment": "site",
    "PriceClass": "PriceClass_100",
    "Enabled": True,
    "ViewerCertificate": {
        "CloudFrontDefaultCertificate": True,
        "SSLSupportMethod": "vip",
        "MinimumProtocolVersion": "TLSv1",
        "CertificateSource": "cloudfront",
    },
    "Restrictions": {
        "GeoRestriction": {"RestrictionType": "whitelist", "Quantity": 2, "Items": ["US", "CA"]}
    },
    "WebACLId": "",
    "HttpVersion": "http2",
    "IsIPV6Enabled": True,
    "Staging": False,
    # GetDistributionConfig only
    "CallerReference": "terraform-20250101000000000000000001",
    "DefaultRootObject": "index.html",
    "Logging": {
        "Enabled": True,
        "IncludeCookies": False,
        "Bucket": "logs.s3.amazonaws.com",
        "Prefix": "cdn/",
    },
    "ContinuousDeploymentPolicyId": "",
}


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("a recorded answer calls no AWS")


def _live(item: dict[str, Any] | None = None) -> LiveResource:
    ctx = ScanContext(Unit("test", GLOBAL, "cloudfront"), "123456789012", ("eu-west-1",), _no_aws)
    tagged = {**(item or RECORDED), "_tags": {"Name": "site", "ManagedBy": "terraform"}}
    live = live_resource(SPEC, tagged, ctx)
    assert live is not None
    return live


def _state(attributes: dict[str, Any]) -> StateResource:
    state = StateFile()
    state.add("aws_cloudfront_distribution", "site", attributes)
    return parse_state(json.dumps(state.document()), "test", "eu-west-1")[0]


def _drift(attributes: dict[str, Any], live: LiveResource | None = None) -> list[str]:
    return [c.attribute for c in compare(SPEC, _state(attributes), live or _live())]


def _current() -> dict[str, Any]:
    return distribution_state(ID, ARN, "d111111abcdef8.cloudfront.net")


def test_aws_answer_matches_the_6x_state() -> None:
    assert _drift(_current()) == []


def test_a_provider_4x_state_without_newer_block_fields_matches() -> None:
    old = _current()
    for key in ("anycast_ip_list_id", "staging", "continuous_deployment_policy_id"):
        del old[key]
    origin = old["origin"][0]
    for key in ("connection_attempts", "connection_timeout", "response_completion_timeout"):
        del origin[key]
    for key in ("origin_shield", "origin_access_control_id", "vpc_origin_config"):
        del origin[key]
    for key in ("origin_keepalive_timeout", "origin_read_timeout", "ip_address_type"):
        del origin["custom_origin_config"][0][key]
    for behavior in (*old["default_cache_behavior"], *old["ordered_cache_behavior"]):
        for key in ("grpc_config", "function_association", "response_headers_policy_id"):
            del behavior[key]
        del behavior["trusted_key_groups"]
    assert _drift(old) == []


def test_a_3x_state_recording_legacy_settings_beside_a_cache_policy_matches() -> None:
    # provider 3.x writes zero TTLs and a `forwarded_values` block for every behavior
    old = _current()
    old["default_cache_behavior"][0].update(
        default_ttl=86400,
        max_ttl=31536000,
        forwarded_values=[{"query_string": False, "cookies": [{"forward": "none"}]}],
    )
    assert _drift(old) == []


def test_sets_compare_order_aside() -> None:
    reordered = copy.deepcopy(RECORDED)
    reordered["Restrictions"]["GeoRestriction"]["Items"] = ["CA", "US"]
    reordered["DefaultCacheBehavior"]["AllowedMethods"] = {
        **_METHODS,
        "Items": ["GET", "HEAD"],
    }
    assert _drift(_current(), _live(reordered)) == []


def test_ordered_behaviors_keep_their_order() -> None:
    two = copy.deepcopy(RECORDED)
    first = two["CacheBehaviors"]["Items"][0]
    second = {**first, "PathPattern": "/static/*"}
    two["CacheBehaviors"] = {"Quantity": 2, "Items": [first, second]}
    state = _current()
    behavior = state["ordered_cache_behavior"][0]
    state["ordered_cache_behavior"] = [behavior, {**behavior, "path_pattern": "/static/*"}]
    assert _drift(state, _live(two)) == []
    state["ordered_cache_behavior"].reverse()
    assert _drift(state, _live(two)) == ["ordered_cache_behavior"]


def test_a_changed_nested_setting_is_drift_of_its_block() -> None:
    changed = copy.deepcopy(RECORDED)
    changed["Origins"]["Items"][0]["ConnectionAttempts"] = 1
    changed["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"
    changed["Logging"]["Enabled"] = False
    assert _drift(_current(), _live(changed)) == [
        "origin",
        "default_cache_behavior",
        "logging_config",
    ]


def test_an_own_certificate_records_its_method() -> None:
    own = copy.deepcopy(RECORDED)
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    own["ViewerCertificate"] = {
        "ACMCertificateArn": certificate,
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "CloudFrontDefaultCertificate": False,
    }
    state = _current()
    state["viewer_certificate"] = [
        {
            "acm_certificate_arn": certificate,
            "cloudfront_default_certificate": False,
            "iam_certificate_id": "",
            "minimum_protocol_version": "TLSv1.2_2021",
            "ssl_support_method": "sni-only",
        }
    ]
    assert _drift(state, _live(own)) == []
    state["viewer_certificate"][0]["ssl_support_method"] = "vip"
    assert _drift(state, _live(own)) == ["viewer_certificate"]
