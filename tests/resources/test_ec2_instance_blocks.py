"""An instance's blocks (``ec2_instance_blocks.py``) on recorded, botocore-shaped answers.

The emulator answers these unlike AWS: a gp2 volume's IOPS (AWS: 3 per GiB, at least 100),
every credit mode "standard" (AWS: t3's default is "unlimited"), no spot request behind a
spot instance, and the account as the owner of a launch's public address (AWS: "amazon").
So the normalizer is tested here on DescribeInstances / DescribeVolumes /
DescribeInstanceCreditSpecifications / DescribeSpotInstanceRequests answers shaped as
botocore parses AWS's (service-2.json: timestamps as datetimes), against provider-shaped
states, including the real states in tests/fixtures/tfstate-driftctl/.
"""

from __future__ import annotations

import copy
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from driftq.compare import compare
from driftq.model import StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources import ec2_instance_blocks as blocks
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource, live_resources
from driftq.state.index import StateIndex
from driftq.state.parse import parse_state

SPEC = REGISTRY["aws_instance"]
REGION = "us-east-1"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tfstate-driftctl"
LAUNCHED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
KEY = "arn:aws:kms:us-east-1:123456789012:key/0b9d1c2e-1111-2222-3333-444455556666"


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _mapping(device: str, volume: str, delete: bool) -> dict[str, Any]:
    ebs = {"AttachTime": LAUNCHED, "DeleteOnTermination": delete, "Status": "attached"}
    return {"DeviceName": device, "Ebs": {**ebs, "VolumeId": volume}}


def _instance() -> dict[str, Any]:
    """A t3 instance in a VPC, from a launch template, with a public address, a primary
    IPv6 address, a data volume made at launch and one attached later."""
    return {
        "InstanceId": "i-0a1",
        "ImageId": "ami-0abc",
        "InstanceType": "t3.micro",
        "State": {"Code": 16, "Name": "running"},
        "Placement": {"AvailabilityZone": "us-east-1a", "GroupName": "", "Tenancy": "default"},
        "SubnetId": "subnet-1",
        "VpcId": "vpc-1",
        "RootDeviceName": "/dev/xvda",
        "RootDeviceType": "ebs",
        "BlockDeviceMappings": [
            _mapping("/dev/xvda", "vol-root", True),
            _mapping("/dev/sdf", "vol-data", True),
            _mapping("/dev/sdg", "vol-attached", False),
        ],
        "NetworkInterfaces": [
            {
                "Association": {
                    "IpOwnerId": "amazon",
                    "PublicDnsName": "ec2-3-80-1-2.compute-1.amazonaws.com",
                    "PublicIp": "3.80.1.2",
                },
                "Attachment": {
                    "AttachTime": LAUNCHED,
                    "AttachmentId": "eni-attach-1",
                    "DeleteOnTermination": True,
                    "DeviceIndex": 0,
                    "Status": "attached",
                    "NetworkCardIndex": 0,
                },
                "Groups": [{"GroupId": "sg-1", "GroupName": "app"}],
                "Ipv6Addresses": [{"Ipv6Address": "2600:1f18::10", "IsPrimaryIpv6": True}],
                "NetworkInterfaceId": "eni-0p",
                "PrivateIpAddress": "10.0.1.10",
                "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": "10.0.1.10"}],
                "SubnetId": "subnet-1",
                "VpcId": "vpc-1",
            }
        ],
        "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "app"}],
        "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
        "Tags": _tags(
            {
                "Name": "app",
                "aws:ec2launchtemplate:id": "lt-0t",
                "aws:ec2launchtemplate:version": "4",
            }
        ),
        "PrivateIpAddress": "10.0.1.10",
    }


def _volume(vid: str, device: str, **settings: Any) -> dict[str, Any]:
    attachment = {"AttachTime": LAUNCHED, "Device": device, "InstanceId": "i-0a1"}
    return {
        "VolumeId": vid,
        "AvailabilityZone": "us-east-1a",
        "CreateTime": LAUNCHED,
        "State": "in-use",
        "Encrypted": False,
        "MultiAttachEnabled": False,
        "Attachments": [{**attachment, "State": "attached", "VolumeId": vid}],
        **settings,
    }


