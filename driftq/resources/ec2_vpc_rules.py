"""Provider 5's rule resources: `aws_vpc_security_group_ingress_rule` / `_egress_rule`.

Each is one AWS security-group rule with its own id (`sgr-…`, DescribeSecurityGroupRules)
and exactly one source, so identity is simply that id. The same AWS rule is also an atom
of its group (``ec2_rules``): ``passes/security_group_rules.py`` decides which of the
three shapes reports a rule that is in no state, and leaves the atoms these resources own
out of the group's own `ingress`/`egress` comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from driftq.resources.attributes import COMPUTED, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_rules import RuleAtom, atoms_of, normalize_protocol
from driftq.resources.spec import ListCall, ResourceSpec, Tags

INGRESS = "aws_vpc_security_group_ingress_rule"
EGRESS = "aws_vpc_security_group_egress_rule"
DIRECTION = {INGRESS: "ingress", EGRESS: "egress"}
_SOURCES = ("cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id")


def _ports(protocol: str, value: Any) -> Any:
    # AWS answers -1 for "all ports" of protocol -1; the provider keeps them null
    return None if protocol == "-1" else value


def _rule(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    protocol = normalize_protocol(item.get("IpProtocol"))
    return {
        "id": item["SecurityGroupRuleId"],
        "security_group_id": item.get("GroupId"),
        "ip_protocol": protocol,
        "from_port": _ports(protocol, item.get("FromPort")),
        "to_port": _ports(protocol, item.get("ToPort")),
        "cidr_ipv4": item.get("CidrIpv4"),
        "cidr_ipv6": item.get("CidrIpv6"),
        "prefix_list_id": item.get("PrefixListId"),
        "referenced_security_group_id": (item.get("ReferencedGroupInfo") or {}).get("GroupId"),
        "description": item.get("Description") or "",
    }


def vpc_rule_atoms(rtype: str, attrs: Mapping[str, Any]) -> list[RuleAtom]:
    """The one atom of a rule resource (state or live attributes)."""
    source = next((str(attrs[name]) for name in _SOURCES if attrs.get(name)), "")
    return atoms_of(
        str(attrs.get("security_group_id") or ""),
        DIRECTION[rtype],
        attrs.get("ip_protocol"),
        attrs.get("from_port"),
        attrs.get("to_port"),
        [(source, str(attrs.get("description") or ""))],
    )


def _spec(rtype: str, egress: bool) -> ResourceSpec:
    flag = "true" if egress else "false"
    return ResourceSpec(
        type=rtype,
        service="ec2",
        # one listing shared by both types (same call, same parameters)
        list_call=ListCall(
            operation="DescribeSecurityGroupRules",
            items=f"SecurityGroupRules[?IsEgress==`{flag}`]",
        ),
        tags=Tags(),
        normalize=_rule,
        compared=(
            "security_group_id",
            "ip_protocol",
            "from_port",
            "to_port",
            "cidr_ipv4",
            "cidr_ipv6",
            "prefix_list_id",
            "referenced_security_group_id",
            "description",
            "tags",
        ),
        left_out=common("id", "region", "arn") | because(COMPUTED, "security_group_rule_id"),
        value_forms={"ip_protocol": normalize_protocol},
        import_id_format="security group rule id, e.g. sgr-0abc123",
        # the group owns its rules: loaded as context for a group-only run (see
        # passes/security_group_rules.py), and a rule takes its group's region
        parent="aws_security_group",
        parent_identity=lambda attrs: str(attrs.get("security_group_id") or ""),
        doc="one rule (one source) each, keyed on its sgr- id",
    )


SPECS: list[ResourceSpec] = [_spec(INGRESS, egress=False), _spec(EGRESS, egress=True)]
