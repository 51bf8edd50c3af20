"""An ElastiCache cluster's port, node zones and zone mode, on recorded DescribeCacheClusters
answers with ShowCacheNodeInfo (botocore's shape): the emulator lists no cache nodes."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted


def _memcached(zones: list[str], port: int = 11211, **extra: Any) -> dict[str, Any]:
    return {
        "CacheClusterId": "sessions",
        "Engine": "memcached",
        "NumCacheNodes": len(zones),
        "PreferredAvailabilityZone": "Multiple" if len(set(zones)) > 1 else zones[0],
        "ConfigurationEndpoint": {"Address": "sessions.cfg.use1.cache.amazonaws.com", "Port": port},
        "CacheNodes": [
            {
                "CacheNodeId": f"000{i + 1}",
                "Endpoint": {"Address": f"sessions.000{i + 1}.cache.amazonaws.com", "Port": port},
                "CustomerAvailabilityZone": zone,
            }
            for i, zone in enumerate(zones)
        ],
        **extra,
    }


def _redis(port: int) -> dict[str, Any]:
    return {
        "CacheClusterId": "cache",
        "Engine": "redis",
        "NumCacheNodes": 1,
        "PreferredAvailabilityZone": "us-east-1a",
        "CacheNodes": [
            {
                "CacheNodeId": "0001",
                "Endpoint": {"Address": "cache.0001.cache.amazonaws.com", "Port": port},
                "CustomerAvailabilityZone": "us-east-1a",
            }
        ],
    }


CROSS = {
    "id": "sessions",
    "port": 11211,
    "az_mode": "cross-az",
    "preferred_availability_zones": ["us-east-1b", "us-east-1a"],
}


def test_matching_memcached_cluster_is_clean() -> None:
    assert drifted("aws_elasticache_cluster", _memcached(["us-east-1a", "us-east-1b"]), CROSS) == []


def test_zones_left_to_aws_are_silent() -> None:
    # a Redis state: no zone mode, no zones asked; a 3.x state without them at all
    state = {"id": "cache", "port": 6379, "az_mode": "", "preferred_availability_zones": []}
    assert drifted("aws_elasticache_cluster", _redis(6379), state) == []
    assert drifted("aws_elasticache_cluster", _redis(6379), {"id": "cache"}) == []


def test_port_changed_is_drift() -> None:
    assert drifted("aws_elasticache_cluster", _redis(6380), {"id": "cache", "port": 6379}) == [
        "port"
    ]
    assert drifted(
        "aws_elasticache_cluster", _memcached(["us-east-1a", "us-east-1b"], port=11212), CROSS
    ) == ["port"]


def test_nodes_in_other_zones_are_drift() -> None:
    # the nodes replaced into one zone: both the zones and the mode differ
    found = drifted("aws_elasticache_cluster", _memcached(["us-east-1a", "us-east-1a"]), CROSS)
    assert found == ["az_mode", "preferred_availability_zones"]


def test_a_cluster_listed_without_nodes_compares_no_port() -> None:
    item = {**_redis(6379), "CacheNodes": []}
    assert drifted("aws_elasticache_cluster", item, {"id": "cache", "port": 6390}) == []