def _volumes() -> list[dict[str, Any]]:
    return [
        # gp2: AWS computes 3 IOPS per GiB, at least 100
        _volume("vol-root", "/dev/xvda", Size=8, VolumeType="gp2", Iops=100, SnapshotId="snap-1"),
        _volume(
            "vol-data",
            "/dev/sdf",
            Size=20,
            VolumeType="gp3",
            Iops=3000,
            Throughput=125,
            Encrypted=True,
            KmsKeyId=KEY,
            SnapshotId="",
            Tags=_tags({"Name": "app-data"}),
        ),
        _volume("vol-attached", "/dev/sdg", Size=50, VolumeType="io2", Iops=5000, SnapshotId=""),
    ]


class Answers:
    """A recorded account's EC2 answers, counting the calls made."""

    def __init__(self, instances: list[dict[str, Any]], volumes: list[dict[str, Any]]) -> None:
        self.instances, self.volumes = instances, volumes
        self.credits: dict[str, str] = {}
        self.spot: list[dict[str, Any]] = []
        self.calls: Counter[str] = Counter()
        self.asked_credits: list[list[str]] = []
        self.asked_volumes: list[list[str] | None] = []
        self.credit_error = ""

    def client(self, service: str, region: str | None = None) -> Any:
        answers = self

        class Ec2:
            def can_paginate(self, method: str) -> bool:
                return False

            def describe_instances(self) -> dict[str, Any]:
                answers.calls["DescribeInstances"] += 1
                return {"Reservations": [{"Instances": answers.instances}]}

            def describe_volumes(self, VolumeIds: list[str] | None = None) -> dict[str, Any]:
                answers.calls["DescribeVolumes"] += 1
                answers.asked_volumes.append(VolumeIds)
                wanted = set(VolumeIds or [v["VolumeId"] for v in answers.volumes])
                return {"Volumes": [v for v in answers.volumes if v["VolumeId"] in wanted]}

            def describe_instance_attribute(self, InstanceId: str, Attribute: str) -> Any:
                answers.calls["DescribeInstanceAttribute"] += 1
                member = Attribute[0].upper() + Attribute[1:]
                value: Any = {"disableApiTermination": False, "disableApiStop": False}
                return {"InstanceId": InstanceId, member: {"Value": value.get(Attribute)}}

            def describe_instance_credit_specifications(self, InstanceIds: list[str]) -> Any:
                answers.calls["DescribeInstanceCreditSpecifications"] += 1
                answers.asked_credits.append(list(InstanceIds))
                if answers.credit_error:
                    error = {"Error": {"Code": answers.credit_error, "Message": "no"}}
                    raise ClientError(error, "DescribeInstanceCreditSpecifications")
                return {
                    "InstanceCreditSpecifications": [
                        {"InstanceId": i, "CpuCredits": answers.credits.get(i, "standard")}
                        for i in InstanceIds
                    ]
                }

            def describe_spot_instance_requests(self, Filters: list[Any]) -> Any:
                answers.calls["DescribeSpotInstanceRequests"] += 1
                wanted = set(Filters[0]["Values"])
                return {
                    "SpotInstanceRequests": [
                        r for r in answers.spot if r["SpotInstanceRequestId"] in wanted
                    ]
                }

        return Ec2()


