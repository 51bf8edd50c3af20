"""ECR: calls name the repository (tag calls its ARN)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_ecr_repository": on("CreateRepository DeleteRepository PutImageTagMutability PutImageScanningConfiguration SetRepositoryPolicy DeleteRepositoryPolicy PutLifecyclePolicy DeleteLifecyclePolicy TagResource UntagResource", "requestParameters.repositoryName", "requestParameters.resourceArn"),
    "aws_ecr_repository_policy": on("SetRepositoryPolicy DeleteRepositoryPolicy DeleteRepository", "requestParameters.repositoryName"),
}  # fmt: skip
