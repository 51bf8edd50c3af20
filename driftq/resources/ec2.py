"""EC2 / VPC: instances, VPCs, subnets, security groups and their rules.

AWS-made resources stay silent unless a state holds them: the default VPC (`IsDefault`), its
default subnets (`DefaultForAz`) and every VPC's `default` security group. Security-group
rules are enumerated as atoms (one source each, see ``ec2_rules``); the pass
``passes/security_group_rules.py`` reconciles them with inline blocks and rule resources.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_YET,
    TERRAFORM_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.ec2_rules import (
    atom_attributes,
    blocks,
    permission_atoms,
    rule_identity,
)
from driftq.resources.spec import Detail, ListCall, ResourceSpec, Tags

_GONE = frozenset({"terminated", "shutting-down"})
_GROUPS = ListCall(operation="DescribeSecurityGroups", items="SecurityGroups[]")


def _default(attrs: dict[str, Any]) -> bool:
    return bool(attrs.get("_aws_default"))


# --- aws_instance -------------------------------------------------------------------------


def _profile_name(profile: dict[str, Any] | None) -> str:
    # Terraform stores the instance profile NAME; AWS returns its ARN (with an optional path)
    arn = (profile or {}).get("Arn") or ""
    return arn.rsplit("/", 1)[-1] if arn else ""


def _instance(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if (item.get("State") or {}).get("Name") in _GONE:
        return None  # a terminated instance stays listed for a while: it is gone
    return {
        "id": item["InstanceId"],
        "ami": item.get("ImageId"),
        "instance_type": item.get("InstanceType"),
        "availability_zone": (item.get("Placement") or {}).get("AvailabilityZone"),
        "subnet_id": item.get("SubnetId") or "",
        "vpc_security_group_ids": [g["GroupId"] for g in item.get("SecurityGroups") or []],
        "key_name": item.get("KeyName") or "",
        "iam_instance_profile": _profile_name(item.get("IamInstanceProfile")),
        # "pending" is monitoring being switched on
        "monitoring": (item.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
        "ebs_optimized": bool(item.get("EbsOptimized")),
        "source_dest_check": item.get("SourceDestCheck", True),
    }


# --- aws_vpc / aws_subnet -----------------------------------------------------------------


def _vpc(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "id": item["VpcId"],
        "cidr_block": item.get("CidrBlock"),
        "instance_tenancy": item.get("InstanceTenancy"),
        "_aws_default": bool(item.get("IsDefault")),
    }
    if "EnableDnsSupport" in item:
        attrs["enable_dns_support"] = bool(item["EnableDnsSupport"])
        attrs["enable_dns_hostnames"] = bool(item["EnableDnsHostnames"])
    return attrs


def _dns_attribute(name: str) -> Detail:
    # one call per attribute and VPC; skipped for the default VPC, which is silent anyway
    key = name[0].upper() + name[1:]
    return Detail(
        operation="DescribeVpcAttribute",
        key={"VpcId": "VpcId"},
        params={"Attribute": name},
        result=f"{key}.Value",
        into=key,
        when=lambda item, ctx: not item.get("IsDefault"),
    )


def _subnet(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {
        "id": item["SubnetId"],
        "vpc_id": item.get("VpcId"),
        "cidr_block": item.get("CidrBlock"),
        "availability_zone": item.get("AvailabilityZone"),
        "map_public_ip_on_launch": bool(item.get("MapPublicIpOnLaunch")),
        "_aws_default": bool(item.get("DefaultForAz")),
    }


# --- aws_security_group / aws_security_group_rule -----------------------------------------


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
        "_aws_default": item.get("GroupName") == "default",
    }


def _rule_atoms(group: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A group's rules, one atom (one source) each."""
    for direction in ("ingress", "egress"):
        for atom in _group_atoms(group, direction):
            yield atom_attributes(atom)


