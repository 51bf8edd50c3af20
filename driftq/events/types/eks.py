"""EKS: cluster calls name the cluster; tag calls an ARN of any EKS resource, a cluster's
ending with its name (`...:cluster/web`); an ARN of another kind (a node group's) names no
cluster (plan.py's `_ARN_KINDS`)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_eks_cluster": on("CreateCluster DeleteCluster UpdateClusterConfig UpdateClusterVersion TagResource UntagResource", "requestParameters.name", "responseElements.cluster.name", "requestParameters.resourceArn"),
}  # fmt: skip
