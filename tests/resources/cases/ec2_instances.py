"""Cases for what instances use: key pairs and EBS volumes."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import arn, tag_spec, tf_key_pair, tf_tags
from tests.support.estate import unique


def _key_pair(account: Any) -> Built:
    name = unique("deployer")
    account.client("ec2").create_key_pair(
        KeyName=name, TagSpecifications=tag_spec("key-pair", "deployer")
    )
    state = {**tf_key_pair(name), **tf_tags("deployer")}
    return Built([Res("aws_key_pair", "deployer", state)], import_id=name)


def volume_state(account: Any, volume: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "id": volume["VolumeId"],
        "arn": arn(account, "volume", volume["VolumeId"]),
        "availability_zone": volume["AvailabilityZone"],
        "create_time": "2026-01-01T00:00:00Z",
        "encrypted": volume["Encrypted"],
        "final_snapshot": False,
        "iops": volume.get("Iops", 0),
        "kms_key_id": volume.get("KmsKeyId", ""),
        "multi_attach_enabled": False,
        "outpost_arn": "",
        "size": volume["Size"],
        "snapshot_id": volume.get("SnapshotId", ""),
        "throughput": volume.get("Throughput", 0),
        "timeouts": None,
        "type": volume["VolumeType"],
        **tf_tags(name),
    }


def _volume(account: Any) -> Built:
    ec2 = account.client("ec2")
    vid = ec2.create_volume(
        AvailabilityZone="us-east-1a",
        Size=20,
        VolumeType="gp3",
        Iops=3000,
        Throughput=125,
        TagSpecifications=tag_spec("volume", "data"),
    )["VolumeId"]
    volume = ec2.describe_volumes(VolumeIds=[vid])["Volumes"][0]
    return Built([Res("aws_ebs_volume", "data", volume_state(account, volume, "data"))], vid)


CASES = [
    TypeCase(type="aws_key_pair", build=_key_pair),
    TypeCase(type="aws_ebs_volume", build=_volume),
]
