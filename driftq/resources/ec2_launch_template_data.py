"""A launch template's nested blocks (`block_device_mappings`, `network_interfaces`,
`metadata_options`, `placement`, ...) from the default version's data the template spec
reads anyway: no call of their own.

The template data holds only what its author set, while the provider writes every member
of a block (0, false, "" for the unset ones) and members AWS never answers: both sides are
projected onto the members mapped here, unset members and empty blocks dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Item = dict[str, Any]
# a Terraform member: its AWS key, or (AWS key, repeated?, the nested block's members)
Field = str | tuple[str, bool, "Fields"]
Fields = dict[str, Field]

_EBS: Fields = {
    "delete_on_termination": "DeleteOnTermination",
    "encrypted": "Encrypted",
    "iops": "Iops",
    "kms_key_id": "KmsKeyId",
    "snapshot_id": "SnapshotId",
    "throughput": "Throughput",
    "volume_size": "VolumeSize",
    "volume_type": "VolumeType",
}
_NETWORK_INTERFACE: Fields = {
    "associate_carrier_ip_address": "AssociateCarrierIpAddress",
    "associate_public_ip_address": "AssociatePublicIpAddress",
    "delete_on_termination": "DeleteOnTermination",
    "description": "Description",
    "device_index": "DeviceIndex",
    "interface_type": "InterfaceType",
    "ipv6_address_count": "Ipv6AddressCount",
    "network_card_index": "NetworkCardIndex",
    "network_interface_id": "NetworkInterfaceId",
    "private_ip_address": "PrivateIpAddress",
    "security_groups": "Groups",
    "subnet_id": "SubnetId",
    "ipv4_address_count": "SecondaryPrivateIpAddressCount",
}

_RANGE: Fields = {"min": "Min", "max": "Max"}
# attribute-based instance type selection: ranges, lists and switches
_INSTANCE_REQUIREMENTS: Fields = {
    "accelerator_count": ("AcceleratorCount", False, _RANGE),
    "accelerator_manufacturers": "AcceleratorManufacturers",
    "accelerator_names": "AcceleratorNames",
    "accelerator_total_memory_mib": ("AcceleratorTotalMemoryMiB", False, _RANGE),
    "accelerator_types": "AcceleratorTypes",
    "allowed_instance_types": "AllowedInstanceTypes",
    "bare_metal": "BareMetal",
    "baseline_ebs_bandwidth_mbps": ("BaselineEbsBandwidthMbps", False, _RANGE),
    "burstable_performance": "BurstablePerformance",
    "cpu_manufacturers": "CpuManufacturers",
    "excluded_instance_types": "ExcludedInstanceTypes",
    "instance_generations": "InstanceGenerations",
    "local_storage": "LocalStorage",
    "local_storage_types": "LocalStorageTypes",
    "max_spot_price_as_percentage_of_optimal_on_demand_price": (
        "MaxSpotPriceAsPercentageOfOptimalOnDemandPrice"
    ),
    "memory_gib_per_vcpu": ("MemoryGiBPerVCpu", False, _RANGE),
    "memory_mib": ("MemoryMiB", False, _RANGE),
    "network_bandwidth_gbps": ("NetworkBandwidthGbps", False, _RANGE),
    "network_interface_count": ("NetworkInterfaceCount", False, _RANGE),
    "on_demand_max_price_percentage_over_lowest_price": (
        "OnDemandMaxPricePercentageOverLowestPrice"
    ),
    "require_hibernate_support": "RequireHibernateSupport",
    "spot_max_price_percentage_over_lowest_price": "SpotMaxPricePercentageOverLowestPrice",
    "total_local_storage_gb": ("TotalLocalStorageGB", False, _RANGE),
    "vcpu_count": ("VCpuCount", False, _RANGE),
}

# Terraform block -> (AWS key, repeated?, members)
BLOCKS: dict[str, tuple[str, bool, Fields]] = {
    "block_device_mappings": (
        "BlockDeviceMappings",
        True,
        {
            "device_name": "DeviceName",
            "no_device": "NoDevice",
            "virtual_name": "VirtualName",
            "ebs": ("Ebs", False, _EBS),
        },
    ),
    "network_interfaces": ("NetworkInterfaces", True, _NETWORK_INTERFACE),
    "metadata_options": (
        "MetadataOptions",
        False,
        {
            "http_endpoint": "HttpEndpoint",
            "http_tokens": "HttpTokens",
            "http_put_response_hop_limit": "HttpPutResponseHopLimit",
            "http_protocol_ipv6": "HttpProtocolIpv6",
            "instance_metadata_tags": "InstanceMetadataTags",
        },
    ),
    "placement": (
        "Placement",
        False,
        {
            "affinity": "Affinity",
            "availability_zone": "AvailabilityZone",
            "group_name": "GroupName",
            "host_id": "HostId",
            "host_resource_group_arn": "HostResourceGroupArn",
            "partition_number": "PartitionNumber",
            "spread_domain": "SpreadDomain",
            "tenancy": "Tenancy",
        },
    ),
    "private_dns_name_options": (
        "PrivateDnsNameOptions",
        False,
        {
            "hostname_type": "HostnameType",
            "enable_resource_name_dns_a_record": "EnableResourceNameDnsARecord",
            "enable_resource_name_dns_aaaa_record": "EnableResourceNameDnsAAAARecord",
        },
    ),
    "capacity_reservation_specification": (
        "CapacityReservationSpecification",
        False,
        {
            "capacity_reservation_preference": "CapacityReservationPreference",
            "capacity_reservation_target": (
                "CapacityReservationTarget",
                False,
                {
                    "capacity_reservation_id": "CapacityReservationId",
                    "capacity_reservation_resource_group_arn": (
                        "CapacityReservationResourceGroupArn"
                    ),
                },
            ),
        },
    ),
    "instance_market_options": (
        "InstanceMarketOptions",
        False,
        {
            "market_type": "MarketType",
            "spot_options": (
                "SpotOptions",
                False,
                {
                    "block_duration_minutes": "BlockDurationMinutes",
                    "instance_interruption_behavior": "InstanceInterruptionBehavior",
                    "max_price": "MaxPrice",
                    "spot_instance_type": "SpotInstanceType",
                },
            ),
        },
    ),
    "license_specification": (
        "LicenseSpecifications",
        True,
        {"license_configuration_arn": "LicenseConfigurationArn"},
    ),
    "instance_requirements": ("InstanceRequirements", False, _INSTANCE_REQUIREMENTS),
    # `tags` is a map in Terraform, a Key/Value list in AWS (see _convert)
    "tag_specifications": (
        "TagSpecifications",
        True,
        {"resource_type": "ResourceType", "tags": "Tags"},
    ),
}


def convert(answer: Any, fields: Fields) -> Item:
    """An AWS structure as a Terraform block of ``fields`` (nested blocks as lists)."""
    out: Item = {}
    for name, field in fields.items():
        if isinstance(field, str):
            value = answer.get(field)
            if name == "tags" and isinstance(value, list):
                value = {t.get("Key"): t.get("Value", "") for t in value}
            out[name] = value
            continue
        key, repeated, members = field
        nested = answer.get(key)
        items = (nested or []) if repeated else ([nested] if nested else [])
        out[name] = [convert(i, members) for i in items if isinstance(i, dict)]
    return out


def template_blocks(data: Item) -> Item:
    """The mapped blocks of a template version's data, in Terraform's shapes."""
    out: Item = {}
    for block, (key, repeated, members) in BLOCKS.items():
        out[block] = convert({key: data.get(key)}, {block: (key, repeated, members)})[block]
    # the tags of the template itself are not for what it launches (the emulator copies
    # them into the data; AWS admits no `launch-template` resource type there)
    out["tag_specifications"] = [
        t for t in out["tag_specifications"] if t.get("resource_type") != "launch-template"
    ]
    return out


def _unset(value: Any) -> bool:
    # the provider keeps some booleans as strings ("false", "" when not said)
    return value in (None, "", 0, False, [], {}, "false", "0")


def project(value: Any, fields: Fields) -> Any:
    """Blocks reduced to ``fields``, unset members and empty blocks dropped (both sides)."""
    blocks = value if isinstance(value, list) else [value]
    out = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kept: Item = {}
        for name, field in fields.items():
            member = block.get(name)
            if not isinstance(field, str):
                member = project(member, field[2])
            elif isinstance(member, list):
                member = sorted(str(m) for m in member)
            if not _unset(member):
                kept[name] = member
        if kept:
            out.append(kept)
    return out


def _form(members: Fields) -> Callable[[Any], Any]:
    def form(value: Any) -> Any:
        return project(value, members)

    return form


VALUE_FORMS = {block: _form(members) for block, (_, _, members) in BLOCKS.items()}
