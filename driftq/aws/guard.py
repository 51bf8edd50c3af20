"""The read-only guard: a botocore hook on every scan client that admits only an allow-list.

driftq must never change what it inspects, nor mint credentials. The allow-list is exactly
the operations the resource specs declare (``ResourceSpec.operations_called``), the role
assumption and the state reads; anything else (a Put or Delete, but also read-named calls
such as `sts:GetSessionToken`, `sts:GetFederationToken` or
`redshift:GetClusterCredentials`) is refused before botocore signs the request, so nothing
reaches AWS. The same list makes the least-privilege IAM policy (``driftq.iam_policy``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from driftq.errors import ReadOnlyViolation

Operation = tuple[str, str]  # (boto3 client name, AWS operation name)

# driftq's own session: assuming each account's role (and a state backend's)
SESSION_OPERATIONS: frozenset[Operation] = frozenset({("sts", "AssumeRole")})
# reading Terraform states from S3 (driftq/state/sources.py)
STATE_READS: frozenset[Operation] = frozenset({("s3", "GetObject"), ("s3", "ListObjectsV2")})
# listing the organisation's accounts (`accounts_from`, driftq/accounts_org.py)
ORGANIZATIONS_READS: frozenset[Operation] = frozenset(
    ("organizations", operation)
    for operation in (
        "ListAccounts",
        "ListAccountsForParent",
        "ListOrganizationalUnitsForParent",
        "ListRoots",
        "ListTagsForResource",
    )
)


@cache
def scan_operations() -> frozenset[Operation]:
    """Every operation a resource spec may call, and the single-resource reads a targeted
    scan makes instead of a spec's listing (``driftq.events.narrow``)."""
    from driftq.events.narrow import operations as narrowed_reads
    from driftq.resources.registry import REGISTRY  # the registry imports this package

    specs = frozenset(op for spec in REGISTRY.values() for op in spec.operations_called)
    return specs | narrowed_reads()


@cache
def allowed_operations() -> frozenset[Operation]:
    return SESSION_OPERATIONS | STATE_READS | ORGANIZATIONS_READS | scan_operations()


def is_allowed(service: str, operation: str) -> bool:
    return (service, operation) in allowed_operations()


class _Guard:
    def __init__(self, allowed: frozenset[Operation] | None) -> None:
        self._allowed = allowed

    def __call__(self, model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        allowed = self._allowed if self._allowed is not None else allowed_operations()
        if (service, model.name) not in allowed:
            raise ReadOnlyViolation(service, model.name)


def install(client: Any, allowed: Iterable[Operation] | None = None) -> Any:
    """Refuse on ``client`` every operation outside ``allowed`` (default: the scan list)."""
    guard = _Guard(frozenset(allowed) if allowed is not None else None)
    client.meta.events.register_first("before-call", guard, unique_id="driftq-read-only")
    return client
