"""The read-only guard: a botocore hook on every client that refuses non-read operations.

driftq must never change what it inspects. The guard runs before botocore signs a request,
so a mutating call fails locally and nothing reaches AWS.
"""

from __future__ import annotations

from typing import Any

from driftq.errors import ReadOnlyViolation

READ_PREFIXES = ("Describe", "List", "Get", "Head", "Lookup", "Search")
# STS calls driftq makes for itself; nothing else outside the read verbs is ever allowed
ALLOWED_EXTRA = frozenset({"AssumeRole"})


def is_read_operation(name: str) -> bool:
    return name.startswith(READ_PREFIXES) or name in ALLOWED_EXTRA


def refuse_writes(model: Any, **_: Any) -> None:
    if not is_read_operation(model.name):
        raise ReadOnlyViolation(model.service_model.service_name, model.name)


def install(client: Any) -> Any:
    client.meta.events.register_first("before-call", refuse_writes, unique_id="driftq-read-only")
    return client
