"""Cases for gateways and addresses: internet and NAT gateways, Elastic IPs, VPC endpoints."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import arn, tag_spec, tf_subnet, tf_tags, tf_vpc

REGION = "us-east-1"


def _vpc(account: Any, cidr: str) -> tuple[Any, dict[str, Any], Res]:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag_spec("vpc", "net"))["Vpc"]
    return ec2, vpc, Res("aws_vpc", "net", tf_vpc(account, vpc))


def _internet_gateway(account: Any) -> Built:
    ec2, vpc, vpc_res = _vpc(account, "10.20.0.0/16")
    igw = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway", "igw"))
    gid = igw["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gid, VpcId=vpc["VpcId"])
    state = {
        "id": gid,
        "arn": arn(account, "internet-gateway", gid),
        "owner_id": account.id,
        "timeouts": None,
        "vpc_id": vpc["VpcId"],
        **tf_tags("igw"),
    }
    return Built([Res("aws_internet_gateway", "igw", state), vpc_res], import_id=gid)


def eip_state(account: Any, address: dict[str, Any], name: str) -> dict[str, Any]:
    allocation = address["AllocationId"]
    return {
        "id": allocation,
        "address": None,
        "allocation_id": allocation,
        "arn": arn(account, "elastic-ip", allocation),
        "associate_with_private_ip": None,
        "association_id": address.get("AssociationId", ""),
        "customer_owned_ipv4_pool": "",
        "domain": "vpc",
        "instance": "",
        "network_border_group": address.get("NetworkBorderGroup", ""),
        "network_interface": address.get("NetworkInterfaceId", ""),
        "private_ip": address.get("PrivateIpAddress", ""),
        "public_ip": address["PublicIp"],
        "public_ipv4_pool": address.get("PublicIpv4Pool", ""),
        "timeouts": None,
        **tf_tags(name),
    }


def _address(ec2: Any, name: str) -> dict[str, Any]:
    allocation = ec2.allocate_address(Domain="vpc", TagSpecifications=tag_spec("elastic-ip", name))[
        "AllocationId"
    ]
    return ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]


def _eip(account: Any) -> Built:
    address = _address(account.client("ec2"), "ip")
    state = eip_state(account, address, "ip")
    return Built([Res("aws_eip", "ip", state)], import_id=address["AllocationId"])


def _nat_gateway(account: Any) -> Built:
    ec2, vpc, vpc_res = _vpc(account, "10.21.0.0/16")
    subnet = ec2.create_subnet(
        VpcId=vpc["VpcId"],
        CidrBlock="10.21.1.0/24",
        AvailabilityZone=f"{REGION}a",
        TagSpecifications=tag_spec("subnet", "app"),
    )["Subnet"]
    nat_id = ec2.create_nat_gateway(
        SubnetId=subnet["SubnetId"],
        AllocationId=_address(ec2, "nat")["AllocationId"],
        TagSpecifications=tag_spec("natgateway", "nat"),
    )["NatGateway"]["NatGatewayId"]
    nat = ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]
    primary = nat["NatGatewayAddresses"][0]
    address = ec2.describe_addresses(AllocationIds=[primary["AllocationId"]])["Addresses"][0]
    state = {
        "id": nat_id,
        "allocation_id": primary["AllocationId"],
        "association_id": primary.get("AssociationId", ""),
        "connectivity_type": "public",
        "network_interface_id": primary.get("NetworkInterfaceId", ""),
        "private_ip": primary.get("PrivateIp", ""),
        "public_ip": primary.get("PublicIp", ""),
        "secondary_allocation_ids": [],
        "secondary_private_ip_address_count": 0,
        "secondary_private_ip_addresses": [],
        "subnet_id": subnet["SubnetId"],
        "timeouts": None,
        **tf_tags("nat"),
    }
    return Built(
        [
            Res("aws_nat_gateway", "nat", state),
            Res("aws_eip", "nat", eip_state(account, address, "nat")),
            Res("aws_subnet", "app", tf_subnet(account, subnet)),
            vpc_res,
        ],
        import_id=nat_id,
    )


def _vpc_endpoint(account: Any) -> Built:
    ec2, vpc, vpc_res = _vpc(account, "10.22.0.0/16")
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])
    main = tables["RouteTables"][0]["RouteTableId"]
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc["VpcId"],
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[main],
        TagSpecifications=tag_spec("vpc-endpoint", "s3"),
    )["VpcEndpoint"]
    eid = endpoint["VpcEndpointId"]
    state = {
        "id": eid,
        "arn": arn(account, "vpc-endpoint", eid),
        "auto_accept": None,
        "cidr_blocks": [],
        "dns_entry": [],
        "ip_address_type": endpoint.get("IpAddressType", ""),
        "network_interface_ids": [],
        "owner_id": account.id,
        "policy": endpoint.get("PolicyDocument", ""),
        "prefix_list_id": "pl-63a5400a",
        "private_dns_enabled": endpoint.get("PrivateDnsEnabled", False),
        "requester_managed": False,
        "route_table_ids": [main],
        "security_group_ids": [],
        "service_name": f"com.amazonaws.{REGION}.s3",
        "state": "available",
        "subnet_ids": [],
        "timeouts": None,
        "vpc_endpoint_type": "Gateway",
        "vpc_id": vpc["VpcId"],
        **tf_tags("s3"),
    }
    return Built([Res("aws_vpc_endpoint", "s3", state), vpc_res], import_id=eid)


CASES = [
    TypeCase(type="aws_internet_gateway", build=_internet_gateway),
    TypeCase(type="aws_eip", build=_eip),
    TypeCase(type="aws_nat_gateway", build=_nat_gateway),
    TypeCase(type="aws_vpc_endpoint", build=_vpc_endpoint),
]
