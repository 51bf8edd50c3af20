"""Launch configurations (`aws_launch_configuration`), keyed and imported by name.

One paginated DescribeLaunchConfigurations answers every setting. A launch configuration
cannot be changed in AWS (a change is a new one), so drift is mostly one deleted or made by
hand; the comparison is still complete. Its block device mappings are split the provider's
way: the mapping on the AMI's root device name is `root_block_device`, those with a virtual
name `ephemeral_block_device`, the rest `ebs_block_device`. The AMIs' root device names come
from one DescribeImages per unit (the launch configurations' images, by filter: an image
deregistered since is simply absent); where the image is gone the three block lists are not
compared (no way to tell the root mapping).

User data: the provider keeps `user_data` as the SHA-1 of the decoded data, or
`user_data_base64` as configured; AWS answers base64. Each compares only when the state
holds it (they exclude each other).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from driftq.resources.attributes import IDENTITY, because, common
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec

Item = dict[str, Any]
_CHUNK = 200
_EBS = {
    "delete_on_termination": "DeleteOnTermination",
    "encrypted": "Encrypted",
    "iops": "Iops",
    "snapshot_id": "SnapshotId",
    "throughput": "Throughput",
    "volume_size": "VolumeSize",
    "volume_type": "VolumeType",
}


def _root_devices(ctx: ScanContext) -> dict[str, str]:
    """Each launch configuration's image -> its root device name (one call per 200)."""

    def compute() -> dict[str, str]:
        images = sorted(
            {
                str(lc["ImageId"])
                for page in ctx.pages("autoscaling", "DescribeLaunchConfigurations", {})
                for lc in page.get("LaunchConfigurations") or []
                if lc.get("ImageId")
            }
        )
        found: dict[str, str] = {}
        for chunk in batches(images, _CHUNK):
            params = {"Filters": [{"Name": "image-id", "Values": chunk}]}
            for page in ctx.pages("ec2", "DescribeImages", params):
                for image in page.get("Images") or []:
                    found[str(image["ImageId"])] = str(image.get("RootDeviceName") or "")
        return found

    return ctx.remember("autoscaling:root-devices", compute)


def _ebs(mapping: Item, *, device: bool) -> Item:
    ebs = mapping.get("Ebs") or {}
    block = {name: ebs.get(key) for name, key in _EBS.items()}
    if device:
        block["device_name"] = mapping.get("DeviceName")
        block["no_device"] = bool(mapping.get("NoDevice"))
    return block


def _user_data_hash(value: Any) -> str:
    # the provider's `userDataHashSum`: SHA-1 of the decoded data (the raw text if not base64)
    if not value:
        return ""
    try:
        data = base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        data = str(value).encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _launch_configuration(item: Item, ctx: ScanContext) -> Attrs:
    options = item.get("MetadataOptions") or {}
    attrs: Attrs = {
        "id": item["LaunchConfigurationName"],
        "name": item["LaunchConfigurationName"],
        "arn": item.get("LaunchConfigurationARN"),
        "image_id": item.get("ImageId"),
        "instance_type": item.get("InstanceType"),
        "key_name": item.get("KeyName") or "",
        "iam_instance_profile": item.get("IamInstanceProfile") or "",
        "security_groups": list(item.get("SecurityGroups") or []),
        "associate_public_ip_address": bool(item.get("AssociatePublicIpAddress")),
        "ebs_optimized": bool(item.get("EbsOptimized")),
        "enable_monitoring": bool((item.get("InstanceMonitoring") or {}).get("Enabled", True)),
        "placement_tenancy": item.get("PlacementTenancy") or "",
        "spot_price": item.get("SpotPrice") or "",
        "user_data": _user_data_hash(item.get("UserData")),
        "user_data_base64": item.get("UserData") or "",
        "metadata_options": [
            {
                "http_endpoint": options.get("HttpEndpoint"),
                "http_put_response_hop_limit": options.get("HttpPutResponseHopLimit"),
                "http_tokens": options.get("HttpTokens"),
            }
        ]
        if options
        else [],
    }
    mappings = item.get("BlockDeviceMappings") or []
    root = _root_devices(ctx).get(str(item.get("ImageId"))) if mappings else ""
    if root is None:
        return attrs  # the image is gone: which mapping is the root is unknown
    attrs["root_block_device"] = [
        _ebs(m, device=False) for m in mappings if m.get("DeviceName") == root
    ]
    attrs["ephemeral_block_device"] = [
        {
            "device_name": m.get("DeviceName"),
            "virtual_name": m.get("VirtualName"),
            "no_device": bool(m.get("NoDevice")),
        }
        for m in mappings
        if m.get("VirtualName") and m.get("DeviceName") != root
    ]
    attrs["ebs_block_device"] = [
        _ebs(m, device=True)
        for m in mappings
        if not m.get("VirtualName") and m.get("DeviceName") != root
    ]
    return attrs


def _blocks(value: Any) -> Any:
    # unset values are AWS's defaults: a mapping's volume is deleted with the instance
    # unless it says otherwise, and false / 0 / "" are what the provider writes for unset
    out = []
    for block in value or []:
        if not isinstance(block, dict):
            continue
        kept = {k: v for k, v in block.items() if v not in (None, "", 0, False)}
        kept["delete_on_termination"] = block.get("delete_on_termination") is not False
        if "virtual_name" in block:
            kept.pop("delete_on_termination")
        out.append(kept)
    return out


def _price(value: Any) -> Any:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return value


def _tenancy(value: Any) -> Any:
    # `default` is what an unset tenancy means (shared hardware)
    text = str(value or "").lower()
    return None if text in ("", "default") else text


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_launch_configuration",
        service="autoscaling",
        list_call=ListCall(
            operation="DescribeLaunchConfigurations", items="LaunchConfigurations[]"
        ),
        normalize=_launch_configuration,
        compared=(
            "image_id",
            "instance_type",
            "key_name",
            "iam_instance_profile",
            "security_groups",
            "associate_public_ip_address",
            "ebs_optimized",
            "enable_monitoring",
            "placement_tenancy",
            "spot_price",
            "user_data",
            "user_data_base64",
            "metadata_options",
            "root_block_device",
            "ebs_block_device",
            "ephemeral_block_device",
        ),
        left_out=common("id", "region", "arn", "name_prefix") | because(IDENTITY, "name"),
        value_forms={
            "root_block_device": _blocks,
            "ebs_block_device": _blocks,
            "ephemeral_block_device": _blocks,
            "spot_price": _price,
            "placement_tenancy": _tenancy,
        },
        # user data is recorded one way or the other; metadata options only when set
        compared_when_set=frozenset({"user_data", "user_data_base64", "metadata_options"}),
        operations=("ec2:DescribeImages",),
        import_id_format="launch configuration name, e.g. web-20240102",
        doc="block devices split by the AMI's root device name (one DescribeImages per unit)",
    ),
]
