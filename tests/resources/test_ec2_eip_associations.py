"""EIP associations AWS makes itself stay silent: a NAT gateway's (in moto) and a
load balancer's interface (recorded DescribeAddresses / DescribeNetworkInterfaces answers,
botocore-shaped: moto makes no requester-managed interfaces)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resources
from tests.resources.cases import new_test_account
from tests.resources.cases.ec2_gateways import _nat_gateway
from tests.resources.harness import Built
from tests.support.moto import MotoServer
from tests.support.scanning import scan_ok

UNIT = Unit("test", "us-east-1", "ec2")


def test_a_nat_gateways_association_is_aws_made(moto_server: MotoServer, tmp_path: Path) -> None:
    account = new_test_account()
    built = _nat_gateway(account)
    # the address's state read before the gateway associated it (no interface recorded)
    for res in built.resources:
        if res.type == "aws_eip":
            res.attributes.update(network_interface="", association_id="", private_ip="")
    result = scan_ok(account, tmp_path, Built(built.resources, "").state(), UNIT)
    assert result.findings == []


def _key(operation: str, params: dict[str, Any]) -> str:
    return f"call:ec2:us-east-1:{operation}:{json.dumps(params, sort_keys=True)}"


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("answered from the recorded calls")


def test_a_load_balancers_association_is_aws_made_and_a_customers_is_not() -> None:
    addresses = {
        "Addresses": [
            {
                "AllocationId": "eipalloc-0nlb",
                "AssociationId": "eipassoc-0nlb",
                "Domain": "vpc",
                "NetworkInterfaceId": "eni-0nlb",
                "NetworkInterfaceOwnerId": "123456789012",
                "PrivateIpAddress": "10.0.1.10",
                "PublicIp": "203.0.113.10",
            },
            {
                "AllocationId": "eipalloc-0app",
                "AssociationId": "eipassoc-0app",
                "Domain": "vpc",
                "NetworkInterfaceId": "eni-0app",
                "PrivateIpAddress": "10.0.1.20",
                "PublicIp": "203.0.113.20",
            },
            {"AllocationId": "eipalloc-0free", "Domain": "vpc", "PublicIp": "203.0.113.30"},
        ]
    }
    interfaces = {
        "NetworkInterfaces": [
            {
                "NetworkInterfaceId": "eni-0app",
                "InterfaceType": "interface",
                "RequesterManaged": False,
            },
            {
                "NetworkInterfaceId": "eni-0nlb",
                "InterfaceType": "network_load_balancer",
                "RequesterManaged": True,
                "Description": "ELB net/web/0123456789abcdef",
            },
        ]
    }
    ctx = ScanContext(UNIT, "123456789012", ("us-east-1",), _no_aws)
    ctx.memo[_key("DescribeAddresses", {})] = [addresses]
    ctx.memo[_key("DescribeNatGateways", {})] = [{"NatGateways": []}]
    ids = {"NetworkInterfaceIds": ["eni-0app", "eni-0nlb"]}
    ctx.memo[_key("DescribeNetworkInterfaces", ids)] = [interfaces]
    live = {r.identity: r for r in live_resources(REGISTRY["aws_eip_association"], ctx)}
    assert sorted(live) == ["eipassoc-0app", "eipassoc-0nlb"]  # the free address has none
    assert live["eipassoc-0nlb"].aws_default
    assert not live["eipassoc-0app"].aws_default
    assert live["eipassoc-0app"].attributes["network_interface_id"] == "eni-0app"


def test_a_targeted_read_tells_aws_made_associations_by_their_own_interface(
    moto_server: MotoServer,
) -> None:
    """A targeted scan (an event named the address) reads the one address, its interface
    and the NAT gateways of its subnet, never every address nor every gateway: the NAT
    gateway's association stays AWS-made, a customer's is not."""
    from driftq.events.narrow import narrowed

    account = new_test_account()
    gateway = _nat_gateway(account).subject("aws_nat_gateway").attributes
    ec2 = account.client("ec2")
    interface = ec2.create_network_interface(SubnetId=gateway["subnet_id"])["NetworkInterface"]
    own = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=own, NetworkInterfaceId=interface["NetworkInterfaceId"])
    calls: list[tuple[str, dict[str, Any]]] = []

    def client(service: str, region: str | None = None) -> Any:
        boto = account.client(service, region or "us-east-1")
        boto.meta.events.register(
            "before-parameter-build",
            lambda model, params, **_: calls.append((model.name, dict(params))),
        )
        return boto

    spec = narrowed(REGISTRY["aws_eip_association"], frozenset({gateway["allocation_id"], own}))
    assert spec is not None
    ctx = ScanContext(UNIT, account.id, ("us-east-1",), client, targeted=True)
    live = {r.attributes["allocation_id"]: r for r in live_resources(spec, ctx)}
    assert sorted(live) == sorted([gateway["allocation_id"], own])
    assert live[gateway["allocation_id"]].aws_default
    assert not live[own].aws_default
    whole = [c for c in calls if c[0] in ("DescribeAddresses", "DescribeNatGateways") and not c[1]]
    assert not whole, whole
