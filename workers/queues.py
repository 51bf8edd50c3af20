"""Queue names, in one place: one scan queue per service, plus `finalize` for run-level work.

The scan queues follow the services declared in driftq/resources/services.py: a new service
gets its `scan.<service>` queue by being declared. Operators size the cluster per queue
(`celery -A workers worker -Q scan.ec2`); a worker started without `-Q` consumes every
queue listed here.
"""

from __future__ import annotations

from enum import StrEnum

from driftq.resources.services import SERVICE_NAMES


class QueueName(StrEnum):
    # run-level tasks: the chord callback and the scheduled submit
    FINALIZE = "finalize"
    # targeted scans from CloudTrail events: never behind a full run's backlog
    EVENTS = "events"


# scan.<service> for every scanned service (members: EC2, S3, IAM, ...)
ScanQueue: type[StrEnum] = StrEnum(  # type: ignore[misc]
    "ScanQueue", {name.upper(): f"scan.{name}" for name in SERVICE_NAMES}
)


def queue_for(service: str) -> StrEnum:
    """The queue that scans ``service``'s units."""
    try:
        return ScanQueue(f"scan.{service}")
    except ValueError:
        raise ValueError(f"no scan queue for service {service!r}") from None


def all_queues() -> list[str]:
    """Every queue a worker started without `-Q` consumes."""
    return [q.value for q in ScanQueue] + [q.value for q in QueueName]
