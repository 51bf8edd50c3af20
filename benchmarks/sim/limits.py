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
}
# assumed (AWS publishes no bucket): S3 bucket-configuration reads, IAM, SQS, DynamoDB's
# control plane, the tagging API and Application Auto Scaling
ASSUMED: dict[str, Limit] = {
    "s3": (100, 50),
    "iam": (20, 10),
    "sqs": (100, 100),
    "dynamodb": (50, 20),
    "tagging": (20, 5),
    "application-autoscaling": (20, 10),
}
FALLBACK: Limit = (20, 5)


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
