"""An Auto Scaling group's warm pool and traffic sources on recorded
DescribeAutoScalingGroups answers (botocore's shape): the emulator answers no
TrafficSources, and its warm pool always has a maximum."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted

TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067"
LATTICE = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0"


def _group(**extra: Any) -> dict[str, Any]:
    return {"AutoScalingGroupName": "web", "MinSize": 1, "MaxSize": 3, **extra}


def test_a_pool_without_maximum_or_reuse_matches_the_providers_defaults() -> None:
    item = _group(WarmPoolConfiguration={"MinSize": 0, "PoolState": "Stopped"})
    state = {
        "id": "web",
        "warm_pool": [
            {
                "max_group_prepared_capacity": -1,
                "min_size": 0,
                "pool_state": "Stopped",
                "instance_reuse_policy": [{"reuse_on_scale_in": False}],
            }
        ],
    }
    assert drifted("aws_autoscaling_group", item, state) == []
    assert drifted("aws_autoscaling_group", _group(), state) == ["warm_pool"]


def test_a_pool_added_or_changed_outside_terraform_is_drift() -> None:
    item = _group(WarmPoolConfiguration={"MaxGroupPreparedCapacity": 5, "PoolState": "Running"})
    assert drifted("aws_autoscaling_group", item, {"id": "web", "warm_pool": []}) == ["warm_pool"]
    state = {
        "id": "web",
        "warm_pool": [{"max_group_prepared_capacity": 5, "min_size": 0, "pool_state": "Stopped"}],
    }
    assert drifted("aws_autoscaling_group", item, state) == ["warm_pool"]


def test_a_pool_being_deleted_is_none() -> None:
    item = _group(WarmPoolConfiguration={"MinSize": 1, "Status": "PendingDelete"})
    assert drifted("aws_autoscaling_group", item, {"id": "web", "warm_pool": []}) == []


SOURCES = [{"Identifier": TG, "Type": "elbv2"}, {"Identifier": LATTICE, "Type": "vpc-lattice"}]


def test_traffic_sources_match_in_any_order() -> None:
    state = {
        "id": "web",
        "traffic_source": [
            {"identifier": LATTICE, "type": "vpc-lattice"},
            {"identifier": TG, "type": "elbv2"},
        ],
    }
    assert drifted("aws_autoscaling_group", _group(TrafficSources=SOURCES), state) == []
    detached = _group(TrafficSources=SOURCES[:1])
    assert drifted("aws_autoscaling_group", detached, state) == ["traffic_source"]


def test_sources_the_state_does_not_name_are_other_settings_business() -> None:
    # a target group of `target_group_arns` beside the state's VPC Lattice source
    state = {
        "id": "web",
        "traffic_source": [{"identifier": LATTICE, "type": "vpc-lattice"}],
        "target_group_arns": [TG],
    }
    item = _group(TrafficSources=SOURCES, TargetGroupARNs=[TG])
    assert drifted("aws_autoscaling_group", item, state) == []


def test_sources_of_a_state_that_leaves_traffic_source_empty_are_not_its_drift() -> None:
    # the group's target groups come from `target_group_arns` or an attachment resource
    state = {"id": "web", "traffic_source": [], "target_group_arns": [TG]}
    item = _group(TrafficSources=SOURCES[:1], TargetGroupARNs=[TG])
    assert drifted("aws_autoscaling_group", item, state) == []
