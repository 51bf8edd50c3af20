"""Pure checks of one type's settings on recorded, botocore-shaped AWS answers (for what the
emulator does not answer): an answer normalized, a state as the provider writes it, the two
compared, and the dotted paths of what differs."""

from __future__ import annotations

from typing import Any

from driftq.compare import compare
from driftq.model import GLOBAL, StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource
from driftq.resources.services import GLOBAL_SERVICES


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("the answer is recorded: no AWS call")


def drifted(rtype: str, item: dict[str, Any], state: dict[str, Any]) -> list[str]:
    """The attributes (dotted paths) where ``state`` differs from the recorded ``item``,
    normalized by ``rtype``'s spec."""
    spec = REGISTRY[rtype]
    region = GLOBAL if spec.service in GLOBAL_SERVICES else "us-east-1"
    ctx = ScanContext(Unit("test", region, spec.service), "123456789012", ("us-east-1",), _no_aws)
    live = live_resource(spec, item, ctx)
    assert live is not None, "the recorded answer normalizes to nothing"
    resource = StateResource(
        type=rtype,
        address=f"{rtype}.this",
        id=str(state.get("id", "")),
        attributes=state,
        region="us-east-1",
        state="recorded",
    )
    return sorted(change.attribute for change in compare(spec, resource, live))
