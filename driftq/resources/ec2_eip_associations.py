"""Elastic IP associations (`aws_eip_association`), from the DescribeAddresses listing
`aws_eip` already sends: an address with an `AssociationId` is associated.

Associations AWS makes itself are AWS defaults (silent unless a state holds them): a NAT
gateway's address (the gateway associates it with its own interface), and an address on an
interface a service manages (a Network Load Balancer's, `RequesterManaged`). To tell them
apart the spec reads the DescribeNatGateways listing `aws_nat_gateway` sends anyway, and
only for associations that name no instance, one DescribeNetworkInterfaces per unit for
their interfaces (by id, 200 a call): no call per address. A targeted scan (an event named
the address) asks about its one interface instead (``_service_interface``).

An association is the child of its address: an address in no state is reported once, as
the `aws_eip`. An `aws_eip` may also associate itself (`instance` / `network_interface`
set in its state): then its live association is that resource's, not an unmanaged one.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from driftq.resources.attributes import COMPUTED, TERRAFORM_ONLY, because, common
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import ListCall, ResourceSpec

# interfaces customers make and attach; every other type is a service's
_CUSTOMER_INTERFACES = frozenset({"interface", "efa", "efa-only", "branch", "trunk", ""})
_CHUNK = 200


def _service_interfaces(ctx: ScanContext) -> set[str]:
    """Interfaces with an association that AWS made: NAT gateways' and services' own."""

    def compute() -> set[str]:
        found = {
            str(address.get("NetworkInterfaceId"))
            for page in ctx.pages("ec2", "DescribeNatGateways", {})
            for gateway in page.get("NatGateways") or []
            for address in gateway.get("NatGatewayAddresses") or []
            if address.get("NetworkInterfaceId")
        }
        listed = ctx.pages("ec2", "DescribeAddresses", {}, paginated=False)[0]
        unexplained = sorted(
            {
                str(a["NetworkInterfaceId"])
                for a in listed.get("Addresses") or []
                if a.get("AssociationId")
                and a.get("NetworkInterfaceId")
                and not a.get("InstanceId")
            }
            - found
        )
        for ids in batches(unexplained, _CHUNK):
            try:
                pages = ctx.pages("ec2", "DescribeNetworkInterfaces", {"NetworkInterfaceIds": ids})
            except ClientError:
                continue  # one of them went away meanwhile: those stay customer associations
            found |= {
                str(eni["NetworkInterfaceId"])
                for page in pages
                for eni in page.get("NetworkInterfaces") or []
                if eni.get("RequesterManaged")
                or str(eni.get("InterfaceType") or "") not in _CUSTOMER_INTERFACES
            }
        return found

    return ctx.remember("ec2:service-interfaces", compute)


def _service_interface(ctx: ScanContext, item: dict[str, Any]) -> bool:
    """A targeted scan's test of one association's interface (the event named the address:
    no listing of every address and NAT gateway): its DescribeNetworkInterfaces, and the
    NAT gateways of its subnet (DescribeNatGateways filtered by subnet). An instance's
    interface is no service's."""
    interface = str(item.get("NetworkInterfaceId") or "")
    if not interface or item.get("InstanceId"):
        return False
    try:
        pages = ctx.pages("ec2", "DescribeNetworkInterfaces", {"NetworkInterfaceIds": [interface]})
    except ClientError:
        return False  # gone meanwhile: a customer association, as in the full listing
    enis = [eni for page in pages for eni in page.get("NetworkInterfaces") or []]
    if any(
        eni.get("RequesterManaged")
        or str(eni.get("InterfaceType") or "") not in _CUSTOMER_INTERFACES
        for eni in enis
    ):
        return True
    subnets = sorted({str(eni["SubnetId"]) for eni in enis if eni.get("SubnetId")})
    if not subnets:
        return False
    params = {"Filter": [{"Name": "subnet-id", "Values": subnets}]}
    return any(
        address.get("NetworkInterfaceId") == interface
        for page in ctx.pages("ec2", "DescribeNatGateways", params)
        for gateway in page.get("NatGateways") or []
        for address in gateway.get("NatGatewayAddresses") or []
    )


def _association(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if not item.get("AssociationId"):
        return None
    interface = item.get("NetworkInterfaceId") or ""
    if item.get("ServiceManaged"):
        service = True
    elif ctx.targeted:
        service = _service_interface(ctx, item)
    else:
        service = bool(interface) and interface in _service_interfaces(ctx)
    return {
        "id": item["AssociationId"],
        "allocation_id": item.get("AllocationId") or "",
        "instance_id": item.get("InstanceId") or "",
        "network_interface_id": interface,
        "private_ip_address": item.get("PrivateIpAddress") or "",
        "public_ip": item.get("PublicIp") or "",
        AWS_DEFAULT: service,
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_eip_association",
        service="ec2",
        list_call=ListCall(operation="DescribeAddresses", items="Addresses[]", paginated=False),
        normalize=_association,
        compared=("allocation_id", "instance_id", "network_interface_id", "private_ip_address"),
        left_out=common("id", "region")
        | because(COMPUTED, "public_ip")
        | because(TERRAFORM_ONLY, "allow_reassociation"),
        operations=("ec2:DescribeNatGateways", "ec2:DescribeNetworkInterfaces"),
        import_id_format="association id, e.g. eipassoc-0abc123",
        is_aws_default=aws_default,
        parent="aws_eip",
        parent_identity=lambda attrs: str(
            attrs.get("allocation_id") or attrs.get("public_ip") or ""
        ),
        inline_in_parent="network_interface",
        not_emulated="a service's requester-managed interface (a load balancer's)",
        doc="associations a NAT gateway or a service made are AWS's",
    ),
]
