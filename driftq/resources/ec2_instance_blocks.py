"""An instance's blocks read from answers the unit has anyway, or batched per unit.

- `root_block_device`, `ebs_block_device`, `volume_tags`: the instance's block-device
  mappings (DescribeInstances) joined with the unit's shared DescribeVolumes (the
  `aws_ebs_volume` listing): no call of their own.
- `network_interface`, `primary_network_interface`, `associate_public_ip_address`,
  `enable_primary_ipv6`, `security_groups`, `capacity_reservation_specification`,
  `launch_template` (the `aws:ec2launchtemplate:*` tags AWS puts on what a template
  launches): DescribeInstances itself.
- `credit_specification`: one DescribeInstanceCreditSpecifications per unit (up to 1,000
  instance ids a call) for the burstable instances (t2, t3, t3a, t4g) a state holds.
- `instance_market_options`: `market_type` from the instance's lifecycle; the spot
  request's options from one DescribeSpotInstanceRequests per unit, only when a state
  holds spot instances.

How each side is made comparable follows the provider: values AWS computes are not drift
(a gp2 volume's IOPS are 3 per GiB; a gp3 volume's 3000 IOPS and 125 MiB/s are its
defaults), settings the provider leaves to other resources are compared only where the
state sets them (`ebs_block_device` against volumes attached by `aws_volume_attachment`,
`network_interface` at the device indexes the state names, block tags only where a
provider 5.x+ state records them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.tags import tag_map

Item = dict[str, Any]
Attrs = dict[str, Any]

# burstable performance families: the only ones with a credit specification
_BURSTABLE = re.compile(r"^t[2-9][a-z]*\.")
_CREDIT_BATCH = 1000  # DescribeInstanceCreditSpecifications' limit of explicit ids
_FILTER_VALUES = 200  # values in one EC2 filter
_LAUNCH_TEMPLATE_ID = "aws:ec2launchtemplate:id"
_LAUNCH_TEMPLATE_VERSION = "aws:ec2launchtemplate:version"


# --- what a unit reads once ----------------------------------------------------------------


def _volume_ids(item: Item) -> list[str]:
    return sorted(
        str((m.get("Ebs") or {}).get("VolumeId"))
        for m in item.get("BlockDeviceMappings") or []
        if (m.get("Ebs") or {}).get("VolumeId")
    )


def _volumes(item: Item, ctx: ScanContext) -> dict[str, Item]:
    """Volume id -> volume: the unit's DescribeVolumes (shared with aws_ebs_volume), or in
    a targeted scan the instance's own volumes."""
    params: dict[str, Any] = {}
    if ctx.targeted:
        params = {"VolumeIds": _volume_ids(item)}
        if not params["VolumeIds"]:
            return {}

    def compute() -> dict[str, Item]:
        try:
            pages = ctx.pages("ec2", "DescribeVolumes", params)
        except ClientError as exc:
            if not ctx.targeted or not error_code(exc).startswith("InvalidVolume"):
                raise
            return {}  # a volume detached and deleted since: not compared
        return {v["VolumeId"]: v for page in pages for v in page.get("Volumes") or []}

    return ctx.remember(f"ec2:volumes-by-id:{params}", compute)


def _scope(item: Item, ctx: ScanContext) -> list[Item]:
    """The instances whose answers are read in one batch with this one's: the unit's
    (from its shared DescribeInstances), or in a targeted scan this one alone."""
    if ctx.targeted:
        return [item]
    pages = ctx.pages("ec2", "DescribeInstances", {})
    return [
        inst
        for page in pages
        for reservation in page.get("Reservations") or []
        for inst in reservation.get("Instances") or []
        if (inst.get("State") or {}).get("Name") not in ("terminated", "shutting-down")
    ]


def _in_state(ctx: ScanContext) -> set[str]:
    def compute() -> set[str]:
        return {str(a.get("id")) for a in ctx.state_attributes("aws_instance", ctx.region)}

    return ctx.remember("ec2:instances-in-state", compute)


