"""The AWS services driftq scans, each declared once: the config's `services`, the Celery
scan queues, the default rate limits and the global units all derive from this table.

A new service is one line in ``SERVICES`` (plus its specs in a module of this package).
``CLIENTS`` lists the other AWS clients driftq calls (STS to assume roles, the tagging API,
...): they get a rate limit but no units or queues.

This module imports nothing heavy: ``config_models`` reads it at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

_NO_BUCKET = "a conservative figure: AWS publishes no bucket for these calls"


@dataclass(frozen=True, kw_only=True)
class Budget:
    """A default token bucket for one (account, region, client): burst and refill per second."""

    burst: int
    refill_per_second: float
    source: str


@dataclass(frozen=True, kw_only=True)
class ServiceSpec:
    name: str  # the config's service name, the queue `scan.<name>` and the boto3 client name
    rate_limit: Budget
    # one unit per account instead of one per region (IAM; S3's bucket listing)
    is_global: bool = False
    # error codes saying "no such resource": a resource listed a moment ago and deleted
    # before its detail call; glob patterns allowed (EC2's `InvalidVpcID.NotFound`, ...)
    gone: frozenset[str] = frozenset()
    # False for clients that only help (STS, tagging API): no units, no queue
    scanned: bool = True


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(name="ec2", rate_limit=Budget(burst=100, refill_per_second=20, source="EC2 API reference, request throttling: non-mutating actions"), gone=frozenset({"*.NotFound"})),
    ServiceSpec(name="s3", is_global=True, rate_limit=Budget(burst=100, refill_per_second=50, source=_NO_BUCKET), gone=frozenset({"NoSuchBucket"})),
    ServiceSpec(name="iam", is_global=True, rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET), gone=frozenset({"NoSuchEntity"})),
    ServiceSpec(name="lambda", rate_limit=Budget(burst=15, refill_per_second=15, source="Lambda quotas: 15 control-plane requests per second per API"), gone=frozenset({"ResourceNotFoundException"})),
    ServiceSpec(name="sqs", rate_limit=Budget(burst=50, refill_per_second=20, source=_NO_BUCKET), gone=frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})),
    ServiceSpec(name="sns", rate_limit=Budget(burst=30, refill_per_second=15, source=_NO_BUCKET), gone=frozenset({"NotFound", "NotFoundException", "ResourceNotFound"})),
    ServiceSpec(name="dynamodb", rate_limit=Budget(burst=50, refill_per_second=20, source=_NO_BUCKET), gone=frozenset({"ResourceNotFoundException"})),
    ServiceSpec(name="kms", rate_limit=Budget(burst=50, refill_per_second=20, source=_NO_BUCKET), gone=frozenset({"NotFoundException"})),
    ServiceSpec(name="secretsmanager", rate_limit=Budget(burst=50, refill_per_second=20, source=_NO_BUCKET), gone=frozenset({"ResourceNotFoundException"})),
    ServiceSpec(name="ssm", rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"ParameterNotFound"})),
    ServiceSpec(name="logs", rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"ResourceNotFoundException"})),
    ServiceSpec(name="cloudwatch", rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"ResourceNotFound", "ResourceNotFoundException"})),
    ServiceSpec(name="route53", is_global=True, rate_limit=Budget(burst=5, refill_per_second=5, source="Route 53 quotas: five API requests per second per account"), gone=frozenset({"NoSuchHostedZone"})),
    ServiceSpec(name="ecr", rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET), gone=frozenset({"RepositoryNotFoundException"})),
    ServiceSpec(name="rds", rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET), gone=frozenset({"DBSubnetGroupNotFoundFault", "DBInstanceNotFound", "DBClusterNotFoundFault"})),
    ServiceSpec(name="autoscaling", rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET)),
    ServiceSpec(name="ecs", rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET), gone=frozenset({"ClusterNotFoundException"})),
    ServiceSpec(name="elbv2", rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET), gone=frozenset({"LoadBalancerNotFound", "TargetGroupNotFound"})),
    ServiceSpec(name="acm", rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"ResourceNotFoundException"})),
    ServiceSpec(name="elasticache", rate_limit=Budget(burst=20, refill_per_second=10, source=_NO_BUCKET), gone=frozenset({"CacheClusterNotFound"})),
    ServiceSpec(name="eks", rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"ResourceNotFoundException"})),
    ServiceSpec(name="cloudtrail", rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"TrailNotFoundException"})),
    ServiceSpec(name="cloudfront", is_global=True, rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET), gone=frozenset({"NoSuchDistribution"})),
)  # fmt: skip

CLIENTS: tuple[ServiceSpec, ...] = (
    ServiceSpec(name="sts", scanned=False, rate_limit=Budget(burst=600, refill_per_second=600, source="IAM and STS quotas: 600 STS requests per second per account and region")),
    ServiceSpec(name="resourcegroupstaggingapi", scanned=False, rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET)),
    ServiceSpec(name="s3control", scanned=False, rate_limit=Budget(burst=10, refill_per_second=5, source=_NO_BUCKET)),
    ServiceSpec(name="application-autoscaling", scanned=False, rate_limit=Budget(burst=20, refill_per_second=5, source=_NO_BUCKET)),
)  # fmt: skip

SERVICE_NAMES: tuple[str, ...] = tuple(s.name for s in SERVICES)
GLOBAL_SERVICES: frozenset[str] = frozenset(s.name for s in SERVICES if s.is_global)
_BY_NAME = {s.name: s for s in (*SERVICES, *CLIENTS)}


def service(name: str) -> ServiceSpec | None:
    """The declaration of a scanned service or a helper client, by boto3 client name."""
    return _BY_NAME.get(name)


def budgets() -> dict[str, Budget]:
    """Default rate limits of every client driftq calls, by boto3 client name."""
    return {s.name: s.rate_limit for s in (*SERVICES, *CLIENTS)}
