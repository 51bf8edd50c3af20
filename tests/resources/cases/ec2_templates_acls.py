"""Cases for launch templates and network ACLs."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import arn, tag_spec, tf_subnet, tf_tags, tf_vpc
from tests.support.estate import unique

LICENSE = "arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123"
# the nested blocks (ec2_launch_template_data.py), as AWS takes them and as the provider
# writes them back: every member, the unset ones as "", 0 or false
TEMPLATE_BLOCKS: dict[str, Any] = {
    "BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}
    ],
    "NetworkInterfaces": [
        {"DeviceIndex": 0, "AssociatePublicIpAddress": True, "DeleteOnTermination": True}
    ],
    "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
    "Placement": {"AvailabilityZone": "us-east-1a", "Tenancy": "default"},
    "PrivateDnsNameOptions": {"HostnameType": "resource-name"},
    "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
    "InstanceMarketOptions": {"MarketType": "spot", "SpotOptions": {"MaxPrice": "0.05"}},
    "LicenseSpecifications": [{"LicenseConfigurationArn": LICENSE}],
    "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": "web"}]}],
}
TF_TEMPLATE_BLOCKS: dict[str, Any] = {
    "block_device_mappings": [
        {
            "device_name": "/dev/xvda",
            "no_device": "",
            "virtual_name": "",
            "ebs": [
                {
                    "delete_on_termination": "",
                    "encrypted": "",
                    "iops": 0,
                    "kms_key_id": "",
                    "snapshot_id": "",
                    "throughput": 0,
                    "volume_initialization_rate": 0,
                    "volume_size": 20,
                    "volume_type": "gp3",
                }
            ],
        }
    ],
    "network_interfaces": [
        {
            "associate_carrier_ip_address": "",
            "associate_public_ip_address": "true",
            "connection_tracking_specification": [],
            "delete_on_termination": "true",
            "description": "",
            "device_index": 0,
            "ena_srd_specification": [],
            "interface_type": "",
            "ipv4_address_count": 0,
            "ipv4_addresses": [],
            "ipv4_prefix_count": 0,
            "ipv4_prefixes": [],
            "ipv6_address_count": 0,
            "ipv6_addresses": [],
            "ipv6_prefix_count": 0,
            "ipv6_prefixes": [],
            "network_card_index": 0,
            "network_interface_id": "",
            "primary_ipv6": "",
            "private_ip_address": "",
            "security_groups": [],
            "subnet_id": "",
        }
    ],
    "metadata_options": [
        {
            "http_endpoint": "",
            "http_protocol_ipv6": "",
            "http_put_response_hop_limit": 2,
            "http_tokens": "required",
            "instance_metadata_tags": "",
        }
    ],
    "placement": [
        {
            "affinity": "",
            "availability_zone": "us-east-1a",
            "group_id": "",
            "group_name": "",
            "host_id": "",
            "host_resource_group_arn": "",
            "partition_number": 0,
            "spread_domain": "",
            "tenancy": "default",
        }
    ],
    "private_dns_name_options": [
        {
            "enable_resource_name_dns_a_record": False,
            "enable_resource_name_dns_aaaa_record": False,
            "hostname_type": "resource-name",
        }
    ],
    "capacity_reservation_specification": [
        {"capacity_reservation_preference": "open", "capacity_reservation_target": []}
    ],
    "instance_market_options": [
        {
            "market_type": "spot",
            "spot_options": [
                {
                    "block_duration_minutes": 0,
                    "instance_interruption_behavior": "",
                    "max_price": "0.05",
                    "spot_instance_type": "",
                    "valid_until": "",
                }
            ],
        }
    ],
    "license_specification": [{"license_configuration_arn": LICENSE}],
    "tag_specifications": [{"resource_type": "instance", "tags": {"Role": "web"}}],
}


def _launch_template(account: Any) -> Built:
    name = unique("web")
    template = account.client("ec2").create_launch_template(
        LaunchTemplateName=name,
        VersionDescription="first",
        LaunchTemplateData={
            "ImageId": "ami-12c6146b",
            # types chosen by their attributes (instead of an InstanceType)
            "InstanceRequirements": {
                "VCpuCount": {"Min": 2, "Max": 8},
                "MemoryMiB": {"Min": 4096},
                "MemoryGiBPerVCpu": {"Min": 0.5, "Max": 4.0},
                "CpuManufacturers": ["intel", "amd"],
                "BurstablePerformance": "excluded",
                "ExcludedInstanceTypes": ["t2.*"],
            },
            "EbsOptimized": True,
            "DisableApiTermination": True,
            "Monitoring": {"Enabled": True},
            "CreditSpecification": {"CpuCredits": "unlimited"},
            "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 2},
            "EnclaveOptions": {"Enabled": False},
            "HibernationOptions": {"Configured": False},
            "MaintenanceOptions": {"AutoRecovery": "default"},
            **TEMPLATE_BLOCKS,
        },
        TagSpecifications=tag_spec("launch-template", "web"),
    )["LaunchTemplate"]
    tid = template["LaunchTemplateId"]
    state = {
        "id": tid,
        "arn": arn(account, "launch-template", tid),
        **TF_TEMPLATE_BLOCKS,
        "cpu_options": [{"amd_sev_snp": "", "core_count": 1, "threads_per_core": 2}],
        "credit_specification": [{"cpu_credits": "unlimited"}],
        "enclave_options": [{"enabled": False}],
        "hibernation_options": [{"configured": False}],
        "maintenance_options": [{"auto_recovery": "default"}],
        "default_version": 1,
        "description": "first",
        "disable_api_stop": False,
        "disable_api_termination": True,
        "ebs_optimized": "true",
        "iam_instance_profile": [],
        "image_id": "ami-12c6146b",
        "instance_initiated_shutdown_behavior": "",
        "instance_type": "",
        # as the provider writes it: every member, 0 / "" / [] for those not set
        "instance_requirements": [
            {
                "accelerator_count": [],
                "accelerator_manufacturers": [],
                "accelerator_names": [],
                "accelerator_total_memory_mib": [],
                "accelerator_types": [],
                "allowed_instance_types": [],
                "bare_metal": "",
                "baseline_ebs_bandwidth_mbps": [],
                "burstable_performance": "excluded",
                "cpu_manufacturers": ["amd", "intel"],
                "excluded_instance_types": ["t2.*"],
                "instance_generations": [],
                "local_storage": "",
                "local_storage_types": [],
                "max_spot_price_as_percentage_of_optimal_on_demand_price": 0,
                "memory_gib_per_vcpu": [{"min": 0.5, "max": 4}],
                "memory_mib": [{"min": 4096, "max": 0}],
                "network_bandwidth_gbps": [],
                "network_interface_count": [],
                "on_demand_max_price_percentage_over_lowest_price": 0,
                "require_hibernate_support": False,
                "spot_max_price_percentage_over_lowest_price": 0,
                "total_local_storage_gb": [],
                "vcpu_count": [{"min": 2, "max": 8}],
            }
        ],
        "kernel_id": "",
        "key_name": "",
        "latest_version": 1,
        "monitoring": [{"enabled": True}],
        "name": name,
        "name_prefix": "",
        "ram_disk_id": "",
        "security_group_names": [],
        "update_default_version": None,
        "user_data": "",
        "vpc_security_group_ids": [],
        **tf_tags("web"),
    }
    return Built([Res("aws_launch_template", "web", state)], import_id=tid)


def acl_entry(rule: int, protocol: str, port: int, cidr: str) -> dict[str, Any]:
    return {
        "action": "allow",
        "cidr_block": cidr,
        "from_port": port,
        "icmp_code": 0,
        "icmp_type": 0,
        "ipv6_cidr_block": "",
        "protocol": protocol,
        "rule_no": rule,
        "to_port": port,
    }


def _network_acl(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16", TagSpecifications=tag_spec("vpc", "net"))["Vpc"]
    subnet = ec2.create_subnet(
        VpcId=vpc["VpcId"],
        CidrBlock="10.40.1.0/24",
        AvailabilityZone="us-east-1a",
        TagSpecifications=tag_spec("subnet", "app"),
    )["Subnet"]
    acl = ec2.create_network_acl(
        VpcId=vpc["VpcId"], TagSpecifications=tag_spec("network-acl", "app")
    )["NetworkAcl"]["NetworkAclId"]
    for egress, protocol, port in ((False, "6", 443), (True, "-1", 0)):
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=100,
            Protocol=protocol,
            RuleAction="allow",
            Egress=egress,
            CidrBlock="0.0.0.0/0",
            **({"PortRange": {"From": port, "To": port}} if port else {}),
        )
    current = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}]
    )["NetworkAcls"][0]
    association = next(
        a["NetworkAclAssociationId"]
        for a in current["Associations"]
        if a["SubnetId"] == subnet["SubnetId"]
    )
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
    state = {
        "id": acl,
        "arn": arn(account, "network-acl", acl),
        # the provider writes what the configuration says: `tcp`, `-1`
        "ingress": [acl_entry(100, "tcp", 443, "0.0.0.0/0")],
        "egress": [acl_entry(100, "-1", 0, "0.0.0.0/0")],
        "owner_id": account.id,
        "subnet_ids": [subnet["SubnetId"]],
        "vpc_id": vpc["VpcId"],
        **tf_tags("app"),
    }
    return Built(
        [
            Res("aws_network_acl", "app", state),
            Res("aws_subnet", "app", tf_subnet(account, subnet)),
            Res("aws_vpc", "net", tf_vpc(account, vpc)),
        ],
        import_id=acl,
    )


def rule_state(acl: str, rule: int, egress: bool, protocol: str, port: int) -> dict[str, Any]:
    return {
        "id": f"nacl-{rule * 7 + int(egress)}",  # the provider's opaque hash
        "cidr_block": "10.0.0.0/8",
        "egress": egress,
        "from_port": port,
        "icmp_code": None,
        "icmp_type": None,
        "ipv6_cidr_block": "",
        "network_acl_id": acl,
        "protocol": protocol,
        "rule_action": "allow",
        "rule_number": rule,
        "to_port": port,
    }


def _acl_rule(account: Any) -> Built:
    """An ACL whose entries are aws_network_acl_rule resources; the ACL's state was read at
    creation (no inline entries)."""
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16", TagSpecifications=tag_spec("vpc", "net"))["Vpc"]
    acl = ec2.create_network_acl(
        VpcId=vpc["VpcId"], TagSpecifications=tag_spec("network-acl", "rules")
    )["NetworkAcl"]["NetworkAclId"]
    for egress in (False, True):
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=100,
            Protocol="6",
            RuleAction="allow",
            Egress=egress,
            CidrBlock="10.0.0.0/8",
            PortRange={"From": 443, "To": 443},
        )
    acl_state = {
        "id": acl,
        "arn": arn(account, "network-acl", acl),
        "ingress": [],
        "egress": [],
        "owner_id": account.id,
        "subnet_ids": [],
        "vpc_id": vpc["VpcId"],
        **tf_tags("rules"),
    }
    return Built(
        [
            Res("aws_network_acl_rule", "https_in", rule_state(acl, 100, False, "tcp", 443)),
            Res("aws_network_acl_rule", "https_out", rule_state(acl, 100, True, "6", 443)),
            Res("aws_network_acl", "rules", acl_state),
            Res("aws_vpc", "net", tf_vpc(account, vpc)),
        ],
        import_id=f"{acl}:100:6:false",
    )


CASES = [
    TypeCase(
        type="aws_launch_template",
        build=_launch_template,
        # AMD SEV-SNP is not in the template data unless set: the generic change hits it
        mutations={
            "cpu_options": [{"core_count": 2, "threads_per_core": 2}],
            "instance_requirements": [
                {
                    "vcpu_count": [{"min": 2, "max": 16}],
                    "memory_mib": [{"min": 4096}],
                    "memory_gib_per_vcpu": [{"min": 0.5, "max": 4}],
                    "cpu_manufacturers": ["amd", "intel"],
                    "burstable_performance": "excluded",
                    "excluded_instance_types": ["t2.*"],
                }
            ],
        },
    ),
    TypeCase(type="aws_network_acl", build=_network_acl),
    TypeCase(type="aws_network_acl_rule", build=_acl_rule),
]
