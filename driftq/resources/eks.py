"""EKS clusters (`aws_eks_cluster`), keyed and imported by name.

ListClusters names them; DescribeCluster is one call per cluster (EKS has no batch read;
accounts hold few clusters). Its answer carries the tags.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_EMULATED,
    TERRAFORM_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.ec2_launch_template_data import Field, Fields, convert, project
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags

# the Terraform blocks' members and their names in DescribeCluster's answer
_ENCRYPTION_FIELDS: Fields = {
    "resources": "resources",
    "provider": ("provider", False, {"key_arn": "keyArn"}),
}
_NETWORK_FIELDS: Fields = {
    "service_ipv4_cidr": "serviceIpv4Cidr",
    "service_ipv6_cidr": "serviceIpv6Cidr",
    "ip_family": "ipFamily",
    "elastic_load_balancing": ("elasticLoadBalancing", False, {"enabled": "enabled"}),
}
_ENCRYPTION: Field = ("encryptionConfig", True, _ENCRYPTION_FIELDS)
_NETWORK: Field = ("kubernetesNetworkConfig", False, _NETWORK_FIELDS)


def _encryption_form(value: Any) -> Any:
    return project(value, _ENCRYPTION_FIELDS)


def _network_form(value: Any) -> Any:
    # `ipv4` is the family every cluster has unless told otherwise (the emulator omits it)
    blocks = [
        {**b, "ip_family": None if b.get("ip_family") == "ipv4" else b.get("ip_family")}
        for b in value or []
        if isinstance(b, dict)
    ]
    return project(blocks, _NETWORK_FIELDS)


def _cluster(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    cluster = item.get("Cluster") or {}
    if cluster.get("status") == "DELETING":
        return None
    vpc = cluster.get("resourcesVpcConfig") or {}
    logging = [
        kind
        for setup in (cluster.get("logging") or {}).get("clusterLogging") or []
        if setup.get("enabled")
        for kind in setup.get("types") or []
    ]
    return {
        "id": item["Name"],
        "name": item["Name"],
        "arn": cluster.get("arn"),
        "role_arn": cluster.get("roleArn"),
        "version": cluster.get("version"),
        "enabled_cluster_log_types": logging,
        "encryption_config": convert(cluster, {"encryption_config": _ENCRYPTION})[
            "encryption_config"
        ],
        "kubernetes_network_config": convert(cluster, {"kubernetes_network_config": _NETWORK})[
            "kubernetes_network_config"
        ],
        "vpc_config": [
            {
                "subnet_ids": sorted(vpc.get("subnetIds") or []),
                "security_group_ids": sorted(vpc.get("securityGroupIds") or []),
                "endpoint_private_access": bool(vpc.get("endpointPrivateAccess")),
                "endpoint_public_access": bool(vpc.get("endpointPublicAccess", True)),
                "public_access_cidrs": sorted(vpc.get("publicAccessCidrs") or ["0.0.0.0/0"]),
            }
        ],
        "remote_network_config": _remote_networks(cluster.get("remoteNetworkConfig") or {}),
    }


def _remote_networks(config: dict[str, Any]) -> list[dict[str, Any]]:
    # EKS Hybrid Nodes: the on-premises node and pod CIDRs
    nodes = config.get("remoteNodeNetworks") or []
    pods = config.get("remotePodNetworks") or []
    if not nodes and not pods:
        return []
    return [
        {
            "remote_node_networks": [{"cidrs": sorted(n.get("cidrs") or [])} for n in nodes],
            "remote_pod_networks": [{"cidrs": sorted(p.get("cidrs") or [])} for p in pods],
        }
    ]


def _vpc(value: Any) -> Any:
    # the provider adds computed members (cluster_security_group_id, vpc_id): where the
    # cluster runs and who may reach its endpoint is what is compared
    keys = (
        "subnet_ids",
        "security_group_ids",
        "endpoint_private_access",
        "endpoint_public_access",
        "public_access_cidrs",
    )
    out = []
    for block in value or []:
        if isinstance(block, dict):
            kept = {k: block.get(k) for k in keys}
            kept["public_access_cidrs"] = sorted(kept.get("public_access_cidrs") or ["0.0.0.0/0"])
            out.append(kept)
    return out


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_eks_cluster",
        service="eks",
        list_call=ListCall(operation="ListClusters", items="clusters[].{Name: @}"),
        calls=(
            Detail(
                operation="DescribeCluster",
                key={"name": "Name"},
                result="cluster",
                into="Cluster",
            ),
        ),
        tags=Tags(path="Cluster.tags"),
        normalize=_cluster,
        compared=(
            "role_arn",
            "version",
            "enabled_cluster_log_types",
            "vpc_config",
            "encryption_config",
            "kubernetes_network_config",
            "remote_network_config",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "name")
        | because(
            COMPUTED,
            "certificate_authority",
            "cluster_id",
            "created_at",
            "endpoint",
            "identity",
            "platform_version",
            "status",
        )
        | because(TERRAFORM_ONLY, "bootstrap_self_managed_addons", "force_update_version")
        # DescribeCluster's answer in the emulator has none of these
        | because(
            NOT_EMULATED,
            "access_config",
            "compute_config",
            "control_plane_scaling_config",
            "deletion_protection",
            "outpost_config",
            "storage_config",
            "upgrade_policy",
            "zonal_shift_config",
        ),
        value_forms={
            "vpc_config": _vpc,
            "encryption_config": _encryption_form,
            "kubernetes_network_config": _network_form,
        },
        import_id_format="cluster name, e.g. prod",
    ),
]
