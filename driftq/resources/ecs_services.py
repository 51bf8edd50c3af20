"""ECS services (`aws_ecs_service`), keyed and imported by `cluster-name/service-name`.

ListClusters names the clusters (the cluster spec's call, sent once per unit); ListServices
names each cluster's services, and DescribeServices describes up to 10 of them per call
(the call's limit), tags included: one call per ten services, not one each. A service
deleted a moment ago is still answered, INACTIVE: gone for Terraform. A cluster deleted
between the listing and its calls has no services.

What AWS sets when nothing was chosen (a circuit breaker and alarms switched off, the ECS
deployment controller, `propagate_tags = NONE`, the ECS service-linked role) is "not set"
on both sides: provider versions differ in whether the state records it. So are the
rolling deployment strategy, rebalancing off, and a managed EBS volume's gp3/xfs defaults.

VPC Lattice and EBS volume settings are answered only per deployment: the PRIMARY
deployment's are the service's current ones (an ACTIVE one is a rollout still draining).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.attributes import IDENTITY, TERRAFORM_ONLY, because, common
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ResourceSpec, Tags
from driftq.values import canonical

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
        except ClientError as exc:
            if error_code(exc) != "ClusterNotFoundException":
                raise
            continue
        yield from _described(ctx, cluster, arns)


def _described(ctx: ScanContext, cluster: str, services: list[str]) -> Iterator[Item]:
    try:
        for batch in batches(services, _BATCH):
            params = {
                "cluster": cluster,
                "services": batch,
                "include": ["TAGS"],
            }
            for page in ctx.pages("ecs", "DescribeServices", params, paginated=False):
                yield from page.get("services") or []
    except ClientError as exc:
        if error_code(exc) != "ClusterNotFoundException":
            raise


def service_of_arn(arn: str) -> tuple[str, str] | None:
    """(cluster, service) of a service ARN in AWS's long form
    (`arn:aws:ecs:us-east-1:123456789012:service/web/api`); None for the old form, which
    names no cluster (`...:service/api`), or for an ARN of another kind."""
    if not arn.startswith("arn:") or ":service/" not in arn:
        return None
    parts = arn.split(":service/", 1)[1].split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def services_named(ctx: ScanContext, arns: Iterable[str]) -> Iterator[Item]:
    """These services only, as the listing gives them (a targeted scan's read): one
    DescribeServices per cluster. A service that is gone is answered as a failure, or
    INACTIVE, and a cluster that is gone has none: reported missing."""
    by_cluster: dict[str, list[str]] = {}
    for arn in sorted(set(arns)):
        named = service_of_arn(arn)
        if named is not None:
            by_cluster.setdefault(named[0], []).append(named[1])
    for cluster, names in by_cluster.items():
        yield from _described(ctx, cluster, names)


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
    attrs |= _deployment_settings(item, deployment)
    if daemon:
        # one task per instance: AWS counts the instances, the provider ignores the value
        del attrs["desired_count"]
    return attrs


def _primary(item: Item) -> Item:
    """The PRIMARY deployment: the service's current settings. DescribeServices answers
    VPC Lattice and EBS volume settings only per deployment (an older, ACTIVE one is a
    rollout still draining)."""
    for deployment in item.get("deployments") or []:
        if deployment.get("status") == "PRIMARY":
            return dict(deployment)
    return {}


def _deployment_settings(item: Item, deployment: Item) -> Attrs:
    attrs: Attrs = {
        "deployment_configuration": [
            {
                "strategy": deployment.get("strategy") or "",
                "bake_time_in_minutes": deployment.get("bakeTimeInMinutes"),
                "lifecycle_hook": [
                    {
                        "hook_target_arn": h.get("hookTargetArn") or "",
                        "role_arn": h.get("roleArn") or "",
                        "lifecycle_stages": h.get("lifecycleStages") or [],
                        "hook_details": h.get("hookDetails"),
                    }
                    for h in deployment.get("lifecycleHooks") or []
                ],
                "linear_configuration": _renamed(
                    deployment.get("linearConfiguration"),
                    step_percent="stepPercent",
                    step_bake_time_in_minutes="stepBakeTimeInMinutes",
                ),
                "canary_configuration": _renamed(
                    deployment.get("canaryConfiguration"),
                    canary_percent="canaryPercent",
                    canary_bake_time_in_minutes="canaryBakeTimeInMinutes",
                ),
            }
        ],
    }
    # AWS always answers it (moto does not)
    attrs["availability_zone_rebalancing"] = item.get("availabilityZoneRebalancing") or ""
    primary = _primary(item)
    attrs["vpc_lattice_configurations"] = [
        {
            "role_arn": c.get("roleArn") or "",
            "target_group_arn": c.get("targetGroupArn") or "",
            "port_name": c.get("portName") or "",
        }
        for c in primary.get("vpcLatticeConfigurations") or []
    ]
    attrs["volume_configuration"] = [
        {"name": v.get("name"), "managed_ebs_volume": _ebs(v.get("managedEBSVolume"))}
        for v in primary.get("volumeConfigurations") or []
    ]
    attrs["service_connect_configuration"] = _service_connect(
        primary.get("serviceConnectConfiguration")
    )
    return attrs


def _service_connect(config: Item | None) -> list[Item]:
    if not config:
        return []
    logs = config.get("logConfiguration") or {}
    return [
        {
            "enabled": bool(config.get("enabled")),
            "namespace": config.get("namespace") or "",
            "log_configuration": [
                {
                    "log_driver": logs.get("logDriver") or "",
                    "options": logs.get("options") or {},
                    "secret_option": [
                        {"name": o.get("name") or "", "value_from": o.get("valueFrom") or ""}
                        for o in logs.get("secretOptions") or []
                    ],
                }
            ]
            if logs
            else [],
            "service": [_connect_service(s) for s in config.get("services") or []],
        }
    ]


def _connect_service(service: Item) -> Item:
    timeout = service.get("timeout") or {}
    tls = service.get("tls") or {}
    authority = tls.get("issuerCertificateAuthority") or {}
    return {
        "port_name": service.get("portName") or "",
        "discovery_name": service.get("discoveryName") or "",
        "ingress_port_override": service.get("ingressPortOverride"),
        "client_alias": [
            {"port": a.get("port"), "dns_name": a.get("dnsName") or ""}
            for a in service.get("clientAliases") or []
        ],
        "timeout": [
            {
                "idle_timeout_seconds": timeout.get("idleTimeoutSeconds"),
                "per_request_timeout_seconds": timeout.get("perRequestTimeoutSeconds"),
            }
        ]
        if timeout
        else [],
        "tls": [
            {
                "issuer_cert_authority": [
                    {"aws_pca_authority_arn": authority.get("awsPcaAuthorityArn") or ""}
                ],
                "kms_key": tls.get("kmsKey") or "",
                "role_arn": tls.get("roleArn") or "",
            }
        ]
        if tls
        else [],
    }


def _covers(expected: Any, actual: Any) -> bool:
    """Whether ``actual`` has every value ``expected`` sets: members the state leaves empty
    are AWS's (a client alias's DNS name defaults to the port name, ...). Lists of blocks
    pair up one to one; other lists compare as multisets."""
    if canonical(expected) is None:
        return True
    if isinstance(expected, dict):
        other = actual if isinstance(actual, dict) else {}
        return all(_covers(v, other.get(k)) for k, v in expected.items())
    if isinstance(expected, list) and any(isinstance(e, dict) for e in expected):
        left = [a for a in actual or [] if canonical(a) is not None]
        wanted = [e for e in expected if canonical(e) is not None]
        if len(left) != len(wanted):
            return False
        for entry in wanted:
            match = next((a for a in left if _covers(entry, a)), None)
            if match is None:
                return False
            left.remove(match)
        return True
    return canonical(expected) == canonical(actual)


def _connect_on(value: Any) -> Any:
    # a disabled Service Connect block is none
    blocks = value if isinstance(value, list) else []
    return [
        b for b in blocks if not isinstance(b, dict) or b.get("enabled") not in (False, "false")
    ]


def _same_connect(expected: Any, actual: Any) -> bool:
    """The provider never reads Service Connect back: the state holds what was configured,
    AWS answers it with its defaults filled in (the namespace as an ARN where the
    configuration may name it)."""
    expected, actual = _connect_on(expected), _connect_on(actual)
    if not expected or not actual:
        return not expected and not actual
    wanted = dict(expected[0]) if isinstance(expected[0], dict) else {}
    namespace = str(wanted.get("namespace") or "")
    if namespace and not namespace.startswith("arn:"):
        # a namespace by name: AWS answers its ARN (which ends in its id, not its name)
        wanted.pop("namespace")
    # the provider writes 0 for an ingress port it was not given (no override)
    wanted["service"] = [
        {k: v for k, v in b.items() if not (k == "ingress_port_override" and v in (0, "0"))}
        if isinstance(b, dict)
        else b
        for b in wanted.get("service") or []
    ]
    return len(expected) == len(actual) == 1 and _covers(wanted, actual[0])


def _ebs(ebs: Item | None) -> list[Item]:
    if not ebs:
        return []
    return [
        {
            "role_arn": ebs.get("roleArn") or "",
            "encrypted": ebs.get("encrypted"),
            "kms_key_id": ebs.get("kmsKeyId") or "",
            "volume_type": ebs.get("volumeType") or "",
            "size_in_gb": ebs.get("sizeInGiB"),
            "snapshot_id": ebs.get("snapshotId") or "",
            "volume_initialization_rate": ebs.get("volumeInitializationRate"),
            "iops": ebs.get("iops"),
            "throughput": ebs.get("throughput"),
            "file_system_type": ebs.get("filesystemType") or "",
            "tag_specifications": [
                {
                    "resource_type": t.get("resourceType") or "",
                    "propagate_tags": t.get("propagateTags") or "",
                    "tags": {g.get("key"): g.get("value") for g in t.get("tags") or []},
                }
                for t in ebs.get("tagSpecifications") or []
            ],
        }
    ]


# what AWS (or the provider's default) sets on a managed EBS volume nothing was chosen for
_EBS_DEFAULTS = {"volume_type": "gp3", "file_system_type": "xfs", "propagate_tags": "NONE"}


def volume_configuration(value: Any) -> Any:
    """The volume's EBS settings without AWS's defaults."""
    if not isinstance(value, list):
        return value
    return [_ebs_without_defaults(b) if isinstance(b, dict) else b for b in value]


def _ebs_without_defaults(block: Item) -> Item:
    def strip(entry: Any) -> Any:
        if not isinstance(entry, dict):
            return entry
        return {k: v for k, v in entry.items() if _EBS_DEFAULTS.get(k, ...) != v}

    return {
        **block,
        "managed_ebs_volume": [
            {
                **strip(ebs),
                "tag_specifications": [strip(t) for t in ebs.get("tag_specifications") or []],
            }
            if isinstance(ebs, dict)
            else ebs
            for ebs in block.get("managed_ebs_volume") or []
        ],
    }


def _renamed(block: Item | None, **names: str) -> list[Item]:
    return [{ours: block.get(theirs) for ours, theirs in names.items()}] if block else []


def _hook_details(value: Any) -> Any:
    # a JSON document: the provider keeps the text as written, AWS answers the document
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else None
        except ValueError:
            return value
    return None if value is None else json.dumps(value, sort_keys=True)


def deployment_configuration(value: Any) -> Any:
    """The block without the rolling strategy, every service's unless another was chosen;
    a lifecycle hook's details as one JSON form."""
    if not isinstance(value, list):
        return value
    out = []
    for block in value:
        if not isinstance(block, dict):
            out.append(block)
            continue
        kept = {k: v for k, v in block.items() if not (k == "strategy" and v == "ROLLING")}
        kept["lifecycle_hook"] = [
            {**h, "hook_details": _hook_details(h.get("hook_details"))}
            if isinstance(h, dict)
            else h
            for h in block.get("lifecycle_hook") or []
        ]
        out.append(kept)
    return out


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
            "availability_zone_rebalancing",
            "deployment_configuration",
            "vpc_lattice_configurations",
            "volume_configuration",
            "service_connect_configuration",
            "tags",
        ),
        equal_when={"service_connect_configuration": _same_connect},
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "cluster", "name")
        | because(
            TERRAFORM_ONLY,
            "force_delete",
            "force_new_deployment",
            "sigint_rollback",
            "triggers",
            "wait_for_steady_state",
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
            "deployment_configuration": deployment_configuration,
            "volume_configuration": volume_configuration,
            "service_connect_configuration": _connect_on,
            # rebalancing off is the provider's default, and moto's (it answers none)
            "availability_zone_rebalancing": lambda v: None if v in (None, "", "DISABLED") else v,
        },
        identity=_key,
        import_id=_key,
        import_id_format="cluster name/service name, e.g. apps/web",
    ),
]
