"""VPCs and subnets (`aws_vpc`, `aws_default_vpc`, `aws_subnet`).

The default VPC (`IsDefault`) and its default subnets (`DefaultForAz`) are AWS's: silent
unless a state holds them. `aws_default_vpc` adopts the default VPC (Terraform never creates
or deletes it), so it is only ever compared, never unmanaged.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, NOT_YET, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import Detail, ListCall, ResourceSpec, Tags


def _vpc(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "id": item["VpcId"],
        "cidr_block": item.get("CidrBlock"),
        "instance_tenancy": item.get("InstanceTenancy"),
        AWS_DEFAULT: bool(item.get("IsDefault")),
    }
    if "EnableDnsSupport" in item:
        attrs["enable_dns_support"] = bool(item["EnableDnsSupport"])
        attrs["enable_dns_hostnames"] = bool(item["EnableDnsHostnames"])
    return attrs


def _dns_attribute(name: str, default: bool = False) -> Detail:
    # one call per attribute and VPC; `aws_vpc` skips the default VPC (silent unless a state
    # holds it, and then as `aws_default_vpc`), `aws_default_vpc` reads only that one
    key = name[0].upper() + name[1:]
    return Detail(
        operation="DescribeVpcAttribute",
        key={"VpcId": "VpcId"},
        params={"Attribute": name},
        result=f"{key}.Value",
        into=key,
        when=lambda item, ctx: bool(item.get("IsDefault")) == default,
    )


def _default_vpc(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {**_vpc(item, ctx), AWS_DEFAULT: True}


def _subnet(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {
        "id": item["SubnetId"],
        "vpc_id": item.get("VpcId"),
        "cidr_block": item.get("CidrBlock"),
        "availability_zone": item.get("AvailabilityZone"),
        "map_public_ip_on_launch": bool(item.get("MapPublicIpOnLaunch")),
        AWS_DEFAULT: bool(item.get("DefaultForAz")),
    }


SPECS: list[ResourceSpec] = [
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
        is_aws_default=aws_default,
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
        is_aws_default=aws_default,
    ),
    ResourceSpec(
        type="aws_default_vpc",
        service="ec2",
        # the same DescribeVpcs answer as aws_vpc's (one call per unit)
        list_call=ListCall(operation="DescribeVpcs", items="Vpcs[?IsDefault]"),
        calls=(
            _dns_attribute("enableDnsSupport", default=True),
            _dns_attribute("enableDnsHostnames", default=True),
        ),
        tags=Tags(),
        normalize=_default_vpc,
        compared=("enable_dns_support", "enable_dns_hostnames", "tags"),
        left_out=common("id", "region", "tags_all", "arn")
        | because(
            COMPUTED,
            "cidr_block",
            "default_network_acl_id",
            "default_route_table_id",
            "default_security_group_id",
            "dhcp_options_id",
            "existing_default_vpc",
            "instance_tenancy",
            "ipv6_association_id",
            "main_route_table_id",
            "owner_id",
        )
        | because(TERRAFORM_ONLY, "force_destroy")
        | because(
            NOT_YET,
            "assign_generated_ipv6_cidr_block",
            "enable_network_address_usage_metrics",
            "ipv6_cidr_block",
            "ipv6_cidr_block_network_border_group",
            "ipv6_ipam_pool_id",
            "ipv6_netmask_length",
        ),
        import_id_format="the default VPC's id, e.g. vpc-0abc123",
        is_aws_default=aws_default,
        doc="AWS's default VPC, adopted: compared when in a state, otherwise silent",
    ),
]
