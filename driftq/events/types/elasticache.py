"""ElastiCache: cluster calls name the cluster id; tag calls an ARN of any ElastiCache
resource, a cluster's ending with its id (`...:cluster:web`); an ARN of another kind names no
cluster (plan.py's `_ARN_KINDS`)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_elasticache_cluster": on("CreateCacheCluster DeleteCacheCluster ModifyCacheCluster AddTagsToResource RemoveTagsFromResource", "requestParameters.cacheClusterId", "requestParameters.resourceName"),
}  # fmt: skip
