"""owned_resources: what an AWS service made for another resource is reported once, as that
owner, and never while the owner is in a state.

An instance an Auto Scaling group launched, its volumes, the resources of a CloudFormation
stack or a Beanstalk environment carry their owner (``LiveResource.owners``, read from AWS's
own tags or, for an instance's volumes, from the attachment; see resources/owners.py). A
live resource in no state itself whose owner is:
- in a state: managed through its owner, dropped;
- in no state, of a type driftq scans (`aws_instance`, and `aws_autoscaling_group` where
  registered): dropped, the owner's own unmanaged finding covers it;
- in no state, of a type driftq does not scan (a CloudFormation stack): the owned resources
  become one unmanaged finding of the owner (``OWNER_SPECS`` give its type and import id),
  in the service of the unit that found them.
The state holds owner types only as context here; later passes and the diff see none of
them (the engine keeps only the unit's types).
"""

from __future__ import annotations

from collections.abc import Mapping

from driftq.model import LiveResource, StateResource
from driftq.resources.owners import is_owner_only
from driftq.resources.spec import ResourceSpec


def drop_owned_resources(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    in_state = {(r.type, specs[r.type].identity_of_state(r.attributes)) for r in state}
    scanned = {t for t, s in specs.items() if not is_owner_only(s)}
    kept: list[LiveResource] = []
    reported: set[tuple[str, str]] = set()
    for item in live:
        if not item.owners or (item.type, item.identity) in in_state:
            kept.append(item)
            continue
        if any(owner in in_state for owner in item.owners):
            continue  # managed through its owner
        owner = item.owners[0]
        rtype, identity = owner
        if rtype in scanned:
            continue  # the owner's own finding covers it
        if owner not in reported:
            reported.add(owner)
            kept.append(LiveResource(rtype, identity, identity, item.region, {"id": identity}))
    return [r for r in state if r.type in scanned], kept
