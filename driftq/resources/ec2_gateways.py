"""Gateways and addresses: `aws_internet_gateway`, `aws_nat_gateway`, `aws_eip`,
`aws_vpc_endpoint`.

AWS's own stay silent unless a state holds them: the default VPC's internet gateway,
addresses a service manages (`ServiceManaged`: a load balancer's), endpoints a service made
in the account (`RequesterManaged`).
"""

from __future__ import annotations

import json
from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    NOT_EMULATED,
    STALE_COPY,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.documents import parse_policy
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import Detail, ListCall, ResourceSpec, Tags

_GONE = frozenset({"deleting", "deleted", "failed", "rejected", "expired"})


def _default_vpcs(ctx: ScanContext) -> set[str]:
    """The unit's default VPC ids, from the (shared) DescribeVpcs listing."""
    return {
        vpc["VpcId"]
        for page in ctx.pages("ec2", "DescribeVpcs", {})
        for vpc in page.get("Vpcs") or []
        if vpc.get("IsDefault")
    }


# --- aws_internet_gateway ------------------------------------------------------------------


def _internet_gateway(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    attached = [a.get("VpcId") for a in item.get("Attachments") or [] if a.get("VpcId")]
    vpc_id = attached[0] if attached else ""
    return {
        "id": item["InternetGatewayId"],
        "vpc_id": vpc_id,
        AWS_DEFAULT: bool(vpc_id) and vpc_id in _default_vpcs(ctx),
    }


# --- aws_nat_gateway -----------------------------------------------------------------------


def _nat_gateway(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if item.get("State") in _GONE:
        return None
    addresses = item.get("NatGatewayAddresses") or []
    primary: dict[str, Any] = next((a for a in addresses if a.get("IsPrimary", True)), {})
    secondary = [a for a in addresses if a is not primary]
    return {
        "id": item["NatGatewayId"],
        "subnet_id": item.get("SubnetId") or "",
        "connectivity_type": item.get("ConnectivityType") or "public",
        "allocation_id": primary.get("AllocationId") or "",
        "private_ip": primary.get("PrivateIp") or "",
        "secondary_allocation_ids": [a["AllocationId"] for a in secondary if a.get("AllocationId")],
        "secondary_private_ip_addresses": [a["PrivateIp"] for a in secondary if a.get("PrivateIp")],
        "secondary_private_ip_address_count": len(secondary),
        "vpc_id": item.get("VpcId") or "",
        "availability_mode": item.get("AvailabilityMode") or "zonal",
    }


# --- aws_eip -------------------------------------------------------------------------------


def _eip(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {
        "id": item.get("AllocationId") or item.get("PublicIp"),
        "domain": item.get("Domain") or "vpc",
        "public_ipv4_pool": item.get("PublicIpv4Pool") or "",
        "network_border_group": item.get("NetworkBorderGroup") or "",
        "customer_owned_ipv4_pool": item.get("CustomerOwnedIpv4Pool") or "",
        AWS_DEFAULT: bool(item.get("ServiceManaged")),
    }


# --- aws_vpc_endpoint ----------------------------------------------------------------------

# what AWS attaches to an endpoint made without a policy (Gateway and Interface alike)
_FULL_ACCESS = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}


def _endpoint_policy(value: Any) -> Any:
    document = parse_policy(value)
    if isinstance(document, dict):
        statements = document.get("Statement")
        if isinstance(statements, list) and statements == [_FULL_ACCESS]:
            return None  # AWS's default: the same as no policy
        return json.dumps(document, sort_keys=True)
    return document or None


def _vpc_endpoint(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if str(item.get("State") or "").lower() in _GONE:
        return None
    return {
        "id": item["VpcEndpointId"],
        "vpc_id": item.get("VpcId"),
        "service_name": item.get("ServiceName"),
        "vpc_endpoint_type": item.get("VpcEndpointType"),
        "policy": item.get("PolicyDocument") or "",
        "private_dns_enabled": bool(item.get("PrivateDnsEnabled")),
        "route_table_ids": list(item.get("RouteTableIds") or []),
        "subnet_ids": list(item.get("SubnetIds") or []),
        "security_group_ids": [g["GroupId"] for g in item.get("Groups") or []],
        "ip_address_type": item.get("IpAddressType") or "",
        AWS_DEFAULT: bool(item.get("RequesterManaged")),
    } | _addresses(item)


def _addresses(item: dict[str, Any]) -> dict[str, Any]:
    if "_Interfaces" in item:
        return {"subnet_configuration": _subnet_configuration(item)}
    # a gateway endpoint has no interfaces, so no addresses; an interface endpoint whose
    # state names none was not asked: not compared
    return {} if item.get("NetworkInterfaceIds") else {"subnet_configuration": []}


def _addresses_asked(item: dict[str, Any], ctx: ScanContext) -> bool:
    # an endpoint's interfaces are read only where they are compared: interface endpoints
    # whose state names addresses per subnet (`subnet_configuration`, compared when set);
    # that is rare, so one DescribeNetworkInterfaces of its own interfaces each
    if not item.get("NetworkInterfaceIds"):
        return False

    def compute() -> set[str]:
        return {
            str(a.get("id"))
            for a in ctx.state_attributes("aws_vpc_endpoint", ctx.region)
            if a.get("subnet_configuration")
        }

    return str(item.get("VpcEndpointId")) in ctx.remember("ec2:endpoints-with-addresses", compute)


def _subnet_configuration(item: dict[str, Any]) -> list[dict[str, Any]]:
    # the address of the endpoint's interface in each subnet, as the provider reads it
    out = []
    for eni in item.get("_Interfaces") or []:
        ipv6 = [a.get("Ipv6Address") for a in eni.get("Ipv6Addresses") or []]
        out.append(
            {
                "subnet_id": eni.get("SubnetId") or "",
                "ipv4": eni.get("PrivateIpAddress") or "",
                "ipv6": next((a for a in ipv6 if a), ""),
            }
        )
    return out


def _subnet_of(entry: Any) -> Any:
    return entry.get("subnet_id") if isinstance(entry, dict) else entry


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_internet_gateway",
        service="ec2",
        list_call=ListCall(operation="DescribeInternetGateways", items="InternetGateways[]"),
        tags=Tags(),
        normalize=_internet_gateway,
        compared=("vpc_id", "tags"),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(COMPUTED, "owner_id"),
        operations=("ec2:DescribeVpcs",),
        import_id_format="internet gateway id, e.g. igw-0abc123",
        is_aws_default=aws_default,
        doc="the default VPC's gateway is AWS's",
    ),
    ResourceSpec(
        type="aws_nat_gateway",
        service="ec2",
        list_call=ListCall(operation="DescribeNatGateways", items="NatGateways[]"),
        tags=Tags(),
        normalize=_nat_gateway,
        compared=(
            "subnet_id",
            "connectivity_type",
            "allocation_id",
            "private_ip",
            "secondary_allocation_ids",
            "secondary_private_ip_addresses",
            "secondary_private_ip_address_count",
            "vpc_id",
            "availability_mode",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts")
        | because(COMPUTED, "association_id", "network_interface_id", "public_ip", "route_table_id")
        | because(
            # regional NAT gateways (availability_mode = regional), new in provider 6: the
            # emulator knows no availability mode
            NOT_EMULATED,
            "auto_provision_zones",
            "auto_scaling_ips",
            "availability_zone_address",
            "regional_nat_gateway_address",
            "regional_nat_gateway_auto_mode",
        ),
        import_id_format="NAT gateway id, e.g. nat-0abc123",
    ),
    ResourceSpec(
        type="aws_eip",
        service="ec2",
        list_call=ListCall(operation="DescribeAddresses", items="Addresses[]", paginated=False),
        tags=Tags(),
        normalize=_eip,
        compared=(
            "domain",
            "public_ipv4_pool",
            "network_border_group",
            "customer_owned_ipv4_pool",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(
            COMPUTED,
            "allocation_id",
            "association_id",
            "carrier_ip",
            "customer_owned_ip",
            "private_dns",
            "private_ip",
            "ptr_record",
            "public_dns",
            "public_ip",
        )
        | because(STALE_COPY, "instance", "network_interface", "associate_with_private_ip")
        | because(WRITE_ONLY, "address", "ipam_pool_id"),
        import_id_format="allocation id, e.g. eipalloc-0abc123",
        is_aws_default=aws_default,
        doc="addresses a service manages (a load balancer's) are AWS's",
    ),
    ResourceSpec(
        type="aws_vpc_endpoint",
        service="ec2",
        list_call=ListCall(operation="DescribeVpcEndpoints", items="VpcEndpoints[]"),
        calls=(
            Detail(
                operation="DescribeNetworkInterfaces",
                key={"NetworkInterfaceIds": "NetworkInterfaceIds"},
                result="NetworkInterfaces",
                into="_Interfaces",
                # an interface replaced since the listing: the addresses are not compared
                unreadable=frozenset({"InvalidNetworkInterfaceID.NotFound"}),
                when=_addresses_asked,
            ),
        ),
        tags=Tags(),
        normalize=_vpc_endpoint,
        compared=(
            "vpc_id",
            "service_name",
            "vpc_endpoint_type",
            "policy",
            "private_dns_enabled",
            "route_table_ids",
            "subnet_ids",
            "security_group_ids",
            "ip_address_type",
            "subnet_configuration",
            "tags",
        ),
        # the addresses asked for per subnet: compared for the subnets the state names
        # (which subnets the endpoint is in is `subnet_ids`); a state without any leaves
        # the addresses to AWS
        compared_when_set=frozenset({"subnet_configuration"}),
        extras_elsewhere={"subnet_configuration": _subnet_of},
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(
            COMPUTED,
            "cidr_blocks",
            "dns_entry",
            "network_interface_ids",
            "owner_id",
            "prefix_list_id",
            "requester_managed",
            "state",
        )
        | because(TERRAFORM_ONLY, "auto_accept")
        # the emulator answers none of DescribeVpcEndpoints' DnsOptions, ServiceRegion,
        # ResourceConfigurationArn or ServiceNetworkArn
        | because(
            NOT_EMULATED,
            "dns_options",
            "resource_configuration_arn",
            "service_network_arn",
            "service_region",
        ),
        json_attributes=frozenset({"policy"}),
        value_forms={"policy": _endpoint_policy},
        import_id_format="VPC endpoint id, e.g. vpce-0abc123",
        is_aws_default=aws_default,
        doc="endpoints a service made (RequesterManaged) are AWS's; AWS's full-access policy is no policy",
    ),
]