def _credits(item: Item, ctx: ScanContext) -> dict[str, str]:
    """Instance id -> its CPU credit mode, for the burstable instances a state holds."""
    managed = _in_state(ctx)
    ids = sorted(
        inst["InstanceId"]
        for inst in _scope(item, ctx)
        if inst["InstanceId"] in managed and is_burstable(inst.get("InstanceType"))
    )

    def compute() -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in batches(ids, _CREDIT_BATCH):
            try:
                pages = ctx.pages(
                    "ec2",
                    "DescribeInstanceCreditSpecifications",
                    {"InstanceIds": chunk},
                    paginated=False,
                )
            except ClientError as exc:
                # an instance terminated since the listing fails the whole batch: its
                # instances' credit mode stays uncompared (other errors fail the unit)
                if not error_code(exc).startswith("InvalidInstanceID"):
                    raise
                continue
            for page in pages:
                for spec in page.get("InstanceCreditSpecifications") or []:
                    out[spec["InstanceId"]] = spec.get("CpuCredits") or ""
        return out

    return ctx.remember(f"ec2:instance-credits:{ids}", compute)


def _spot_requests(item: Item, ctx: ScanContext) -> dict[str, Item]:
    """Spot request id -> request, for the spot instances a state holds."""
    managed = _in_state(ctx)
    ids = sorted(
        {
            inst["SpotInstanceRequestId"]
            for inst in _scope(item, ctx)
            if inst["InstanceId"] in managed and inst.get("SpotInstanceRequestId")
        }
    )

    def compute() -> dict[str, Item]:
        out: dict[str, Item] = {}
        for chunk in batches(ids, _FILTER_VALUES):
            params = {"Filters": [{"Name": "spot-instance-request-id", "Values": chunk}]}
            for page in ctx.pages("ec2", "DescribeSpotInstanceRequests", params):
                for request in page.get("SpotInstanceRequests") or []:
                    out[request["SpotInstanceRequestId"]] = request
        return out

    return ctx.remember(f"ec2:spot-requests:{ids}", compute)


OPERATIONS = (
    "ec2:DescribeVolumes",
    "ec2:DescribeInstanceCreditSpecifications",
    "ec2:DescribeSpotInstanceRequests",
)


def is_burstable(instance_type: Any) -> bool:
    return bool(_BURSTABLE.match(str(instance_type or "")))


# --- the live side -------------------------------------------------------------------------


def _volume_block(mapping: Item, volume: Item) -> Item:
    ebs = mapping.get("Ebs") or {}
    return {
        "device_name": mapping.get("DeviceName") or "",
        "volume_id": volume.get("VolumeId") or "",
        "delete_on_termination": bool(ebs.get("DeleteOnTermination")),
        "encrypted": bool(volume.get("Encrypted")),
        "kms_key_id": volume.get("KmsKeyId") or "",
        "iops": volume.get("Iops") or 0,
        "throughput": volume.get("Throughput") or 0,
        "volume_size": volume.get("Size") or 0,
        "volume_type": volume.get("VolumeType") or "",
        "snapshot_id": volume.get("SnapshotId") or "",
        "tags": tag_map(volume.get("Tags")),
    }


def _block_devices(item: Item, ctx: ScanContext) -> Attrs:
    volumes = _volumes(item, ctx)
    root_name = item.get("RootDeviceName") or ""
    root: list[Item] = []
    others: list[Item] = []
    launched: list[Item] = []  # the volumes AWS deletes with the instance, and the root
    for mapping in item.get("BlockDeviceMappings") or []:
        volume_id = (mapping.get("Ebs") or {}).get("VolumeId")
        if not volume_id:
            continue
        volume = volumes.get(volume_id)
        if volume is None:
            # attached after the volume listing: this instance's volumes are not compared
            return {}
        block = _volume_block(mapping, volume)
        is_root = mapping.get("DeviceName") == root_name
        (root if is_root else others).append(block)
        if is_root or block["delete_on_termination"]:
            launched.append(block)
    volume_tags: dict[str, str] = {}
    for block in launched:
        volume_tags.update(block["tags"])
    return {"root_block_device": root, "ebs_block_device": others, "volume_tags": volume_tags}


def _primary_interface(item: Item) -> Item | None:
    return next(
        (
            eni
            for eni in item.get("NetworkInterfaces") or []
            if (eni.get("Attachment") or {}).get("DeviceIndex", 0) == 0
        ),
        None,
    )


