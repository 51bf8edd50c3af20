"""CloudFront case: a distribution with a custom origin, a cache-policy default behavior, an
ordered legacy behavior, a geo restriction and access logging, as provider 6.x records it."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # an AWS-managed cache policy


def distribution_config(reference: str) -> dict[str, Any]:
    """The DistributionConfig the case creates (what Terraform would send)."""
    return {
        "CallerReference": reference,
        "Comment": "site",
        "Enabled": True,
        "DefaultRootObject": "index.html",
        "Aliases": {"Quantity": 1, "Items": ["www.example.com"]},
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "app",
                    "DomainName": "app.example.com",
                    "OriginPath": "",
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "app",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
            "Compress": True,
            "AllowedMethods": {
                "Quantity": 2,
                "Items": ["GET", "HEAD"],
                "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
            },
        },
        "CacheBehaviors": {
            "Quantity": 1,
            "Items": [
                {
                    "PathPattern": "/api/*",
                    "TargetOriginId": "app",
                    "ViewerProtocolPolicy": "https-only",
                    "MinTTL": 0,
                    "DefaultTTL": 60,
                    "MaxTTL": 300,
                    "Compress": False,
                    "ForwardedValues": {"QueryString": True, "Cookies": {"Forward": "all"}},
                    "AllowedMethods": {
                        "Quantity": 2,
                        "Items": ["HEAD", "GET"],
                        "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
                    },
                }
            ],
        },
        "Restrictions": {
            "GeoRestriction": {"RestrictionType": "whitelist", "Quantity": 2, "Items": ["US", "CA"]}
        },
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
        "Logging": {
            "Enabled": True,
            "IncludeCookies": False,
            "Bucket": "logs.s3.amazonaws.com",
            "Prefix": "cdn/",
        },
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2",
        "IsIPV6Enabled": True,
    }


def _behavior(**fields: Any) -> dict[str, Any]:
    """A cache behavior block with the provider's empty values for what is not set."""
    return {
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "cache_policy_id": "",
        "origin_request_policy_id": "",
        "response_headers_policy_id": "",
        "realtime_log_config_arn": "",
        "field_level_encryption_id": "",
        "compress": False,
        "smooth_streaming": False,
        "default_ttl": 0,
        "min_ttl": 0,
        "max_ttl": 0,
        "trusted_signers": [],
        "trusted_key_groups": [],
        "forwarded_values": [],
        "lambda_function_association": [],
        "function_association": [],
        "grpc_config": [],
        **fields,
    }


def distribution_state(distribution_id: str, arn: str, domain: str) -> dict[str, Any]:
    """The state provider 6.x writes for the case's distribution."""
    return {
        "id": distribution_id,
        "arn": arn,
        "caller_reference": "terraform-20250101000000000000000001",
        "domain_name": domain,
        "etag": "E2QWRUHEXAMPLE",
        "hosted_zone_id": "Z2FDTNDATAQYW2",
        "status": "Deployed",
        "last_modified_time": "2025-01-01 00:00:00 +0000 UTC",
        "in_progress_validation_batches": 0,
        "aliases": ["www.example.com"],
        "comment": "site",
        "default_root_object": "index.html",
        "enabled": True,
        "http_version": "http2",
        "is_ipv6_enabled": True,
        "price_class": "PriceClass_100",
        "web_acl_id": "",
        "staging": False,
        "continuous_deployment_policy_id": "",
        "anycast_ip_list_id": "",
        "retain_on_delete": False,
        "wait_for_deployment": True,
        "logging_v1_enabled": True,
        "trusted_key_groups": [{"enabled": False, "items": []}],
        "trusted_signers": [{"enabled": False, "items": []}],
        "origin": [
            {
                "origin_id": "app",
                "domain_name": "app.example.com",
                "origin_path": "",
                "connection_attempts": 3,
                "connection_timeout": 10,
                "response_completion_timeout": 0,
                "origin_access_control_id": "",
                "custom_header": [],
                "s3_origin_config": [],
                "vpc_origin_config": [],
                "origin_shield": [],
                "custom_origin_config": [
                    {
                        "http_port": 80,
                        "https_port": 443,
                        "origin_protocol_policy": "https-only",
                        "origin_ssl_protocols": ["TLSv1.2"],
                        "origin_keepalive_timeout": 5,
                        "origin_read_timeout": 30,
                        "ip_address_type": "",
                    }
                ],
            }
        ],
        "origin_group": [],
        "default_cache_behavior": [
            _behavior(
                target_origin_id="app",
                viewer_protocol_policy="redirect-to-https",
                cache_policy_id=CACHING_OPTIMIZED,
                compress=True,
            )
        ],
        "ordered_cache_behavior": [
            _behavior(
                path_pattern="/api/*",
                target_origin_id="app",
                viewer_protocol_policy="https-only",
                default_ttl=60,
                max_ttl=300,
                forwarded_values=[
                    {
                        "query_string": True,
                        "query_string_cache_keys": [],
                        "headers": [],
                        "cookies": [{"forward": "all", "whitelisted_names": []}],
                    }
                ],
            )
        ],
        "custom_error_response": [],
        "restrictions": [
            {"geo_restriction": [{"restriction_type": "whitelist", "locations": ["CA", "US"]}]}
        ],
        "viewer_certificate": [
            {
                "cloudfront_default_certificate": True,
                "minimum_protocol_version": "TLSv1",
                "acm_certificate_arn": "",
                "iam_certificate_id": "",
                "ssl_support_method": "",
            }
        ],
        "logging_config": [
            {"bucket": "logs.s3.amazonaws.com", "prefix": "cdn/", "include_cookies": False}
        ],
        **tags_state({"Name": "site"}),
    }


def _distribution(account: Any) -> Built:
    tags = [{"Key": k, "Value": v} for k, v in {"Name": "site", **DEFAULT_TAGS}.items()]
    made = account.client("cloudfront").create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": distribution_config(unique("ref")),
            "Tags": {"Items": tags},
        }
    )["Distribution"]
    state = distribution_state(made["Id"], made["ARN"], made["DomainName"])
    return Built([Res("aws_cloudfront_distribution", "site", state)], import_id=made["Id"])


CASES = [
    TypeCase(
        type="aws_cloudfront_distribution",
        build=_distribution,
        mutations={
            # changing the block's first key would drop a default that means "unset"
            "viewer_certificate": [
                {"cloudfront_default_certificate": False, "acm_certificate_arn": "arn:x"}
            ],
        },
    ),
]
