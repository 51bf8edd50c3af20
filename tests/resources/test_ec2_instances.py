"""Instances and their volumes: the owner of a launch volume on a recorded answer, and
an instance's block devices, volume tags and group names against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource
from tests.resources.test_ec2 import REGION, scan, tag_spec, tf_instance
from tests.support.estate import StateFile

INSTANCES = {
    "Reservations": [
        {"Instances": [{"InstanceId": "i-1", "RootDeviceName": "/dev/xvda"}]},
    ]
}


def _ctx() -> ScanContext:
    def client(service: str, region: str | None = None) -> Any:
        class Ec2:
            def can_paginate(self, method: str) -> bool:
                return False

            def describe_instances(self) -> dict[str, Any]:
                return INSTANCES

        return Ec2()

    return ScanContext(Unit("test", "us-east-1", "ec2"), "123456789012", ("us-east-1",), client)


def _volume(attachment: dict[str, Any]) -> Any:
    item = {
        "VolumeId": "vol-1",
        "State": "in-use",
        "Size": 8,
        "VolumeType": "gp3",
        "Attachments": [{"InstanceId": "i-1", "State": "attached", **attachment}],
    }
    return live_resource(REGISTRY["aws_ebs_volume"], item, _ctx())


def test_launch_volumes_belong_to_their_instance() -> None:
    # the root device, even kept on termination, and any volume AWS deletes with it
    assert _volume({"Device": "/dev/xvda", "DeleteOnTermination": False}).owners == (
        ("aws_instance", "i-1"),
    )
    assert _volume({"Device": "/dev/sdf", "DeleteOnTermination": True}).owners == (
        ("aws_instance", "i-1"),
    )
    # attached by aws_volume_attachment: a volume of its own
    assert _volume({"Device": "/dev/sdf", "DeleteOnTermination": False}).owners == ()


# --- an instance's volumes and groups, against the emulator --------------------------------


def _block(volume: dict[str, Any], device: str, **extra: Any) -> dict[str, Any]:
    """A block as the provider writes it from the volume (5.x, without block tags)."""
    return {
        "delete_on_termination": True,
        "device_name": device,
        "encrypted": volume["Encrypted"],
        "iops": volume.get("Iops", 0),
        "kms_key_id": volume.get("KmsKeyId", ""),
        "throughput": volume.get("Throughput", 0),
        "volume_id": volume["VolumeId"],
        "volume_size": volume["Size"],
        "volume_type": volume["VolumeType"],
        **extra,
    }


def test_block_devices_and_group_names_match_then_drift(account: Any, tmp_path: Path) -> None:
    ec2 = account.client("ec2", REGION)
    # in the default VPC, as the real states in tests/fixtures are: `security_groups` names
    inst = ec2.run_instances(
        ImageId="ami-12c6146b",
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        # (the emulator leaves the instance's groups empty unless named)
        SecurityGroups=["default"],
        # (the emulator's default for DeleteOnTermination is false; AWS's is true)
        BlockDeviceMappings=[
            {
                "DeviceName": "/dev/sda1",
                "Ebs": {"VolumeSize": 10, "VolumeType": "gp3", "DeleteOnTermination": True},
            },
            {
                "DeviceName": "/dev/sdf",
                "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "DeleteOnTermination": True},
            },
        ],
        TagSpecifications=[
            *tag_spec("instance", "app"),
            {"ResourceType": "volume", "Tags": [{"Key": "Team", "Value": "data"}]},
        ],
    )["Instances"][0]
    iid = inst["InstanceId"]
    volumes = {
        v["Attachments"][0]["Device"]: v
        for v in ec2.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [iid]}]
        )["Volumes"]
    }
    state_attrs = {
        **tf_instance(account, inst),
        "iam_instance_profile": "",
        "monitoring": False,
        "credit_specification": [],
        "security_groups": ["default"],
        "root_block_device": [_block(volumes["/dev/sda1"], "/dev/sda1")],
        "ebs_block_device": [
            _block(volumes["/dev/sdf"], "/dev/sdf", snapshot_id="", tags={"Team": "data"})
        ],
        "volume_tags": {"Team": "data"},
    }
    state = StateFile().add("aws_instance", "app", state_attrs)
    assert scan(account, tmp_path, state) == []

    ec2.modify_volume(VolumeId=volumes["/dev/sda1"]["VolumeId"], Size=30)
    ec2.create_tags(
        Resources=[volumes["/dev/sdf"]["VolumeId"]], Tags=[{"Key": "Team", "Value": "ops"}]
    )
    other = ec2.create_security_group(GroupName="ops", Description="ops")["GroupId"]
    ec2.modify_instance_attribute(InstanceId=iid, Groups=[other])
    found = {(f.kind, f.resource_type): f for f in scan(account, tmp_path, state)}
    # the new group is unmanaged; the instance drifted
    assert set(found) == {("drifted", "aws_instance"), ("unmanaged", "aws_security_group")}
    finding = found["drifted", "aws_instance"]
    changes = {c.attribute: (c.expected, c.actual) for c in finding.changes}
    assert set(changes) == {
        "root_block_device",
        "ebs_block_device",
        "volume_tags.Team",
        "security_groups",
        "vpc_security_group_ids",
    }
    assert changes["volume_tags.Team"] == ("data", "ops")
    assert changes["security_groups"] == (["default"], ["ops"])
    assert [b["volume_size"] for b in changes["root_block_device"][1]] == [30]
