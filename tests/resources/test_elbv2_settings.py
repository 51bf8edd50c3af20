"""Target group failover and health settings and a load balancer's capacity reservation,
on recorded DescribeTargetGroups / DescribeTargetGroupAttributes / DescribeCapacityReservation
answers (botocore's shapes): the emulator answers no TargetControlPort, stores no Gateway
LB failover or NLB health-state defaults, and reserves no capacity."""

from __future__ import annotations

from typing import Any

import pytest

from tests.resources.recorded import drifted

TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gw/73e2d6bc24d8a067"
LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c"


def _group(attributes: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "TargetGroupArn": TG_ARN,
        "TargetGroupName": "gw",
        "Protocol": "GENEVE",
        "Port": 6081,
        "VpcId": "vpc-1",
        "TargetType": "instance",
        "Attributes": [{"Key": k, "Value": v} for k, v in attributes.items()],
        **extra,
    }


GWLB_DEFAULTS = {
    "target_failover.on_deregistration": "no_rebalance",
    "target_failover.on_unhealthy": "no_rebalance",
}
NLB_DEFAULTS = {
    "target_health_state.unhealthy.connection_termination.enabled": "true",
    "target_health_state.unhealthy.draining_interval_seconds": "0",
    "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
}
EMPTY = {
    "id": TG_ARN,
    "target_control_port": 0,
    "target_failover": [],
    "target_group_health": [],
    "target_health_state": [],
}


@pytest.mark.parametrize("answer", [GWLB_DEFAULTS, NLB_DEFAULTS, {}], ids=["gwlb", "nlb", "alb"])
def test_aws_defaults_against_empty_blocks_are_silent(answer: dict[str, str]) -> None:
    assert drifted("aws_lb_target_group", _group(answer), EMPTY) == []


def test_blocks_the_provider_wrote_with_default_values_are_silent() -> None:
    state = {
        **EMPTY,
        "target_failover": [{"on_deregistration": "no_rebalance", "on_unhealthy": "no_rebalance"}],
        "target_health_state": [
            {"enable_unhealthy_connection_termination": True, "unhealthy_draining_interval": 0}
        ],
        "target_group_health": [
            {
                "dns_failover": [
                    {
                        "minimum_healthy_targets_count": "1",
                        "minimum_healthy_targets_percentage": "off",
                    }
                ],
                "unhealthy_state_routing": [
                    {
                        "minimum_healthy_targets_count": 1,
                        "minimum_healthy_targets_percentage": "off",
                    }
                ],
            }
        ],
    }
    assert drifted("aws_lb_target_group", _group({**GWLB_DEFAULTS, **NLB_DEFAULTS}), state) == []


def test_failover_set_and_matching_is_clean_and_changed_is_drift() -> None:
    state = {
        **EMPTY,
        "target_failover": [{"on_deregistration": "rebalance", "on_unhealthy": "rebalance"}],
    }
    both = {
        "target_failover.on_deregistration": "rebalance",
        "target_failover.on_unhealthy": "rebalance",
    }
    assert drifted("aws_lb_target_group", _group(both), state) == []
    # rebalancing switched off by hand, or on for a group whose state leaves it off
    assert drifted("aws_lb_target_group", _group(GWLB_DEFAULTS), state) == ["target_failover"]
    assert drifted("aws_lb_target_group", _group(both), EMPTY) == ["target_failover"]


def test_health_state_drift() -> None:
    draining = {
        "target_health_state.unhealthy.connection_termination.enabled": "false",
        "target_health_state.unhealthy.draining_interval_seconds": "300",
    }
    state = {
        **EMPTY,
        "target_health_state": [
            {"enable_unhealthy_connection_termination": False, "unhealthy_draining_interval": 300}
        ],
    }
    assert drifted("aws_lb_target_group", _group(draining), state) == []
    assert drifted("aws_lb_target_group", _group(NLB_DEFAULTS), state) == ["target_health_state"]
    assert drifted("aws_lb_target_group", _group(draining), EMPTY) == ["target_health_state"]


def test_group_health_threshold_changed_is_drift() -> None:
    raised = {**NLB_DEFAULTS, "target_group_health.dns_failover.minimum_healthy_targets.count": "3"}
    assert drifted("aws_lb_target_group", _group(raised), EMPTY) == ["target_group_health"]


def test_target_control_port() -> None:
    state = {**EMPTY, "target_control_port": 7000}
    assert drifted("aws_lb_target_group", _group({}, TargetControlPort=7000), state) == []
    assert drifted("aws_lb_target_group", _group({}, TargetControlPort=7001), state) == [
        "target_control_port"
    ]
    assert drifted("aws_lb_target_group", _group({}), state) == ["target_control_port"]
    # a provider 5.x state does not record it; a 6.x one writes 0 for none
    assert drifted("aws_lb_target_group", _group({}), {"id": TG_ARN}) == []


def _balancer(capacity: dict[str, Any] | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "LoadBalancerArn": LB_ARN,
        "LoadBalancerName": "nlb",
        "Type": "network",
        "Attributes": [],
    }
    if capacity is not None:
        item["_Capacity"] = capacity
    return item


RESERVED = {
    "MinimumLoadBalancerCapacity": {"CapacityUnits": 1500},
    "CapacityReservationState": [{"State": {"Code": "provisioned"}, "AvailabilityZone": "a"}],
}


def test_capacity_reservation() -> None:
    none = {"CapacityReservationState": []}
    set_ = {"id": LB_ARN, "minimum_load_balancer_capacity": [{"capacity_units": 1500}]}
    empty = {"id": LB_ARN, "minimum_load_balancer_capacity": []}
    assert drifted("aws_lb", _balancer(RESERVED), set_) == []
    assert drifted("aws_lb", _balancer(none), empty) == []
    assert drifted("aws_lb", _balancer(none), set_) == ["minimum_load_balancer_capacity"]
    assert drifted("aws_lb", _balancer(RESERVED), empty) == ["minimum_load_balancer_capacity"]
    # not asked (the load balancer is in no state) or not answered: not compared
    assert drifted("aws_lb", _balancer(None), set_) == []
