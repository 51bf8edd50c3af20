"""Security-group rules as atoms: one direction, protocol, port range and ONE source each.

The same AWS rule has three Terraform shapes: an `ingress`/`egress` block of an
`aws_security_group` (grouped by protocol, ports and description, several sources per
block), an `aws_security_group_rule` (several sources, one description, an opaque
`sgrule-NNNN` id), and AWS's own `IpPermissions` (grouped by protocol and ports, a
description per source). Breaking all three into atoms makes them comparable; ``blocks``
regroups atoms into the inline-block shape the way the provider does, so both sides of a
comparison are grouped the same way however the user wrote them.

Equal meanings normalized here (the provider's ProtocolForValue and AWS's own rules):
protocol "all" == "-1" and "6" == "tcp"; ports do not matter for "-1" and for protocols
other than tcp/udp/icmp/icmpv6 (AWS opens every port), so they become 0..0; CIDRs compare
in canonical form (AWS stores `10.0.0.0/8` for `10.0.0.5/8`, lowercases IPv6); a source
security group written `OWNER/sg-x` is `sg-x`; `self` is the group's own id.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_NAMED = {"-1": "-1", "all": "-1", "1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6"}
_PORTED = frozenset({"tcp", "udp", "icmp", "icmpv6"})
# AWS adds these egress rules to every new VPC security group
DEFAULT_EGRESS_SOURCES = frozenset({"0.0.0.0/0", "::/0"})


@dataclass(frozen=True)
class RuleAtom:
    group_id: str
    direction: str  # ingress | egress
    protocol: str
    from_port: int
    to_port: int
    source: str  # a CIDR, a prefix list id, or a security group id (the own id for `self`)
    # updatable in place, so not part of a rule's identity
    description: str = field(default="", compare=False)

    @property
    def is_default_egress(self) -> bool:
        return (
            self.direction == "egress"
            and self.protocol == "-1"
            and self.source in DEFAULT_EGRESS_SOURCES
        )


def normalize_protocol(value: Any) -> str:
    text = str(value if value is not None else "").strip().lower()
    if text in _NAMED:
        return _NAMED[text]
    try:
        return _NAMED.get(str(int(text)), str(int(text)))
    except ValueError:
        return text


def _port(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def ports(protocol: str, from_port: Any, to_port: Any) -> tuple[int, int]:
    if protocol not in _PORTED:
        return 0, 0
    return _port(from_port), _port(to_port)


def normalize_source(source: str) -> str:
    source = source.strip()
    if source.startswith(("sg-", "pl-")):
        return source
    if "/" in source and source.split("/", 1)[1].startswith("sg-"):
        return source.split("/", 1)[1]  # OWNER/sg-x
    try:
        return str(ipaddress.ip_network(source, strict=False))
    except ValueError:
        return source


def atoms_of(
    group_id: str,
    direction: str,
    protocol: Any,
    from_port: Any,
    to_port: Any,
    sources: Iterable[tuple[str, str]],
) -> list[RuleAtom]:
    proto = normalize_protocol(protocol)
    low, high = ports(proto, from_port, to_port)
    seen: dict[RuleAtom, RuleAtom] = {}
    for source, description in sources:
        if source:
            atom = RuleAtom(
                group_id, direction, proto, low, high, normalize_source(source), description or ""
            )
            seen.setdefault(atom, atom)
    return list(seen.values())


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value or [] if v]


def permission_atoms(group_id: str, direction: str, perm: Mapping[str, Any]) -> list[RuleAtom]:
    """Atoms of one AWS `IpPermission` (describe_security_groups)."""
    sources: list[tuple[str, str]] = []
    for key, inner in (
        ("IpRanges", "CidrIp"),
        ("Ipv6Ranges", "CidrIpv6"),
        ("PrefixListIds", "PrefixListId"),
    ):
        sources += [(r.get(inner, ""), r.get("Description", "")) for r in perm.get(key) or []]
    for pair in perm.get("UserIdGroupPairs") or []:
        sources.append(
            (pair.get("GroupId") or pair.get("GroupName", ""), pair.get("Description", ""))
        )
    return atoms_of(
        group_id,
        direction,
        perm.get("IpProtocol"),
        perm.get("FromPort"),
        perm.get("ToPort"),
        sources,
    )


def block_atoms(group_id: str, direction: str, block: Mapping[str, Any]) -> list[RuleAtom]:
    """Atoms of one inline `ingress`/`egress` block of an `aws_security_group`."""
    description = str(block.get("description") or "")
    names = [
        *_strings(block.get("cidr_blocks")),
        *_strings(block.get("ipv6_cidr_blocks")),
        *_strings(block.get("prefix_list_ids")),
        *_strings(block.get("security_groups")),
    ]
    if _truthy(block.get("self")):
        names.append(group_id)
    return atoms_of(
        group_id,
        direction,
        block.get("protocol"),
        block.get("from_port"),
        block.get("to_port"),
        [(n, description) for n in names],
    )


def inline_atoms(group_id: str, direction: str, blocks: Any) -> list[RuleAtom]:
    return [
        a
        for b in blocks or []
        if isinstance(b, Mapping)
        for a in block_atoms(group_id, direction, b)
    ]


def rule_atoms(attrs: Mapping[str, Any]) -> list[RuleAtom]:
    """Atoms of an `aws_security_group_rule` (state attributes or the live atom's shape)."""
    group_id = str(attrs.get("security_group_id") or "")
    description = str(attrs.get("description") or "")
    names = [
        *_strings(attrs.get("cidr_blocks")),
        *_strings(attrs.get("ipv6_cidr_blocks")),
        *_strings(attrs.get("prefix_list_ids")),
    ]
    if _truthy(attrs.get("self")):
        names.append(group_id)
    if attrs.get("source_security_group_id"):
        names.append(str(attrs["source_security_group_id"]))
    return atoms_of(
        group_id,
        str(attrs.get("type") or ""),
        attrs.get("protocol"),
        attrs.get("from_port"),
        attrs.get("to_port"),
        [(n, description) for n in names],
    )


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def rule_id(atoms: list[RuleAtom]) -> str:
    """`SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*`, the id `terraform import` takes."""
    if not atoms:
        return ""
    first = atoms[0]
    protocol = "all" if first.protocol == "-1" else first.protocol
    sources = sorted({"self" if a.source == a.group_id else a.source for a in atoms})
    head = [first.group_id, first.direction, protocol, str(first.from_port), str(first.to_port)]
    return "_".join(head + sources)


def rule_identity(attrs: Mapping[str, Any]) -> str:
    return rule_id(rule_atoms(attrs))


def source_kind(atom: RuleAtom) -> str:
    """The inline-block attribute a source belongs in (`self` for the group's own id)."""
    source = atom.source
    if source == atom.group_id:
        return "self"
    if source.startswith("pl-"):
        return "prefix_list_ids"
    try:
        version = ipaddress.ip_network(source, strict=False).version
    except ValueError:
        return "security_groups"  # a group id (or a group name, EC2-Classic)
    return "cidr_blocks" if version == 4 else "ipv6_cidr_blocks"


def atom_attributes(atom: RuleAtom) -> dict[str, Any]:
    """One live atom in the `aws_security_group_rule` attribute shape."""
    kind = source_kind(atom)
    return {
        "security_group_id": atom.group_id,
        "type": atom.direction,
        "protocol": atom.protocol,
        "from_port": atom.from_port,
        "to_port": atom.to_port,
        "cidr_blocks": [atom.source] if kind == "cidr_blocks" else [],
        "ipv6_cidr_blocks": [atom.source] if kind == "ipv6_cidr_blocks" else [],
        "prefix_list_ids": [atom.source] if kind == "prefix_list_ids" else [],
        "self": kind == "self",
        "source_security_group_id": atom.source if kind == "security_groups" else None,
        "description": atom.description,
    }


def blocks(atoms: Iterable[RuleAtom]) -> list[dict[str, Any]]:
    """Atoms regrouped into inline blocks, keyed like the provider: protocol, ports, description."""
    grouped: dict[tuple[str, int, int, str], dict[str, Any]] = {}
    for atom in atoms:
        key = (atom.protocol, atom.from_port, atom.to_port, atom.description)
        block = grouped.setdefault(
            key,
            {
                "from_port": atom.from_port,
                "to_port": atom.to_port,
                "protocol": atom.protocol,
                "cidr_blocks": [],
                "ipv6_cidr_blocks": [],
                "prefix_list_ids": [],
                "security_groups": [],
                "self": False,
                "description": atom.description,
            },
        )
        kind = source_kind(atom)
        if kind == "self":
            block["self"] = True
        else:
            block[kind].append(atom.source)
    out = []
    for key in sorted(grouped):
        block = grouped[key]
        for name in ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"):
            block[name] = sorted(set(block[name]))
        out.append(block)
    return out
