"""VPCs and subnets (`aws_vpc`, `aws_default_vpc`, `aws_subnet`).

The default VPC (`IsDefault`) and its default subnets (`DefaultForAz`) are AWS's: silent
unless a state holds them. `aws_default_vpc` adopts the default VPC (Terraform never creates
or deletes it), so it is only ever compared, never unmanaged.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import Detail, ListCall, ResourceSpec, Tags


def _vpc(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    ipv6 = [
        a
        for a in item.get("Ipv6CidrBlockAssociationSet") or []
        if (a.get("Ipv6CidrBlockState") or {}).get("State") in ("associated", "associating")
    ]
    attrs: dict[str, Any] = {
        "id": item["VpcId"],
        "cidr_block": item.get("CidrBlock"),
        "instance_tenancy": item.get("InstanceTenancy"),
        "ipv6_cidr_block": ipv6[0].get("Ipv6CidrBlock") if ipv6 else "",
        # an Amazon-provided block is what assign_generated_ipv6_cidr_block asks for
        "assign_generated_ipv6_cidr_block": bool(ipv6) and ipv6[0].get("Ipv6Pool") == "Amazon",
        "ipv6_cidr_block_network_border_group": (
            ipv6[0].get("NetworkBorderGroup") or "" if ipv6 else ""
        ),
        AWS_DEFAULT: bool(item.get("IsDefault")),
    }
    for name, key in _VPC_ATTRIBUTES.items():
        if key in item:  # not read for the default VPC by aws_vpc (see _dns_attribute)
            attrs[name] = bool(item[key])
    return attrs


_VPC_ATTRIBUTES = {
    "enable_dns_support": "EnableDnsSupport",
    "enable_dns_hostnames": "EnableDnsHostnames",
    "enable_network_address_usage_metrics": "EnableNetworkAddressUsageMetrics",
}


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


def _ipv6_block(item: dict[str, Any], key: str) -> str:
    associated = [
        a
        for a in item.get(key) or []
        if (a.get("Ipv6CidrBlockState") or {}).get("State") in ("associated", "associating")
    ]
    return str(associated[0].get("Ipv6CidrBlock") or "") if associated else ""


# subnet settings in DescribeSubnets: Terraform name -> (AWS key, AWS's default when left out)
_SUBNET_FLAGS = {
    "assign_ipv6_address_on_creation": ("AssignIpv6AddressOnCreation", False),
    "availability_zone_id": ("AvailabilityZoneId", ""),
    "customer_owned_ipv4_pool": ("CustomerOwnedIpv4Pool", ""),
    "enable_dns64": ("EnableDns64", False),
    "enable_lni_at_device_index": ("EnableLniAtDeviceIndex", 0),
    "ipv6_native": ("Ipv6Native", False),
    "map_customer_owned_ip_on_launch": ("MapCustomerOwnedIpOnLaunch", False),
    "outpost_arn": ("OutpostArn", ""),
}
_DNS_ON_LAUNCH = {
    "private_dns_hostname_type_on_launch": ("HostnameType", "ip-name"),
    "enable_resource_name_dns_a_record_on_launch": ("EnableResourceNameDnsARecord", False),
    "enable_resource_name_dns_aaaa_record_on_launch": ("EnableResourceNameDnsAAAARecord", False),
}


def _subnet(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "id": item["SubnetId"],
        "vpc_id": item.get("VpcId"),
        "cidr_block": item.get("CidrBlock"),
        "availability_zone": item.get("AvailabilityZone"),
        "map_public_ip_on_launch": bool(item.get("MapPublicIpOnLaunch")),
        "ipv6_cidr_block": _ipv6_block(item, "Ipv6CidrBlockAssociationSet"),
        AWS_DEFAULT: bool(item.get("DefaultForAz")),
    }
    for name, (key, empty) in _SUBNET_FLAGS.items():
        attrs[name] = item.get(key) or empty
    on_launch = item.get("PrivateDnsNameOptionsOnLaunch") or {}
    for name, (key, empty) in _DNS_ON_LAUNCH.items():
        attrs[name] = on_launch.get(key) or empty
    return attrs


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_vpc",
        service="ec2",
        list_call=ListCall(operation="DescribeVpcs", items="Vpcs[]"),
        calls=(
            _dns_attribute("enableDnsSupport"),
            _dns_attribute("enableDnsHostnames"),
            _dns_attribute("enableNetworkAddressUsageMetrics"),
        ),
        tags=Tags(),
        normalize=_vpc,
        compared=(
            "cidr_block",
            "instance_tenancy",
            "enable_dns_support",
            "enable_dns_hostnames",
            "enable_network_address_usage_metrics",
            "ipv6_cidr_block",
            "assign_generated_ipv6_cidr_block",
            "ipv6_cidr_block_network_border_group",
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
            WRITE_ONLY,
            # how the CIDR was allocated from IPAM: the block itself is compared
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
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
        compared=(
            "vpc_id",
            "cidr_block",
            "availability_zone",
            "map_public_ip_on_launch",
            "ipv6_cidr_block",
            *_SUBNET_FLAGS,
            *_DNS_ON_LAUNCH,
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(COMPUTED, "ipv6_cidr_block_association_id", "owner_id"),
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
            _dns_attribute("enableNetworkAddressUsageMetrics", default=True),
        ),
        tags=Tags(),
        normalize=_default_vpc,
        compared=(
            "enable_dns_support",
            "enable_dns_hostnames",
            "enable_network_address_usage_metrics",
            "ipv6_cidr_block",
            "assign_generated_ipv6_cidr_block",
            "ipv6_cidr_block_network_border_group",
            "tags",
        ),
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
        # the block is compared; the IPAM pool it came from is not in DescribeVpcs' answer
        | because(WRITE_ONLY, "ipv6_netmask_length", "ipv6_ipam_pool_id"),
        import_id_format="the default VPC's id, e.g. vpc-0abc123",
        is_aws_default=aws_default,
        doc="AWS's default VPC, adopted: compared when in a state, otherwise silent",
    ),
]
