"""ElastiCache: cluster calls name the cluster id; tag calls its ARN, which the type's id is
not: those rescan the unit's clusters."""

from driftq.events.mapping import on

EVENTS = {
    "aws_elasticache_cluster": on("CreateCacheCluster DeleteCacheCluster ModifyCacheCluster AddTagsToResource RemoveTagsFromResource", "requestParameters.cacheClusterId", "requestParameters.resourceName", unmatchable="arn:"),
}  # fmt: skip
