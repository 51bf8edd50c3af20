"""EBS volumes (`aws_ebs_volume`).

A volume made by an instance's launch (its root device, or a block-device mapping, which
AWS deletes with the instance) belongs to the instance: Terraform manages it as the
instance's `root_block_device`/`ebs_block_device`, never as an `aws_ebs_volume`. Such a
volume names the instance as its owner (``passes/owners.py``), so it is never unmanaged
itself, and an Auto Scaling group's instance's volumes follow their instance.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, TERRAFORM_ONLY, WRITE_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.owners import OWNERS
from driftq.resources.spec import ListCall, ResourceSpec, Tags

_GONE = frozenset({"deleting", "deleted", "error"})


def _launch_devices(ctx: ScanContext) -> dict[str, tuple[str, set[str]]]:
    """Instance id -> (its root device name, the devices AWS deletes with it), from the
    unit's (shared) DescribeInstances."""

    def compute() -> dict[str, tuple[str, set[str]]]:
        pages = ctx.pages("ec2", "DescribeInstances", {})
        return {
            inst["InstanceId"]: (
                inst.get("RootDeviceName") or "",
                {
                    m.get("DeviceName") or ""
                    for m in inst.get("BlockDeviceMappings") or []
                    if (m.get("Ebs") or {}).get("DeleteOnTermination")
                },
            )
            for page in pages
            for reservation in page.get("Reservations") or []
            for inst in reservation.get("Instances") or []
        }

    return ctx.remember("ec2:launch-devices", compute)


def _launched_with(attachment: dict[str, Any], ctx: ScanContext) -> bool:
    # a volume attached by aws_volume_attachment keeps DeleteOnTermination false; one made
    # by the launch has it true (in the volume's attachment or the instance's mapping), or
    # is the instance's root device
    if attachment.get("DeleteOnTermination"):
        return True
    root, deleted_with = _launch_devices(ctx).get(attachment.get("InstanceId") or "", ("", set()))
    device = attachment.get("Device")
    return (bool(root) and device == root) or device in deleted_with


def _volume(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if item.get("State") in _GONE:
        return None
    attrs: dict[str, Any] = {
        "id": item["VolumeId"],
        "availability_zone": item.get("AvailabilityZone"),
        "size": item.get("Size"),
        "type": item.get("VolumeType"),
        "iops": item.get("Iops") or 0,
        "throughput": item.get("Throughput") or 0,
        "encrypted": bool(item.get("Encrypted")),
        "kms_key_id": item.get("KmsKeyId") or "",
        "snapshot_id": item.get("SnapshotId") or "",
        "multi_attach_enabled": bool(item.get("MultiAttachEnabled")),
        "outpost_arn": item.get("OutpostArn") or "",
    }
    owners = [
        ("aws_instance", a["InstanceId"])
        for a in item.get("Attachments") or []
        if a.get("InstanceId") and _launched_with(a, ctx)
    ]
    if owners:
        attrs[OWNERS] = owners
    return attrs


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ebs_volume",
        service="ec2",
        list_call=ListCall(operation="DescribeVolumes", items="Volumes[]"),
        tags=Tags(),
        normalize=_volume,
        compared=(
            "availability_zone",
            "size",
            "type",
            "iops",
            "throughput",
            "encrypted",
            "kms_key_id",
            "snapshot_id",
            "multi_attach_enabled",
            "outpost_arn",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(COMPUTED, "create_time")
        | because(TERRAFORM_ONLY, "final_snapshot")
        | because(WRITE_ONLY, "volume_initialization_rate"),
        operations=("ec2:DescribeInstances",),
        import_id_format="volume id, e.g. vol-0abc123",
        doc="volumes an instance's launch made belong to the instance (never unmanaged)",
    ),
]
