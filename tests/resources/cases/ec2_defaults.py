"""Cases for a VPC's adopted defaults: its main route table (an inline route to the
internet gateway) and its default network ACL (AWS's allow-all entries plus one added, and
the VPC's subnet)."""

from __future__ import annotations

from typing import Any

from tests.resources.cases.ec2_routes import route_block, table_state
from tests.resources.cases.ec2_templates_acls import acl_entry
from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import DEFAULT_TAG, arn, tag_spec, tf_subnet, tf_tags, tf_vpc


def _tag(ec2: Any, rid: str, name: str) -> None:
    tags = {"Name": name, **DEFAULT_TAG}
    ec2.create_tags(Resources=[rid], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


def _vpc(ec2: Any, cidr: str) -> dict[str, Any]:
    return ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag_spec("vpc", "net"))["Vpc"]  # type: ignore[no-any-return]


def _default_route_table(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = _vpc(ec2, "10.50.0.0/16")
    vid = vpc["VpcId"]
    main = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vid]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    gid = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway", "igw"))[
        "InternetGateway"
    ]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gid, VpcId=vid)
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=gid)
    _tag(ec2, main, "main")
    table = {
        **table_state(account, main, vid, "main", [route_block("0.0.0.0/0", gateway_id=gid)]),
        "default_route_table_id": main,
    }
    igw = {"id": gid, "arn": "", "owner_id": account.id, "vpc_id": vid, **tf_tags("igw")}
    return Built(
        [
            Res("aws_default_route_table", "main", table),
            Res("aws_internet_gateway", "igw", igw),
            Res("aws_vpc", "net", tf_vpc(account, vpc)),
        ],
        import_id=vid,
    )


def _default_network_acl(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = _vpc(ec2, "10.60.0.0/16")
    vid = vpc["VpcId"]
    acl = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vid]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"][0]["NetworkAclId"]
    subnet = ec2.create_subnet(
        VpcId=vid,
        CidrBlock="10.60.1.0/24",
        AvailabilityZone="us-east-1a",
        TagSpecifications=tag_spec("subnet", "app"),
    )["Subnet"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=90,
        Protocol="6",
        RuleAction="deny",
        Egress=False,
        CidrBlock="10.0.0.0/8",
        PortRange={"From": 22, "To": 22},
    )
    _tag(ec2, acl, "default")
    deny_ssh = {**acl_entry(90, "tcp", 22, "10.0.0.0/8"), "action": "deny"}
    state = {
        "id": acl,
        "default_network_acl_id": acl,
        "arn": arn(account, "network-acl", acl),
        "owner_id": account.id,
        "vpc_id": vid,
        # AWS's allow-all entries, as the provider's docs show them adopted
        "ingress": [acl_entry(100, "-1", 0, "0.0.0.0/0"), deny_ssh],
        "egress": [acl_entry(100, "-1", 0, "0.0.0.0/0")],
        "subnet_ids": [subnet["SubnetId"]],
        **tf_tags("default"),
    }
    return Built(
        [
            Res("aws_default_network_acl", "default", state),
            Res("aws_subnet", "app", tf_subnet(account, subnet)),
            Res("aws_vpc", "net", tf_vpc(account, vpc)),
        ],
        import_id=acl,
    )


CASES = [
    TypeCase(type="aws_default_route_table", build=_default_route_table, aws_default_only=True),
    TypeCase(type="aws_default_network_acl", build=_default_network_acl, aws_default_only=True),
]
