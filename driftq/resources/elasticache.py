"""ElastiCache clusters (`aws_elasticache_cluster`), keyed and imported by cluster id.

One paginated DescribeCacheClusters (with its nodes: ShowCacheNodeInfo) answers every
setting; tags come from the Resource
Groups Tagging API (one listing per region). The nodes of a replication group are clusters
too (`ReplicationGroupId` set): AWS makes them for the group, whose own type
(`aws_elasticache_replication_group`) manages them, so they are skipped here.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_EMULATED,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, tagging_api


def _cluster(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    if item.get("ReplicationGroupId") or item.get("CacheClusterStatus") == "deleting":
        return None
    topic = (item.get("NotificationConfiguration") or {}).get("TopicArn")
    return _nodes(item) | {
        "id": item["CacheClusterId"],
        "cluster_id": item["CacheClusterId"],
        "arn": item.get("ARN"),
        "engine": item.get("Engine"),
        "engine_version_actual": item.get("EngineVersion"),
        "node_type": item.get("CacheNodeType"),
        "num_cache_nodes": item.get("NumCacheNodes"),
        "parameter_group_name": (item.get("CacheParameterGroup") or {}).get(
            "CacheParameterGroupName"
        ),
        "subnet_group_name": item.get("CacheSubnetGroupName") or "",
        "security_group_ids": [
            g["SecurityGroupId"]
            for g in item.get("SecurityGroups") or []
            if g.get("SecurityGroupId")
        ],
        "maintenance_window": item.get("PreferredMaintenanceWindow") or "",
        "snapshot_window": item.get("SnapshotWindow") or "",
        "snapshot_retention_limit": item.get("SnapshotRetentionLimit") or 0,
        "notification_topic_arn": topic or "",
        "auto_minor_version_upgrade": str(bool(item.get("AutoMinorVersionUpgrade", True))).lower(),
        "transit_encryption_enabled": bool(item.get("TransitEncryptionEnabled")),
        "network_type": item.get("NetworkType") or "",
        "ip_discovery": item.get("IpDiscovery") or "",
        # the configured version is compared by its major version (it may be a family,
        # `6.x`); what runs exactly is engine_version_actual
        "engine_version": item.get("EngineVersion") or "",
        # a cross-AZ memcached cluster answers `Multiple`: no one zone
        "availability_zone": ""
        if item.get("PreferredAvailabilityZone") == "Multiple"
        else item.get("PreferredAvailabilityZone") or "",
        "log_delivery_configuration": [
            _log_delivery(c) for c in item.get("LogDeliveryConfigurations") or []
        ],
    }


def _nodes(item: dict[str, Any]) -> Attrs:
    """What the nodes say: the port the cluster listens on (a Memcached cluster's
    configuration endpoint, else its first node's) and each node's zone. Not set when AWS
    lists no nodes (a cluster still being created)."""
    nodes = item.get("CacheNodes") or []
    port = (item.get("ConfigurationEndpoint") or {}).get("Port") or next(
        (n["Endpoint"]["Port"] for n in nodes if (n.get("Endpoint") or {}).get("Port")), None
    )
    attrs: Attrs = {
        # a Memcached cluster's nodes spread over zones answer `Multiple`
        "az_mode": "cross-az"
        if item.get("PreferredAvailabilityZone") == "Multiple"
        else "single-az"
    }
    if port is not None:
        attrs["port"] = port
    if nodes:
        attrs["preferred_availability_zones"] = [
            n["CustomerAvailabilityZone"] for n in nodes if n.get("CustomerAvailabilityZone")
        ]
    return attrs


def _log_delivery(config: dict[str, Any]) -> dict[str, Any]:
    details = config.get("DestinationDetails") or {}
    destination = (details.get("CloudWatchLogsDetails") or {}).get("LogGroup") or (
        details.get("KinesisFirehoseDetails") or {}
    ).get("DeliveryStream")
    return {
        "destination": destination or "",
        "destination_type": config.get("DestinationType") or "",
        "log_format": config.get("LogFormat") or "",
        "log_type": config.get("LogType") or "",
    }


def _major(value: Any) -> Any:
    return str(value or "").split(".", 1)[0] or None


def _version(value: Any) -> Any:
    # `7.1` in the state covers the `7.1.0` AWS runs
    return str(value or "").removesuffix(".0") or None


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_elasticache_cluster",
        service="elasticache",
        list_call=ListCall(
            operation="DescribeCacheClusters",
            items="CacheClusters[]",
            params={"ShowCacheNodeInfo": True},
        ),
        # the service as filter: `elasticache:cluster` is AWS's type name, emulators differ
        tags=tagging_api("elasticache", key="ARN"),
        normalize=_cluster,
        compared=(
            "engine",
            "engine_version_actual",
            "node_type",
            "num_cache_nodes",
            "parameter_group_name",
            "subnet_group_name",
            "security_group_ids",
            "maintenance_window",
            "snapshot_window",
            "snapshot_retention_limit",
            "notification_topic_arn",
            "auto_minor_version_upgrade",
            "transit_encryption_enabled",
            "network_type",
            "ip_discovery",
            "engine_version",
            "availability_zone",
            "log_delivery_configuration",
            "port",
            "preferred_availability_zones",
            "az_mode",
            "tags",
        ),
        # the zones asked for the nodes (a Memcached setting, never read back by the
        # provider) and the zone mode (Memcached only; a Redis state leaves it empty) are
        # compared where the state sets them; when it does not, AWS chose
        compared_when_set=frozenset({"preferred_availability_zones", "az_mode"}),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "cluster_id")
        | because(
            COMPUTED,
            "cache_nodes",
            "cluster_address",
            "configuration_endpoint",
            "replication_group_id",
        )
        | because(TERRAFORM_ONLY, "apply_immediately", "final_snapshot_identifier")
        | because(WRITE_ONLY, "snapshot_arns", "snapshot_name")
        # outposts are not emulated
        | because(NOT_EMULATED, "outpost_mode", "preferred_outpost_arn"),
        value_forms={"engine_version_actual": _version, "engine_version": _major},
        not_emulated="cache nodes (`port`, `preferred_availability_zones`)",
        import_id_format="cluster id, e.g. my-cache",
    ),
]