def _network(item: Item) -> Attrs:
    out: Attrs = {
        "network_interface": [
            {
                "device_index": (eni.get("Attachment") or {}).get("DeviceIndex", 0),
                "network_card_index": (eni.get("Attachment") or {}).get("NetworkCardIndex", 0),
                "network_interface_id": eni.get("NetworkInterfaceId") or "",
                "delete_on_termination": bool(
                    (eni.get("Attachment") or {}).get("DeleteOnTermination")
                ),
            }
            for eni in item.get("NetworkInterfaces") or []
        ],
        # the provider records names in EC2-Classic and a default VPC, [] in other VPCs
        # (whose groups are compared as `vpc_security_group_ids`)
        "security_groups": [
            g["GroupName"] for g in item.get("SecurityGroups") or [] if g.get("GroupName")
        ],
    }
    primary = _primary_interface(item)
    if primary is None:
        return out  # EC2-Classic: no interfaces
    attachment = primary.get("Attachment") or {}
    out["primary_network_interface"] = [
        {
            "network_interface_id": primary.get("NetworkInterfaceId") or "",
            "delete_on_termination": bool(attachment.get("DeleteOnTermination")),
        }
    ]
    out["enable_primary_ipv6"] = any(
        a.get("IsPrimaryIpv6") for a in primary.get("Ipv6Addresses") or []
    )
    association = primary.get("Association") or {}
    running = (item.get("State") or {}).get("Name") in ("pending", "running")
    if running and not association:
        out["associate_public_ip_address"] = False
    elif running and association.get("IpOwnerId") == "amazon":
        # a public address AWS gave at launch (an Elastic IP's owner is the account)
        out["associate_public_ip_address"] = True
    # else: a stopped instance has released its launch address, and an Elastic IP hides
    # whether it had one: not known
    return out


def _launch_template(item: Item) -> list[Item]:
    tags = {t.get("Key"): t.get("Value") for t in item.get("Tags") or []}
    template = tags.get(_LAUNCH_TEMPLATE_ID)
    if not template:
        return []
    return [{"id": template, "version": tags.get(_LAUNCH_TEMPLATE_VERSION) or ""}]


def _capacity(item: Item) -> list[Item]:
    spec = item.get("CapacityReservationSpecification") or {}
    target = spec.get("CapacityReservationTarget") or {}
    return [
        {
            "capacity_reservation_preference": spec.get("CapacityReservationPreference") or "",
            "capacity_reservation_target": [
                {
                    "capacity_reservation_id": target.get("CapacityReservationId") or "",
                    "capacity_reservation_resource_group_arn": (
                        target.get("CapacityReservationResourceGroupArn") or ""
                    ),
                }
            ]
            if target
            else [],
        }
    ]


def _market(item: Item, ctx: ScanContext) -> list[Item]:
    lifecycle = item.get("InstanceLifecycle")
    if lifecycle not in ("spot", "capacity-block"):
        return []
    block: Item = {"market_type": lifecycle}
    request_id = item.get("SpotInstanceRequestId")
    if request_id and item["InstanceId"] in _in_state(ctx):
        request = _spot_requests(item, ctx).get(request_id)
        if request is not None:
            block["spot_options"] = [
                {
                    "instance_interruption_behavior": request.get("InstanceInterruptionBehavior"),
                    "max_price": request.get("SpotPrice"),
                    "spot_instance_type": request.get("Type"),
                    "valid_until": request.get("ValidUntil"),
                }
            ]
    return [block]


def instance_blocks(item: Item, ctx: ScanContext) -> Attrs:
    """The blocks above, in the provider's shapes."""
    out: Attrs = {
        **_block_devices(item, ctx),
        **_network(item),
        "launch_template": _launch_template(item),
        "capacity_reservation_specification": _capacity(item),
        "instance_market_options": _market(item, ctx),
    }
    if item["InstanceId"] in _in_state(ctx) and is_burstable(item.get("InstanceType")):
        mode = _credits(item, ctx).get(item["InstanceId"])
        if mode:
            out["credit_specification"] = [{"cpu_credits": mode}]
    return out


# --- both sides' forms ---------------------------------------------------------------------


def _first(value: Any) -> Item:
    if isinstance(value, dict):
        return value
    blocks = [b for b in value or [] if isinstance(b, dict)] if isinstance(value, list) else []
    return blocks[0] if blocks else {}


