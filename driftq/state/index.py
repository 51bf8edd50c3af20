"""An account's state resources, looked up by (type, region)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from driftq.model import StateResource
from driftq.state.parse import parse_state
from driftq.state.sources import StateDocument

if TYPE_CHECKING:
    from driftq.resources.spec import ResourceSpec


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

    def adopt_parent_regions(self, specs: Mapping[str, ResourceSpec]) -> None:
        """Each child resource takes the region of its parent, when a state holds the parent.

        Provider <= 5 writes no region, ARN or zone on a bucket's settings resources
        (aws_s3_bucket_policy, ...), so parsing guesses their provider's or backend's region;
        the bucket's own `region` attribute says where it really is. Without this a policy
        kept in another state than its bucket is dropped or reported in the wrong region.
        """
        parent_types = {s.parent for s in specs.values() if s.parent}
        regions: dict[tuple[str, str], str] = {}
        for rtype in parent_types:
            for parent in self._by_type.get(rtype, []):
                key = (rtype, specs[rtype].identity_of_state(parent.attributes))
                if parent.region:
                    regions.setdefault(key, parent.region)
        for resource in self.resources:
            spec = specs.get(resource.type)
            if spec is None or spec.parent is None:
                continue
            parent_id = (spec.parent_identity or spec.identity)(resource.attributes)
            resource.region = regions.get((spec.parent, parent_id), resource.region)

    def types(self) -> set[str]:
        return set(self._by_type)
