"""network_acl_rules: an ACL's entries are inline (`aws_network_acl.ingress`/`egress`) or
`aws_network_acl_rule` resources, never both (the provider forbids mixing them).

An ACL with rule resources in a state compares its entries there: its own `ingress`/
`egress` (empty when read at creation, every entry once refreshed) are left out, and an
entry in no state is an unmanaged `aws_network_acl_rule`. On an ACL written inline a new
entry is the ACL's drift, and on an ACL in no state its finding covers its entries: live
rule entries of both are dropped unless a state holds them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from driftq.model import LiveResource, StateResource
from driftq.resources.spec import ResourceSpec

RULE = "aws_network_acl_rule"
ACL = "aws_network_acl"


def reconcile_network_acl_rules(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    rules = [r for r in state if r.type == RULE]
    if not rules and not any(item.type == RULE for item in live):
        return state, live
    in_state = {specs[RULE].identity_of_state(r.attributes) for r in rules}
    rule_style = {str(r.attributes.get("network_acl_id") or "") for r in rules}
    acls = {str(r.attributes.get("id") or r.id) for r in state if r.type == ACL}
    kept = [
        item
        for item in live
        if item.type != RULE
        or item.identity in in_state
        or str(item.attributes.get("network_acl_id")) in rule_style & acls
    ]
    out = [
        dataclasses.replace(
            r,
            attributes={k: v for k, v in r.attributes.items() if k not in ("ingress", "egress")},
        )
        if r.type == ACL and str(r.attributes.get("id") or r.id) in rule_style
        else r
        for r in state
    ]
    return out, kept
