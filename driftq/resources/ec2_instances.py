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
from driftq.resources.spec import Join, ListCall, ResourceSpec, Tags

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
        **_placement(item.get("Placement") or {}),
        **_options(item),
        **_addresses(item),
        "root_block_device": _root_block_device(item, ctx),
        "credit_specification": _credits(item),
    }


_BURSTABLE = ("t1.", "t2.", "t3.", "t3a.", "t4g.")


def _credits(item: dict[str, Any]) -> list[dict[str, Any]]:
    # AWS lists only burstable instances in "unlimited" mode when asked for all of them;
    # a burstable instance it leaves out is in "standard" mode
    if not str(item.get("InstanceType") or "").startswith(_BURSTABLE):
        return []
    return [{"cpu_credits": item.get("CpuCredits") or "standard"}]


def _placement(placement: dict[str, Any]) -> dict[str, Any]:
    return {
        "tenancy": placement.get("Tenancy") or "default",
        "placement_group": placement.get("GroupName") or "",
        "placement_partition_number": placement.get("PartitionNumber") or 0,
        "host_id": placement.get("HostId") or "",
        "host_resource_group_arn": placement.get("HostResourceGroupArn") or "",
    }


# blocks of one element whose settings AWS answers in DescribeInstances: Terraform block ->
# (AWS key, {Terraform name: (AWS name, AWS's default)})
_OPTION_BLOCKS: dict[str, tuple[str, dict[str, tuple[str, Any]]]] = {
    "metadata_options": (
        "MetadataOptions",
        {
            "http_endpoint": ("HttpEndpoint", "enabled"),
            "http_tokens": ("HttpTokens", "optional"),
            "http_put_response_hop_limit": ("HttpPutResponseHopLimit", 1),
            "http_protocol_ipv6": ("HttpProtocolIpv6", "disabled"),
            "instance_metadata_tags": ("InstanceMetadataTags", "disabled"),
        },
    ),
    "enclave_options": ("EnclaveOptions", {"enabled": ("Enabled", False)}),
    "cpu_options": (
        "CpuOptions",
        {"core_count": ("CoreCount", None), "threads_per_core": ("ThreadsPerCore", None)},
    ),
    "maintenance_options": ("MaintenanceOptions", {"auto_recovery": ("AutoRecovery", "default")}),
    "private_dns_name_options": (
        "PrivateDnsNameOptions",
        {
            "hostname_type": ("HostnameType", "ip-name"),
            "enable_resource_name_dns_a_record": ("EnableResourceNameDnsARecord", False),
            "enable_resource_name_dns_aaaa_record": ("EnableResourceNameDnsAAAARecord", False),
        },
    ),
}


def _options(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "hibernation": bool((item.get("HibernationOptions") or {}).get("Configured")),
    }
    for block, (key, fields) in _OPTION_BLOCKS.items():
        answer = item.get(key) or {}
        out[block] = [{name: answer.get(aws, default) for name, (aws, default) in fields.items()}]
    return out


def _project(block: str) -> Any:
    """Both sides' block reduced to the settings AWS answers (the state may hold more, e.g.
    provider-only switches, or fewer, when written by an older provider)."""
    names = set(_OPTION_BLOCKS[block][1]) if block in _OPTION_BLOCKS else _ROOT_SETTINGS

    def form(value: Any) -> Any:
        blocks = [b for b in value or [] if isinstance(b, dict)]
        return [{k: v for k, v in b.items() if k in names} for b in blocks]

    return form


def _addresses(item: dict[str, Any]) -> dict[str, Any]:
    primary: dict[str, Any] = next(
        (
            eni
            for eni in item.get("NetworkInterfaces") or []
            if (eni.get("Attachment") or {}).get("DeviceIndex", 0) == 0
        ),
        {},
    )
    return {
        "private_ip": item.get("PrivateIpAddress") or "",
        "secondary_private_ips": [
            a["PrivateIpAddress"]
            for a in primary.get("PrivateIpAddresses") or []
            if not a.get("Primary") and a.get("PrivateIpAddress")
        ],
        "ipv6_addresses": [a["Ipv6Address"] for a in primary.get("Ipv6Addresses") or []],
    }


_ROOT_SETTINGS = frozenset(
    {
        "delete_on_termination",
        "encrypted",
        "iops",
        "kms_key_id",
        "throughput",
        "volume_size",
        "volume_type",
    }
)


def _root_block_device(item: dict[str, Any], ctx: ScanContext) -> list[dict[str, Any]]:
    """The root volume's settings, from the unit's (shared) DescribeVolumes listing."""
    root = item.get("RootDeviceName")
    mapping = next(
        (m for m in item.get("BlockDeviceMappings") or [] if m.get("DeviceName") == root), None
    )
    if mapping is None:
        return []
    ebs = mapping.get("Ebs") or {}
    volumes = {
        v["VolumeId"]: v
        for page in ctx.pages("ec2", "DescribeVolumes", {})
        for v in page.get("Volumes") or []
    }
    volume = volumes.get(ebs.get("VolumeId") or "")
    if volume is None:
        return []
    return [
        {
            "delete_on_termination": bool(ebs.get("DeleteOnTermination")),
            "encrypted": bool(volume.get("Encrypted")),
            "iops": volume.get("Iops") or 0,
            "kms_key_id": volume.get("KmsKeyId") or "",
            "throughput": volume.get("Throughput") or 0,
            "volume_size": volume.get("Size"),
            "volume_type": volume.get("VolumeType"),
        }
    ]


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_instance",
        service="ec2",
        list_call=ListCall(operation="DescribeInstances", items="Reservations[].Instances[]"),
        calls=(
            # one listing per unit of the burstable instances in "unlimited" mode
            Join(
                source=ListCall(
                    operation="DescribeInstanceCreditSpecifications",
                    items="InstanceCreditSpecifications[]",
                ),
                on="InstanceId",
                key="InstanceId",
                into="CpuCredits",
                value="CpuCredits",
                required=False,
            ),
        ),
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
            "availability_zone",
            "tenancy",
            "placement_group",
            "placement_partition_number",
            "host_id",
            "host_resource_group_arn",
            "hibernation",
            *_OPTION_BLOCKS,
            "private_ip",
            "secondary_private_ips",
            "ipv6_addresses",
            "root_block_device",
            "credit_specification",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(
            COMPUTED,
            "instance_lifecycle",
            "instance_state",
            "ipv6_address_count",
            "outpost_arn",
            "password_data",
            "placement_group_id",
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
            "capacity_reservation_specification",
            "disable_api_stop",
            "disable_api_termination",
            "ebs_block_device",
            "enable_primary_ipv6",
            "ephemeral_block_device",
            "instance_initiated_shutdown_behavior",
            "instance_market_options",
            "launch_template",
            "network_interface",
            "primary_network_interface",
            "security_groups",
            "user_data",
            "user_data_base64",
            "volume_tags",
        ),
        value_forms={name: _project(name) for name in (*_OPTION_BLOCKS, "root_block_device")},
        # the root volume's settings come from the volume listing (shared with aws_ebs_volume)
        operations=("ec2:DescribeVolumes",),
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