def _rule(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {**item, "id": rule_identity(item)}


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_instance",
        service="ec2",
        list_call=ListCall(operation="DescribeInstances", items="Reservations[].Instances[]"),
        tags=Tags(),
        normalize=_instance,
        compared=(
            "instance_type",
            "ami",
            "subnet_id",
            "vpc_security_group_ids",
            "key_name",
            "iam_instance_profile",
            "monitoring",
            "ebs_optimized",
            "source_dest_check",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(
            COMPUTED,
            "instance_lifecycle",
            "instance_state",
            "outpost_arn",
            "password_data",
            "primary_network_interface_id",
            "private_dns",
            "public_dns",
            "public_ip",
            "spot_instance_request_id",
        )
        | because(
            TERRAFORM_ONLY, "force_destroy", "get_password_data", "user_data_replace_on_change"
        )
        | because(
            NOT_YET,
            "associate_public_ip_address",
            "availability_zone",
            "capacity_reservation_specification",
            "cpu_options",
            "credit_specification",
            "disable_api_stop",
            "disable_api_termination",
            "ebs_block_device",
            "enable_primary_ipv6",
            "enclave_options",
            "ephemeral_block_device",
            "hibernation",
            "host_id",
            "host_resource_group_arn",
            "instance_initiated_shutdown_behavior",
            "instance_market_options",
            "ipv6_address_count",
            "ipv6_addresses",
            "launch_template",
            "maintenance_options",
            "metadata_options",
            "network_interface",
            "placement_group",
            "placement_group_id",
            "placement_partition_number",
            "primary_network_interface",
            "private_dns_name_options",
            "private_ip",
            "root_block_device",
            "secondary_private_ips",
            "security_groups",
            "tenancy",
            "user_data",
            "user_data_base64",
            "volume_tags",
        ),
        import_id_format="instance id, e.g. i-0abc123",
    ),
    ResourceSpec(
        type="aws_vpc",
        service="ec2",
        list_call=ListCall(operation="DescribeVpcs", items="Vpcs[]"),
        calls=(_dns_attribute("enableDnsSupport"), _dns_attribute("enableDnsHostnames")),
        tags=Tags(),
        normalize=_vpc,
        compared=(
            "cidr_block",
            "instance_tenancy",
            "enable_dns_support",
            "enable_dns_hostnames",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn")
        | because(
            COMPUTED,
            "default_network_acl_id",
            "default_route_table_id",
            "default_security_group_id",
            "dhcp_options_id",
            "ipv6_association_id",
            "main_route_table_id",
            "owner_id",
        )
        | because(
            NOT_YET,
            "assign_generated_ipv6_cidr_block",
            "enable_network_address_usage_metrics",
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
            "ipv6_cidr_block",
            "ipv6_cidr_block_network_border_group",
            "ipv6_ipam_pool_id",
            "ipv6_netmask_length",
        ),
        import_id_format="VPC id, e.g. vpc-0abc123",
        is_aws_default=_default,
    ),
    ResourceSpec(
        type="aws_subnet",
        service="ec2",
        list_call=ListCall(operation="DescribeSubnets", items="Subnets[]"),
        tags=Tags(),
        normalize=_subnet,
        compared=("vpc_id", "cidr_block", "availability_zone", "map_public_ip_on_launch", "tags"),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(COMPUTED, "ipv6_cidr_block_association_id", "owner_id")
        | because(
            NOT_YET,
            "assign_ipv6_address_on_creation",
            "availability_zone_id",
            "customer_owned_ipv4_pool",
            "enable_dns64",
            "enable_lni_at_device_index",
            "enable_resource_name_dns_a_record_on_launch",
            "enable_resource_name_dns_aaaa_record_on_launch",
            "ipv6_cidr_block",
            "ipv6_native",
            "map_customer_owned_ip_on_launch",
            "outpost_arn",
            "private_dns_hostname_type_on_launch",
        ),
        import_id_format="subnet id, e.g. subnet-0abc123",
        is_aws_default=_default,
    ),
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
        is_aws_default=_default,
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
]
