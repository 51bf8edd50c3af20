"""EC2 instances (`aws_instance`)."""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_YET,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.spec import ListCall, ResourceSpec, Tags

_GONE = frozenset({"terminated", "shutting-down"})


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
]


# --- aws_key_pair --------------------------------------------------------------------------


def _key_pair(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any]:
    # AWS's default type; older key pairs (and emulators) leave KeyType out
    key_type = item.get("KeyType") or "rsa"
    return {"id": item["KeyName"], "key_name": item["KeyName"], "key_type": key_type}


SPECS.append(
    ResourceSpec(
        type="aws_key_pair",
        service="ec2",
        list_call=ListCall(operation="DescribeKeyPairs", items="KeyPairs[]", paginated=False),
        tags=Tags(),
        normalize=_key_pair,
        compared=("key_type", "tags"),
        left_out=common("id", "region", "tags_all", "arn")
        | because(IDENTITY, "key_name")
        | because(COMPUTED, "fingerprint", "key_pair_id")
        | because(TERRAFORM_ONLY, "key_name_prefix")
        # AWS keeps only the key's material, not the text Terraform was given (a comment,
        # the key type's spelling): the fingerprint stands for it and is computed
        | because(WRITE_ONLY, "public_key"),
        import_id_format="key pair name, e.g. deployer",
    )
)
