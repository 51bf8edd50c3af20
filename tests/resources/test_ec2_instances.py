"""Instance and volume normalizers on recorded AWS answers."""

from __future__ import annotations

from typing import Any

from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.ec2_instances import _credits
from driftq.resources.enumerate import live_resource

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


def test_credit_mode_of_burstable_instances() -> None:
    # AWS lists only "unlimited" burstable instances when asked for all of them
    assert _credits({"InstanceType": "t3.micro"}) == [{"cpu_credits": "standard"}]
    assert _credits({"InstanceType": "t3.micro", "CpuCredits": "unlimited"}) == [
        {"cpu_credits": "unlimited"}
    ]
    assert _credits({"InstanceType": "m5.large"}) == []


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
