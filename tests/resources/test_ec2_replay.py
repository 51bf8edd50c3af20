"""Replay of real states (driftctl's EC2 fixtures, vendored in tests/fixtures/tfstate-driftctl/):
the live resources each describes are made in moto, the state's ids rewritten to moto's,
and a scan of the fixture's types finds nothing. Real provider shapes (0.14/0.15 states:
hashed route and ACL-rule ids, null ICMP fields, gateway associations) thus meet our specs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from driftq.engine import Engine
from driftq.model import Unit
from driftq.plan import Selection
from driftq.resources.ec2_routes import route_id
from tests.conftest import single_account_config
from tests.support.estate import StateFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tfstate-driftctl"
REGION = "us-east-1"
_PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}

Replayed = list[tuple[str, str, dict[str, Any]]]


def _fixture(name: str) -> Replayed:
    path = FIXTURES / f"test__{name}__terraform.tfstate"
    if not path.exists():
        pytest.skip(f"no fixture {path.name}")
    document = json.loads(path.read_text())
    return [
        (r["type"], f"{r['name']}_{n}", dict(i["attributes"]))
        for r in document["resources"]
        if r.get("mode") == "managed"
        for n, i in enumerate(r["instances"])
    ]


class _Ids:
    """Fixture ids -> the ids moto gave the same resources."""

    def __init__(self, ec2: Any) -> None:
        self.ec2, self.map = ec2, {}

    def vpc(self, old: str) -> str:
        if old not in self.map:
            self.map[old] = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        return str(self.map[old])

    def igw(self, old: str, vpc: str) -> str:
        if old not in self.map:
            gid = self.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
            self.ec2.attach_internet_gateway(InternetGatewayId=gid, VpcId=self.vpc(vpc))
            self.map[old] = gid
        return str(self.map[old])

    def table(self, old: str, vpc: str) -> str:
        if old not in self.map:
            created = self.ec2.create_route_table(VpcId=self.vpc(vpc))["RouteTable"]
            self.map[old] = created["RouteTableId"]
        return str(self.map[old])


def _routes(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        table = ids.table(attrs["route_table_id"], "vpc")
        gateway = ids.igw(attrs["gateway_id"], "vpc")
        dest = attrs["destination_cidr_block"] or attrs["destination_ipv6_cidr_block"]
        key = "DestinationCidrBlock" if ":" not in dest else "DestinationIpv6CidrBlock"
        ec2.create_route(RouteTableId=table, GatewayId=gateway, **{key: dest})
        new = {**attrs, "route_table_id": table, "gateway_id": gateway}
        out.append((rtype, name, {**new, "id": route_id(table, dest)}))
    return out


def _acl_rules(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        old = attrs["network_acl_id"]
        if old not in ids.map:
            ids.map[old] = ec2.create_network_acl(VpcId=ids.vpc("vpc"))["NetworkAcl"][
                "NetworkAclId"
            ]
        ec2.create_network_acl_entry(
            NetworkAclId=ids.map[old],
            RuleNumber=attrs["rule_number"],
            Protocol=_PROTOCOLS.get(attrs["protocol"], attrs["protocol"]),
            RuleAction=attrs["rule_action"],
            Egress=attrs["egress"],
            CidrBlock=attrs["cidr_block"],
            PortRange={"From": attrs["from_port"], "To": attrs["to_port"]},
        )
        out.append((rtype, name, {**attrs, "network_acl_id": ids.map[old]}))
    return out


def _associations(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        table = ids.table(attrs["route_table_id"], "vpc")
        if attrs.get("gateway_id"):
            target = {"GatewayId": ids.igw(attrs["gateway_id"], "vpc")}
        else:
            old = attrs["subnet_id"]
            if old not in ids.map:
                cidr = f"10.0.{len(ids.map)}.0/24"
                subnet = ec2.create_subnet(VpcId=ids.vpc("vpc"), CidrBlock=cidr)["Subnet"]
                ids.map[old] = subnet["SubnetId"]
            target = {"SubnetId": ids.map[old]}
        association = ec2.associate_route_table(RouteTableId=table, **target)["AssociationId"]
        new = {**attrs, "id": association, "route_table_id": table}
        new.update(
            {"gateway_id" if "GatewayId" in target else "subnet_id": next(iter(target.values()))}
        )
        out.append((rtype, name, new))
    return out


def _gateways(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        gateway = ids.igw(attrs["id"], attrs["vpc_id"])
        tags = [{"Key": k, "Value": v} for k, v in (attrs.get("tags") or {}).items()]
        ec2.create_tags(Resources=[gateway], Tags=tags)
        new = {**attrs, "id": gateway, "vpc_id": ids.vpc(attrs["vpc_id"])}
        out.append(
            (rtype, name, {**new, "arn": f"arn:aws:ec2:{REGION}:0:internet-gateway/{gateway}"})
        )
    return out


def _subnets(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        if rtype != "aws_subnet":
            continue  # aws_default_subnet: not a supported type
        vpc = ids.vpc(attrs["vpc_id"])
        subnet = ec2.create_subnet(
            VpcId=vpc, CidrBlock=attrs["cidr_block"], AvailabilityZone=attrs["availability_zone"]
        )["Subnet"]
        new = {**attrs, "id": subnet["SubnetId"], "vpc_id": vpc, "arn": ""}
        # moto's zone ids are its own
        out.append((rtype, name, {**new, "availability_zone_id": subnet["AvailabilityZoneId"]}))
    return out


def _tag(ec2: Any, rid: str, tags: dict[str, str] | None) -> None:
    if tags:
        ec2.create_tags(Resources=[rid], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


def _route_tables(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        table = ids.table(attrs["id"], attrs["vpc_id"])
        _tag(ec2, table, attrs.get("tags"))
        new = {**attrs, "id": table, "vpc_id": ids.vpc(attrs["vpc_id"]), "arn": ""}
        out.append((rtype, name, new))
    return out


def _acls(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        acl = ec2.create_network_acl(VpcId=ids.vpc(attrs["vpc_id"]))["NetworkAcl"]["NetworkAclId"]
        _tag(ec2, acl, attrs.get("tags"))
        for direction in ("ingress", "egress"):
            for entry in attrs[direction]:
                ec2.create_network_acl_entry(
                    NetworkAclId=acl,
                    RuleNumber=entry["rule_no"],
                    Protocol=_PROTOCOLS.get(entry["protocol"], entry["protocol"]),
                    RuleAction=entry["action"],
                    Egress=direction == "egress",
                    CidrBlock=entry["cidr_block"],
                    PortRange={"From": entry["from_port"], "To": entry["to_port"]},
                )
        new = {**attrs, "id": acl, "vpc_id": ids.vpc(attrs["vpc_id"]), "arn": ""}
        out.append((rtype, name, new))
    return out


def _vpcs(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        if rtype == "aws_default_vpc":
            vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])
            vid = vpcs["Vpcs"][0]["VpcId"]
        else:
            vid = ec2.create_vpc(CidrBlock=attrs["cidr_block"])["Vpc"]["VpcId"]
            ec2.modify_vpc_attribute(
                VpcId=vid, EnableDnsHostnames={"Value": attrs["enable_dns_hostnames"]}
            )
        _tag(ec2, vid, attrs.get("tags"))
        out.append((rtype, name, {**attrs, "id": vid, "arn": ""}))
    return out


def _groups(ec2: Any, ids: _Ids, resources: Replayed) -> Replayed:
    out = []
    for rtype, name, attrs in resources:
        vpc = ids.vpc(attrs["vpc_id"])
        if rtype == "aws_default_security_group":
            groups = ec2.describe_security_groups(
                Filters=[
                    {"Name": "vpc-id", "Values": [vpc]},
                    {"Name": "group-name", "Values": ["default"]},
                ]
            )
            gid = groups["SecurityGroups"][0]["GroupId"]
        else:
            gid = ec2.create_security_group(
                GroupName=attrs["name"], Description=attrs["description"], VpcId=vpc
            )["GroupId"]
        _tag(ec2, gid, attrs.get("tags"))
        ec2.revoke_security_group_egress(
            GroupId=gid, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        )
        for direction, authorize in (
            ("ingress", ec2.authorize_security_group_ingress),
            ("egress", ec2.authorize_security_group_egress),
        ):
            for block in attrs[direction]:
                permission: dict[str, Any] = {"IpProtocol": block["protocol"]}
                ranges = [
                    {"CidrIp": c, "Description": block["description"]} for c in block["cidr_blocks"]
                ]
                if ranges:
                    permission["IpRanges"] = [{k: v for k, v in r.items() if v} for r in ranges]
                if block["self"]:
                    permission["UserIdGroupPairs"] = [{"GroupId": gid}]
                authorize(GroupId=gid, IpPermissions=[permission])
        out.append((rtype, name, {**attrs, "id": gid, "vpc_id": vpc, "arn": ""}))
    return out


REPLAYS: dict[str, Callable[[Any, _Ids, Replayed], Replayed]] = {
    "aws_route": _routes,
    "aws_network_acl_rule": _acl_rules,
    "aws_route_assoc": _associations,
    "aws_internet_gateway": _gateways,
    "aws_subnet": _subnets,
    "aws_route_table": _route_tables,
    "aws_network_acl": _acls,
    "aws_vpc": _vpcs,
    "aws_vpc_security_group": _groups,
}


@pytest.mark.parametrize("fixture", sorted(REPLAYS))
def test_real_state_replayed_is_clean(fixture: str, account: Any, tmp_path: Path) -> None:
    ec2 = account.client("ec2", REGION)
    resources = REPLAYS[fixture](ec2, _Ids(ec2), _fixture(fixture))
    state = StateFile()
    for rtype, name, attrs in resources:
        state.add(rtype, name, attrs)
    types = tuple(sorted({rtype for rtype, _, _ in resources}))
    config = single_account_config(account, state.write(tmp_path / "replay.tfstate"))
    result = Engine(config, Selection(resource_types=types)).scan_unit(Unit("test", REGION, "ec2"))
    assert result.status == "ok", result.error_message
    assert result.managed == len(resources) > 0
    assert [(f.kind, f.resource_type, f.resource_id, f.changes) for f in result.findings] == []
