"""The Celery app: Redis broker and back-end, JSON only, settings that never lose a unit.

- `task_acks_late` + `task_reject_on_worker_lost` + prefetch 1: a message is acknowledged
  after its task ran; a worker that dies mid-task leaves it to another worker.
- the visibility timeout sits above the hard time limit (settings.TimeLimits), and workers
  sweep for abandoned messages often enough to notice a lost worker within minutes.
- every queue is declared, so `celery -A workers worker` without `-Q` consumes them all.
- beat sends the watchdog (workers/watchdog.py) every WATCHDOG_INTERVAL_S seconds.
- no Celery `rate_limit` anywhere: it is per worker; AWS budgets live in ratelimit.py.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.app.amqp import AMQP
from celery.signals import after_setup_logger, after_setup_task_logger
from kombu import Queue

from driftq import logsafe
from workers import settings
from workers.names import EVENT_TASK, FINALIZE_TASK, SCAN_TASK, SCHEDULED_TASK, WATCHDOG_TASK
from workers.queues import QueueName, all_queues, queue_for

LIMITS = settings.TimeLimits.from_timeout(settings.cluster_timeout())
RUN_TTL = settings.run_ttl(LIMITS.soft)


def route(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **_: Any) -> Any:
    """Scan units go to their service's queue; run-level tasks to `finalize`."""
    if name == SCAN_TASK:
        service = (kwargs or {}).get("service") or (args[3] if args and len(args) > 3 else None)
        if service:
            return {"queue": queue_for(service).value}
    if name == EVENT_TASK:
        return {"queue": QueueName.EVENTS.value}
    if name in (FINALIZE_TASK, SCHEDULED_TASK, WATCHDOG_TASK):
        return {"queue": QueueName.FINALIZE.value}
    return None


# every worker, beat and flower process: AWS wire loggers capped, secrets redacted, at any
# --loglevel (driftq/logsafe.py)
after_setup_logger.connect(logsafe.install, weak=False)
after_setup_task_logger.connect(logsafe.install, weak=False)


class ShadowNamedAMQP(AMQP):
    """A task's `task-sent` event carries its shadow name (`scan <unit>`), as its later
    events do: Flower names queued units the way it names running and finished ones."""

    def as_task_v2(self, task_id: str, name: str, *args: Any, **kwargs: Any) -> Any:
        message = super().as_task_v2(task_id, name, *args, **kwargs)
        if kwargs.get("shadow") and message.sent_event is not None:
            message.sent_event["name"] = kwargs["shadow"]
        return message


app = Celery(
    "driftq",
    amqp=ShadowNamedAMQP,
    broker=settings.redis_url(),
    backend=settings.redis_url(),
    include=["workers.tasks"],
)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    event_serializer="json",
    accept_content=["json"],
    result_accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_soft_time_limit=LIMITS.soft,
    task_time_limit=LIMITS.hard,
    broker_transport_options={
        "visibility_timeout": LIMITS.visibility,
        "unacked_restore_interval": LIMITS.restore_interval,
        "unacked_restore_throttle": 1,
    },
    broker_connection_retry_on_startup=True,
    result_expires=RUN_TTL,
    # task name and arguments (names only) stay readable in the back-end and in Flower
    result_extended=True,
    task_track_started=True,
    worker_send_task_events=True,
    # queued units are visible in Flower (a `task-sent` event per message)
    task_send_sent_event=True,
    task_queues=[Queue(name, routing_key=name) for name in all_queues()],
    task_default_queue=QueueName.FINALIZE.value,
    task_routes=(route,),
    beat_scheduler="workers.schedule:DriftqScheduler",
    # beat's watchdog: runs that outlive their deadline, units lost with a Redis restart
    beat_schedule={
        "driftq-watchdog": {
            "task": WATCHDOG_TASK,
            "schedule": settings.WATCHDOG_INTERVAL_S,
            "options": {"queue": QueueName.FINALIZE.value, "expires": settings.WATCHDOG_INTERVAL_S},
        }
    },
)
