"""Cases for launch templates and network ACLs."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import arn, tag_spec, tf_subnet, tf_tags, tf_vpc
from tests.support.estate import unique


def _launch_template(account: Any) -> Built:
    name = unique("web")
    template = account.client("ec2").create_launch_template(
        LaunchTemplateName=name,
        VersionDescription="first",
        LaunchTemplateData={
            "ImageId": "ami-12c6146b",
            "InstanceType": "t3.micro",
            "EbsOptimized": True,
            "DisableApiTermination": True,
            "Monitoring": {"Enabled": True},
        },
        TagSpecifications=tag_spec("launch-template", "web"),
    )["LaunchTemplate"]
    tid = template["LaunchTemplateId"]
    state = {
        "id": tid,
        "arn": arn(account, "launch-template", tid),
        "block_device_mappings": [],
        "default_version": 1,
        "description": "first",
        "disable_api_stop": False,
        "disable_api_termination": True,
        "ebs_optimized": "true",
        "iam_instance_profile": [],
        "image_id": "ami-12c6146b",
        "instance_initiated_shutdown_behavior": "",
        "instance_type": "t3.micro",
        "kernel_id": "",
        "key_name": "",
        "latest_version": 1,
        "metadata_options": [],
        "monitoring": [{"enabled": True}],
        "name": name,
        "name_prefix": "",
        "network_interfaces": [],
        "ram_disk_id": "",
        "security_group_names": [],
        "tag_specifications": [],
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
    TypeCase(type="aws_launch_template", build=_launch_template),
    TypeCase(type="aws_network_acl", build=_network_acl),
    TypeCase(type="aws_network_acl_rule", build=_acl_rule),
]
