"""An EKS cluster's hybrid-node networks (`remote_network_config`) on recorded DescribeCluster
answers (botocore's shape): none is silent against the provider's empty block, CIDRs
compare as sets, and a network changed outside Terraform is drift."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted


def _cluster(remote: dict[str, Any] | None) -> dict[str, Any]:
    cluster: dict[str, Any] = {"name": "prod", "status": "ACTIVE"}
    if remote is not None:
        cluster["remoteNetworkConfig"] = remote
    return {"Name": "prod", "Cluster": cluster}


REMOTE = {
    "remoteNodeNetworks": [{"cidrs": ["10.80.0.0/16", "10.81.0.0/16"]}],
    "remotePodNetworks": [{"cidrs": ["10.90.0.0/16"]}],
}
STATE = [
    {
        "remote_node_networks": [{"cidrs": ["10.81.0.0/16", "10.80.0.0/16"]}],
        "remote_pod_networks": [{"cidrs": ["10.90.0.0/16"]}],
    }
]


def test_no_hybrid_networks_is_silent() -> None:
    state = {"id": "prod", "remote_network_config": []}
    assert drifted("aws_eks_cluster", _cluster(None), state) == []
    assert drifted("aws_eks_cluster", _cluster({"remoteNodeNetworks": []}), state) == []


def test_networks_match_in_any_order() -> None:
    state = {"id": "prod", "remote_network_config": STATE}
    assert drifted("aws_eks_cluster", _cluster(REMOTE), state) == []


def test_a_pod_network_changed_or_added_is_drift() -> None:
    state = {"id": "prod", "remote_network_config": STATE}
    other = {**REMOTE, "remotePodNetworks": [{"cidrs": ["10.91.0.0/16"]}]}
    assert drifted("aws_eks_cluster", _cluster(other), state) == ["remote_network_config"]
    empty = {"id": "prod", "remote_network_config": []}
    assert drifted("aws_eks_cluster", _cluster(REMOTE), empty) == ["remote_network_config"]
