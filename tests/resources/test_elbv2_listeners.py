"""Listeners beyond the generic checks (test_types.py), purely: DescribeListeners' answers
as real AWS gives them (a forward with its ForwardConfig and weight 1, numbered actions,
mutual TLS `off`, redirect placeholders; moto answers only what was sent) against provider
3.x- and 5.x-shaped states."""

from __future__ import annotations

from typing import Any

import pytest

from driftq.compare import compare
from driftq.model import StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}"
LB = f"{PREFIX}:loadbalancer/app/web/50dc6c495c0c9188"
LISTENER = f"{PREFIX}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
TG = f"{PREFIX}:targetgroup/web/73e2d6bc24d8a067"
TG2 = f"{PREFIX}:targetgroup/canary/1a2b3c4d5e6f7a8b"
CERT = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012"

HTTPS: dict[str, Any] = {
    "ListenerArn": LISTENER,
    "LoadBalancerArn": LB,
    "Port": 443,
    "Protocol": "HTTPS",
    "Certificates": [{"CertificateArn": CERT}],
    "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "DefaultActions": [
        {
            "Type": "forward",
            "TargetGroupArn": TG,
            "Order": 1,
            "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": TG, "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": False},
            },
        }
    ],
    "MutualAuthentication": {"Mode": "off"},
    "Tags": [{"Key": "Name", "Value": "https"}],  # DescribeTags' answer, read into the item
}
REDIRECT: dict[str, Any] = {
    "ListenerArn": LISTENER,
    "LoadBalancerArn": LB,
    "Port": 80,
    "Protocol": "HTTP",
    "DefaultActions": [
        {
            "Type": "redirect",
            "Order": 1,
            "RedirectConfig": {
                "Protocol": "HTTPS",
                "Port": "443",
                "Host": "#{host}",
                "Path": "/#{path}",
                "Query": "#{query}",
                "StatusCode": "HTTP_301",
            },
        }
    ],
    "Tags": [],
}
_EMPTY_ACTION = {
    "forward": [],
    "redirect": [],
    "fixed_response": [],
    "authenticate_cognito": [],
    "authenticate_oidc": [],
}
_HTTPS_COMMON = {
    "id": LISTENER,
    "load_balancer_arn": LB,
    "port": 443,
    "protocol": "HTTPS",
    "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "certificate_arn": CERT,
    "tags": {"Name": "https"},
}
# provider 5.x, configured with `target_group_arn`
HTTPS_5X = {
    **_HTTPS_COMMON,
    "alpn_policy": None,
    "mutual_authentication": [],
    "default_action": [{**_EMPTY_ACTION, "type": "forward", "order": 1, "target_group_arn": TG}],
    "tags_all": {"Name": "https"},
}
# provider 5.x, configured with a `forward` block
HTTPS_5X_FORWARD = {
    **HTTPS_5X,
    "default_action": [
        {
            **_EMPTY_ACTION,
            "type": "forward",
            "order": 1,
            "target_group_arn": "",
            "forward": [
                {
                    "target_group": [{"arn": TG, "weight": 1}],
                    "stickiness": [{"enabled": False, "duration": 0}],
                }
            ],
        }
    ],
}
# provider 3.x: no action order, no mutual TLS, no ALPN
HTTPS_3X = {
    **_HTTPS_COMMON,
    "default_action": [{"type": "forward", "target_group_arn": TG, "forward": [], "redirect": []}],
}
# a redirect as 3.x wrote it: only what was configured
REDIRECT_3X = {
    "id": LISTENER,
    "load_balancer_arn": LB,
    "port": 80,
    "protocol": "HTTP",
    "ssl_policy": "",
    "default_action": [
        {
            "type": "redirect",
            "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}],
        }
    ],
    "tags": {},
}


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("a recorded answer calls no AWS")


def _changes(item: dict[str, Any], attributes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    spec = REGISTRY["aws_lb_listener"]
    ctx = ScanContext(Unit("test", "us-east-1", "elbv2"), ACCOUNT, ("us-east-1",), _no_aws)
    live = live_resource(spec, item, ctx)
    assert live is not None and live.import_id == LISTENER
    state = StateResource(spec.type, f"{spec.type}.l", LISTENER, attributes, "us-east-1", "")
    return {c.attribute: (c.expected, c.actual) for c in compare(spec, state, live)}


@pytest.mark.parametrize(
    ("item", "state"),
    [
        (HTTPS, HTTPS_5X),
        (HTTPS, HTTPS_5X_FORWARD),
        (HTTPS, HTTPS_3X),
        (REDIRECT, REDIRECT_3X),
    ],
    ids=["target-group-arn-5.x", "forward-block-5.x", "provider-3.x", "redirect-3.x"],
)
def test_a_recorded_listener_is_clean(item: dict[str, Any], state: dict[str, Any]) -> None:
    assert _changes(item, state) == {}


def _forward_to(groups: list[dict[str, Any]], sticky: bool = False) -> dict[str, Any]:
    action = {
        "Type": "forward",
        "Order": 1,
        "ForwardConfig": {
            "TargetGroups": groups,
            "TargetGroupStickinessConfig": {"Enabled": sticky, "DurationSeconds": 300},
        },
    }
    return {**HTTPS, "DefaultActions": [action]}


@pytest.mark.parametrize(
    "item",
    [
        _forward_to([{"TargetGroupArn": TG2, "Weight": 1}]),
        _forward_to([{"TargetGroupArn": TG, "Weight": 90}, {"TargetGroupArn": TG2, "Weight": 10}]),
        _forward_to([{"TargetGroupArn": TG, "Weight": 1}], sticky=True),
        {**REDIRECT, "Port": 443},
    ],
    ids=["another-group", "weighted-canary", "sticky", "redirect"],
)
def test_a_changed_default_action_is_drift(item: dict[str, Any]) -> None:
    for state in (HTTPS_5X, HTTPS_3X):
        assert "default_action" in _changes(item, state)


def test_mutual_tls_switched_on_and_another_certificate_are_drift() -> None:
    item = {
        **HTTPS,
        "Certificates": [{"CertificateArn": f"{CERT}-new", "IsDefault": True}],
        "MutualAuthentication": {"Mode": "verify", "TrustStoreArn": f"{PREFIX}:truststore/ts/1"},
    }
    assert set(_changes(item, HTTPS_5X)) == {"certificate_arn", "mutual_authentication"}
