"""ElastiCache case: a single-node Redis cluster (a replication group's nodes are skipped)."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _cluster(account: Any) -> Built:
    name = unique("cache")[:40]
    cluster = account.client("elasticache").create_cache_cluster(
        CacheClusterId=name,
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        SnapshotRetentionLimit=3,
        PreferredAvailabilityZone="us-east-1a",
        LogDeliveryConfigurations=[
            {
                "LogType": "slow-log",
                "DestinationType": "cloudwatch-logs",
                "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "cache-slow"}},
                "LogFormat": "json",
            }
        ],
        Tags=[{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()],
    )["CacheCluster"]
    described = account.client("elasticache").describe_cache_clusters(CacheClusterId=name)[
        "CacheClusters"
    ][0]
    state = {
        "id": name,
        "cluster_id": name,
        "arn": cluster.get("ARN", ""),
        "engine": "redis",
        # a family: compared by its major version
        "engine_version": "7.x",
        "engine_version_actual": described.get("EngineVersion", ""),
        "node_type": "cache.t3.micro",
        "num_cache_nodes": 1,
        "parameter_group_name": (described.get("CacheParameterGroup") or {}).get(
            "CacheParameterGroupName", ""
        ),
        "subnet_group_name": described.get("CacheSubnetGroupName", ""),
        "security_group_ids": [],
        "maintenance_window": described.get("PreferredMaintenanceWindow", ""),
        "snapshot_window": described.get("SnapshotWindow", ""),
        "snapshot_retention_limit": 3,
        "notification_topic_arn": "",
        "auto_minor_version_upgrade": "true",
        "transit_encryption_enabled": False,
        "network_type": described.get("NetworkType", ""),
        "ip_discovery": described.get("IpDiscovery", ""),
        "availability_zone": "us-east-1a",
        "log_delivery_configuration": [
            {
                "destination": "cache-slow",
                "destination_type": "cloudwatch-logs",
                "log_format": "json",
                "log_type": "slow-log",
            }
        ],
        "port": 6379,
        "preferred_availability_zones": [],
        "az_mode": "single-az",
        "apply_immediately": None,
        "replication_group_id": "",
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_elasticache_cluster", "c", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_elasticache_cluster",
        build=_cluster,
        # another family (the generic change keeps the major version)
        mutations={"engine_version": "6.x"},
        not_answered=frozenset({"port", "preferred_availability_zones"}),
    )
]
