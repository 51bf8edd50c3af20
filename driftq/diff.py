"""Pure diff: state resources + live resources + specs -> findings.

Resources are keyed on (type, identity). A state resource with no live twin is MISSING, a
live resource in no state is UNMANAGED, and a pair whose compared attributes differ is
DRIFTED. The false-positive passes (passes/__init__.py) run before this and decide which
resources take part at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from driftq.compare import compare
from driftq.model import GLOBAL, Finding, LiveResource, StateResource, Unit
from driftq.resources.spec import ResourceSpec


@dataclass(frozen=True)
class DiffScope:
    unit: Unit
    account_id: str
    default_region: str


def diff(
    scope: DiffScope,
    specs: Mapping[str, ResourceSpec],
    state: Iterable[StateResource],
    live: Iterable[LiveResource],
) -> list[Finding]:
    live_by_key: dict[tuple[str, str], LiveResource] = {}
    for item in live:
        live_by_key.setdefault((item.type, item.identity), item)
    matched: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    for resource in state:
        spec = specs[resource.type]
        key = (resource.type, spec.identity_of_state(resource.attributes))
        twin = live_by_key.get(key)
        if twin is None:
            findings.append(_finding(scope, spec, "missing", resource.id, resource))
            continue
        matched.add(key)
        changes = compare(spec, resource, twin)
        if changes:
            finding = _finding(scope, spec, "drifted", resource.id, resource, twin.region)
            finding.changes = changes
            findings.append(finding)
    for key, twin in live_by_key.items():
        if key in matched:
            continue
        spec = specs[twin.type]
        finding = _finding(scope, spec, "unmanaged", twin.import_id, None, twin.region)
        finding.take_tags(twin.attributes)
        findings.append(finding)
    return findings


def _finding(
    scope: DiffScope,
    spec: ResourceSpec,
    kind: str,
    resource_id: str,
    state: StateResource | None,
    live_region: str | None = None,
) -> Finding:
    if spec.is_global:
        region = GLOBAL
    else:
        region = live_region or (state.region if state else None) or scope.default_region
    finding = Finding(
        kind=kind,  # type: ignore[arg-type]
        account=scope.unit.account,
        account_id=scope.account_id,
        region=region,
        service=spec.service,
        resource_type=spec.type,
        resource_id=resource_id,
        address=state.address if state else None,
        state=state.state if state else None,
    )
    if state is not None:
        finding.take_tags(state.attributes, state.sensitive)
    return finding
