"""Live twins of Route 53 and EC2 network instances (see materialize.py): zones, records,
internet gateways, route tables, routes and their associations, network ACLs and their
rules, EBS volumes, Elastic IPs and key pairs. What an instance refers to but its state
does not hold (a VPC, a subnet, a gateway, a route table) is made once per old id."""

from __future__ import annotations

import uuid
from typing import Any

from tests.replay.materialize import _tag_list, _tags, _vpc_for, creates
from tests.replay.materialize_more import _once


def _tag(ec2: Any, resource: str, a: dict[str, Any]) -> None:
    if _tags(a):
        ec2.create_tags(Resources=[resource], Tags=_tag_list(a))


# --- Route 53 -------------------------------------------------------------------------------


@creates("aws_route53_zone")
def _route53_zone(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    route53 = client("route53")
    zone = route53.create_hosted_zone(
        Name=a["name"],
        CallerReference=uuid.uuid4().hex,
        HostedZoneConfig={"Comment": a.get("comment") or "", "PrivateZone": False},
    )["HostedZone"]
    new = zone["Id"].rsplit("/", 1)[1]
    if _tags(a):
        route53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=new, AddTags=_tag_list(a))  # fmt: skip
    return {a["zone_id"]: new}


@creates("aws_route53_record")
def _route53_record(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """An UPSERT, as `allow_overwrite` does for the zone's own NS record. Its zone, when the
    state does not hold it, is made once, named from the record's fqdn less its relative
    name. A record whose state holds no values is left as AWS has it."""
    route53 = client("route53")
    fqdn, name = str(a["fqdn"]), str(a["name"])
    zone_name = fqdn[len(name) + 1 :] if fqdn.startswith(f"{name}.") else fqdn

    def zone() -> str:
        answer = route53.create_hosted_zone(Name=zone_name, CallerReference=uuid.uuid4().hex)
        return str(answer["HostedZone"]["Id"].rsplit("/", 1)[1])

    assigned: dict[str, str] = {}
    zone_id = _once(made, assigned, a["zone_id"], zone)
    if a.get("records"):
        record = {
            "Name": fqdn,
            "Type": a["type"],
            "TTL": int(a["ttl"]),
            "ResourceRecords": [{"Value": v} for v in a["records"]],
        }
        route53.change_resource_record_sets(
            HostedZoneId=zone_id,
            ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]},
        )
    return assigned


# --- EC2 network ----------------------------------------------------------------------------


def _gateway(ec2: Any, old: str, vpc: str, made: dict[str, str], assigned: dict[str, str]) -> str:  # fmt: skip
    def make() -> str:
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        return str(igw)

    return _once(made, assigned, old, make)


