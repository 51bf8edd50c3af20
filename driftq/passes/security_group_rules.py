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
Provider 5's `aws_vpc_security_group_ingress_rule`/`_egress_rule` (one AWS rule each, keyed
on its `sgr-` id) cover their atoms the same way: a group whose rules live in them is not
drifted on `ingress`/`egress`, and on such a group an atom in no state is an unmanaged rule
of that type (not an `aws_security_group_rule`). Their live twins are matched by id; live
ones of other groups are dropped like (2).
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
from driftq.resources.ec2_vpc_rules import DIRECTION, vpc_rule_atoms
from driftq.resources.spec import ResourceSpec

RULE = "aws_security_group_rule"
GROUP = "aws_security_group"
GROUPS = (GROUP, "aws_default_security_group")
_SOURCE_LISTS = ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids")


def reconcile_security_group_rules(
    state: list[StateResource], live: list[LiveResource], specs: Mapping[str, ResourceSpec]
) -> tuple[list[StateResource], list[LiveResource]]:
    found: dict[RuleAtom, tuple[RuleAtom, LiveResource]] = {}
    vpc_live: list[LiveResource] = []
    kept: list[LiveResource] = []
    for item in live:
        if item.type == RULE:
            for atom in rule_atoms(item.attributes):
                found[atom] = (atom, item)
        elif item.type in DIRECTION:
            vpc_live.append(item)
        else:
            kept.append(item)
    groups = {r.attributes.get("id") or r.id: r for r in state if r.type in GROUPS}
    covered: dict[str, set[RuleAtom]] = {}
    vpc_style: set[str] = set()  # groups with provider-5 rule resources in a state
    vpc_ids: set[tuple[str, str]] = set()
    for rule in state:
        if rule.type in DIRECTION:
            for atom in vpc_rule_atoms(rule.type, rule.attributes):
                covered.setdefault(atom.group_id, set()).add(atom)
                vpc_style.add(atom.group_id)
            vpc_ids.add((rule.type, specs[rule.type].identity_of_state(rule.attributes)))
        elif rule.type == RULE:
            wanted = rule_atoms(rule.attributes)
            for atom in wanted:
                covered.setdefault(atom.group_id, set()).add(atom)
            twin = _twin(rule, wanted, found, specs[RULE])
            if twin is not None:
                kept.append(twin)
    kept += [
        res
        for atom, (_, res) in found.items()
        if atom.group_id not in vpc_style and _unmanaged(atom, groups, covered)
    ]
    for item in vpc_live:
        atoms = vpc_rule_atoms(item.type, item.attributes)
        if (item.type, item.identity) in vpc_ids or any(
            a.group_id in vpc_style and _unmanaged(a, groups, covered) for a in atoms
        ):
            kept.append(item)
    twins = {(r.type, r.identity): i for i, r in enumerate(kept) if r.type in GROUPS}
    out_state: list[StateResource] = []
    for resource in state:
        gid = resource.attributes.get("id") or resource.id
        at = twins.get((resource.type, gid))
        if at is not None:
            resource, kept[at] = _inline_rules(
                resource, kept[at], covered.get(gid, set()), gid in covered
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