def _volume_settings(block: Item, with_snapshot: bool) -> Item:
    """A volume block's settings, without what AWS computes or defaults: `volume_id` and
    the root's `device_name` (the AMI's) are AWS's; an `ebs_block_device` keeps its
    `device_name`, the key of its set."""
    kind = str(block.get("volume_type") or "")
    out: Item = {
        "delete_on_termination": _bool(block.get("delete_on_termination")),
        "encrypted": _bool(block.get("encrypted")),
        "kms_key_id": block.get("kms_key_id") or None,
        "volume_size": _int(block.get("volume_size")) or None,
        "volume_type": kind or None,
    }
    iops, throughput = _int(block.get("iops")), _int(block.get("throughput"))
    # gp2, st1, sc1, standard: AWS computes the IOPS (gp2: 3 per GiB, at least 100)
    if kind in ("io1", "io2") or (kind == "gp3" and iops != 3000):
        out["iops"] = iops or None
    if kind == "gp3" and throughput != 125:
        out["throughput"] = throughput or None
    if with_snapshot:
        out["snapshot_id"] = block.get("snapshot_id") or None
    # provider 5.x+ records the volume's tags in the block (tags_all with default tags);
    # older states have no such member
    if block.get("tags_all"):
        out["tags"] = dict(block["tags_all"])
    elif "tags" in block:
        out["tags"] = dict(block.get("tags") or {})
    return {k: v for k, v in out.items() if v is not None}


def _bool(value: Any) -> bool:
    return str(value).lower() == "true"


