"""Network ACLs (`aws_network_acl`) and their entries as `aws_network_acl_rule`.

Every VPC's default ACL is AWS's (`IsDefault`): silent unless a state holds it. AWS's
catch-all deny entry (rule 32767) is in every ACL and in no Terraform configuration.
Entries compare as sets in one canonical form on both sides: the protocol as its number
(`tcp` == `6`, `all` == `-1`), ports only for TCP/UDP, ICMP type and code only for ICMP.
An ACL's entries are written inline or as `aws_network_acl_rule` resources, never both
(the provider forbids it): ``passes/network_acl_rules.py`` picks the one that compares.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, because, common
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


def _entries(acl: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entry in acl.get("Entries") or []:
        if entry.get("RuleNumber") != _CATCH_ALL:
            yield {"_acl": acl["NetworkAclId"], **entry}


def rule_identity(attrs: Mapping[str, Any]) -> str:
    """ACL, rule number and direction: what makes an entry (state or live attributes)."""
    egress = str(attrs.get("egress")).lower() == "true"
    return (
        f"{attrs.get('network_acl_id')}:{_number(attrs.get('rule_number'))}:{str(egress).lower()}"
    )


def _rule(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    entry = _aws_entry(item)
    attrs = {
        "network_acl_id": item["_acl"],
        "rule_number": entry.pop("rule_no"),
        "egress": bool(item.get("Egress")),
        "rule_action": entry.pop("action"),
        **entry,
    }
    protocol = _NUMBERS.get(str(attrs["protocol"]).lower(), str(attrs["protocol"]))
    return {
        **attrs,
        "id": rule_identity(attrs),
        "_import_id": f"{attrs['network_acl_id']}:{attrs['rule_number']}:{protocol}:"
        f"{str(attrs['egress']).lower()}",
    }


def _unset_if_zero(value: Any) -> Any:
    # the provider leaves ports and ICMP fields null where they mean nothing; AWS answers 0
    return None if value in (0, "0", None, "") else value


def _protocol(value: Any) -> Any:
    return _NUMBERS.get(str(value).lower(), str(value)) if value is not None else value


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
    ResourceSpec(
        type="aws_network_acl_rule",
        service="ec2",
        list_call=ListCall(operation="DescribeNetworkAcls", items="NetworkAcls[]"),
        expand=_entries,
        normalize=_rule,
        compared=(
            "protocol",
            "rule_action",
            "cidr_block",
            "ipv6_cidr_block",
            "from_port",
            "to_port",
            "icmp_type",
            "icmp_code",
        ),
        left_out=common("id", "region")
        | because(IDENTITY, "network_acl_id", "rule_number", "egress"),
        value_forms={
            "protocol": _protocol,
            "cidr_block": _cidr,
            "ipv6_cidr_block": _cidr,
            **dict.fromkeys(("from_port", "to_port", "icmp_type", "icmp_code"), _unset_if_zero),
        },
        import_id_format="ACLID:RULENUMBER:PROTOCOL:EGRESS, e.g. acl-0abc:100:tcp:false",
        # state ids are the provider's hash: the identity is recomputed from the attributes
        state_identity=rule_identity,
        identity=rule_identity,
        import_id=lambda attrs: str(attrs.get("_import_id") or ""),
        parent="aws_network_acl",
        parent_identity=lambda attrs: str(attrs.get("network_acl_id") or ""),
        doc="identity is ACL, rule number and direction",
    ),
]
