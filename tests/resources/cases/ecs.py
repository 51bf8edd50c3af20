"""ECS case: a cluster with Container Insights on."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _cluster(account: Any) -> Built:
    name = unique("apps")
    cluster = account.client("ecs").create_cluster(
        clusterName=name,
        settings=[{"name": "containerInsights", "value": "enabled"}],
        tags=[{"key": k, "value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()],
    )["cluster"]
    state = {
        "id": cluster["clusterArn"],
        "arn": cluster["clusterArn"],
        "name": name,
        "setting": [{"name": "containerInsights", "value": "enabled"}],
        "configuration": [],
        "service_connect_defaults": [],
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_ecs_cluster", "c", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_ecs_cluster",
        build=_cluster,
        mutations={"service_connect_defaults": [{"namespace": "arn:aws:servicediscovery:x"}]},
    )
]
