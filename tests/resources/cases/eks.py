"""EKS case: a cluster with API and audit logs on, a private endpoint."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _cluster(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnets = sorted(
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.7.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    )
    name = unique("prod")
    role = f"arn:aws:iam::{account.id}:role/eks-cluster"
    account.client("eks").create_cluster(
        name=name,
        version="1.31",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": subnets,
            "endpointPrivateAccess": True,
            "endpointPublicAccess": False,
        },
        logging={"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]},
        encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": KEY}}],
        kubernetesNetworkConfig={"serviceIpv4Cidr": "10.100.0.0/16"},
        remoteNetworkConfig={
            "remoteNodeNetworks": [{"cidrs": ["172.16.0.0/18", "172.16.64.0/18"]}],
            "remotePodNetworks": [{"cidrs": ["172.17.0.0/18"]}],
        },
        tags={"Name": name, **DEFAULT_TAGS},
    )
    state = {
        "id": name,
        "name": name,
        "arn": f"arn:aws:eks:us-east-1:{account.id}:cluster/{name}",
        "role_arn": role,
        "version": "1.31",
        "enabled_cluster_log_types": ["api", "audit"],
        "vpc_config": [
            {
                "subnet_ids": subnets,
                "security_group_ids": [],
                "endpoint_private_access": True,
                "endpoint_public_access": False,
                "public_access_cidrs": ["0.0.0.0/0"],
                "cluster_security_group_id": "",
                "vpc_id": vpc,
            }
        ],
        "bootstrap_self_managed_addons": True,
        "encryption_config": [{"resources": ["secrets"], "provider": [{"key_arn": KEY}]}],
        # as the provider writes it: AWS's ipv4 family, no IPv6 range, auto mode off
        "kubernetes_network_config": [
            {
                "service_ipv4_cidr": "10.100.0.0/16",
                "service_ipv6_cidr": "",
                "ip_family": "ipv4",
                "elastic_load_balancing": [],
            }
        ],
        "remote_network_config": [
            {
                "remote_node_networks": [{"cidrs": ["172.16.64.0/18", "172.16.0.0/18"]}],
                "remote_pod_networks": [{"cidrs": ["172.17.0.0/18"]}],
            }
        ],
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_eks_cluster", "c", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_eks_cluster",
        build=_cluster,
        mutations={
            "vpc_config": [
                {
                    "subnet_ids": ["subnet-0d"],
                    "security_group_ids": [],
                    "endpoint_private_access": True,
                    "endpoint_public_access": False,
                    "public_access_cidrs": ["0.0.0.0/0"],
                }
            ],
            # another service range (the generic change hits the empty auto-mode block)
            "kubernetes_network_config": [{"service_ipv4_cidr": "10.200.0.0/16"}],
        },
    )
]
