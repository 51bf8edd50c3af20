"""Network ACLs (`aws_network_acl`).

Every VPC's default ACL is AWS's (`IsDefault`): silent unless a state holds it. AWS's
catch-all deny entry (rule 32767) is in every ACL and in no Terraform configuration.
Entries compare as sets in one canonical form on both sides: the protocol as its number
(`tcp` == `6`, `all` == `-1`), ports only for TCP/UDP, ICMP type and code only for ICMP.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from driftq.resources.attributes import COMPUTED, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import ListCall, ResourceSpec, Tags

_CATCH_ALL = 32767
_NUMBERS = {"all": "-1", "-1": "-1", "tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


def _number(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _cidr(value: Any) -> str:
    try:
        return str(ipaddress.ip_network(str(value), strict=False)) if value else ""
    except ValueError:
        return str(value)


def _entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A Terraform `ingress`/`egress` entry in canonical form."""
    protocol = str(entry.get("protocol") or "").lower()
    protocol = _NUMBERS.get(protocol, protocol)
    ported, icmp = protocol in ("6", "17"), protocol in ("1", "58")
    return {
        "rule_no": _number(entry.get("rule_no")),
        "action": str(entry.get("action") or "").lower(),
        "protocol": protocol,
        "cidr_block": _cidr(entry.get("cidr_block")),
        "ipv6_cidr_block": _cidr(entry.get("ipv6_cidr_block")),
        "from_port": _number(entry.get("from_port")) if ported else 0,
        "to_port": _number(entry.get("to_port")) if ported else 0,
        "icmp_type": _number(entry.get("icmp_type")) if icmp else 0,
        "icmp_code": _number(entry.get("icmp_code")) if icmp else 0,
    }


def entries(value: Any) -> list[dict[str, Any]]:
    return [_entry(e) for e in value or [] if isinstance(e, Mapping)]


def _aws_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    ports, icmp = entry.get("PortRange") or {}, entry.get("IcmpTypeCode") or {}
    return {
        "rule_no": entry.get("RuleNumber"),
        "action": entry.get("RuleAction"),
        "protocol": entry.get("Protocol"),
        "cidr_block": entry.get("CidrBlock") or "",
        "ipv6_cidr_block": entry.get("Ipv6CidrBlock") or "",
        "from_port": ports.get("From", 0),
        "to_port": ports.get("To", 0),
        "icmp_type": icmp.get("Type", 0),
        "icmp_code": icmp.get("Code", 0),
    }


def _network_acl(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    listed = [e for e in item.get("Entries") or [] if e.get("RuleNumber") != _CATCH_ALL]
    return {
        "id": item["NetworkAclId"],
        "vpc_id": item.get("VpcId"),
        "ingress": entries(_aws_entry(e) for e in listed if not e.get("Egress")),
        "egress": entries(_aws_entry(e) for e in listed if e.get("Egress")),
        "subnet_ids": [a["SubnetId"] for a in item.get("Associations") or [] if a.get("SubnetId")],
        AWS_DEFAULT: bool(item.get("IsDefault")),
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_network_acl",
        service="ec2",
        list_call=ListCall(operation="DescribeNetworkAcls", items="NetworkAcls[]"),
        tags=Tags(),
        normalize=_network_acl,
        compared=("vpc_id", "ingress", "egress", "subnet_ids", "tags"),
        left_out=common("id", "region", "tags_all", "arn") | because(COMPUTED, "owner_id"),
        value_forms={"ingress": entries, "egress": entries},
        import_id_format="network ACL id, e.g. acl-0abc123",
        is_aws_default=aws_default,
        doc="a VPC's default ACL is AWS's; entries compare as sets without the catch-all deny",
    ),
]