def _state_attributes() -> dict[str, Any]:
    """What provider 5.x writes for the instance above (only the blocks under test)."""
    return {
        "id": "i-0a1",
        "instance_type": "t3.micro",
        "associate_public_ip_address": True,
        "capacity_reservation_specification": [
            {"capacity_reservation_preference": "open", "capacity_reservation_target": []}
        ],
        "credit_specification": [{"cpu_credits": "unlimited"}],
        "root_block_device": [
            {
                "delete_on_termination": True,
                "device_name": "/dev/xvda",
                "encrypted": False,
                "iops": 100,
                "kms_key_id": "",
                "tags": {},
                "tags_all": {},
                "throughput": 0,
                "volume_id": "vol-root",
                "volume_size": 8,
                "volume_type": "gp2",
            }
        ],
        "ebs_block_device": [
            {
                "delete_on_termination": True,
                "device_name": "/dev/sdf",
                "encrypted": True,
                "iops": 3000,
                "kms_key_id": KEY,
                "snapshot_id": "",
                "tags": {"Name": "app-data"},
                "tags_all": {"Name": "app-data"},
                "throughput": 125,
                "volume_id": "vol-data",
                "volume_size": 20,
                "volume_type": "gp3",
            },
            {
                "delete_on_termination": False,
                "device_name": "/dev/sdg",
                "encrypted": False,
                "iops": 5000,
                "kms_key_id": "",
                "snapshot_id": "",
                "tags": {},
                "tags_all": {},
                "throughput": 0,
                "volume_id": "vol-attached",
                "volume_size": 50,
                "volume_type": "io2",
            },
        ],
        "enable_primary_ipv6": True,
        "ephemeral_block_device": [],
        "instance_market_options": [],
        "launch_template": [{"id": "lt-0t", "name": "app", "version": "$Default"}],
        "network_interface": [],
        "primary_network_interface": [
            {"delete_on_termination": True, "network_interface_id": "eni-0p"}
        ],
        "security_groups": [],
        "vpc_security_group_ids": ["sg-1"],
        "volume_tags": None,
        "tags": {"Name": "app"},
        "tags_all": {"Name": "app"},
    }


def _scan(answers: Answers, states: list[dict[str, Any]]) -> dict[str, tuple[StateResource, Any]]:
    resources = [
        StateResource("aws_instance", f"aws_instance.i{n}", a["id"], a, REGION, "s.tfstate")
        for n, a in enumerate(states)
    ]
    ctx = ScanContext(
        Unit("test", REGION, "ec2"),
        "123456789012",
        (REGION,),
        answers.client,
        state=StateIndex(resources),
    )
    live = {r.identity: r for r in live_resources(SPEC, ctx)}
    return {s.id: (s, live[s.id]) for s in resources if s.id in live}


