"""routes: a route lives inline on its table (`aws_route_table.route`) or as an `aws_route`;
report it once, as the security-group rules pass does for rules.

AWS keeps a table's routes on the table. A table whose routes are `aws_route` resources has
a state `route` list that is empty (read when the table was made) or lists every route
(refreshed since): either way not drift. So:
(1) a live route is unmanaged only on a table in a state that has `aws_route` resources,
    when neither one of them nor the table's inline blocks hold its destination; routes of
    tables written inline show as the table's `route` drift, routes of tables in no state
    are covered by the table's own finding;
(2) a table's `route` compares without the destinations `aws_route` resources hold, on
    both sides, and on a table with `aws_route` resources only the destinations its state
    lists inline are compared.
A VPC's main table adopted as an `aws_default_route_table` is a table like any other here.
The state's `aws_route` resources are always here (their parent is the table: the engine
loads them as context for a table-only run).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from driftq.model import LiveResource, StateResource
from driftq.resources.ec2_routes import destination
from driftq.resources.spec import ResourceSpec

ROUTE = "aws_route"
TABLE = "aws_route_table"


def reconcile_routes(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    # a table, or a main table adopted as one (``adopts``: aws_default_route_table)
    table_types = {TABLE} | {t for t, s in specs.items() if s.adopts == TABLE}
    covered: dict[str, set[str]] = {}
    routes_in_state: set[str] = set()
    for resource in state:
        if resource.type == ROUTE:
            table = str(resource.attributes.get("route_table_id") or "")
            covered.setdefault(table, set()).add(destination(resource.attributes))
            routes_in_state.add(specs[ROUTE].identity_of_state(resource.attributes))
    tables = {r.attributes.get("id") or r.id: r for r in state if r.type in table_types}
    kept: list[LiveResource] = []
    for item in live:
        if item.type == ROUTE and item.identity not in routes_in_state:
            table_id = str(item.attributes.get("route_table_id") or "")
            owner = tables.get(table_id)
            if owner is None or table_id not in covered:
                continue  # (1) the table's own finding or its `route` drift shows it
            dest = destination(item.attributes)
            inline = {destination(b) for b in _blocks(owner.attributes.get("route"))}
            if dest in covered[table_id] or dest in inline:
                continue
        kept.append(item)
    twins = {(r.type, r.identity): i for i, r in enumerate(kept) if r.type in table_types}
    out: list[StateResource] = []
    for resource in state:
        gid = resource.attributes.get("id") or resource.id
        twin = twins.get((resource.type, gid))
        if twin is not None and "route" in resource.attributes:
            resource, kept[twin] = _inline_routes(resource, kept[twin], covered.get(gid))
        out.append(resource)
    return out, kept


def _blocks(value: Any) -> list[Mapping[str, Any]]:
    return [b for b in value or [] if isinstance(b, Mapping)]


def _inline_routes(
    table: StateResource, twin: LiveResource, covered: set[str] | None
) -> tuple[StateResource, LiveResource]:
    """(2) both sides' `route` without the destinations `aws_route` resources hold."""
    if covered is None:
        return table, twin
    expected = [b for b in _blocks(table.attributes["route"]) if destination(b) not in covered]
    known = {destination(b) for b in expected}
    actual = [b for b in _blocks(twin.attributes.get("route")) if destination(b) in known]
    return (
        dataclasses.replace(table, attributes={**table.attributes, "route": expected}),
        dataclasses.replace(twin, attributes={**twin.attributes, "route": actual}),
    )
