"""ECS: cluster calls name the cluster by name or ARN (DescribeClusters takes both, and an
ARN ends with the name, the spec's identity); a tag call's ARN of another kind names no
cluster (plan.py's `_ARN_KINDS`). Service calls name the
service and its cluster in two parameters (and the cluster may be left to `default`): their
answer's service ARN (`service/<cluster>/<name>`) names both, and a tag call's ARN of a
service too (an ARN of another kind names no service: plan.py's `_ARN_KINDS`). Task
definition calls name a revision (`family:revision` or its ARN): the targeted scan rescans
the revision's family (only each family's latest is described)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_ecs_cluster": on("CreateCluster UpdateCluster DeleteCluster UpdateClusterSettings PutClusterCapacityProviders TagResource UntagResource", "requestParameters.clusterName", "requestParameters.cluster", "requestParameters.resourceArn"),
    "aws_ecs_service": on("CreateService UpdateService DeleteService TagResource UntagResource", "responseElements.service.serviceArn", "requestParameters.resourceArn"),
    "aws_ecs_task_definition": on("RegisterTaskDefinition DeregisterTaskDefinition DeleteTaskDefinitions TagResource UntagResource", "responseElements.taskDefinition.taskDefinitionArn", "requestParameters.taskDefinition", "requestParameters.taskDefinitions", "requestParameters.resourceArn"),
}  # fmt: skip
