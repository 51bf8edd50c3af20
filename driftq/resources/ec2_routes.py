"""Route tables, routes and their associations: `aws_route_table`, `aws_route`,
`aws_route_table_association`.

AWS's own stay silent unless a state holds them: every VPC's main route table (and its
implicit main association), the `local` route of every table, routes a virtual private
gateway propagates, and the prefix-list routes a Gateway VPC endpoint adds (those belong to
the `aws_vpc_endpoint`'s `route_table_ids`, as the provider reads them). A route lives inline
on the table (`route` blocks) or as an `aws_route`: ``passes/routes.py`` reconciles both,
like security-group rules.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import ListCall, ResourceSpec, Tags

_TABLES = ListCall(operation="DescribeRouteTables", items="RouteTables[]")
DESTINATIONS = ("cidr_block", "ipv6_cidr_block", "destination_prefix_list_id")
# a route block's targets, Terraform name -> AWS name
_TARGETS = {
    "carrier_gateway_id": "CarrierGatewayId",
    "core_network_arn": "CoreNetworkArn",
    "egress_only_gateway_id": "EgressOnlyInternetGatewayId",
    "local_gateway_id": "LocalGatewayId",
    "nat_gateway_id": "NatGatewayId",
    "network_interface_id": "NetworkInterfaceId",
    "transit_gateway_id": "TransitGatewayId",
    "vpc_peering_connection_id": "VpcPeeringConnectionId",
}
TARGETS = (*_TARGETS, "gateway_id", "vpc_endpoint_id")


def _is_endpoint_route(route: Mapping[str, Any]) -> bool:
    gateway = str(route.get("GatewayId") or "")
    return bool(route.get("DestinationPrefixListId")) and gateway.startswith("vpce-")


def _is_local(route: Mapping[str, Any]) -> bool:
    return route.get("GatewayId") == "local" or route.get("Origin") == "CreateRouteTable"


def route_block(route: Mapping[str, Any]) -> dict[str, Any]:
    """One AWS route as a `route` block of an `aws_route_table`."""
    block: dict[str, Any] = {
        "cidr_block": route.get("DestinationCidrBlock") or "",
        "ipv6_cidr_block": route.get("DestinationIpv6CidrBlock") or "",
        "destination_prefix_list_id": route.get("DestinationPrefixListId") or "",
    }
    for name, key in _TARGETS.items():
        block[name] = route.get(key) or ""
    gateway = str(route.get("GatewayId") or "")
    # a Gateway Load Balancer endpoint is a gateway to AWS and a vpc_endpoint_id to Terraform
    block["gateway_id"] = "" if gateway.startswith("vpce-") else gateway
    block["vpc_endpoint_id"] = gateway if gateway.startswith("vpce-") else ""
    return block


def destination(block: Mapping[str, Any]) -> str:
    """A route's destination (a route block or an `aws_route`'s attributes)."""
    for name in (*DESTINATIONS, "destination_cidr_block", "destination_ipv6_cidr_block"):
        if block.get(name):
            return str(block[name])
    return ""


def route_id(table_id: str, dest: str) -> str:
    """The provider's `aws_route` id: `r-` + table id + the CRC-32 of the destination."""
    return f"r-{table_id}{zlib.crc32(dest.encode())}"


def _managed_routes(table: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        r
        for r in table.get("Routes") or []
        if not _is_local(r)
        and r.get("Origin") != "EnableVgwRoutePropagation"
        and not _is_endpoint_route(r)
    ]


def _is_main(table: Mapping[str, Any]) -> bool:
    return any(a.get("Main") for a in table.get("Associations") or [])


def _route_table(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    return {
        "id": item["RouteTableId"],
        "vpc_id": item.get("VpcId"),
        "route": [route_block(r) for r in _managed_routes(item)],
        "propagating_vgws": [v["GatewayId"] for v in item.get("PropagatingVgws") or []],
        AWS_DEFAULT: _is_main(item),
    }


# --- aws_route: one item per route -----------------------------------------------------------


def _routes(table: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for route in table.get("Routes") or []:
        if route.get("Origin") == "EnableVgwRoutePropagation" or _is_endpoint_route(route):
            continue
        yield {"_table": table["RouteTableId"], **route}


def _route(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    block = route_block(item)
    table = item["_table"]
    dest = destination(block)
    return {
        "id": route_id(table, dest),
        "_import_id": f"{table}_{dest}",
        "route_table_id": table,
        "destination_cidr_block": block.pop("cidr_block"),
        "destination_ipv6_cidr_block": block.pop("ipv6_cidr_block"),
        **block,
        # the `local` route of every table is AWS's (an aws_route may adopt it)
        AWS_DEFAULT: _is_local(item),
    }


# --- aws_route_table_association -------------------------------------------------------------


def _associations(table: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for association in table.get("Associations") or []:
        state = (association.get("AssociationState") or {}).get("State", "associated")
        if not association.get("Main") and state in ("associated", "associating"):
            yield association


def _association(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    target = item.get("SubnetId") or item.get("GatewayId") or ""
    return {
        "id": item["RouteTableAssociationId"],
        "_import_id": f"{target}/{item.get('RouteTableId')}",
        "route_table_id": item.get("RouteTableId"),
        "subnet_id": item.get("SubnetId") or "",
        "gateway_id": item.get("GatewayId") or "",
    }


def _import_id(attrs: Mapping[str, Any]) -> str:
    return str(attrs.get("_import_id") or attrs.get("id") or "")


def _route_state_identity(attrs: Mapping[str, Any]) -> str:
    return route_id(str(attrs.get("route_table_id") or ""), destination(attrs))


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_route_table",
        service="ec2",
        list_call=_TABLES,
        tags=Tags(),
        normalize=_route_table,
        compared=("vpc_id", "route", "propagating_vgws", "tags"),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(COMPUTED, "owner_id"),
        import_id_format="route table id, e.g. rtb-0abc123",
        is_aws_default=aws_default,
        doc="a VPC's main route table is AWS's; routes compare as a set, without `local`",
    ),
    ResourceSpec(
        type="aws_route",
        service="ec2",
        list_call=_TABLES,
        expand=_routes,
        normalize=_route,
        compared=TARGETS,
        left_out=common("id", "region", "timeouts")
        | because(
            IDENTITY,
            "route_table_id",
            "destination_cidr_block",
            "destination_ipv6_cidr_block",
            "destination_prefix_list_id",
        )
        | because(COMPUTED, "instance_id", "instance_owner_id", "origin", "state"),
        import_id_format="ROUTETABLEID_DESTINATION, e.g. rtb-0abc123_10.1.0.0/16",
        # state ids are the provider's hash of table and destination: recomputed from both
        state_identity=_route_state_identity,
        import_id=_import_id,
        is_aws_default=aws_default,
        parent="aws_route_table",
        parent_identity=lambda attrs: str(attrs.get("route_table_id") or ""),
        doc="identity is table and destination; the `local` route is AWS's",
    ),
    ResourceSpec(
        type="aws_route_table_association",
        service="ec2",
        list_call=_TABLES,
        expand=_associations,
        normalize=_association,
        compared=("route_table_id", "subnet_id", "gateway_id"),
        left_out=common("id", "region", "timeouts"),
        import_id_format="SUBNETID/ROUTETABLEID (or GATEWAYID/ROUTETABLEID), e.g. subnet-0abc/rtb-0def",
        import_id=_import_id,
        parent="aws_route_table",
        parent_identity=lambda attrs: str(attrs.get("route_table_id") or ""),
        doc="a VPC's implicit main association is AWS's (not listed)",
    ),
]
