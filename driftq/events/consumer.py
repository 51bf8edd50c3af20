"""`driftq events consume`: long-poll an SQS queue fed by an organisation-wide EventBridge
rule, and queue a targeted scan per event.

The queue is read with the caller's own credentials (the default chain), through a client
of its own: SQS ReceiveMessage/DeleteMessage are not scan calls, so they never go through
the scan roles nor the read-only guard, which stays on every scan client. A message is
deleted only once its scans are queued (or it needs none: ignored, malformed); when queueing
fails it stays, and SQS delivers it again after its visibility timeout.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from driftq.config_models import Config
from driftq.errors import DriftqError
from driftq.events.dispatch import Dispatcher
from driftq.events.parse import EventError, load_events

log = logging.getLogger(__name__)


def queue_region(url: str) -> str | None:
    """`us-east-1` of https://sqs.us-east-1.amazonaws.com/123/q (None for other hosts)."""
    host = urlparse(url).hostname or ""
    parts = host.split(".")
    if len(parts) >= 4 and parts[0] == "sqs":
        return parts[1]
    if len(parts) >= 4 and parts[1] == "queue":  # us-east-1.queue.amazonaws.com
        return parts[0]
    return None


def sqs_client(url: str) -> Any:
    """The caller's own SQS client: not driftq.aws's (scan roles, read-only guard)."""
    import boto3

    return boto3.session.Session().client("sqs", region_name=queue_region(url))


def consume(
    config: Config,
    queue_url: str,
    dispatcher: Dispatcher,
    max_messages: int = 0,
    wait_seconds: int = 20,
    client: Any = None,
    heartbeat: str | None = None,
) -> int:
    if not urlparse(queue_url).scheme.startswith("http"):
        raise DriftqError(f"--queue-url {queue_url[:80]!r} is not an SQS queue URL")
    sqs = client or sqs_client(queue_url)
    seen = 0  # messages received, dealt with or kept
    print(f"driftq: consuming {queue_url}", file=sys.stderr, flush=True)
    try:
        while not max_messages or seen < max_messages:
            messages = _receive(sqs, queue_url, wait_seconds)
            if heartbeat:  # a liveness probe reads its age: every poll ends within ~20 s
                Path(heartbeat).touch()
            for message in messages:
                handle_message(sqs, queue_url, dispatcher, message)
                seen += 1
                if max_messages and seen >= max_messages:
                    break
    except KeyboardInterrupt:
        pass
    return 0


def _receive(sqs: Any, queue_url: str, wait_seconds: int) -> list[dict[str, Any]]:
    answer = sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=10,
        WaitTimeSeconds=max(1, min(20, wait_seconds)),
    )
    return list(answer.get("Messages", []))


def handle_message(
    sqs: Any, queue_url: str, dispatcher: Dispatcher, message: dict[str, Any]
) -> bool:
    """True when the message was dealt with (and deleted)."""
    try:
        calls = load_events(message.get("Body", ""), f"message {message.get('MessageId', '?')}")
    except EventError as exc:
        # it will never parse: delete it rather than loop on it (one line says why)
        log.warning("%s: deleted", exc)
        _delete(sqs, queue_url, message)
        return True
    try:
        dispatcher.handle(calls)
    except Exception as exc:  # the cluster's broker is down: keep the message
        log.warning("cannot queue the scan (%s): the message stays", type(exc).__name__)
        return False
    _delete(sqs, queue_url, message)
    return True


def _delete(sqs: Any, queue_url: str, message: dict[str, Any]) -> None:
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
