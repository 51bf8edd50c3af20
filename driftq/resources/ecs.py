"""ECS clusters (`aws_ecs_cluster`), keyed by name, imported by name.

ListClusters names the clusters; DescribeClusters describes up to 100 per call, with their
settings, configuration and tags (``include``): one call per hundred clusters, not one each.
An INACTIVE cluster (deleted, still answered for a while) is gone for Terraform.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import IDENTITY, because, common
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ResourceSpec, Tags

Item = dict[str, Any]


def _clusters(ctx: ScanContext) -> Iterator[Item]:
    arns = [
        a for page in ctx.pages("ecs", "ListClusters", {}) for a in page.get("clusterArns") or []
    ]
    for batch in batches(arns, 100):  # the call's limit
        params = {
            "clusters": batch,
            "include": ["SETTINGS", "CONFIGURATIONS", "TAGS"],
        }
        for page in ctx.pages("ecs", "DescribeClusters", params, paginated=False):
            yield from page.get("clusters") or []


def _cluster(item: Item, ctx: ScanContext) -> Attrs | None:
    if item.get("status") == "INACTIVE":
        return None
    connect = item.get("serviceConnectDefaults") or {}
    return {
        "id": item["clusterName"],
        "name": item["clusterName"],
        "arn": item.get("clusterArn"),
        "setting": [
            {"name": s.get("name"), "value": s.get("value")} for s in item.get("settings") or []
        ],
        "service_connect_defaults": [{"namespace": connect["namespace"]}]
        if connect.get("namespace")
        else [],
        "configuration": _configuration(item.get("configuration") or {}),
    }


def _configuration(config: Item) -> list[Item]:
    execute = config.get("executeCommandConfiguration") or {}
    logs = execute.get("logConfiguration") or {}
    storage = config.get("managedStorageConfiguration") or {}
    out: Item = {}
    if execute:
        out["execute_command_configuration"] = [
            {
                "kms_key_id": execute.get("kmsKeyId") or "",
                "logging": execute.get("logging") or "",
                "log_configuration": [
                    {
                        "cloud_watch_encryption_enabled": bool(
                            logs.get("cloudWatchEncryptionEnabled")
                        ),
                        "cloud_watch_log_group_name": logs.get("cloudWatchLogGroupName") or "",
                        "s3_bucket_encryption_enabled": bool(logs.get("s3EncryptionEnabled")),
                        "s3_bucket_name": logs.get("s3BucketName") or "",
                        "s3_key_prefix": logs.get("s3KeyPrefix") or "",
                    }
                ]
                if logs
                else [],
            }
        ]
    if storage:
        out["managed_storage_configuration"] = [
            {
                "kms_key_id": storage.get("kmsKeyId") or "",
                "fargate_ephemeral_storage_kms_key_id": storage.get(
                    "fargateEphemeralStorageKmsKeyId"
                )
                or "",
            }
        ]
    return [out] if out else []


def _unset_defaults(value: Any) -> Any:
    # AWS's defaults as unset: `DEFAULT` logging (the task role's log settings), encryption
    # flags off; what is left empty is no configuration at all
    if isinstance(value, list):
        return [_unset_defaults(v) for v in value]
    if isinstance(value, dict):
        return {k: _unset_defaults(v) for k, v in value.items()}
    return "" if value in (False, "false", "DEFAULT") else value


def _settings(value: Any) -> Any:
    # `containerInsights = disabled` is what a cluster has when none was chosen
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [
        b
        for b in blocks
        if not (b.get("name") == "containerInsights" and b.get("value") == "disabled")
    ]


def _name(attrs: Attrs) -> str:
    # the state's id is the cluster ARN; its name is in both
    return str(attrs.get("name") or str(attrs.get("id") or "").rsplit("/", 1)[-1])


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ecs_cluster",
        service="ecs",
        enumerate=_clusters,
        operations=("ecs:ListClusters", "ecs:DescribeClusters"),
        tags=Tags(path="tags", key="key", value="value"),
        normalize=_cluster,
        compared=("setting", "service_connect_defaults", "configuration", "tags"),
        left_out=common("id", "region", "tags_all", "arn") | because(IDENTITY, "name"),
        value_forms={"setting": _settings, "configuration": _unset_defaults},
        identity=_name,
        import_id=_name,
        import_id_format="cluster name, e.g. apps",
    ),
]
