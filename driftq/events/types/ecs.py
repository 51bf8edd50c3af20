"""ECS: cluster calls name the cluster by name or ARN; an ARN (tag calls' resourceArn too)
rescans the unit's clusters, as the spec's identity is the name."""

from driftq.events.mapping import on

EVENTS = {
    "aws_ecs_cluster": on("CreateCluster UpdateCluster DeleteCluster UpdateClusterSettings PutClusterCapacityProviders TagResource UntagResource", "requestParameters.clusterName", "requestParameters.cluster", "requestParameters.resourceArn", unmatchable="arn:"),
}  # fmt: skip
