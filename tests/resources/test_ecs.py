"""ECS services and task definitions beyond the generic checks (test_types.py).

Pure: a DescribeServices answer as real AWS gives it (moto leaves out the deployment
configuration, the service-linked role, ...) against provider 3.x- and 5.x-shaped states;
`container_definitions` as AWS answers it against the JSON as written. Against moto: a
family's older revisions are neither missing nor unmanaged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.compare import compare
from driftq.model import StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.ecs_task_definitions import container_definitions
from driftq.resources.enumerate import live_resource
from tests.resources.cases.ecs import CONTAINER, CONTAINER_AS_ANSWERED
from tests.resources.harness import jsonencode
from tests.support.estate import StateFile
from tests.support.scanning import scan_ok

ACCOUNT = "123456789012"
CLUSTER = f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/apps"
LINKED_ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
TASK = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/web:7"
SUBNETS = ["subnet-0a1", "subnet-0b2"]

# DescribeServices' answer for a Fargate service behind a target group, nothing else chosen
RECORDED_SERVICE: dict[str, Any] = {
    "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/apps/web",
    "serviceName": "web",
    "clusterArn": CLUSTER,
    "loadBalancers": [
        {
            "targetGroupArn": f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/web/1",
            "containerName": "app",
            "containerPort": 80,
        }
    ],
    "serviceRegistries": [],
    "status": "ACTIVE",
    "desiredCount": 2,
    "runningCount": 2,
    "pendingCount": 0,
    "launchType": "FARGATE",
    "platformVersion": "LATEST",
    "platformFamily": "Linux",
    "taskDefinition": TASK,
    "deploymentConfiguration": {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
        "alarms": {"alarmNames": [], "rollback": False, "enable": False},
    },
    "roleArn": LINKED_ROLE,
    "placementConstraints": [],
    "placementStrategy": [],
    "networkConfiguration": {
        "awsvpcConfiguration": {
            "subnets": SUBNETS,
            "securityGroups": ["sg-0c3"],
            "assignPublicIp": "DISABLED",
        }
    },
    "healthCheckGracePeriodSeconds": 60,
    "schedulingStrategy": "REPLICA",
    "deploymentController": {"type": "ECS"},
    "enableECSManagedTags": False,
    "propagateTags": "NONE",
    "enableExecuteCommand": False,
    "availabilityZoneRebalancing": "ENABLED",
    "tags": [{"key": "Name", "value": "web"}],
}
_COMMON_STATE: dict[str, Any] = {
    "id": RECORDED_SERVICE["serviceArn"],
    "name": "web",
    "cluster": CLUSTER,
    "desired_count": 2,
    "launch_type": "FARGATE",
    "platform_version": "LATEST",
    "scheduling_strategy": "REPLICA",
    "deployment_maximum_percent": 200,
    "deployment_minimum_healthy_percent": 100,
    "health_check_grace_period_seconds": 60,
    "enable_ecs_managed_tags": False,
    "load_balancer": [
        {
            "elb_name": "",
            "target_group_arn": RECORDED_SERVICE["loadBalancers"][0]["targetGroupArn"],
            "container_name": "app",
            "container_port": 80,
        }
    ],
    "network_configuration": [
        {"subnets": SUBNETS, "security_groups": ["sg-0c3"], "assign_public_ip": False}
    ],
    "placement_constraints": [],
    "ordered_placement_strategy": [],
    "service_registries": [],
    "tags": {"Name": "web"},
    "tags_all": {"Name": "web"},
}
# provider 5.x: every block written, `family:revision` and the role's name kept as configured
STATE_5X = {
    **_COMMON_STATE,
    "task_definition": "web:7",
    "iam_role": "AWSServiceRoleForECS",
    "deployment_circuit_breaker": [{"enable": False, "rollback": False}],
    "deployment_controller": [{"type": "ECS"}],
    "alarms": [],
    "propagate_tags": "NONE",
    "enable_execute_command": False,
    "capacity_provider_strategy": [],
}
# provider 3.x: the ARNs as AWS answered them, no circuit breaker or alarms recorded, no
# deployment controller or propagation written back
STATE_3X = {
    **_COMMON_STATE,
    "task_definition": TASK,
    "iam_role": LINKED_ROLE,
    "deployment_circuit_breaker": [],
    "deployment_controller": [],
    "propagate_tags": "",
}


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("a recorded answer calls no AWS")


def _pair(rtype: str, item: dict[str, Any], attributes: dict[str, Any]) -> list[Any]:
    spec = REGISTRY[rtype]
    ctx = ScanContext(Unit("test", "us-east-1", "ecs"), ACCOUNT, ("us-east-1",), _no_aws)
    live = live_resource(spec, item, ctx)
    assert live is not None
    state = StateResource(rtype, f"{rtype}.x", attributes["id"], attributes, "us-east-1", "")
    return compare(spec, state, live)


@pytest.mark.parametrize("state", [STATE_5X, STATE_3X], ids=["provider-5.x", "provider-3.x"])
def test_a_recorded_service_with_aws_defaults_is_clean(state: dict[str, Any]) -> None:
    assert _pair("aws_ecs_service", RECORDED_SERVICE, state) == []


def test_a_switched_on_circuit_breaker_and_a_scaled_service_are_drift() -> None:
    deployment = RECORDED_SERVICE["deploymentConfiguration"]
    item = {
        **RECORDED_SERVICE,
        "desiredCount": 5,
        "deploymentConfiguration": {
            **deployment,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "minimumHealthyPercent": 50,
        },
    }
    found = {c.attribute: (c.expected, c.actual) for c in _pair("aws_ecs_service", item, STATE_5X)}
    assert found == {
        "desired_count": (2, 5),
        "deployment_minimum_healthy_percent": (100, 50),
        "deployment_circuit_breaker": ([], [{"enable": True, "rollback": True}]),
    }
    # the 3.x state, which never recorded a breaker, sees the same
    assert "deployment_circuit_breaker" in {
        c.attribute for c in _pair("aws_ecs_service", item, STATE_3X)
    }


def test_a_daemon_service_has_no_desired_count_to_compare() -> None:
    item = {**RECORDED_SERVICE, "schedulingStrategy": "DAEMON", "desiredCount": 7}
    daemon = {**STATE_5X, "scheduling_strategy": "DAEMON", "desired_count": 0}
    assert _pair("aws_ecs_service", item, daemon) == []


def test_an_inactive_service_is_gone() -> None:
    ctx = ScanContext(Unit("test", "us-east-1", "ecs"), ACCOUNT, ("us-east-1",), _no_aws)
    inactive = {**RECORDED_SERVICE, "status": "INACTIVE"}
    assert live_resource(REGISTRY["aws_ecs_service"], inactive, ctx) is None


# --- container_definitions -----------------------------------------------------------------

# DescribeTaskDefinition's containerDefinitions as real AWS answers a Fargate task's
# (moto leaves out the port mappings' protocol and host port, a health check's defaults)
ANSWERED_WITH_HEALTH_CHECK = [
    {
        **CONTAINER_AS_ANSWERED,
        "healthCheck": {
            "command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
            "interval": 30,
            "timeout": 5,
            "retries": 3,
        },
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": "/ecs/web"},
            "secretOptions": [],
        },
    }
]
WRITTEN_WITH_HEALTH_CHECK = [
    {
        **CONTAINER,
        "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]},
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}},
    }
]


def test_container_definitions_without_aws_defaults_equal_the_json_as_written() -> None:
    assert container_definitions(json.dumps(ANSWERED_WITH_HEALTH_CHECK)) == container_definitions(
        jsonencode(WRITTEN_WITH_HEALTH_CHECK)
    )
    # environment entries in any order are the same environment
    shuffled = [{**CONTAINER, "environment": CONTAINER["environment"][::-1]}]
    assert container_definitions(jsonencode(shuffled)) == container_definitions(
        jsonencode([CONTAINER])
    )
    # a bridge-mode port mapping without a host port is answered with host port 0
    bridge = [{**CONTAINER, "portMappings": [{"containerPort": 80}]}]
    answered = [{**CONTAINER, "portMappings": [{"containerPort": 80, "hostPort": 0}]}]
    assert container_definitions(jsonencode(bridge)) == container_definitions(json.dumps(answered))


@pytest.mark.parametrize(
    "changed",
    [
        {"command": ["nginx", "daemon off;", "-g"]},  # argument order matters
        {"essential": False},
        {"cpu": 128},
        {"portMappings": [{"containerPort": 80, "hostPort": 8080}]},
        {"environment": [{"name": "MODE", "value": "worker"}]},
        {"healthCheck": {"command": ["CMD", "true"], "retries": 5}},
    ],
    ids=["command-order", "not-essential", "cpu", "host-port", "environment", "health-check"],
)
def test_a_changed_container_setting_is_drift(changed: dict[str, Any]) -> None:
    assert container_definitions(jsonencode([{**CONTAINER, **changed}])) != (
        container_definitions(jsonencode([CONTAINER]))
    )


def test_a_value_that_is_not_json_differs_from_any_definition() -> None:
    assert container_definitions("not json") != container_definitions(jsonencode([CONTAINER]))


# --- revisions, against moto ---------------------------------------------------------------

UNIT = Unit("test", "us-east-1", "ecs")


def _revision_state(arn: str, image: str) -> dict[str, Any]:
    family = arn.rsplit("/", 1)[-1].split(":")[0]
    return {
        "id": family,
        "arn": arn,
        "family": family,
        "container_definitions": jsonencode([{**CONTAINER, "image": image}]),
    }


def test_older_revisions_are_neither_missing_nor_unmanaged(account: Any, tmp_path: Path) -> None:
    ecs = account.client("ecs")
    arns = [
        ecs.register_task_definition(
            family="web", containerDefinitions=[{**CONTAINER, "image": f"nginx:{i}"}]
        )["taskDefinition"]["taskDefinitionArn"]
        for i in (1, 2, 3)
    ]
    ecs.deregister_task_definition(taskDefinition=arns[0])

    def findings(revision: int) -> set[tuple[str, str]]:
        state = StateFile()
        held = _revision_state(arns[revision - 1], f"nginx:{revision}")
        state.add("aws_ecs_task_definition", "td", held)
        result = scan_ok(account, tmp_path, state, UNIT)
        return {(f.kind, f.resource_id) for f in result.findings}

    # a state on revision 2, an older ACTIVE one: it exists; the latest was registered
    # outside Terraform (a deploy pipeline's)
    assert findings(2) == {("unmanaged", arns[2])}
    # a state on the latest: clean, the older ACTIVE revision is silent
    assert findings(3) == set()
    # a deregistered (INACTIVE) revision is gone
    assert findings(1) == {("missing", "web"), ("unmanaged", arns[2])}
