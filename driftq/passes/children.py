"""child_settings: settings resources of a parent (a bucket's versioning, policy, ...).

Two false positives live here. (1) The parent is itself unmanaged: it is reported once, not
once more for each of its settings. (2) Provider 3.x states keep settings inline on the
parent (`aws_s3_bucket.versioning`, `.policy`, ...): a live setting whose parent state
resource carries it inline is managed, not an unmanaged `aws_s3_bucket_versioning`. A spec's
``inline_covers`` narrows that to the children the inline value names (a role's
`managed_policy_arns` owns only the policies it lists).

(3) A resource that owns other types' resources exclusively (``exclusive_over``: an
aws_iam_policy_attachment owns every attachment of its policy): those live resources are
its own, compared on it (an entity attached by hand is drift of its `roles`), not unmanaged.
"""

from __future__ import annotations

from collections.abc import Mapping

from driftq.model import LiveResource, StateResource
from driftq.resources.spec import ResourceSpec
from driftq.values import canonical


def drop_covered_children(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    parents: dict[tuple[str, str], StateResource] = {}
    # a parent adopted in a state under its `aws_default_*` type (``adopts``): the same AWS
    # object, so its children's parent (a main table's routes and subnet associations)
    adopted = {s.adopts: t for t, s in specs.items() if s.adopts}
    children_in_state: set[tuple[str, str]] = set()
    for resource in state:
        spec = specs[resource.type]
        key = (resource.type, spec.identity_of_state(resource.attributes))
        parents[key] = resource
        children_in_state.add(key)
    # owned type -> attribute -> identities of its owners in a state
    owned: dict[str, dict[str, set[str]]] = {}
    for resource in state:
        spec = specs[resource.type]
        for owned_type, attribute in spec.exclusive_over.items():
            owners = owned.setdefault(owned_type, {}).setdefault(attribute, set())
            owners.add(spec.identity_of_state(resource.attributes))
    kept: list[LiveResource] = []
    for item in live:
        spec = specs[item.type]
        if (
            item.type in owned
            and (item.type, item.identity) not in children_in_state
            and any(
                str(item.attributes.get(attribute) or "") in owners
                for attribute, owners in owned[item.type].items()
            )
        ):
            continue  # (3) owned exclusively by a resource in a state
        if spec.parent is None or (item.type, item.identity) in children_in_state:
            kept.append(item)
            continue
        parent_id = (spec.parent_identity or spec.identity)(item.attributes)
        parent = parents.get((spec.parent, parent_id))
        if parent is None and spec.parent in adopted:
            parent = parents.get((adopted[spec.parent], parent_id))
        if parent is None:
            continue  # (1) unmanaged parent: its own finding covers this setting
        inline = parent.attributes.get(spec.inline_in_parent) if spec.inline_in_parent else None
        if canonical(inline) and (
            spec.inline_covers is None or spec.inline_covers(item.attributes, inline)
        ):
            continue  # (2) managed inline on the parent
        kept.append(item)
    return state, kept
