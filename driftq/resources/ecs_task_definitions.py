"""ECS task definitions (`aws_ecs_task_definition`), keyed and imported by revision ARN.

ListTaskDefinitions (ACTIVE ones) names every revision; only each family's latest is
described (DescribeTaskDefinition with its tags; AWS has no batch form). A revision is
immutable once registered, so an older ACTIVE revision needs no description: it exists,
which is all a state holding it needs (its tags are not compared), and outside any state
it is silent: deploy pipelines register revisions, and only the latest of a family is
reported unmanaged. A deregistered (INACTIVE) revision is gone for Terraform.

`container_definitions` is a JSON string. AWS answers it with its defaults filled in
(`essential = true`, `cpu = 0`, empty `mountPoints`/`volumesFrom`/`environment`, a port
mapping's `protocol = tcp` and `hostPort`, a health check's interval, timeout and retries);
provider 3.x keeps the JSON as written, 5.x what AWS answered. Both sides are compared in
one canonical form without those defaults.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ResourceSpec, Tags
from driftq.values import canonical

Item = dict[str, Any]
_STUB = "_older_revision"  # an older ACTIVE revision, listed but not described


def _family_revision(arn: str) -> tuple[str, int]:
    family, _, revision = arn.rsplit("/", 1)[-1].rpartition(":")
    return family, int(revision) if revision.isdigit() else 0


def family_of(revision: str) -> str:
    """The family a revision (`web:3`, its ARN) or a family name (`web`) names."""
    return revision.rsplit("/", 1)[-1].split(":", 1)[0]


def _task_definitions(ctx: ScanContext) -> Iterator[Item]:
    arns = [
        a
        for page in ctx.pages("ecs", "ListTaskDefinitions", {"status": "ACTIVE"})
        for a in page.get("taskDefinitionArns") or []
    ]
    return _described(ctx, arns)


def families_named(ctx: ScanContext, families: Iterable[str]) -> Iterator[Item]:
    """The revisions of these families only, as the listing gives them (a targeted scan's
    read): ListTaskDefinitions by family prefix, a superset narrowed to the family."""
    arns: list[str] = []
    for family in sorted(set(families)):
        params = {"status": "ACTIVE", "familyPrefix": family}
        arns += [
            a
            for page in ctx.pages("ecs", "ListTaskDefinitions", params)
            for a in page.get("taskDefinitionArns") or []
            if _family_revision(a)[0] == family
        ]
    return _described(ctx, arns)


def _described(ctx: ScanContext, arns: list[str]) -> Iterator[Item]:
    latest: dict[str, int] = {}
    for arn in arns:
        family, revision = _family_revision(arn)
        latest[family] = max(latest.get(family, 0), revision)
    for arn in arns:
        family, revision = _family_revision(arn)
        if revision < latest[family]:
            yield {"taskDefinitionArn": arn, "family": family, "revision": revision, _STUB: True}
            continue
        params = {"taskDefinition": arn, "include": ["TAGS"]}
        for page in ctx.pages("ecs", "DescribeTaskDefinition", params, paginated=False):
            if page.get("taskDefinition"):
                yield {**page["taskDefinition"], "tags": page.get("tags") or []}


def _task_definition(item: Item, ctx: ScanContext) -> Attrs | None:
    arn = item["taskDefinitionArn"]
    attrs: Attrs = {
        "id": item["family"],
        "arn": arn,
        "family": item["family"],
        "revision": item.get("revision"),
    }
    if item.get(_STUB):
        return attrs
    if item.get("status") == "INACTIVE":
        return None
    platform = item.get("runtimePlatform") or {}
    storage = (item.get("ephemeralStorage") or {}).get("sizeInGiB")
    return attrs | {
        # AWS's own JSON: the value form below puts both sides in one shape
        "container_definitions": json.dumps(item.get("containerDefinitions") or []),
        "cpu": item.get("cpu") or "",
        "memory": item.get("memory") or "",
        "network_mode": item.get("networkMode") or "",
        "ipc_mode": item.get("ipcMode") or "",
        "pid_mode": item.get("pidMode") or "",
        "execution_role_arn": item.get("executionRoleArn") or "",
        "task_role_arn": item.get("taskRoleArn") or "",
        "requires_compatibilities": list(item.get("requiresCompatibilities") or []),
        "enable_fault_injection": bool(item.get("enableFaultInjection")),
        "placement_constraints": [
            {"type": c.get("type"), "expression": c.get("expression") or ""}
            for c in item.get("placementConstraints") or []
        ],
        "runtime_platform": [
            {
                "operating_system_family": platform.get("operatingSystemFamily") or "",
                "cpu_architecture": platform.get("cpuArchitecture") or "",
            }
        ]
        if platform
        else [],
        "ephemeral_storage": [{"size_in_gib": storage}] if storage else [],
        "volume": [_volume(v) for v in item.get("volumes") or []],
        "proxy_configuration": _proxy(item.get("proxyConfiguration")),
    }


def _volume(volume: Item) -> Item:
    """A `volume` block as the provider writes it from DescribeTaskDefinition's answer."""
    out: Item = {
        "name": volume.get("name"),
        "host_path": (volume.get("host") or {}).get("sourcePath") or "",
        "configure_at_launch": bool(volume.get("configuredAtLaunch")),
    }
    docker = volume.get("dockerVolumeConfiguration")
    if docker:
        out["docker_volume_configuration"] = [
            {
                "scope": docker.get("scope") or "",
                "autoprovision": bool(docker.get("autoprovision")),
                "driver": docker.get("driver") or "",
                "driver_opts": docker.get("driverOpts") or {},
                "labels": docker.get("labels") or {},
            }
        ]
    efs = volume.get("efsVolumeConfiguration")
    if efs:
        auth = efs.get("authorizationConfig") or {}
        out["efs_volume_configuration"] = [
            {
                "file_system_id": efs.get("fileSystemId"),
                "root_directory": efs.get("rootDirectory") or "",
                "transit_encryption": efs.get("transitEncryption") or "",
                "transit_encryption_port": efs.get("transitEncryptionPort") or 0,
                "authorization_config": [
                    {
                        "access_point_id": auth.get("accessPointId") or "",
                        "iam": auth.get("iam") or "",
                    }
                ]
                if auth
                else [],
            }
        ]
    fsx = volume.get("fsxWindowsFileServerVolumeConfiguration")
    if fsx:
        auth = fsx.get("authorizationConfig") or {}
        out["fsx_windows_file_server_volume_configuration"] = [
            {
                "file_system_id": fsx.get("fileSystemId"),
                "root_directory": fsx.get("rootDirectory") or "",
                "authorization_config": [
                    {
                        "credentials_parameter": auth.get("credentialsParameter") or "",
                        "domain": auth.get("domain") or "",
                    }
                ]
                if auth
                else [],
            }
        ]
    return out


