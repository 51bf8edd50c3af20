"""False-positive passes, in the one order they run before the diff.

Each pass takes the unit's in-scope state resources and live resources and returns the
pair that takes part in the diff. Value-level passes (tags_all in ``tags.py``, policy
canonicalization in ``policy.py``) are applied by ``compare.py`` on each attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from driftq.model import LiveResource, StateResource
from driftq.passes.children import drop_covered_children
from driftq.passes.defaults import drop_unmanaged_defaults
from driftq.passes.network_acl_rules import reconcile_network_acl_rules
from driftq.passes.owners import drop_owned_resources
from driftq.passes.routes import reconcile_routes
from driftq.passes.security_group_rules import reconcile_security_group_rules
from driftq.passes.separate_settings import drop_stale_parent_copies
from driftq.resources.spec import ResourceSpec

Pass = Callable[
    [list[StateResource], list[LiveResource], Mapping[str, ResourceSpec]],
    tuple[list[StateResource], list[LiveResource]],
]

ORDER: list[Pass] = [
    drop_owned_resources,
    drop_unmanaged_defaults,
    reconcile_security_group_rules,
    reconcile_routes,
    reconcile_network_acl_rules,
    drop_covered_children,
    drop_stale_parent_copies,
]


def run_passes(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    for apply in ORDER:
        state, live = apply(state, live, specs)
    return state, live
