"""What an AWS service made for another resource (an Auto Scaling group's instances, a
CloudFormation stack's resources, an instance's launch volumes) is never unmanaged itself:
managed through its owner in a state, or reported once, as its owner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import LiveResource, StateResource, Unit
from driftq.passes.owners import drop_owned_resources
from driftq.resources import REGISTRY
from driftq.resources.owners import owners_from_tags, with_owner_specs
from tests.conftest import single_account_config
from tests.support.estate import StateFile, unique

SPECS = with_owner_specs(REGISTRY)


def _live(rtype: str, identity: str, *owners: tuple[str, str]) -> LiveResource:
    return LiveResource(rtype, identity, identity, "us-east-1", {"id": identity}, owners=owners)


def _state(rtype: str, attrs: dict[str, Any]) -> StateResource:
    return StateResource(rtype, f"{rtype}.x", attrs["id"], attrs, "us-east-1", "s")


def test_owners_from_aws_tags_most_specific_first() -> None:
    tags = {
        "eks:cluster-name": "prod",
        "eks:nodegroup-name": "workers",
        "aws:autoscaling:groupName": "eks-workers-1234",
        "Name": "node",
    }
    assert owners_from_tags(tags) == [
        ("aws_eks_node_group", "prod:workers"),
        ("aws_autoscaling_group", "eks-workers-1234"),
    ]
    assert owners_from_tags({"aws:cloudformation:stack-name": "net"}) == [
        ("aws_cloudformation_stack", "net")
    ]
    assert owners_from_tags({"Name": "x"}) == []


def test_owned_resource_is_managed_through_any_owner_in_a_state() -> None:
    asg = ("aws_autoscaling_group", "eks-workers-1234")
    live = [_live("aws_instance", "i-1", ("aws_eks_node_group", "prod:workers"), asg)]
    state = [
        _state("aws_autoscaling_group", {"id": "eks-workers-1234", "name": "eks-workers-1234"})
    ]
    kept_state, kept = drop_owned_resources(state, live, SPECS)
    assert kept == []
    # the owner is context only: the diff never sees it unless its type is scanned
    assert [r.type for r in kept_state] == [
        r.type for r in state if "aws_autoscaling_group" in REGISTRY
    ]


def test_owner_in_no_state_is_reported_once_for_all_it_made() -> None:
    stack = ("aws_cloudformation_stack", "network")
    live = [
        _live("aws_instance", "i-1", stack),
        _live("aws_ebs_volume", "vol-1", stack),
        _live("aws_instance", "i-2"),
    ]
    _, kept = drop_owned_resources([], live, SPECS)
    assert sorted((r.type, r.identity) for r in kept) == sorted([("aws_instance", "i-2"), stack])


def test_owned_resource_of_a_scanned_owner_is_left_to_the_owner() -> None:
    # a launch volume of an instance in no state: the instance's finding covers it
    live = [_live("aws_ebs_volume", "vol-1", ("aws_instance", "i-1")), _live("aws_instance", "i-1")]
    _, kept = drop_owned_resources([], live, SPECS)
    assert [r.identity for r in kept] == ["i-1"]


def test_owned_resource_in_a_state_itself_is_compared() -> None:
    live = [_live("aws_instance", "i-1", ("aws_autoscaling_group", "web"))]
    state = [_state("aws_instance", {"id": "i-1"})]
    assert drop_owned_resources(state, live, SPECS)[1] == live


def test_auto_scaling_instances_and_their_volumes(account: Any, tmp_path: Path) -> None:
    """Against moto: instances an Auto Scaling group launched, and their root volumes, are
    not unmanaged; with the group in a state nothing is reported."""
    ec2, autoscaling = account.client("ec2"), account.client("autoscaling")
    name = unique("web-asg")
    template = ec2.create_launch_template(
        LaunchTemplateName=name, LaunchTemplateData={"ImageId": "ami-12c6146b"}
    )["LaunchTemplate"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"]},
        MinSize=2,
        MaxSize=2,
        AvailabilityZones=["us-east-1a"],
    )
    state = StateFile()
    state.add("aws_launch_template", "web", {"id": template["LaunchTemplateId"], "name": name})
    config = single_account_config(account, state.write(tmp_path / "a.tfstate"))
    unit = Unit("test", "us-east-1", "ec2")
    findings = Engine(config).scan_unit(unit).findings
    # history follows a finding by its unit: an owner's is the unit's that found it
    assert {f.service for f in findings if f.resource_type == "aws_autoscaling_group"} <= {"ec2"}
    found = {(f.kind, f.resource_type, f.resource_id) for f in findings}
    expected = (
        set()
        if "aws_autoscaling_group" in REGISTRY
        else {("unmanaged", "aws_autoscaling_group", name)}
    )
    assert {f for f in found if f[1] != "aws_launch_template"} == expected

    state.add("aws_autoscaling_group", "web", {"id": name, "name": name})
    config = single_account_config(account, state.write(tmp_path / "b.tfstate"))
    found = {
        (f.kind, f.resource_type, f.resource_id) for f in Engine(config).scan_unit(unit).findings
    }
    assert {f for f in found if f[1] != "aws_launch_template"} == set()


def test_owner_tags_of_a_spec_that_reads_its_own_tags() -> None:
    """A spec without ``tags=`` (it maps an item's `Tags` itself) still gets the owners AWS's
    tags name: an EKS node group's Auto Scaling group is the node group's."""
    from dataclasses import replace

    from driftq.model import Unit
    from driftq.resources.context import ScanContext
    from driftq.resources.enumerate import live_resource

    spec = replace(REGISTRY["aws_key_pair"], tags=None)
    item = {
        "KeyName": "k",
        "Tags": [
            {"Key": "eks:cluster-name", "Value": "prod"},
            {"Key": "eks:nodegroup-name", "Value": "workers"},
        ],
    }
    ctx = ScanContext(Unit("t", "us-east-1", "ec2"), "1", ("us-east-1",), lambda *a: None)
    live = live_resource(spec, item, ctx)
    assert live is not None and live.owners == (("aws_eks_node_group", "prod:workers"),)
