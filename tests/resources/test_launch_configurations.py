"""Launch configurations on recorded, botocore-shaped answers: what AWS answers for unset
settings, the provider's user-data hash, and an AMI deregistered since."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from driftq.compare import compare
from driftq.model import StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource

SPEC = REGISTRY["aws_launch_configuration"]
DATA = "#!/bin/sh\necho hi\n"


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("answered from the recorded items")


def _live(item: dict[str, Any], roots: dict[str, str]) -> Any:
    ctx = ScanContext(
        Unit("t", "us-east-1", "autoscaling"), "123456789012", ("us-east-1",), _no_aws
    )
    ctx.memo["autoscaling:root-devices"] = roots
    return live_resource(SPEC, item, ctx)


def _state(**attrs: Any) -> StateResource:
    base = {"id": "web", "name": "web", "image_id": "ami-1", "instance_type": "t3.micro"}
    return StateResource(
        type=SPEC.type,
        address="aws_launch_configuration.web",
        id="web",
        region="us-east-1",
        attributes={**base, **attrs},
        state="recorded",
    )


ANSWER = {
    "LaunchConfigurationName": "web",
    "ImageId": "ami-1",
    "InstanceType": "t3.micro",
    "UserData": base64.b64encode(DATA.encode()).decode(),
    "PlacementTenancy": "default",
    "InstanceMonitoring": {"Enabled": True},
    "EbsOptimized": False,
    "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}],
}


def test_unset_settings_and_the_user_data_hash_match() -> None:
    live = _live(ANSWER, {"ami-1": "/dev/xvda"})
    state = _state(
        placement_tenancy=None,
        enable_monitoring=True,
        user_data=hashlib.sha1(DATA.encode()).hexdigest(),
        user_data_base64=None,
        root_block_device=[{"volume_size": 30, "delete_on_termination": True, "iops": 0}],
        ebs_block_device=[],
    )
    assert compare(SPEC, state, live) == []
    changed = _state(**{**state.attributes, "root_block_device": [{"volume_size": 8}]})
    assert [c.attribute for c in compare(SPEC, changed, live)] == ["root_block_device"]


def test_an_ami_gone_leaves_the_block_devices_uncompared() -> None:
    live = _live(ANSWER, {})  # DescribeImages no longer knows the image
    assert "root_block_device" not in live.attributes
    assert "ebs_block_device" not in live.attributes
    # the rest is still compared
    assert [c.attribute for c in compare(SPEC, _state(instance_type="t3.large"), live)] == [
        "instance_type"
    ]
