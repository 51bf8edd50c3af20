"""ECS cases: a cluster with Container Insights on; a Fargate task definition; a service
of it in that cluster, on two subnets."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, jsonencode, tags_state
from tests.support.estate import unique

# one container as written in the configuration (provider 3.x keeps this JSON)
CONTAINER = {
    "name": "app",
    "image": "nginx:1.27",
    "memory": 256,
    "portMappings": [{"containerPort": 80}],
    "environment": [{"name": "MODE", "value": "web"}, {"name": "LOG", "value": "info"}],
    "command": ["nginx", "-g", "daemon off;"],
}
# the same as provider 5.x records it: AWS's answer, its defaults filled in
CONTAINER_AS_ANSWERED = {
    **CONTAINER,
    "cpu": 0,
    "essential": True,
    "environment": sorted(CONTAINER["environment"], key=lambda e: e["name"]),
    "mountPoints": [],
    "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
    "systemControls": [],
    "volumesFrom": [],
}

# an EFS volume with encryption in transit through an access point, AWS's root directory
# left to its default (moto, like AWS, answers "/"), and a bind-mount volume
VOLUME_AS_SENT = {
    "name": "shared",
    "efsVolumeConfiguration": {
        "fileSystemId": "fs-0123abcd",
        "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": "fsap-0123abcd", "iam": "ENABLED"},
    },
}
PROXY_AS_SENT = {
    "type": "APPMESH",
    "containerName": "envoy",
    "properties": [
        {"name": "AppPorts", "value": "80"},
        {"name": "ProxyIngressPort", "value": "15000"},
    ],
}
# both as provider 5.x records them: every block and argument written, unset ones empty
_NO_VOLUME_BLOCKS = {
    "host_path": "",
    "configure_at_launch": False,
    "docker_volume_configuration": [],
    "fsx_windows_file_server_volume_configuration": [],
}
VOLUMES_STATE = [
    {
        "name": "shared",
        **_NO_VOLUME_BLOCKS,
        "efs_volume_configuration": [
            {
                "file_system_id": "fs-0123abcd",
                "root_directory": "/",
                "transit_encryption": "ENABLED",
                "transit_encryption_port": 0,
                "authorization_config": [{"access_point_id": "fsap-0123abcd", "iam": "ENABLED"}],
            }
        ],
    },
    {"name": "scratch", **_NO_VOLUME_BLOCKS, "efs_volume_configuration": []},
]
PROXY_STATE = {
    "type": "APPMESH",
    "container_name": "envoy",
    "properties": {"AppPorts": "80", "ProxyIngressPort": "15000"},
}


def _tags(name: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]


def _cluster_res(account: Any) -> tuple[str, Res]:
    name = unique("apps")
    cluster = account.client("ecs").create_cluster(
        clusterName=name,
        settings=[{"name": "containerInsights", "value": "enabled"}],
        configuration={
            "executeCommandConfiguration": {
                "kmsKeyId": "alias/exec",
                "logging": "OVERRIDE",
                "logConfiguration": {
                    "cloudWatchLogGroupName": "/ecs/exec",
                    "cloudWatchEncryptionEnabled": True,
                },
            }
        },
        tags=_tags(name),
    )["cluster"]
    state = {
        "id": cluster["clusterArn"],
        "arn": cluster["clusterArn"],
        "name": name,
        "setting": [{"name": "containerInsights", "value": "enabled"}],
        "configuration": [
            {
                "execute_command_configuration": [
                    {
                        "kms_key_id": "alias/exec",
                        "logging": "OVERRIDE",
                        "log_configuration": [
                            {
                                "cloud_watch_encryption_enabled": True,
                                "cloud_watch_log_group_name": "/ecs/exec",
                                "s3_bucket_encryption_enabled": False,
                                "s3_bucket_name": "",
                                "s3_key_prefix": "",
                            }
                        ],
                    }
                ],
                "managed_storage_configuration": [],
            }
        ],
        "service_connect_defaults": [],
        **tags_state({"Name": name}),
    }
    return cluster["clusterArn"], Res("aws_ecs_cluster", "c", state)


def _cluster(account: Any) -> Built:
    _, res = _cluster_res(account)
    return Built([res], import_id=res.attributes["name"])


def _task_definition_res(account: Any) -> Res:
    family = unique("web")
    role = f"arn:aws:iam::{account.id}:role/ecs-task"
    answer = account.client("ecs").register_task_definition(
        family=family,
        containerDefinitions=[CONTAINER],
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        executionRoleArn=role,
        volumes=[VOLUME_AS_SENT, {"name": "scratch"}],
        proxyConfiguration=PROXY_AS_SENT,
        tags=_tags(family),
    )["taskDefinition"]
    arn = answer["taskDefinitionArn"]
    state = {
        "id": family,
        "arn": arn,
        "arn_without_revision": arn.rsplit(":", 1)[0],
        "family": family,
        "revision": answer["revision"],
        "container_definitions": jsonencode([CONTAINER_AS_ANSWERED]),
        "cpu": "256",
        "memory": "512",
        "network_mode": "awsvpc",
        "ipc_mode": "",
        "pid_mode": "",
        "execution_role_arn": role,
        "task_role_arn": "",
        "requires_compatibilities": ["FARGATE"],
        "enable_fault_injection": False,
        "placement_constraints": [],
        "proxy_configuration": [PROXY_STATE],
        "runtime_platform": [],
        "ephemeral_storage": [],
        "volume": VOLUMES_STATE,
        "skip_destroy": False,
        "track_latest": False,
        **tags_state({"Name": family}),
    }
    return Res("aws_ecs_task_definition", "td", state)


def _task_definition(account: Any) -> Built:
    res = _task_definition_res(account)
    return Built([res], import_id=res.attributes["arn"])


def _service(account: Any) -> Built:
    cluster_arn, cluster = _cluster_res(account)
    task = _task_definition_res(account)
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnets = sorted(
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.8.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    )
    group = ec2.create_security_group(GroupName=unique("svc"), Description="svc", VpcId=vpc)[
        "GroupId"
    ]
    name = unique("svc")
    service = account.client("ecs").create_service(
        cluster=cluster_arn,
        serviceName=name,
        taskDefinition=task.attributes["arn"],
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": subnets,
                "securityGroups": [group],
                "assignPublicIp": "DISABLED",
            }
        },
        tags=_tags(name),
    )["service"]
    cluster_name = cluster.attributes["name"]
    state = {
        "id": service["serviceArn"],
        "arn": service["serviceArn"],
        "name": name,
        "cluster": cluster_arn,
        # provider 5.x keeps `family:revision` when it was configured so
        "task_definition": f"{task.attributes['family']}:{task.attributes['revision']}",
        "desired_count": 2,
        "launch_type": "FARGATE",
        "platform_version": service.get("platformVersion") or "",
        "scheduling_strategy": "REPLICA",
        # AWS's defaults, as the provider records them
        "deployment_maximum_percent": 200,
        "deployment_minimum_healthy_percent": 100,
        "deployment_circuit_breaker": [{"enable": False, "rollback": False}],
        "deployment_controller": [{"type": "ECS"}],
        "alarms": [],
        "availability_zone_rebalancing": "DISABLED",
        "enable_ecs_managed_tags": False,
        "enable_execute_command": False,
        "propagate_tags": "NONE",
        "health_check_grace_period_seconds": 0,
        "iam_role": "",
        "load_balancer": [],
        "network_configuration": [
            {"subnets": subnets, "security_groups": [group], "assign_public_ip": False}
        ],
        "capacity_provider_strategy": [],
        "ordered_placement_strategy": [],
        "placement_constraints": [],
        "service_registries": [],
        "service_connect_configuration": [],
        "deployment_configuration": [],
        "volume_configuration": [],
        "vpc_lattice_configurations": [],
        "force_new_deployment": False,
        "wait_for_steady_state": False,
        "triggers": {},
        "timeouts": None,
        **tags_state({"Name": name}),
    }
    return Built(
        [Res("aws_ecs_service", "s", state), cluster, task], import_id=f"{cluster_name}/{name}"
    )


CASES = [
    TypeCase(
        type="aws_ecs_cluster",
        build=_cluster,
        mutations={"service_connect_defaults": [{"namespace": "arn:aws:servicediscovery:x"}]},
    ),
    TypeCase(
        type="aws_ecs_service",
        build=_service,
        mutations={
            "alarms": [{"alarm_names": ["high-5xx"], "enable": True, "rollback": True}],
            "network_configuration": [
                {"subnets": ["subnet-0d"], "security_groups": ["sg-0d"], "assign_public_ip": True}
            ],
            "deployment_configuration": [{"strategy": "BLUE_GREEN", "bake_time_in_minutes": "5"}],
            "availability_zone_rebalancing": "ENABLED",
        },
    ),
    TypeCase(
        type="aws_ecs_task_definition",
        build=_task_definition,
        mutations={
            "container_definitions": jsonencode([{**CONTAINER, "image": "nginx:drifted"}]),
            "network_mode": "bridge-drifted",
            "volume": [VOLUMES_STATE[1]],
            "proxy_configuration": [{**PROXY_STATE, "container_name": "sidecar"}],
        },
    ),
]
