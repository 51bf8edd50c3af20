"""Auto Scaling groups (`aws_autoscaling_group`), keyed and imported by name.

One paginated DescribeAutoScalingGroups answers every setting and the tags (as `tag`
blocks with their propagate-at-launch flag: the provider has no `tags` map). A group being
deleted (`Status` "Delete in progress") is gone as far as Terraform is concerned.

`desired_capacity` moves with scaling policies all day; users who let it move ignore it
with the `exclusions.attributes` setting (README), not here.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_EMULATED,
    TERRAFORM_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.ec2_launch_template_data import Fields, convert, project
from driftq.resources.spec import Attrs, ListCall, ResourceSpec


def _launch_template(item: dict[str, Any]) -> list[dict[str, Any]]:
    template = item.get("LaunchTemplate")
    if not template:
        return []
    return [
        {
            "id": template.get("LaunchTemplateId") or "",
            "name": template.get("LaunchTemplateName") or "",
            "version": template.get("Version") or "",
        }
    ]


def _group(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    if item.get("Status"):
        return None  # "Delete in progress"
    subnets = [s for s in str(item.get("VPCZoneIdentifier") or "").split(",") if s]
    return {
        "id": item["AutoScalingGroupName"],
        "name": item["AutoScalingGroupName"],
        "arn": item.get("AutoScalingGroupARN"),
        "min_size": item.get("MinSize"),
        "max_size": item.get("MaxSize"),
        "desired_capacity": item.get("DesiredCapacity"),
        "default_cooldown": item.get("DefaultCooldown"),
        "default_instance_warmup": item.get("DefaultInstanceWarmup") or 0,
        "health_check_type": item.get("HealthCheckType"),
        "health_check_grace_period": item.get("HealthCheckGracePeriod") or 0,
        "availability_zones": list(item.get("AvailabilityZones") or []),
        "vpc_zone_identifier": subnets,
        "launch_configuration": item.get("LaunchConfigurationName") or "",
        "launch_template": _launch_template(item),
        "load_balancers": list(item.get("LoadBalancerNames") or []),
        "target_group_arns": list(item.get("TargetGroupARNs") or []),
        "termination_policies": list(item.get("TerminationPolicies") or []),
        "suspended_processes": [
            p["ProcessName"] for p in item.get("SuspendedProcesses") or [] if p.get("ProcessName")
        ],
        "enabled_metrics": [
            m["Metric"] for m in item.get("EnabledMetrics") or [] if m.get("Metric")
        ],
        "max_instance_lifetime": item.get("MaxInstanceLifetime") or 0,
        "capacity_rebalance": bool(item.get("CapacityRebalance")),
        "protect_from_scale_in": bool(item.get("NewInstancesProtectedFromScaleIn")),
        "placement_group": item.get("PlacementGroup") or "",
        "context": item.get("Context") or "",
        "desired_capacity_type": item.get("DesiredCapacityType") or "",
        "service_linked_role_arn": item.get("ServiceLinkedRoleARN") or "",
        "mixed_instances_policy": _mixed(item),
        "warm_pool": _warm_pool(item),
        "traffic_source": [
            {"identifier": t.get("Identifier") or "", "type": t.get("Type") or ""}
            for t in item.get("TrafficSources") or []
        ],
        "tag": [
            {
                "key": t.get("Key"),
                "value": t.get("Value", ""),
                "propagate_at_launch": bool(t.get("PropagateAtLaunch")),
            }
            for t in item.get("Tags") or []
        ],
    }


_TEMPLATE_SPEC: Fields = {
    "launch_template_id": "LaunchTemplateId",
    "launch_template_name": "LaunchTemplateName",
    "version": "Version",
}
_MIXED: Fields = {
    "instances_distribution": (
        "InstancesDistribution",
        False,
        {
            "on_demand_allocation_strategy": "OnDemandAllocationStrategy",
            "on_demand_base_capacity": "OnDemandBaseCapacity",
            "on_demand_percentage_above_base_capacity": "OnDemandPercentageAboveBaseCapacity",
            "spot_allocation_strategy": "SpotAllocationStrategy",
            "spot_instance_pools": "SpotInstancePools",
            "spot_max_price": "SpotMaxPrice",
        },
    ),
    "launch_template": (
        "LaunchTemplate",
        False,
        {
            "launch_template_specification": (
                "LaunchTemplateSpecification",
                False,
                _TEMPLATE_SPEC,
            ),
            "override": (
                "Overrides",
                True,
                {
                    "instance_type": "InstanceType",
                    "weighted_capacity": "WeightedCapacity",
                    "launch_template_specification": (
                        "LaunchTemplateSpecification",
                        False,
                        _TEMPLATE_SPEC,
                    ),
                },
            ),
        },
    ),
}


def _mixed(item: dict[str, Any]) -> list[dict[str, Any]]:
    policy = item.get("MixedInstancesPolicy")
    return [convert(policy, _MIXED)] if policy else []


def _mixed_form(value: Any) -> Any:
    # `instance_requirements` in overrides (attribute-based selection) is not mapped
    return project(value, _MIXED)


def _warm_pool(item: dict[str, Any]) -> list[dict[str, Any]]:
    pool = item.get("WarmPoolConfiguration") or {}
    if not pool or pool.get("Status") == "PendingDelete":
        return []
    reuse = pool.get("InstanceReusePolicy")
    return [
        {
            "max_group_prepared_capacity": pool.get("MaxGroupPreparedCapacity"),
            "min_size": pool.get("MinSize") or 0,
            "pool_state": pool.get("PoolState") or "Stopped",
            "instance_reuse_policy": [{"reuse_on_scale_in": bool(reuse.get("ReuseOnScaleIn"))}]
            if reuse
            else [],
        }
    ]


def _warm_pool_form(value: Any) -> Any:
    # no maximum: AWS leaves MaxGroupPreparedCapacity out, the provider writes -1; a reuse
    # policy that does not reuse is none
    out = []
    for block in value if isinstance(value, list) else []:
        if not isinstance(block, dict):
            out.append(block)
            continue
        maximum = block.get("max_group_prepared_capacity")
        reuse = [
            r
            for r in block.get("instance_reuse_policy") or []
            if not isinstance(r, dict) or r.get("reuse_on_scale_in") not in (False, "false", None)
        ]
        out.append(
            {
                **block,
                "max_group_prepared_capacity": -1 if maximum in (None, "") else maximum,
                "min_size": block.get("min_size") or 0,
                "pool_state": block.get("pool_state") or "Stopped",
                "instance_reuse_policy": reuse,
            }
        )
    return out


def _traffic_sources(value: Any) -> Any:
    # a source is named by its identifier (a target group's ARN, a Classic LB's name, a
    # VPC Lattice group's ARN); the type only says which
    entries = value if isinstance(value, list) else []
    return sorted(
        str(t.get("identifier") or "") if isinstance(t, dict) else str(t) for t in entries
    )


def _default_policies(value: Any) -> Any:
    # `Default` is what a group without termination policies has
    policies = [p for p in value or [] if p]
    return [] if policies == ["Default"] else policies


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_autoscaling_group",
        service="autoscaling",
        list_call=ListCall(operation="DescribeAutoScalingGroups", items="AutoScalingGroups[]"),
        normalize=_group,
        compared=(
            "min_size",
            "max_size",
            "desired_capacity",
            "default_cooldown",
            "default_instance_warmup",
            "health_check_type",
            "health_check_grace_period",
            "availability_zones",
            "vpc_zone_identifier",
            "launch_configuration",
            "launch_template",
            "load_balancers",
            "target_group_arns",
            "termination_policies",
            "suspended_processes",
            "enabled_metrics",
            "max_instance_lifetime",
            "capacity_rebalance",
            "protect_from_scale_in",
            "placement_group",
            "context",
            "desired_capacity_type",
            "service_linked_role_arn",
            "mixed_instances_policy",
            "warm_pool",
            "traffic_source",
            "tag",
        ),
        # DescribeAutoScalingGroups' TrafficSources also lists the groups attached through
        # `load_balancers`, `target_group_arns` and the attachment types: the sources the
        # state's `traffic_source` names are compared (one detached is drift), others are
        # those settings' or resources' business; a state that leaves it empty manages none
        compared_when_set=frozenset({"traffic_source"}),
        extras_elsewhere={"traffic_source": str},
        left_out=common("id", "region", "timeouts", "arn", "name_prefix")
        | because(IDENTITY, "name")
        | because(COMPUTED, "predicted_capacity", "warm_pool_size")
        | because(
            TERRAFORM_ONLY,
            "force_delete",
            "force_delete_warm_pool",
            "ignore_failed_scaling_activities",
            "initial_lifecycle_hook",
            "instance_refresh",
            "metrics_granularity",
            "min_elb_capacity",
            "wait_for_capacity_timeout",
            "wait_for_elb_capacity",
        )
        # the emulator answers no zone distribution, capacity reservation or maintenance
        # policy of a group
        | because(
            NOT_EMULATED,
            "availability_zone_distribution",
            "capacity_reservation_specification",
            "instance_maintenance_policy",
        ),
        value_forms={
            "termination_policies": _default_policies,
            "mixed_instances_policy": _mixed_form,
            "warm_pool": _warm_pool_form,
            "traffic_source": _traffic_sources,
        },
        not_emulated="traffic sources (`traffic_source`)",
        import_id_format="group name, e.g. web",
    ),
]
