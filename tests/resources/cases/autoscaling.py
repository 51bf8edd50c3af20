"""Auto Scaling case: a group on a launch template, with a propagated tag."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.support.estate import unique


def _group(account: Any) -> Built:
    template = account.client("ec2").create_launch_template(
        LaunchTemplateName=unique("web"),
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]
    name = unique("web")
    account.client("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "$Latest"},
        MinSize=0,
        MaxSize=3,
        DesiredCapacity=0,
        AvailabilityZones=["us-east-1a"],
        HealthCheckGracePeriod=120,
        Tags=[{"Key": "Name", "Value": name, "PropagateAtLaunch": True}],
    )
    account.client("autoscaling").put_warm_pool(
        AutoScalingGroupName=name,
        MinSize=1,
        PoolState="Hibernated",
        InstanceReusePolicy={"ReuseOnScaleIn": True},
    )
    group = account.client("autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[name]
    )["AutoScalingGroups"][0]
    state = {
        "id": name,
        "name": name,
        "name_prefix": "",
        "arn": group["AutoScalingGroupARN"],
        "min_size": 0,
        "max_size": 3,
        "desired_capacity": 0,
        "default_cooldown": group["DefaultCooldown"],
        "default_instance_warmup": 0,
        "health_check_type": group["HealthCheckType"],
        "health_check_grace_period": 120,
        "availability_zones": ["us-east-1a"],
        "vpc_zone_identifier": [],
        "launch_configuration": "",
        "launch_template": [
            {
                "id": template["LaunchTemplateId"],
                "name": template["LaunchTemplateName"],
                "version": "$Latest",
            }
        ],
        "load_balancers": [],
        "target_group_arns": [],
        "termination_policies": [],
        "suspended_processes": [],
        "enabled_metrics": [],
        "max_instance_lifetime": 0,
        "capacity_rebalance": False,
        "protect_from_scale_in": False,
        "placement_group": "",
        "context": "",
        "desired_capacity_type": "",
        # the service-linked role AWS uses unless told another
        "service_linked_role_arn": group["ServiceLinkedRoleARN"],
        "mixed_instances_policy": [],
        # as the provider writes a pool with no maximum
        "warm_pool": [
            {
                "max_group_prepared_capacity": -1,
                "min_size": 1,
                "pool_state": "Hibernated",
                "instance_reuse_policy": [{"reuse_on_scale_in": True}],
            }
        ],
        "traffic_source": [],
        "tag": [{"key": "Name", "value": name, "propagate_at_launch": True}],
        "force_delete": False,
        "wait_for_capacity_timeout": "10m",
        "timeouts": None,
    }
    return Built([Res("aws_autoscaling_group", "g", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_autoscaling_group",
        build=_group,
        # `Default` alone is "none set"
        mutations={
            "termination_policies": ["OldestInstance"],
            "mixed_instances_policy": [
                {"instances_distribution": [{"on_demand_base_capacity": 1}]}
            ],
        },
    )
]
