"""ECS services (`aws_ecs_service`), keyed and imported by `cluster-name/service-name`.

ListClusters names the clusters (the cluster spec's call, sent once per unit); ListServices
names each cluster's services, and DescribeServices describes up to 10 of them per call
(the call's limit), tags included: one call per ten services, not one each. A service
deleted a moment ago is still answered, INACTIVE: gone for Terraform. A cluster deleted
between the listing and its calls has no services.

What AWS sets when nothing was chosen (a circuit breaker and alarms switched off, the ECS
deployment controller, `propagate_tags = NONE`, the ECS service-linked role) is "not set"
on both sides: provider versions differ in whether the state records it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.attributes import IDENTITY, NOT_YET, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ResourceSpec, Tags

Item = dict[str, Any]
_BATCH = 10  # DescribeServices' limit


def _cluster_arns(ctx: ScanContext) -> list[str]:
    return [
        a for page in ctx.pages("ecs", "ListClusters", {}) for a in page.get("clusterArns") or []
    ]


def _services(ctx: ScanContext) -> Iterator[Item]:
    for cluster in _cluster_arns(ctx):
        try:
            arns = [
                a
                for page in ctx.pages("ecs", "ListServices", {"cluster": cluster})
                for a in page.get("serviceArns") or []
            ]
            for start in range(0, len(arns), _BATCH):
                params = {
                    "cluster": cluster,
                    "services": arns[start : start + _BATCH],
                    "include": ["TAGS"],
                }
                for page in ctx.pages("ecs", "DescribeServices", params, paginated=False):
                    yield from page.get("services") or []
        except ClientError as exc:
            if error_code(exc) != "ClusterNotFoundException":
                raise


def _name_of(arn_or_name: Any) -> str:
    return str(arn_or_name or "").rsplit("/", 1)[-1]


def _service(item: Item, ctx: ScanContext) -> Attrs | None:
    if item.get("status") == "INACTIVE":
        return None
    deployment = item.get("deploymentConfiguration") or {}
    breaker = deployment.get("deploymentCircuitBreaker") or {}
    alarms = deployment.get("alarms") or {}
    network = (item.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    daemon = item.get("schedulingStrategy") == "DAEMON"
    attrs: Attrs = {
        "id": item["serviceArn"],
        "arn": item["serviceArn"],
        "name": item["serviceName"],
        "cluster": item.get("clusterArn"),
        "task_definition": item.get("taskDefinition") or "",
        "desired_count": item.get("desiredCount") or 0,
        "launch_type": item.get("launchType") or "",
        "platform_version": item.get("platformVersion") or "",
        "scheduling_strategy": item.get("schedulingStrategy") or "REPLICA",
        # AWS's defaults where the answer has none (moto's; an EXTERNAL controller's)
        "deployment_maximum_percent": deployment.get("maximumPercent", 100 if daemon else 200),
        "deployment_minimum_healthy_percent": deployment.get(
            "minimumHealthyPercent", 0 if daemon else 100
        ),
        "deployment_circuit_breaker": [
            {"enable": bool(breaker.get("enable")), "rollback": bool(breaker.get("rollback"))}
        ],
        "alarms": [
            {
                "alarm_names": alarms.get("alarmNames") or [],
                "enable": bool(alarms.get("enable")),
                "rollback": bool(alarms.get("rollback")),
            }
        ],
        "deployment_controller": [
            {"type": (item.get("deploymentController") or {}).get("type") or "ECS"}
        ],
        "enable_ecs_managed_tags": bool(item.get("enableECSManagedTags")),
        "enable_execute_command": bool(item.get("enableExecuteCommand")),
        "propagate_tags": item.get("propagateTags") or "NONE",
        "health_check_grace_period_seconds": item.get("healthCheckGracePeriodSeconds") or 0,
        "iam_role": item.get("roleArn") or "",
        "load_balancer": [
            {
                "elb_name": lb.get("loadBalancerName") or "",
                "target_group_arn": lb.get("targetGroupArn") or "",
                "container_name": lb.get("containerName") or "",
                "container_port": lb.get("containerPort"),
            }
            for lb in item.get("loadBalancers") or []
        ],
        "network_configuration": [
            {
                "subnets": network.get("subnets") or [],
                "security_groups": network.get("securityGroups") or [],
                "assign_public_ip": network.get("assignPublicIp") == "ENABLED",
            }
        ]
        if network
        else [],
        "capacity_provider_strategy": [
            {
                "capacity_provider": s.get("capacityProvider"),
                "weight": s.get("weight") or 0,
                "base": s.get("base") or 0,
            }
            for s in item.get("capacityProviderStrategy") or []
        ],
        "ordered_placement_strategy": [
            {"type": s.get("type"), "field": s.get("field") or ""}
            for s in item.get("placementStrategy") or []
        ],
        "placement_constraints": [
            {"type": c.get("type"), "expression": c.get("expression") or ""}
            for c in item.get("placementConstraints") or []
        ],
        "service_registries": [
            {
                "registry_arn": r.get("registryArn"),
                "port": r.get("port") or 0,
                "container_name": r.get("containerName") or "",
                "container_port": r.get("containerPort") or 0,
            }
            for r in item.get("serviceRegistries") or []
        ],
    }
    if daemon:
        # one task per instance: AWS counts the instances, the provider ignores the value
        del attrs["desired_count"]
    return attrs


def _family_revision(value: Any) -> Any:
    # the provider keeps the state's form: `family:revision` or the full ARN
    text = str(value or "")
    return text.rsplit("/", 1)[-1] if text.startswith("arn:") else text


def _switched_on(value: Any) -> Any:
    # a circuit breaker or alarm block that is off (and names no alarm) is none at all
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [
        b
        for b in blocks
        if b.get("enable") in (True, "true")
        or b.get("rollback") in (True, "true")
        or b.get("alarm_names")
    ]


def _controller(value: Any) -> Any:
    # the ECS controller is every service's unless another was chosen
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [b for b in blocks if b.get("type") not in (None, "", "ECS")]


def _role(value: Any) -> Any:
    # the provider keeps a role name or ARN as configured; AWS names the ECS service-linked
    # role for services that chose none
    name = _name_of(value)
    return "" if name == "AWSServiceRoleForECS" else name


def _key(attrs: Attrs) -> str:
    return f"{_name_of(attrs.get('cluster'))}/{attrs.get('name') or ''}"


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ecs_service",
        service="ecs",
        enumerate=_services,
        operations=("ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices"),
        tags=Tags(path="tags", key="key", value="value"),
        normalize=_service,
        compared=(
            "task_definition",
            "desired_count",
            "launch_type",
            "platform_version",
            "scheduling_strategy",
            "deployment_maximum_percent",
            "deployment_minimum_healthy_percent",
            "deployment_circuit_breaker",
            "alarms",
            "deployment_controller",
            "enable_ecs_managed_tags",
            "enable_execute_command",
            "propagate_tags",
            "health_check_grace_period_seconds",
            "iam_role",
            "load_balancer",
            "network_configuration",
            "capacity_provider_strategy",
            "ordered_placement_strategy",
            "placement_constraints",
            "service_registries",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "cluster", "name")
        | because(
            TERRAFORM_ONLY,
            "force_delete",
            "force_new_deployment",
            "sigint_rollback",
            "triggers",
            "wait_for_steady_state",
        )
        | because(
            NOT_YET,
            "availability_zone_rebalancing",
            "deployment_configuration",
            "service_connect_configuration",
            "volume_configuration",
            "vpc_lattice_configurations",
        ),
        # placement strategies apply in order
        ordered_attributes=frozenset({"ordered_placement_strategy"}),
        value_forms={
            "task_definition": _family_revision,
            "deployment_circuit_breaker": _switched_on,
            "alarms": _switched_on,
            "deployment_controller": _controller,
            "propagate_tags": lambda v: None if v in (None, "", "NONE") else v,
            "iam_role": _role,
        },
        identity=_key,
        import_id=_key,
        import_id_format="cluster name/service name, e.g. apps/web",
    ),
]
