"""Security groups and their rules (`aws_security_group`, `aws_default_security_group`,
`aws_security_group_rule`; provider 5's rule resources are in ``ec2_vpc_rules``).

Every VPC's `default` group is AWS's: silent unless a state holds it (as
`aws_default_security_group`, or imported as an `aws_security_group`). Rules are enumerated
as atoms (one source each, see ``ec2_rules``); the pass ``passes/security_group_rules.py``
reconciles them with inline blocks and rule resources.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.ec2_rules import (
    atom_attributes,
    blocks,
    permission_atoms,
    rule_identity,
)
from driftq.resources.spec import ListCall, ResourceSpec, Tags

_GROUPS = ListCall(operation="DescribeSecurityGroups", items="SecurityGroups[]")


def _group_atoms(group: dict[str, Any], direction: str) -> list[Any]:
    key = "IpPermissions" if direction == "ingress" else "IpPermissionsEgress"
    return [
        atom
        for perm in group.get(key) or []
        for atom in permission_atoms(group["GroupId"], direction, perm)
    ]


def _security_group(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {
        "id": item["GroupId"],
        "name": item.get("GroupName"),
        "description": item.get("Description"),
        "vpc_id": item.get("VpcId") or "",
        "ingress": blocks(_group_atoms(item, "ingress")),
        "egress": blocks(_group_atoms(item, "egress")),
        # every VPC has one, made by AWS and not deletable
        AWS_DEFAULT: item.get("GroupName") == "default",
    }


def _default_group(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {**_security_group(item, ctx), AWS_DEFAULT: True}


def _rule_atoms(group: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A group's rules, one atom (one source) each."""
    for direction in ("ingress", "egress"):
        for atom in _group_atoms(group, direction):
            yield atom_attributes(atom)


def _rule(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {**item, "id": rule_identity(item)}


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_security_group",
        service="ec2",
        list_call=_GROUPS,
        tags=Tags(),
        normalize=_security_group,
        compared=("name", "description", "vpc_id", "ingress", "egress", "tags"),
        left_out=common("id", "region", "tags_all", "timeouts", "arn", "name_prefix")
        | because(COMPUTED, "owner_id")
        | because(TERRAFORM_ONLY, "revoke_rules_on_delete"),
        import_id_format="security group id, e.g. sg-0abc123",
        is_aws_default=aws_default,
        doc="ingress/egress compare as sets of rules, regrouped the same way on both sides",
    ),
    ResourceSpec(
        type="aws_security_group_rule",
        service="ec2",
        list_call=_GROUPS,
        expand=_rule_atoms,
        normalize=_rule,
        compared=(
            "cidr_blocks",
            "ipv6_cidr_blocks",
            "prefix_list_ids",
            "self",
            "source_security_group_id",
            "description",
        ),
        left_out=common("id", "region", "timeouts")
        | because(IDENTITY, "security_group_id", "type", "protocol", "from_port", "to_port")
        | because(COMPUTED, "security_group_rule_id"),
        import_id_format=(
            "SGID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE[_SOURCE]*, e.g. "
            "sg-0abc_ingress_tcp_443_443_10.0.0.0/8 (source: a CIDR, pl-…, sg-… or self; "
            "protocol `all` for -1)"
        ),
        identity=rule_identity,
        # the group owns its rules: the engine then loads rule resources as context for a
        # group-only run (and groups for a rule-only run), and a rule takes its group's region
        parent="aws_security_group",
        parent_identity=lambda attrs: str(attrs.get("security_group_id") or ""),
        doc="identity is the rule's content (state ids are opaque sgrule-NNNN hashes)",
    ),
    ResourceSpec(
        type="aws_default_security_group",
        service="ec2",
        # the same DescribeSecurityGroups answer as aws_security_group's
        list_call=ListCall(
            operation="DescribeSecurityGroups", items="SecurityGroups[?GroupName=='default']"
        ),
        tags=Tags(),
        normalize=_default_group,
        # Terraform removes every rule of the default group it is not configured with, so
        # ingress/egress compare in full, like an aws_security_group's
        compared=("vpc_id", "ingress", "egress", "tags"),
        left_out=common("id", "region", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "owner_id", "name", "description")
        | because(TERRAFORM_ONLY, "revoke_rules_on_delete"),
        import_id_format="the default security group's id, e.g. sg-0abc123",
        is_aws_default=aws_default,
        doc="a VPC's default group, adopted: compared when in a state, otherwise silent",
    ),
]
