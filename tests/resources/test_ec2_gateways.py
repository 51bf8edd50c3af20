"""Normalizers on recorded AWS answers: what moto does not emulate (service-managed
addresses, requester-managed endpoints, AWS's default endpoint policy) and the network ACL
entry forms."""

from __future__ import annotations

import json
from typing import Any

from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.ec2_gateways import _endpoint_policy
from driftq.resources.ec2_network_acls import entries
from driftq.resources.enumerate import live_resource


def _ctx() -> ScanContext:
    def no_aws(service: str, region: str | None = None) -> Any:
        raise AssertionError("no AWS call expected")

    return ScanContext(Unit("test", "us-east-1", "ec2"), "123456789012", ("us-east-1",), no_aws)


def test_a_load_balancers_address_is_aws_own() -> None:
    # DescribeAddresses for an ALB's address (recorded shape)
    item = {
        "AllocationId": "eipalloc-0alb",
        "PublicIp": "3.3.3.3",
        "Domain": "vpc",
        "NetworkBorderGroup": "us-east-1",
        "PublicIpv4Pool": "amazon",
        "ServiceManaged": "alb",
    }
    live = live_resource(REGISTRY["aws_eip"], item, _ctx())
    assert live is not None and live.aws_default and live.identity == "eipalloc-0alb"


def test_an_endpoint_a_service_made_is_aws_own() -> None:
    item = {
        "VpcEndpointId": "vpce-0rm",
        "VpcEndpointType": "Interface",
        "VpcId": "vpc-1",
        "ServiceName": "com.amazonaws.us-east-1.secretsmanager",
        "State": "available",
        "RequesterManaged": True,
    }
    live = live_resource(REGISTRY["aws_vpc_endpoint"], item, _ctx())
    assert live is not None and live.aws_default


def test_the_default_endpoint_policy_is_no_policy() -> None:
    default = json.dumps(
        {
            "Version": "2008-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
        }
    )
    assert _endpoint_policy(default) is None
    assert _endpoint_policy("") is None
    narrow = {
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
        ]
    }
    assert _endpoint_policy(json.dumps(narrow)) is not None


def test_acl_entries_compare_in_one_form() -> None:
    written = {
        "rule_no": "100",
        "action": "ALLOW",
        "protocol": "tcp",
        "cidr_block": "10.0.0.5/8",
        "from_port": 443,
        "to_port": 443,
        "icmp_type": 0,
        "icmp_code": 0,
    }
    answered = {
        **written,
        "rule_no": 100,
        "action": "allow",
        "protocol": "6",
        "cidr_block": "10.0.0.0/8",
    }
    assert entries([written]) == entries([answered])
    # ports mean nothing for "all": the provider writes 0, AWS answers none
    assert entries([{**written, "protocol": "-1", "from_port": 0, "to_port": 0}]) == entries(
        [{**answered, "protocol": "all", "from_port": 443, "to_port": 443}]
    )
