"""A group's mixed instances policy against a real moto server: clean as the provider
writes it (every member, AWS's filled-in distribution), a changed override is drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.model import Unit
from tests.support.estate import StateFile, unique
from tests.support.scanning import changes, scan_ok

UNIT = Unit("test", "us-east-1", "autoscaling")


def _spec(template: dict[str, Any]) -> dict[str, Any]:
    return {
        "launch_template_id": template["LaunchTemplateId"],
        "launch_template_name": template["LaunchTemplateName"],
        "version": "$Latest",
    }


def test_mixed_instances_policy(account: Any, tmp_path: Path) -> None:
    template = account.client("ec2").create_launch_template(
        LaunchTemplateName=unique("mixed"),
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]
    name = unique("mixed")
    autoscaling = account.client("autoscaling")
    policy = {
        "LaunchTemplate": {
            "LaunchTemplateSpecification": {
                "LaunchTemplateId": template["LaunchTemplateId"],
                "Version": "$Latest",
            },
            "Overrides": [{"InstanceType": "t3.small"}, {"InstanceType": "t3.medium"}],
        },
    }
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MixedInstancesPolicy=policy,
        MinSize=0,
        MaxSize=2,
        AvailabilityZones=["us-east-1a"],
    )
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
        "AutoScalingGroups"
    ][0]
    distribution = group["MixedInstancesPolicy"]["InstancesDistribution"]
    state = {
        "id": name,
        "name": name,
        "min_size": 0,
        "max_size": 2,
        "availability_zones": ["us-east-1a"],
        "service_linked_role_arn": group["ServiceLinkedRoleARN"],
        "mixed_instances_policy": [
            {
                "instances_distribution": [
                    {
                        "on_demand_allocation_strategy": distribution.get(
                            "OnDemandAllocationStrategy", ""
                        ),
                        "on_demand_base_capacity": distribution.get("OnDemandBaseCapacity", 0),
                        "on_demand_percentage_above_base_capacity": distribution.get(
                            "OnDemandPercentageAboveBaseCapacity", 0
                        ),
                        "spot_allocation_strategy": distribution.get("SpotAllocationStrategy", ""),
                        "spot_instance_pools": distribution.get("SpotInstancePools", 0),
                        "spot_max_price": "",
                    }
                ],
                "launch_template": [
                    {
                        "launch_template_specification": [_spec(template)],
                        # the provider writes every override member
                        "override": [
                            {
                                "instance_type": t,
                                "weighted_capacity": "",
                                "instance_requirements": [],
                                "launch_template_specification": [],
                            }
                            for t in ("t3.medium", "t3.small")
                        ],
                    }
                ],
            }
        ],
    }
    state_file = StateFile().add("aws_autoscaling_group", "g", state)
    assert scan_ok(account, tmp_path, state_file, UNIT).findings == []

    overrides = [{"InstanceType": "t3.large"}]
    autoscaling.update_auto_scaling_group(
        AutoScalingGroupName=name,
        MixedInstancesPolicy={
            "LaunchTemplate": {**policy["LaunchTemplate"], "Overrides": overrides}
        },
    )
    (finding,) = scan_ok(account, tmp_path, state_file, UNIT).findings
    assert list(changes(finding)) == ["mixed_instances_policy"]
