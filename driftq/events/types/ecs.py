"""ECS: cluster calls name the cluster by name or ARN; an ARN (tag calls' resourceArn too)
rescans the unit's clusters, as the spec's identity is the name. Service calls name the
service and its cluster in two parameters (and the cluster may be left to `default`), the
services' identity is `cluster/service`: they rescan the unit's services. Task definition
calls name a revision as `family:revision` or an ARN, and only each family's latest is
described: they rescan the unit's task definitions."""

from driftq.events.mapping import on

EVENTS = {
    "aws_ecs_cluster": on("CreateCluster UpdateCluster DeleteCluster UpdateClusterSettings PutClusterCapacityProviders TagResource UntagResource", "requestParameters.clusterName", "requestParameters.cluster", "requestParameters.resourceArn", unmatchable="arn:"),
    "aws_ecs_service": on("CreateService UpdateService DeleteService TagResource UntagResource"),
    "aws_ecs_task_definition": on("RegisterTaskDefinition DeregisterTaskDefinition DeleteTaskDefinitions TagResource UntagResource"),
}  # fmt: skip
