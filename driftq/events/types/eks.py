"""EKS: cluster calls name the cluster; tag calls its ARN, which the type's id is not:
those rescan the unit's clusters."""

from driftq.events.mapping import on

EVENTS = {
    "aws_eks_cluster": on("CreateCluster DeleteCluster UpdateClusterConfig UpdateClusterVersion TagResource UntagResource", "requestParameters.name", "responseElements.cluster.name", "requestParameters.resourceArn", unmatchable="arn:"),
}  # fmt: skip
