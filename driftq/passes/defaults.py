"""aws_defaults: what AWS creates by itself stays silent unless a state manages it.

Every region has a default VPC with its subnets, main route table, NACL and security group;
every account has AWS-managed KMS keys, and so on. Specs flag those with ``is_aws_default``;
such a live resource is dropped unless some state holds the same (type, identity), e.g.
an `aws_default_vpc` imported under `aws_vpc` or a default security group a state adopted.
"""

from __future__ import annotations

from collections.abc import Mapping

from driftq.model import LiveResource, StateResource
from driftq.resources.spec import ResourceSpec


def drop_unmanaged_defaults(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    in_state = {(r.type, specs[r.type].identity_of_state(r.attributes)) for r in state}
    kept = [r for r in live if not r.aws_default or (r.type, r.identity) in in_state]
    return state, kept
