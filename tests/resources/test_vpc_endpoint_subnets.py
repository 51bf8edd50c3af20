"""An interface endpoint's address per subnet (`subnet_configuration`) against a real moto
server: read from the endpoint's own network interfaces (one DescribeNetworkInterfaces,
only for endpoints whose state names addresses); a clean state is silent, another address
is drift, and a state that names no addresses leaves them to AWS (and is not asked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.model import Unit
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

UNIT = Unit("test", "us-east-1", "ec2")


def _endpoint(account: Any) -> tuple[dict[str, Any], dict[str, str]]:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.31.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.31.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName="com.amazonaws.us-east-1.sqs",
        VpcEndpointType="Interface",
        SubnetIds=subnets,
    )["VpcEndpoint"]
    interfaces = ec2.describe_network_interfaces(
        NetworkInterfaceIds=endpoint["NetworkInterfaceIds"]
    )
    addresses = {
        eni["SubnetId"]: eni["PrivateIpAddress"] for eni in interfaces["NetworkInterfaces"]
    }
    assert set(addresses) == set(subnets)
    state = {
        "id": endpoint["VpcEndpointId"],
        "vpc_id": vpc,
        "service_name": "com.amazonaws.us-east-1.sqs",
        "vpc_endpoint_type": "Interface",
        "subnet_ids": subnets,
        "subnet_configuration": [
            {"subnet_id": subnet, "ipv4": ip, "ipv6": ""} for subnet, ip in addresses.items()
        ],
    }
    return state, addresses


def _scan(account: Any, tmp_path: Path, attributes: dict[str, Any]) -> Any:
    state = StateFile().add("aws_vpc_endpoint", "e", attributes)
    result = scan_ok(account, tmp_path, state, UNIT)
    return {f.resource_id: f for f in result.findings if f.resource_type == "aws_vpc_endpoint"}


def test_endpoint_addresses(account: Any, tmp_path: Path) -> None:
    state, addresses = _endpoint(account)
    eid = state["id"]
    assert eid not in _scan(account, tmp_path, state)

    # one subnet's address asked for, another answered
    first = next(iter(addresses))
    moved = {"subnet_id": first, "ipv4": "10.31.1.250", "ipv6": ""}
    found = _scan(account, tmp_path, {**state, "subnet_configuration": [moved]})
    assert changes(found[eid]) == {
        "subnet_configuration": (
            [moved],
            [{"subnet_id": first, "ipv4": addresses[first], "ipv6": ""}],
        )
    }

    # the state names one subnet's address only, or none: the others are AWS's choice
    only = [c for c in state["subnet_configuration"] if c["subnet_id"] == first]
    assert eid not in _scan(account, tmp_path, {**state, "subnet_configuration": only})
    assert eid not in _scan(account, tmp_path, {**state, "subnet_configuration": []})
