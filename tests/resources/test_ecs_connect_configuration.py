"""ECS Service Connect (the PRIMARY deployment's serviceConnectConfiguration) and a cluster's
execute-command and managed-storage configuration, on recorded DescribeServices /
DescribeClusters answers (botocore's shapes): moto answers no Service Connect, and its
clusters answer what they were given, not AWS's defaults."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted

CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/apps"
SERVICE = "arn:aws:ecs:us-east-1:123456789012:service/apps/web"
NAMESPACE = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789"


def _service(connect: dict[str, Any] | None) -> dict[str, Any]:
    primary: dict[str, Any] = {"status": "PRIMARY", "id": "ecs-svc/1"}
    if connect is not None:
        primary["serviceConnectConfiguration"] = connect
    draining = {"status": "ACTIVE", "serviceConnectConfiguration": {"enabled": False}}
    return {
        "serviceArn": SERVICE,
        "serviceName": "web",
        "clusterArn": CLUSTER,
        "deployments": [primary, draining],
    }


# as AWS answers it: the namespace's ARN, the discovery name and alias DNS name filled in
ANSWERED = {
    "enabled": True,
    "namespace": NAMESPACE,
    "services": [
        {
            "portName": "http",
            "discoveryName": "http",
            "clientAliases": [{"port": 8080, "dnsName": "http.internal"}],
            "timeout": {"idleTimeoutSeconds": 3600, "perRequestTimeoutSeconds": 15},
        }
    ],
    "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/connect"}},
}
# as the configuration set it (the provider never reads it back)
CONFIGURED = [
    {
        "enabled": True,
        "namespace": "internal",
        "log_configuration": [
            {
                "log_driver": "awslogs",
                "options": {"awslogs-group": "/ecs/connect"},
                "secret_option": [],
            }
        ],
        "service": [
            {
                "port_name": "http",
                "discovery_name": "",
                "ingress_port_override": 0,
                "client_alias": [{"port": 8080, "dns_name": ""}],
                "timeout": [],
                "tls": [],
            }
        ],
    }
]


def _state(connect: Any) -> dict[str, Any]:
    return {"id": SERVICE, "service_connect_configuration": connect}


def test_configured_service_connect_matches_what_aws_fills_in() -> None:
    assert drifted("aws_ecs_service", _service(ANSWERED), _state(CONFIGURED)) == []
    by_arn = [{**CONFIGURED[0], "namespace": NAMESPACE}]
    assert drifted("aws_ecs_service", _service(ANSWERED), _state(by_arn)) == []


def test_none_configured_and_none_or_disabled_answered_is_silent() -> None:
    assert drifted("aws_ecs_service", _service(None), _state([])) == []
    assert drifted("aws_ecs_service", _service({"enabled": False}), _state([])) == []
    assert drifted("aws_ecs_service", _service(ANSWERED), {"id": SERVICE}) == []


def test_changed_port_or_namespace_is_drift() -> None:
    moved = {
        **ANSWERED,
        "services": [{**ANSWERED["services"][0], "clientAliases": [{"port": 9090}]}],
    }
    assert drifted("aws_ecs_service", _service(moved), _state(CONFIGURED)) == [
        "service_connect_configuration"
    ]
    other = NAMESPACE.replace("abcdef", "fedcba")
    by_arn = [{**CONFIGURED[0], "namespace": other}]
    assert drifted("aws_ecs_service", _service(ANSWERED), _state(by_arn)) == [
        "service_connect_configuration"
    ]


def test_switched_on_or_off_outside_terraform_is_drift() -> None:
    assert drifted("aws_ecs_service", _service(ANSWERED), _state([])) == [
        "service_connect_configuration"
    ]
    assert drifted("aws_ecs_service", _service({"enabled": False}), _state(CONFIGURED)) == [
        "service_connect_configuration"
    ]


def _cluster(configuration: dict[str, Any] | None) -> dict[str, Any]:
    item: dict[str, Any] = {"clusterArn": CLUSTER, "clusterName": "apps", "status": "ACTIVE"}
    if configuration is not None:
        item["configuration"] = configuration
    return item


def test_cluster_default_execute_command_logging_is_no_configuration() -> None:
    default = {"executeCommandConfiguration": {"logging": "DEFAULT"}}
    state = {"id": CLUSTER, "name": "apps", "configuration": []}
    assert drifted("aws_ecs_cluster", _cluster(default), state) == []
    assert drifted("aws_ecs_cluster", _cluster(None), state) == []
    written = [
        {
            "execute_command_configuration": [
                {"kms_key_id": "", "logging": "DEFAULT", "log_configuration": []}
            ],
            "managed_storage_configuration": [],
        }
    ]
    assert drifted("aws_ecs_cluster", _cluster(None), {**state, "configuration": written}) == []


def test_cluster_storage_key_changed_is_drift() -> None:
    storage = {"managedStorageConfiguration": {"fargateEphemeralStorageKmsKeyId": "key-2"}}
    state = {
        "id": CLUSTER,
        "name": "apps",
        "configuration": [
            {
                "managed_storage_configuration": [
                    {"fargate_ephemeral_storage_kms_key_id": "key-1", "kms_key_id": ""}
                ]
            }
        ],
    }
    assert drifted("aws_ecs_cluster", _cluster(storage), state) == ["configuration"]
    logging_on = {"executeCommandConfiguration": {"logging": "NONE"}}
    assert drifted("aws_ecs_cluster", _cluster(logging_on), {**state, "configuration": []}) == [
        "configuration"
    ]
