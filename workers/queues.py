"""Queue names, in one place: one queue per service group, plus `finalize` for run-level work.

Operators size the cluster per queue (`celery -A workers worker -Q scan.ec2`); a worker
started without `-Q` consumes every queue listed here.
"""

from __future__ import annotations

from enum import StrEnum

from driftq.config_models import ALL_SERVICES


class QueueName(StrEnum):
    EC2 = "scan.ec2"
    S3 = "scan.s3"
    IAM = "scan.iam"
    LAMBDA = "scan.lambda"
    SQS = "scan.sqs"
    SNS = "scan.sns"
    DYNAMODB = "scan.dynamodb"
    KMS = "scan.kms"
    # run-level tasks: the chord callback and the scheduled submit
    FINALIZE = "finalize"


_BY_SERVICE = {q.value.removeprefix("scan."): q for q in QueueName if q.value.startswith("scan.")}
assert set(_BY_SERVICE) == set(ALL_SERVICES), "every configurable service needs a scan queue"


def queue_for(service: str) -> QueueName:
    """The queue that scans ``service``'s units."""
    try:
        return _BY_SERVICE[service]
    except KeyError:
        raise ValueError(f"no scan queue for service {service!r}") from None
