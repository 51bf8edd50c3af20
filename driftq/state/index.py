"""An account's state resources, looked up by (type, region)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from driftq.model import StateResource
from driftq.state.parse import parse_state
from driftq.state.sources import StateDocument


class StateIndex:
    def __init__(self, resources: Iterable[StateResource]) -> None:
        self.resources = list(resources)
        self._by_type: dict[str, list[StateResource]] = defaultdict(list)
        for resource in self.resources:
            self._by_type[resource.type].append(resource)

    @classmethod
    def from_documents(cls, documents: Iterable[StateDocument]) -> StateIndex:
        resources: list[StateResource] = []
        for document in documents:
            resources.extend(parse_state(document.text, document.source, document.default_region))
        return cls(resources)

    def select(self, types: Iterable[str], regions: set[str] | None) -> list[StateResource]:
        """Resources of ``types``; with ``regions``, only those located in one of them."""
        out: list[StateResource] = []
        for rtype in types:
            for resource in self._by_type.get(rtype, []):
                if regions is None or resource.region in regions:
                    out.append(resource)
        return out

    def types(self) -> set[str]:
        return set(self._by_type)
