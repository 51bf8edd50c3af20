"""Route cases: a `public` table with an inline default route and a subnet association, and
a `private` table whose routes are `aws_route` resources (its state read when it was made:
no inline routes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from driftq.resources.ec2_routes import TARGETS, route_id
from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import arn, tag_spec, tf_subnet, tf_tags, tf_vpc


def route_block(cidr: str, **targets: str) -> dict[str, Any]:
    block = {"cidr_block": cidr, "ipv6_cidr_block": "", "destination_prefix_list_id": ""}
    return {**block, **dict.fromkeys(TARGETS, ""), **targets}


def table_state(account: Any, table: str, vpc: str, name: str, routes: list[Any]) -> dict[str, Any]:
    return {
        "id": table,
        "arn": arn(account, "route-table", table),
        "owner_id": account.id,
        "propagating_vgws": [],
        "route": routes,
        "timeouts": None,
        "vpc_id": vpc,
        **tf_tags(name),
    }


def route_state(table: str, cidr: str, gateway: str) -> dict[str, Any]:
    return {
        "id": route_id(table, cidr),
        "route_table_id": table,
        "destination_cidr_block": cidr,
        "destination_ipv6_cidr_block": "",
        "destination_prefix_list_id": "",
        **dict.fromkeys(TARGETS, ""),
        "gateway_id": gateway,
        "instance_id": "",
        "instance_owner_id": "",
        "origin": "CreateRoute",
        "state": "active",
        "timeouts": None,
    }


def routed_network(account: Any) -> tuple[list[Res], dict[str, str]]:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=tag_spec("vpc", "net"))["Vpc"]
    vid = vpc["VpcId"]
    subnet = ec2.create_subnet(
        VpcId=vid,
        CidrBlock="10.30.1.0/24",
        AvailabilityZone="us-east-1a",
        TagSpecifications=tag_spec("subnet", "app"),
    )["Subnet"]
    igw = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway", "igw"))
    gid = igw["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gid, VpcId=vid)
    ids = {"igw": gid, "subnet": subnet["SubnetId"]}
    for name in ("public", "private"):
        ids[name] = ec2.create_route_table(
            VpcId=vid, TagSpecifications=tag_spec("route-table", name)
        )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=ids["public"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gid)
    for cidr in ("0.0.0.0/0", "192.168.0.0/16"):
        ec2.create_route(RouteTableId=ids["private"], DestinationCidrBlock=cidr, GatewayId=gid)
    ids["association"] = ec2.associate_route_table(
        RouteTableId=ids["public"], SubnetId=subnet["SubnetId"]
    )["AssociationId"]
    public = table_state(
        account, ids["public"], vid, "public", [route_block("0.0.0.0/0", gateway_id=gid)]
    )
    igw_state = {"id": gid, "arn": "", "owner_id": account.id, "vpc_id": vid, **tf_tags("igw")}
    association = {
        "id": ids["association"],
        "gateway_id": "",
        "route_table_id": ids["public"],
        "subnet_id": subnet["SubnetId"],
        "timeouts": None,
    }
    resources = [
        Res("aws_route_table", "public", public),
        Res("aws_route_table_association", "app", association),
        Res("aws_route", "default", route_state(ids["private"], "0.0.0.0/0", gid)),
        Res("aws_route", "office", route_state(ids["private"], "192.168.0.0/16", gid)),
        Res("aws_route_table", "private", table_state(account, ids["private"], vid, "private", [])),
        Res("aws_internet_gateway", "igw", igw_state),
        Res("aws_subnet", "app", tf_subnet(account, subnet)),
        Res("aws_vpc", "net", tf_vpc(account, vpc)),
    ]
    return resources, ids


def _case(rtype: str, import_id: Callable[[dict[str, str]], str]) -> Callable[[Any], Built]:
    def build(account: Any) -> Built:
        resources, ids = routed_network(account)
        subject = next(r for r in resources if r.type == rtype)
        others = [r for r in resources if r is not subject]
        return Built([subject, *others], import_id=import_id(ids))

    return build


CASES = [
    TypeCase(type="aws_route_table", build=_case("aws_route_table", lambda i: i["public"])),
    TypeCase(
        type="aws_route_table_association",
        build=_case("aws_route_table_association", lambda i: f"{i['subnet']}/{i['public']}"),
    ),
    TypeCase(type="aws_route", build=_case("aws_route", lambda i: f"{i['private']}_0.0.0.0/0")),
]
