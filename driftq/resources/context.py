"""What a spec's hooks may use while scanning one unit: clients and shared call answers."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from botocore import xform_name
from botocore.exceptions import ClientError

from driftq.model import GLOBAL, Unit

if TYPE_CHECKING:
    from driftq.state.index import StateIndex

T = TypeVar("T")


class ClientFactory(Protocol):
    def __call__(self, service: str, region: str | None = None) -> Any: ...


@dataclass
class ScanContext:
    """One unit's scan: its account, its regions, AWS clients and a per-unit memo."""

    unit: Unit
    account_id: str
    regions: tuple[str, ...]
    client_factory: ClientFactory
    memo: dict[str, Any] = field(default_factory=dict)
    # the account's states: hooks that read a setting only for resources whose state sets
    # it (a bucket's `cors_rule`) ask here; without it (the demo's estate) they read nothing
    state: StateIndex | None = None
    # a targeted scan (an event named the resources): its listings are narrowed to them,
    # and hooks read only for the items they are given, never a whole-type listing
    targeted: bool = False

    @property
    def region(self) -> str:
        """The unit's region; for global units, the first configured region."""
        return self.regions[0] if self.unit.region == GLOBAL else self.unit.region

    def client(self, service: str, region: str | None = None) -> Any:
        return self.client_factory(service, region or self.region)

    def state_attributes(self, rtype: str, region: str | None = None) -> list[dict[str, Any]]:
        """The attributes of every state resource of ``rtype`` (in ``region`` if given)."""
        if self.state is None:
            return []
        return [r.attributes for r in self.state.select([rtype], {region} if region else None)]

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """Compute once per unit: several specs share e.g. the bucket list."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[no-any-return]

    def pages(
        self,
        client: str,
        operation: str,
        params: Mapping[str, Any],
        region: str | None = None,
        paginated: bool = True,
    ) -> list[dict[str, Any]]:
        """Every page of one read call (AWS's operation name), sent once per unit: specs
        and hooks asking the same call with the same parameters share the answer. An error
        answer is shared too (a bucket without a policy is asked once, not once per spec)."""
        region = region or self.region
        key = f"call:{client}:{region}:{operation}:{json.dumps(params, sort_keys=True)}"

        def fetch() -> list[dict[str, Any]] | ClientError:
            boto = self.client(client, region)
            method = xform_name(operation)
            try:
                if paginated and boto.can_paginate(method):
                    return list(boto.get_paginator(method).paginate(**params))
                return [getattr(boto, method)(**params)]
            except ClientError as exc:
                return exc

        answer = self.remember(key, fetch)
        if isinstance(answer, ClientError):
            raise answer
        return answer
