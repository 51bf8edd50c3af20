"""EC2 instances (`aws_instance`); the settings only DescribeInstanceAttribute answers are
read for managed instances only (``ec2_instance_attributes.py``), the blocks (volumes,
interfaces, credit mode, launch template, market options) from answers the unit shares or
batches (``ec2_instance_blocks.py``)."""

from __future__ import annotations

from typing import Any

from driftq.resources import ec2_instance_attributes as settings
from driftq.resources import ec2_instance_blocks as blocks
from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
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
        **_placement(item.get("Placement") or {}),
        **_options(item),
        **_addresses(item),
        **settings.instance_attributes(item),
        **blocks.instance_blocks(item, ctx),
    }


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
    fields = _OPTION_BLOCKS[block][1]
    # a setting at AWS's default says nothing: older provider versions do not record the
    # newer settings (`http_protocol_ipv6`, `instance_metadata_tags`) at all
    defaults = {name: default for name, (_, default) in fields.items()}

    def form(value: Any) -> Any:
        blocks = [b for b in value or [] if isinstance(b, dict)]
        return [
            {k: v for k, v in b.items() if k in defaults and str(v) != str(defaults[k])}
            for b in blocks
        ]

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


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_instance",
        service="ec2",
        list_call=ListCall(operation="DescribeInstances", items="Reservations[].Instances[]"),
        calls=settings.CALLS,
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
            *settings.COMPARED,
            *blocks.COMPARED,
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
        # instance-store volumes are given at launch only: DescribeInstances and
        # DescribeInstanceAttribute's blockDeviceMapping answer EBS volumes alone
        | because(WRITE_ONLY, "ephemeral_block_device"),
        value_forms={name: _project(name) for name in _OPTION_BLOCKS}
        | settings.VALUE_FORMS
        | blocks.VALUE_FORMS,
        aligned=blocks.ALIGNED,
        compared_when_set=settings.WHEN_SET | blocks.WHEN_SET,
        extras_elsewhere=blocks.EXTRAS_ELSEWHERE,
        operations=blocks.OPERATIONS,
        not_emulated=(
            "gp2 IOPS, CPU credit modes, spot requests, the owner of a launch's public address"
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
