"""AWS-style token buckets per (account, region, action), with the published sizes where
AWS publishes them and stated assumptions elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Limit = tuple[float, float]  # (burst, refill per second)

# EC2 API reference, "Request throttling": non-mutating (Describe*) actions
EC2_DESCRIBE: Limit = (100, 20)
# the same page: unpaginated, unfiltered calls of these four have their own, smaller bucket
EC2_UNFILTERED: Limit = (50, 10)
EC2_UNFILTERED_ACTIONS = frozenset(
    {"DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeNetworkInterfaces"}
)
PUBLISHED: dict[tuple[str, str], Limit] = {
    ("lambda", "*"): (15, 15),  # Lambda quotas: control-plane API 15 requests/s
    ("lambda", "GetFunction"): (100, 100),  # the same page: GetFunction 100 requests/s
    ("sts", "*"): (600, 600),  # STS: 600 requests/s per account and region
    ("s3", "GetObject"): (5500, 5500),  # S3: 5,500 GET/HEAD per second per prefix
    ("s3", "ListObjectsV2"): (5500, 5500),
    ("sns", "ListTopics"): (30, 30),  # SNS API throttling: ListTopics 30 TPS
    ("sns", "GetTopicAttributes"): (100, 100),  # SNS: GetTopicAttributes 100 TPS (us-east-1)
    ("kms", "ListKeys"): (100, 100),  # KMS request quotas: ListKeys 100/s
    ("kms", "ListAliases"): (100, 100),
    ("kms", "DescribeKey"): (2000, 2000),  # KMS: DescribeKey shares 2,000/s
    ("kms", "GetKeyPolicy"): (1000, 1000),
    ("kms", "GetKeyRotationStatus"): (1000, 1000),
    # Route 53 quotas: five requests per second per account, all Route 53 APIs together
    ("route53", "*"): (5, 5),
    # ECS API reference, request throttling: cluster reads (DescribeClusters, ...) have a
    # bucket of 50 and refill 20/s; ECS's other reads are assumed the same (ASSUMED)
    ("ecs", "DescribeClusters"): (50, 20),
    ("ecs", "ListClusters"): (50, 20),
    # ACM quotas, API rate quotas (requests per second, each operation its own)
    ("acm", "DescribeCertificate"): (10, 10),
    ("acm", "GetCertificate"): (10, 10),
    ("acm", "ListCertificates"): (1, 1),
    ("acm", "ListTagsForCertificate"): (10, 10),
    # CloudWatch Logs quotas: DescribeLogGroups 10 transactions/s per account and region
    ("logs", "DescribeLogGroups"): (10, 10),
    # CloudWatch quotas: DescribeAlarms 9 transactions/s per account and region
    ("monitoring", "DescribeAlarms"): (9, 9),
}
# AWS answers these from one bucket per account and region for all of the API's actions
SHARED = frozenset({"route53"})
# assumed (AWS publishes no bucket): S3 bucket-configuration reads, IAM, SQS, DynamoDB's
# control plane, the tagging API, Application Auto Scaling, S3 Control's account reads, and
# the reads of the other services driftq scans (their other actions above); keyed by the
# simulator's API name (the signing name; `s3control` for S3 Control, which signs as `s3`)
ASSUMED: dict[str, Limit] = {
    "s3": (100, 50),
    "iam": (20, 10),
    "sqs": (100, 100),
    "dynamodb": (50, 20),
    "tagging": (20, 5),
    "application-autoscaling": (20, 10),
    "ecs": (50, 20),  # as ECS's published cluster reads
    "secretsmanager": (50, 20),
    "ssm": (40, 40),  # as SSM's published default GetParameter* throughput (40/s)
    "logs": (10, 5),
    "monitoring": (10, 5),
    "ecr": (20, 10),
    "rds": (20, 10),
    "autoscaling": (20, 10),
    "elasticloadbalancing": (20, 10),
    "acm": (10, 5),
    "elasticache": (20, 10),
    "eks": (10, 5),
    "cloudtrail": (10, 5),
    "cloudfront": (10, 5),
    "s3control": (10, 5),  # S3 Control's account reads (GetPublicAccessBlock): as driftq's own
}
FALLBACK: Limit = (20, 5)


def bucket_of(service: str, action: str) -> str:
    """The bucket a call draws on: its action's own, or its API's shared one."""
    return f"{service}:*" if service in SHARED else f"{service}:{action}"


def limit_for(service: str, action: str, body: bytes) -> Limit:
    if service == "ec2":
        if action in EC2_UNFILTERED_ACTIONS and not any(
            marker in body for marker in (b"Filter.", b"Id.", b"MaxResults", b"GroupName.")
        ):
            return EC2_UNFILTERED
        return EC2_DESCRIBE
    return (
        PUBLISHED.get((service, action))
        or PUBLISHED.get((service, "*"))
        or ASSUMED.get(service, FALLBACK)
    )


@dataclass
class Bucket:
    burst: float
    rate: float
    tokens: float
    stamp: float

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Buckets:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets: dict[tuple[str, str, str], Bucket] = {}
        self._clock = clock

    def take(self, key: tuple[str, str, str], limit: Limit) -> bool:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(limit[0], limit[1], limit[0], now)
        return bucket.take(now)

    def reset(self) -> None:
        self._buckets.clear()
