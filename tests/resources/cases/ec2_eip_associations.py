"""EIP association case: an address associated with a network interface in a subnet (the
address's own state read before the association, as Terraform leaves it)."""

from __future__ import annotations

from typing import Any

from tests.resources.cases.ec2_gateways import _address, _vpc, eip_state
from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import REGION, tag_spec, tf_subnet


def _eip_association(account: Any) -> Built:
    ec2, vpc, vpc_res = _vpc(account, "10.22.0.0/16")
    subnet = ec2.create_subnet(
        VpcId=vpc["VpcId"],
        CidrBlock="10.22.1.0/24",
        AvailabilityZone=f"{REGION}a",
        TagSpecifications=tag_spec("subnet", "app"),
    )["Subnet"]
    interface = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    address = _address(ec2, "ip")
    association = ec2.associate_address(
        AllocationId=address["AllocationId"],
        NetworkInterfaceId=interface["NetworkInterfaceId"],
        PrivateIpAddress=interface["PrivateIpAddress"],
    )["AssociationId"]
    state = {
        "id": association,
        "allocation_id": address["AllocationId"],
        "allow_reassociation": None,
        "instance_id": "",
        "network_interface_id": interface["NetworkInterfaceId"],
        "private_ip_address": interface["PrivateIpAddress"],
        "public_ip": address["PublicIp"],
    }
    return Built(
        [
            Res("aws_eip_association", "ip", state),
            Res("aws_eip", "ip", eip_state(account, address, "ip")),
            Res("aws_subnet", "app", tf_subnet(account, subnet)),
            vpc_res,
        ],
        import_id=association,
    )


CASES = [TypeCase(type="aws_eip_association", build=_eip_association)]
