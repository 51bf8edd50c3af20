"""security_group_rules: a security-group rule lives in three places; report it once.

AWS keeps a group's rules on the group (`IpPermissions`). Terraform users write them inline
(`aws_security_group.ingress`/`egress`) or as `aws_security_group_rule` resources (several
sources each, an opaque `sgrule-NNNN` id), and a group's state lists the separate rules too,
or not, depending on when it was last refreshed. Live rules arrive as atoms (one source
each, see ``resources/ec2_rules.py``), and:
(1) a rule resource is matched with its atoms: all gone -> missing, some gone -> drifted
    sources; its live twin takes the rule's state identity;
(2) atoms a state group carries inline, atoms of groups in no state (the group's own
    finding covers them; the `default` group's rules are AWS's) and AWS's default
    allow-all egress are never unmanaged rules;
(3) a group's inline rules compare without the atoms rule resources cover, on both sides.
    On a group that has rule resources a new atom is an unmanaged rule (not group drift);
    on a group written inline it is group drift (not an unmanaged rule).
The state's rule resources are always here, even when the rule type is not scanned
(excluded, not selected): the engine loads a group's children (rules name their group as
parent) as context, so which atoms rule resources cover is always known.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from driftq.model import LiveResource, StateResource
from driftq.resources.ec2_rules import (
    RuleAtom,
    blocks,
    inline_atoms,
    normalize_source,
    rule_atoms,
)
from driftq.resources.spec import ResourceSpec

RULE = "aws_security_group_rule"
GROUP = "aws_security_group"
_SOURCE_LISTS = ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids")


def reconcile_security_group_rules(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    found: dict[RuleAtom, tuple[RuleAtom, LiveResource]] = {}
    kept: list[LiveResource] = []
    for item in live:
        if item.type == RULE:
            for atom in rule_atoms(item.attributes):
                found[atom] = (atom, item)
        else:
            kept.append(item)
    groups = {r.attributes.get("id") or r.id: r for r in state if r.type == GROUP}
    covered: dict[str, set[RuleAtom]] = {}
    for rule in (r for r in state if r.type == RULE):
        wanted = rule_atoms(rule.attributes)
        for atom in wanted:
            covered.setdefault(atom.group_id, set()).add(atom)
        twin = _twin(rule, wanted, found, specs[RULE])
        if twin is not None:
            kept.append(twin)
    kept += [res for atom, (_, res) in found.items() if _unmanaged(atom, groups, covered)]
    twins = {r.identity: i for i, r in enumerate(kept) if r.type == GROUP}
    out_state: list[StateResource] = []
    for resource in state:
        gid = resource.attributes.get("id") or resource.id
        if resource.type == GROUP and gid in twins:
            only_known = gid in covered
            resource, kept[twins[gid]] = _inline_rules(
                resource, kept[twins[gid]], covered.get(gid, set()), only_known
            )
        out_state.append(resource)
    return out_state, kept


def _unmanaged(
    atom: RuleAtom, groups: Mapping[str, StateResource], covered: Mapping[str, set[RuleAtom]]
) -> bool:
    group = groups.get(atom.group_id)
    if group is None or atom.is_default_egress:
        return False  # the unmanaged group's finding covers it / AWS made it
    if atom.group_id not in covered:
        return False  # a group written inline: the group's ingress/egress drift shows it
    if atom in covered[atom.group_id]:
        return False  # a rule resource's atom: its twin stands for it
    return atom not in inline_atoms(
        atom.group_id, atom.direction, group.attributes.get(atom.direction)
    )


def _twin(
    rule: StateResource,
    wanted: list[RuleAtom],
    found: Mapping[RuleAtom, tuple[RuleAtom, LiveResource]],
    spec: ResourceSpec,
) -> LiveResource | None:
    """The live side of a rule resource, from the atoms of it that still exist."""
    present = [found[a] for a in wanted if a in found]
    if not present:
        return None  # every atom gone: the rule is missing
    sources = {atom.source for atom, _ in present}
    attrs = dict(rule.attributes)
    for name in _SOURCE_LISTS:
        attrs[name] = [s for s in attrs.get(name) or [] if normalize_source(str(s)) in sources]
    group_id = str(attrs.get("security_group_id") or "")
    if group_id not in sources:
        attrs["self"] = False
    other = attrs.get("source_security_group_id")
    if other and normalize_source(str(other)) not in sources:
        attrs["source_security_group_id"] = None
    expected = str(attrs.get("description") or "")
    changed = [atom.description for atom, _ in present if atom.description != expected]
    attrs["description"] = changed[0] if changed else expected
    identity = spec.identity_of_state(rule.attributes)
    return LiveResource(RULE, identity, identity, present[0][1].region, attrs)


def _inline_rules(
    group: StateResource, twin: LiveResource, covered: set[RuleAtom], only_known: bool
) -> tuple[StateResource, LiveResource]:
    """Both sides' `ingress`/`egress` without covered atoms, grouped the same way."""
    gid = str(twin.identity)
    state_attrs, live_attrs = dict(group.attributes), dict(twin.attributes)
    for direction in ("ingress", "egress"):
        if direction not in state_attrs:
            continue  # not recorded by this provider version: nothing to compare
        expected = [
            a for a in inline_atoms(gid, direction, state_attrs[direction]) if a not in covered
        ]
        actual = [
            a for a in inline_atoms(gid, direction, live_attrs.get(direction)) if a not in covered
        ]
        if only_known:
            known = set(expected)
            actual = [a for a in actual if a in known]
        state_attrs[direction], live_attrs[direction] = blocks(expected), blocks(actual)
    return (
        dataclasses.replace(group, attributes=state_attrs),
        dataclasses.replace(twin, attributes=live_attrs),
    )