def _int(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _blocks(value: Any) -> list[Item]:
    if isinstance(value, dict):
        return [value]
    return [b for b in value or [] if isinstance(b, dict)] if isinstance(value, list) else []


def root_form(value: Any) -> Any:
    return [_volume_settings(b, with_snapshot=False) for b in _blocks(value)[:1]]


def ebs_form(value: Any) -> Any:
    """A set keyed by device name (compared as a multiset of its blocks)."""
    return [
        {"device_name": b.get("device_name") or "", **_volume_settings(b, with_snapshot=True)}
        for b in _blocks(value)
    ]


def _block_tags_when_set(expected: Any, actual: Any) -> tuple[Any, Any]:
    """A volume's tags are compared only where the state records them, not empty: a state
    using `volume_tags` leaves them out of the block, and older ones have no such member.
    Blocks pair by device name."""
    if not isinstance(expected, list) or not isinstance(actual, list):
        return expected, actual
    tagged = {b.get("device_name") for b in expected if isinstance(b, dict) and b.get("tags")}

    def strip(blocks: list[Any]) -> list[Any]:
        return [
            b
            if not isinstance(b, dict) or b.get("device_name") in tagged
            else {k: v for k, v in b.items() if k != "tags"}
            for b in blocks
        ]

    return strip(expected), strip(actual)


def root_aligned(expected: Any, actual: Any) -> tuple[Any, Any]:
    # one root device: pair it whatever its name
    if isinstance(expected, list) and isinstance(actual, list):
        expected = [{**b, "device_name": "root"} for b in expected if isinstance(b, dict)]
        actual = [{**b, "device_name": "root"} for b in actual if isinstance(b, dict)]
        expected, actual = _block_tags_when_set(expected, actual)
        expected = [{k: v for k, v in b.items() if k != "device_name"} for b in expected]
        actual = [{k: v for k, v in b.items() if k != "device_name"} for b in actual]
    return expected, actual


def ebs_aligned(expected: Any, actual: Any) -> tuple[Any, Any]:
    return _block_tags_when_set(expected, actual)


def tag_map_form(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else {}


def credit_form(value: Any) -> Any:
    return [{"cpu_credits": b.get("cpu_credits") or None} for b in _blocks(value)[:1]]


def _network_interface_form(value: Any) -> Any:
    blocks = [b for b in value or [] if isinstance(b, dict)] if isinstance(value, list) else []
    return [
        {
            "device_index": _int(b.get("device_index")),
            "network_card_index": _int(b.get("network_card_index")),
            "network_interface_id": b.get("network_interface_id") or "",
            "delete_on_termination": _bool(b.get("delete_on_termination")),
        }
        for b in blocks
    ]


def _primary_interface_form(value: Any) -> Any:
    return [
        {
            "network_interface_id": b.get("network_interface_id") or "",
            "delete_on_termination": _bool(b.get("delete_on_termination")),
        }
        for b in _blocks(value)[:1]
    ]


def _launch_template_form(value: Any) -> Any:
    return [
        {"id": b.get("id") or "", "version": str(b.get("version") or "")}
        for b in _blocks(value)[:1]
    ]


def _launch_template_aligned(expected: Any, actual: Any) -> tuple[Any, Any]:
    """ "$Default"/"$Latest" (or no version) in the state matches whichever version of the
    template the instance was launched with; a template named only by name is compared by
    what the id stands for, so not at all."""
    if not isinstance(expected, list) or not isinstance(actual, list) or not expected:
        return expected, actual
    state = expected[0]
    drop = set()
    if not state.get("version") or str(state["version"]).startswith("$"):
        drop.add("version")
    if not state.get("id"):
        drop.add("id")
    return (
        [{k: v for k, v in b.items() if k not in drop} for b in expected],
        [{k: v for k, v in b.items() if k not in drop} for b in actual],
    )


def _capacity_form(value: Any) -> Any:
    block = _first(value)
    target = _first(block.get("capacity_reservation_target"))
    preference = block.get("capacity_reservation_preference") or "open"
    return [
        {
            # "open" is AWS's default
            "capacity_reservation_preference": None if preference == "open" else preference,
            "capacity_reservation_id": target.get("capacity_reservation_id") or None,
            "capacity_reservation_resource_group_arn": (
                target.get("capacity_reservation_resource_group_arn") or None
            ),
        }
    ]


def _timestamp(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value
    elif value:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _price(value: Any) -> Any:
    try:
        return repr(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return str(value)


def _market_form(value: Any) -> Any:
    block = _first(value)
    if not block:
        return []
    out: Item = {"market_type": block.get("market_type") or None}
    if "spot_options" in block:
        spot = _first(block.get("spot_options"))
        behavior = spot.get("instance_interruption_behavior") or "terminate"
        kind = spot.get("spot_instance_type") or "one-time"
        out["spot_options"] = {
            # AWS's defaults
            "instance_interruption_behavior": None if behavior == "terminate" else behavior,
            "spot_instance_type": None if kind == "one-time" else kind,
            "max_price": _price(spot.get("max_price")),
            "valid_until": _timestamp(spot.get("valid_until")),
        }
    return [out]


def _market_aligned(expected: Any, actual: Any) -> tuple[Any, Any]:
    """The spot request's options where both sides have them (the live side only when its
    request was read), and of those only what the state records."""
    if not expected or not actual or not isinstance(expected, list):
        return expected, actual
    state, live = _first(expected), _first(actual)
    if "spot_options" not in live or "spot_options" not in state:
        return (
            [{k: v for k, v in state.items() if k != "spot_options"}],
            [{k: v for k, v in live.items() if k != "spot_options"}],
        )
    spot = dict(live["spot_options"])
    # a member the state leaves empty (max_price unset: the on-demand price) is AWS's
    for name in ("max_price", "valid_until"):
        if state["spot_options"].get(name) is None:
            spot.pop(name, None)
    return expected, [{**live, "spot_options": spot}]


def _names(value: Any) -> Any:
    return sorted(str(v) for v in value or []) if isinstance(value, list | set | tuple) else []


VALUE_FORMS: dict[str, Callable[[Any], Any]] = {
    "root_block_device": root_form,
    "ebs_block_device": ebs_form,
    "volume_tags": tag_map_form,
    "credit_specification": credit_form,
    "network_interface": _network_interface_form,
    "primary_network_interface": _primary_interface_form,
    "launch_template": _launch_template_form,
    "capacity_reservation_specification": _capacity_form,
    "instance_market_options": _market_form,
    "security_groups": _names,
    "enable_primary_ipv6": _bool,
    "associate_public_ip_address": _bool,
}
ALIGNED: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "root_block_device": root_aligned,
    "ebs_block_device": ebs_aligned,
    "launch_template": _launch_template_aligned,
    "instance_market_options": _market_aligned,
}
COMPARED = tuple(VALUE_FORMS)
# compared only where the state sets them: otherwise what AWS has there belongs to other
# resources (aws_volume_attachment, aws_network_interface_attachment), to the instance's
# own tags, to AWS (a non-burstable type's credits), or to a VPC's ids
WHEN_SET = frozenset(
    {
        "ebs_block_device",
        "volume_tags",
        "credit_specification",
        "network_interface",
        "primary_network_interface",
        "launch_template",
        "security_groups",
    }
)
# `network_interface`: only the device indexes the state names are its own
EXTRAS_ELSEWHERE: dict[str, Callable[[Any], Any]] = {
    "network_interface": lambda entry: (
        entry.get("device_index") if isinstance(entry, dict) else entry
    ),
}