def _proxy(proxy: Item | None) -> list[Item]:
    if not proxy:
        return []
    return [
        {
            "type": proxy.get("type") or "",
            "container_name": proxy.get("containerName") or "",
            # the provider keeps the name/value list as a map
            "properties": {p.get("name"): p.get("value") for p in proxy.get("properties") or []},
        }
    ]


# AWS's defaults in a volume's blocks, "not set" on both sides: an EFS volume's root
# directory and (off) transit encryption and IAM authorization, a Docker volume's task scope
_VOLUME_DEFAULTS: dict[str, dict[str, Any]] = {
    "docker_volume_configuration": {"scope": "task", "autoprovision": False},
    "efs_volume_configuration": {
        "root_directory": "/",
        "transit_encryption": "DISABLED",
        "transit_encryption_port": 0,
    },
    "authorization_config": {"iam": "DISABLED"},
    "": {"configure_at_launch": False},
}


def _without_defaults(block: Any, defaults: dict[str, Any]) -> Any:
    if not isinstance(block, dict):
        return block
    out: Item = {}
    for key, value in block.items():
        if key in defaults and canonical(value) == canonical(defaults[key]):
            continue
        if isinstance(value, list):
            nested = _VOLUME_DEFAULTS.get(key, {})
            value = [_without_defaults(v, nested) for v in value]
        out[key] = value
    return out


def volumes(value: Any) -> Any:
    """Volumes without AWS's defaults (a set: compared whatever the order)."""
    if not isinstance(value, list):
        return value
    return [_without_defaults(v, _VOLUME_DEFAULTS[""]) for v in value]