def _changes(answers: Answers, state: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    pair = _scan(answers, [state])[state["id"]]
    return {c.attribute: (c.expected, c.actual) for c in compare(SPEC, *pair)}


def _answers() -> Answers:
    answers = Answers([_instance()], _volumes())
    answers.credits = {"i-0a1": "unlimited"}
    return answers


def test_clean_instance_matches() -> None:
    assert _changes(_answers(), _state_attributes()) == {}


def _find(answers: Answers, state: dict[str, Any] | None = None) -> set[str]:
    return set(_changes(answers, state or _state_attributes()))


def test_volume_drifts() -> None:
    answers = _answers()
    volumes = {v["VolumeId"]: v for v in answers.volumes}
    volumes["vol-root"]["Size"] = 16
    volumes["vol-root"]["Iops"] = 100  # gp2: computed, never compared
    assert _find(answers) == {"root_block_device"}

    answers = _answers()
    volumes = {v["VolumeId"]: v for v in answers.volumes}
    volumes["vol-data"]["Iops"] = 6000
    volumes["vol-attached"]["VolumeType"] = "gp3"
    changes = _changes(answers, _state_attributes())
    assert set(changes) == {"ebs_block_device"}
    _, actual = changes["ebs_block_device"]
    assert {
        k: v
        for k, v in next(b for b in actual if b["device_name"] == "/dev/sdf").items()
        if k in ("device_name", "iops")
    } == {"device_name": "/dev/sdf", "iops": 6000}

    # the data volume's tags, recorded in the state's block (provider 5.x)
    answers = _answers()
    volumes = {v["VolumeId"]: v for v in answers.volumes}
    volumes["vol-data"]["Tags"] = _tags({"Name": "renamed"})
    assert _find(answers) == {"ebs_block_device"}

    # delete_on_termination switched off by hand on the root device
    answers = _answers()
    answers.instances[0]["BlockDeviceMappings"][0]["Ebs"]["DeleteOnTermination"] = False
    assert _find(answers) == {"root_block_device"}


def test_volume_defaults_are_silent() -> None:
    state = _state_attributes()
    # gp3's defaults unrecorded (0) in the state; AWS answers 3000 IOPS and 125 MiB/s
    state["ebs_block_device"][0].update(iops=0, throughput=0)
    # a gp2 volume's IOPS grow with its size: AWS's number, not the state's
    state["root_block_device"][0]["iops"] = 300
    # provider 3.x/4.x blocks have no tags member
    for block in (*state["root_block_device"], *state["ebs_block_device"]):
        del block["tags"], block["tags_all"]
    answers = _answers()
    {v["VolumeId"]: v for v in answers.volumes}["vol-root"]["Tags"] = _tags({"Backup": "daily"})
    assert _changes(answers, state) == {}


def test_ebs_block_device_only_where_the_state_sets_it() -> None:
    # volumes attached by aws_volume_attachment: the state's ebs_block_device is empty
    state = {**_state_attributes(), "ebs_block_device": []}
    assert _changes(_answers(), state) == {}
    # a set keyed by device name: one the state names is gone
    answers = _answers()
    answers.instances[0]["BlockDeviceMappings"].pop()
    assert _find(answers) == {"ebs_block_device"}


def test_volume_tags() -> None:
    state = {**_state_attributes(), "volume_tags": {"Name": "app-data"}}
    for block in (*state["root_block_device"], *state["ebs_block_device"]):
        block["tags"] = block["tags_all"] = {}
    answers = _answers()
    {v["VolumeId"]: v for v in answers.volumes}["vol-root"]["Tags"] = _tags({"Name": "app-data"})
    assert _changes(answers, state) == {}
    # a volume made at launch retagged by hand (the attached one is not the instance's)
    {v["VolumeId"]: v for v in answers.volumes}["vol-root"]["Tags"] = _tags({"Team": "x"})
    {v["VolumeId"]: v for v in answers.volumes}["vol-attached"]["Tags"] = _tags({"Other": "y"})
    assert _changes(answers, state) == {"volume_tags.Team": (None, "x")}


def test_credit_mode() -> None:
    answers = _answers()
    answers.credits = {"i-0a1": "standard"}
    assert _changes(answers, _state_attributes()) == {
        "credit_specification": ([{"cpu_credits": "unlimited"}], [{"cpu_credits": "standard"}])
    }
    # a state that never set it (an older provider) is not compared
    assert _changes(answers, {**_state_attributes(), "credit_specification": []}) == {}


def test_credit_mode_of_an_instance_gone_since_the_listing() -> None:
    answers = _answers()
    answers.credit_error = "InvalidInstanceID.NotFound"
    # terminated between the two calls: its credit mode is not compared, no false finding
    assert _changes(answers, _state_attributes()) == {}
    # a permission missing is an error of the unit, not a silent gap
    answers = _answers()
    answers.credit_error = "UnauthorizedOperation"
    with pytest.raises(ClientError):
        _changes(answers, _state_attributes())


def test_credit_modes_are_read_in_one_call_for_managed_burstable_instances() -> None:
    instances = []
    for n, kind in enumerate(["t3.micro", "t2.small", "t4g.nano", "m5.large", "t3.large"]):
        inst = copy.deepcopy(_instance())
        inst.update(InstanceId=f"i-{n}", InstanceType=kind, BlockDeviceMappings=[])
        instances.append(inst)
    answers = Answers(instances, [])
    # i-4 is not in any state (unmanaged: reported whole, never compared)
    states = [{"id": f"i-{n}", "credit_specification": []} for n in range(4)]
    pairs = _scan(answers, states)
    assert answers.calls["DescribeInstanceCreditSpecifications"] == 1
    assert answers.asked_credits == [["i-0", "i-1", "i-2"]]
    assert answers.calls["DescribeVolumes"] == 1
    assert answers.calls["DescribeSpotInstanceRequests"] == 0
    assert "credit_specification" not in pairs["i-3"][1].attributes  # m5: not burstable


def test_a_targeted_scan_reads_for_its_instance_alone() -> None:
    """An event named the instance: its volumes and credit mode are read for it, never by
    listing every volume or instance of the region."""
    answers = _answers()
    other = copy.deepcopy(_instance())
    other["InstanceId"] = "i-0b2"
    answers.instances.append(other)
    state = _state_attributes()
    ctx = ScanContext(
        Unit("test", REGION, "ec2"),
        "123456789012",
        (REGION,),
        answers.client,
        state=StateIndex(
            [StateResource("aws_instance", "aws_instance.app", "i-0a1", state, REGION, "s")]
        ),
        targeted=True,
    )
    live = live_resource(SPEC, _instance(), ctx)
    assert live is not None
    assert answers.calls["DescribeInstances"] == 0
    assert answers.asked_volumes == [["vol-attached", "vol-data", "vol-root"]]
    assert answers.asked_credits == [["i-0a1"]]
    pair = StateResource("aws_instance", "aws_instance.app", "i-0a1", state, REGION, "s")
    assert compare(SPEC, pair, live) == []


def test_network_drifts() -> None:
    answers = _answers()
    eni = answers.instances[0]["NetworkInterfaces"][0]
    eni["Attachment"]["DeleteOnTermination"] = False
    eni["Ipv6Addresses"][0]["IsPrimaryIpv6"] = False
    del eni["Association"]
    answers.instances[0]["CapacityReservationSpecification"] = {
        "CapacityReservationPreference": "none"
    }
    assert _find(answers) == {
        "primary_network_interface",
        "enable_primary_ipv6",
        "associate_public_ip_address",
        "capacity_reservation_specification",
    }


def test_public_address_unknown_is_silent() -> None:
    # an Elastic IP (owned by the account) replaced the launch's address
    answers = _answers()
    answers.instances[0]["NetworkInterfaces"][0]["Association"]["IpOwnerId"] = "123456789012"
    assert _changes(answers, {**_state_attributes(), "associate_public_ip_address": False}) == {}
    # a stopped instance has released its launch address
    answers = _answers()
    answers.instances[0]["State"] = {"Code": 80, "Name": "stopped"}
    del answers.instances[0]["NetworkInterfaces"][0]["Association"]
    assert _changes(answers, _state_attributes()) == {}


def test_network_interface_at_the_state_s_device_indexes() -> None:
    answers = _answers()
    second = copy.deepcopy(answers.instances[0]["NetworkInterfaces"][0])
    second.update(NetworkInterfaceId="eni-0s", Ipv6Addresses=[])
    second["Attachment"].update(DeviceIndex=1, DeleteOnTermination=False)
    answers.instances[0]["NetworkInterfaces"].append(second)
    launched_with = [
        {
            "delete_on_termination": True,
            "device_index": 0,
            "network_card_index": 0,
            "network_interface_id": "eni-0p",
        }
    ]
    # the interface at index 1 was attached by aws_network_interface_attachment
    state = {**_state_attributes(), "network_interface": launched_with}
    assert _changes(answers, state) == {}
    state["network_interface"] = [{**launched_with[0], "network_interface_id": "eni-0other"}]
    assert _find(answers, state) == {"network_interface"}


def test_security_group_names_only_where_the_state_has_them() -> None:
    answers = _answers()
    # in a VPC the state's security_groups is empty: the ids are compared instead
    assert _changes(answers, _state_attributes()) == {}
    state = {**_state_attributes(), "security_groups": ["app"]}
    assert _changes(answers, state) == {}
    answers.instances[0]["SecurityGroups"] = [{"GroupId": "sg-2", "GroupName": "ops"}]
    assert set(_changes(answers, state)) == {"security_groups", "vpc_security_group_ids"}
    assert _changes(answers, state)["security_groups"] == (["app"], ["ops"])


@pytest.mark.parametrize(
    ("version", "live", "drift"),
    [
        ("$Default", "4", False),
        ("$Latest", "9", False),
        ("4", "4", False),
        ("3", "4", True),
    ],
)
def test_launch_template_version(version: str, live: str, drift: bool) -> None:
    answers = _answers()
    for tag in answers.instances[0]["Tags"]:
        if tag["Key"] == "aws:ec2launchtemplate:version":
            tag["Value"] = live
    state = _state_attributes()
    state["launch_template"] = [{"id": "lt-0t", "name": "app", "version": version}]
    assert ("launch_template" in _find(answers, state)) is drift


def test_launch_template_replaced() -> None:
    answers = _answers()
    answers.instances[0]["Tags"][1]["Value"] = "lt-0other"
    assert _find(answers) == {"launch_template"}


def _spot() -> Answers:
    answers = _answers()
    answers.instances[0].update(InstanceLifecycle="spot", SpotInstanceRequestId="sir-1")
    answers.spot = [
        {
            "SpotInstanceRequestId": "sir-1",
            "InstanceId": "i-0a1",
            "SpotPrice": "0.012000",
            "Type": "one-time",
            "State": "active",
            "InstanceInterruptionBehavior": "terminate",
            "ValidUntil": datetime(2026, 3, 9, 9, 30, tzinfo=UTC),
        }
    ]
    return answers


def _spot_state(**options: Any) -> dict[str, Any]:
    spot = {
        "instance_interruption_behavior": "terminate",
        "max_price": "0.012",
        "spot_instance_type": "one-time",
        "valid_until": "2026-03-09T09:30:00Z",
        **options,
    }
    block = {"market_type": "spot", "spot_options": [spot]}
    return {**_state_attributes(), "instance_market_options": [block]}


def test_spot_market_options() -> None:
    answers = _spot()
    assert _changes(answers, _spot_state()) == {}
    assert answers.calls["DescribeSpotInstanceRequests"] == 1
    # max_price unset: AWS's (the on-demand price)
    assert _changes(answers, _spot_state(max_price="", valid_until="")) == {}
    assert _find(answers, _spot_state(max_price="0.02")) == {"instance_market_options"}
    # an on-demand state for a spot instance
    assert _find(answers) == {"instance_market_options"}


# --- real states ---------------------------------------------------------------------------


def _fixture_instances() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(FIXTURES.glob("*.tfstate")):
        try:
            resources = parse_state(path.read_bytes(), path.name, REGION)
        except Exception:  # the fixtures that are broken on purpose
            continue
        out += [(path.name, r.attributes) for r in resources if r.type == "aws_instance"]
    return out


def _answers_for(state: dict[str, Any]) -> Answers:
    """What AWS answers for the instance a real state describes."""
    root = state["root_block_device"][0]
    inst = _instance()
    inst.update(
        InstanceId=state["id"],
        ImageId=state["ami"],
        SubnetId=state["subnet_id"],
        PrivateIpAddress=state["private_ip"],
        Placement={"AvailabilityZone": state["availability_zone"], "Tenancy": "default"},
        InstanceType=state["instance_type"],
        RootDeviceName=root["device_name"],
        BlockDeviceMappings=[_mapping(root["device_name"], root["volume_id"], True)],
        SecurityGroups=[
            {"GroupId": g, "GroupName": "default"} for g in state["vpc_security_group_ids"]
        ],
        Tags=_tags(state.get("tags") or {}),
        CapacityReservationSpecification={"CapacityReservationPreference": "open"},
    )
    eni = inst["NetworkInterfaces"][0]
    eni.update(Ipv6Addresses=[], SubnetId=state["subnet_id"])
    eni["PrivateIpAddresses"][0]["PrivateIpAddress"] = state["private_ip"]
    if not state["associate_public_ip_address"]:
        del eni["Association"]
    volume = _volume(
        root["volume_id"],
        root["device_name"],
        Size=root["volume_size"],
        VolumeType=root["volume_type"],
        Iops=root["iops"],
    )
    volume["Attachments"][0]["InstanceId"] = state["id"]
    answers = Answers([inst], [volume])
    answers.credits = {state["id"]: state["credit_specification"][0]["cpu_credits"]}
    return answers


def test_real_states_match_without_findings() -> None:
    """Each real state's instance against what AWS answers for it: no finding (0.12-0.14
    states: gp2 IOPS recorded, `default` group names in a default VPC, credit mode
    recorded, no provider 5.x members)."""
    instances = _fixture_instances()
    assert len(instances) >= 3, [name for name, _ in instances]
    for name, state in instances:
        pair = _scan(_answers_for(state), [state])[state["id"]]
        assert compare(SPEC, *pair) == [], name
        # each block the state records was compared, not skipped
        assert BLOCKS & set(state) <= set(pair[1].attributes), name
    # a drift in one of them is found on a real state's shape
    name, state = instances[0]
    answers = _answers_for(state)
    answers.volumes[0]["Size"] = 100
    answers.credits = {state["id"]: "standard"}
    pair = _scan(answers, [state])[state["id"]]
    assert {c.attribute for c in compare(SPEC, *pair)} == {
        "root_block_device",
        "credit_specification",
    }, name


BLOCKS = set(blocks.COMPARED)