def _route_table(ec2: Any, old: str, vpc: str, made: dict[str, str], assigned: dict[str, str]) -> str:  # fmt: skip
    return _once(made, assigned, old, lambda: ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"])  # fmt: skip


@creates("aws_internet_gateway")
def _internet_gateway(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a["vpc_id"], "10.0.0.0/16", made, assigned)
    igw = _gateway(ec2, a["id"], vpc, made, assigned)
    _tag(ec2, igw, a)
    return assigned


@creates("aws_route_table")
def _route_table_type(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """A table with inline routes to gateways is out of scope (the fixture has none)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a["vpc_id"], "10.0.0.0/16", made, assigned)
    table = _route_table(ec2, a["id"], vpc, made, assigned)
    _tag(ec2, table, a)
    return assigned


@creates("aws_route")
def _route(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """Its table and gateway (not in the state) are made once, in one VPC per table."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    old_table = a["route_table_id"]
    vpc = _vpc_for(ec2, f"vpc-of-{old_table}", "10.0.0.0/16", made, assigned)
    table = _route_table(ec2, old_table, vpc, made, assigned)
    kwargs: dict[str, Any] = {"RouteTableId": table}
    if a.get("gateway_id"):
        kwargs["GatewayId"] = _gateway(ec2, a["gateway_id"], vpc, made, assigned)
    if a.get("destination_cidr_block"):
        kwargs["DestinationCidrBlock"] = a["destination_cidr_block"]
    if a.get("destination_ipv6_cidr_block"):
        kwargs["DestinationIpv6CidrBlock"] = a["destination_ipv6_cidr_block"]
    ec2.create_route(**kwargs)
    return assigned


@creates("aws_route_table_association")
def _route_table_association(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """Its table, subnet or gateway (not in the state) are made once, in one VPC per table."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    old_table = a["route_table_id"]
    vpc = _vpc_for(ec2, f"vpc-of-{old_table}", "10.0.0.0/16", made, assigned)
    table = _route_table(ec2, old_table, vpc, made, assigned)
    kwargs: dict[str, Any] = {"RouteTableId": table}
    if a.get("subnet_id"):

        def subnet() -> str:
            count = len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"])  # fmt: skip
            return str(ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{count}.0/24")["Subnet"]["SubnetId"])  # fmt: skip

        kwargs["SubnetId"] = _once(made, assigned, a["subnet_id"], subnet)
    if a.get("gateway_id"):
        kwargs["GatewayId"] = _gateway(ec2, a["gateway_id"], vpc, made, assigned)
    answer = ec2.associate_route_table(**kwargs)
    return {**assigned, a["id"]: answer["AssociationId"]}


def _acl_entry(rule: dict[str, Any], *, egress: bool, action: str, number: int) -> dict[str, Any]:
    protocol = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}.get(str(rule["protocol"]), str(rule["protocol"]))  # fmt: skip
    entry: dict[str, Any] = {
        "Protocol": protocol,
        "RuleAction": action,
        "RuleNumber": number,
        "Egress": egress,
        "PortRange": {"From": int(rule["from_port"]), "To": int(rule["to_port"])},
    }
    if rule.get("cidr_block"):
        entry["CidrBlock"] = rule["cidr_block"]
    if rule.get("ipv6_cidr_block"):
        entry["Ipv6CidrBlock"] = rule["ipv6_cidr_block"]
    if protocol == "1":
        entry["IcmpTypeCode"] = {"Type": int(rule.get("icmp_type") or 0), "Code": int(rule.get("icmp_code") or 0)}  # fmt: skip
    return entry


@creates("aws_network_acl")
def _network_acl(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a["vpc_id"], "10.0.0.0/16", made, assigned)
    acl = _once(made, assigned, a["id"], lambda: ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"])  # fmt: skip
    for direction in ("ingress", "egress"):
        for rule in a.get(direction) or []:
            entry = _acl_entry(rule, egress=direction == "egress", action=rule["action"], number=int(rule["rule_no"]))  # fmt: skip
            ec2.create_network_acl_entry(NetworkAclId=acl, **entry)
    _tag(ec2, acl, a)
    return assigned


@creates("aws_network_acl_rule")
def _network_acl_rule(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """Its ACL (not in the state) is made once, in a VPC of its own."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    old_acl = a["network_acl_id"]
    vpc = _vpc_for(ec2, f"vpc-of-{old_acl}", "10.0.0.0/16", made, assigned)
    acl = _once(made, assigned, old_acl, lambda: ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"])  # fmt: skip
    entry = _acl_entry(a, egress=bool(a.get("egress")), action=a["rule_action"], number=int(a["rule_number"]))  # fmt: skip
    ec2.create_network_acl_entry(NetworkAclId=acl, **entry)
    return assigned


@creates("aws_ebs_volume")
def _ebs_volume(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    kwargs: dict[str, Any] = {
        "AvailabilityZone": a["availability_zone"],
        "Size": int(a["size"]),
        "VolumeType": a.get("type") or "gp2",
        "Encrypted": bool(a.get("encrypted")),
        "MultiAttachEnabled": bool(a.get("multi_attach_enabled")),
    }
    # gp2's IOPS follow from its size (AWS answers them; they cannot be asked for)
    if a.get("iops") and kwargs["VolumeType"] in ("io1", "io2", "gp3"):
        kwargs["Iops"] = int(a["iops"])
    if a.get("throughput"):
        kwargs["Throughput"] = int(a["throughput"])
    if a.get("kms_key_id"):
        kwargs["KmsKeyId"] = a["kms_key_id"]
    if a.get("snapshot_id"):
        kwargs["SnapshotId"] = a["snapshot_id"]
    if _tags(a):
        kwargs["TagSpecifications"] = [{"ResourceType": "volume", "Tags": _tag_list(a)}]
    volume = ec2.create_volume(**kwargs)["VolumeId"]
    return {a["id"]: volume}


@creates("aws_eip")
def _eip(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    kwargs: dict[str, Any] = {"Domain": "vpc" if a.get("vpc") or a.get("domain") == "vpc" else "standard"}  # fmt: skip
    if _tags(a):
        kwargs["TagSpecifications"] = [{"ResourceType": "elastic-ip", "Tags": _tag_list(a)}]
    answer = ec2.allocate_address(**kwargs)
    assigned = {a["id"]: answer["AllocationId"]}
    if a.get("public_ip"):
        assigned[a["public_ip"]] = answer["PublicIp"]
        # the public DNS name spells the address with dashes
        assigned[a["public_ip"].replace(".", "-")] = answer["PublicIp"].replace(".", "-")
    return assigned


@creates("aws_key_pair")
def _key_pair(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The state holds no public key (AWS made the pair): moto makes one, and its own
    fingerprint and pair id stand for the state's."""
    kwargs: dict[str, Any] = {"KeyName": a["key_name"]}
    if a.get("key_type"):
        kwargs["KeyType"] = a["key_type"]
    if _tags(a):
        kwargs["TagSpecifications"] = [{"ResourceType": "key-pair", "Tags": _tag_list(a)}]
    pair = client("ec2").create_key_pair(**kwargs)
    assigned = {}
    if a.get("fingerprint") and pair.get("KeyFingerprint"):
        assigned[a["fingerprint"]] = pair["KeyFingerprint"]
    if a.get("key_pair_id") and pair.get("KeyPairId"):
        assigned[a["key_pair_id"]] = pair["KeyPairId"]
    return assigned