def proxy_configuration(value: Any) -> Any:
    """The proxy block without the provider's default type (APPMESH, the only one)."""
    if not isinstance(value, list):
        return value
    return [
        {k: v for k, v in b.items() if not (k == "type" and v == "APPMESH")}
        if isinstance(b, dict)
        else b
        for b in value
    ]


# AWS's defaults in a container definition (its health check's, its port mappings')
_CONTAINER_DEFAULTS = {"essential": True, "cpu": 0}
_HEALTH_CHECK_DEFAULTS = {"interval": 30, "timeout": 5, "retries": 3}
# lists whose order means nothing (`command`, `entryPoint`, `links` keep theirs)
_UNORDERED = (
    "dependsOn",
    "environment",
    "environmentFiles",
    "extraHosts",
    "mountPoints",
    "portMappings",
    "secrets",
    "systemControls",
    "ulimits",
    "volumesFrom",
)


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def _port_mapping(mapping: Any) -> Any:
    if not isinstance(mapping, dict):
        return mapping
    out = {k: v for k, v in mapping.items() if not (k == "protocol" and v == "tcp")}
    # AWS writes the container port as host port in awsvpc and host modes, and 0 (a dynamic
    # port) in bridge mode when none was given
    if out.get("hostPort") in (0, out.get("containerPort")):
        out.pop("hostPort", None)
    return out


def _container(container: Any) -> Any:
    if not isinstance(container, dict):
        return container
    out = {k: v for k, v in container.items() if _CONTAINER_DEFAULTS.get(k, ...) != v}
    out["portMappings"] = [_port_mapping(m) for m in out.get("portMappings") or []]
    check = out.get("healthCheck")
    if isinstance(check, dict):
        out["healthCheck"] = {
            k: v for k, v in check.items() if _HEALTH_CHECK_DEFAULTS.get(k, ...) != v
        }
    out = _without_empty(out)
    for key in _UNORDERED:
        if isinstance(out.get(key), list):
            out[key] = sorted(out[key], key=lambda e: json.dumps(e, sort_keys=True))
    return out


def container_definitions(value: Any) -> Any:
    """One canonical JSON text for a `container_definitions` value, without AWS's
    defaults; a value that is not JSON is left as it is (it differs from any JSON)."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            return value
    if not isinstance(value, list):
        return value
    containers = [_container(c) for c in value]
    containers.sort(key=lambda c: str(c.get("name")) if isinstance(c, dict) else "")
    return json.dumps(containers, sort_keys=True, separators=(",", ":")) if containers else ""


def _network_mode(value: Any) -> Any:
    # bridge is a Linux task's mode when none is given; provider versions differ in whether
    # the state records it
    return None if value in (None, "", "bridge") else value


def _arn(attrs: Attrs) -> str:
    return str(attrs.get("arn") or "")


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ecs_task_definition",
        service="ecs",
        enumerate=_task_definitions,
        operations=("ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition"),
        # an older revision's tags are not read (it is not described)
        tags=Tags(path="tags", key="key", value="value", when=lambda item, _: not item.get(_STUB)),
        normalize=_task_definition,
        compared=(
            "container_definitions",
            "cpu",
            "memory",
            "network_mode",
            "ipc_mode",
            "pid_mode",
            "execution_role_arn",
            "task_role_arn",
            "requires_compatibilities",
            "enable_fault_injection",
            "placement_constraints",
            "runtime_platform",
            "ephemeral_storage",
            "volume",
            "proxy_configuration",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn")
        | because(IDENTITY, "family")
        | because(COMPUTED, "revision", "arn_without_revision")
        | because(TERRAFORM_ONLY, "skip_destroy", "track_latest"),
        value_forms={
            "container_definitions": container_definitions,
            "network_mode": _network_mode,
            "volume": volumes,
            "proxy_configuration": proxy_configuration,
        },
        identity=_arn,
        import_id=_arn,
        # older revisions are listed, not described: silent unless a state holds them
        is_aws_default=lambda attrs: "container_definitions" not in attrs,
        import_id_format="task definition revision ARN, e.g. arn:aws:ecs:...:task-definition/web:12",
    ),
]
