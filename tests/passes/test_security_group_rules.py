"""Table tests of the security-group rule pass: (state, live) -> findings, no AWS involved.

Live groups go through the real EC2 normalizers (from `IpPermissions`), so the atoms here
are exactly what a scan produces; the pass and the diff then run as in the engine.
"""

from __future__ import annotations

from typing import Any

import pytest

from driftq.diff import DiffScope, diff
from driftq.model import LiveResource, StateResource, Unit
from driftq.passes import run_passes
from driftq.resources import REGISTRY
from driftq.resources.ec2_rules import atom_attributes, normalize_protocol, ports, rule_identity
from driftq.resources.ec2_security import _group_atoms, _rule, _security_group

SG = "sg-0aaa"
OTHER = "sg-0bbb"
VPC = "vpc-0123"


def perm(proto: str, lo: int | None, hi: int | None, *sources: str, desc: str = "") -> dict:
    out: dict[str, Any] = {
        "IpProtocol": proto,
        "IpRanges": [],
        "Ipv6Ranges": [],
        "PrefixListIds": [],
        "UserIdGroupPairs": [],
    }
    if lo is not None:
        out["FromPort"], out["ToPort"] = lo, hi
    for s in sources:
        d = {"Description": desc} if desc else {}
        if s.startswith("sg-"):
            out["UserIdGroupPairs"].append({"GroupId": s, "UserId": "111111111111", **d})
        elif s.startswith("pl-"):
            out["PrefixListIds"].append({"PrefixListId": s, **d})
        elif ":" in s:
            out["Ipv6Ranges"].append({"CidrIpv6": s, **d})
        else:
            out["IpRanges"].append({"CidrIp": s, **d})
    return out


ALL_EGRESS = perm("-1", None, None, "0.0.0.0/0")


def live_group(gid: str, ingress: list[dict], egress: list[dict], name: str = "web") -> list:
    item = {
        "GroupId": gid,
        "GroupName": name,
        "Description": "d",
        "VpcId": VPC,
        "IpPermissions": ingress,
        "IpPermissionsEgress": egress,
        "Tags": [],
    }
    out = [_live("aws_security_group", _security_group(item, None))]  # type: ignore[arg-type]
    for direction in ("ingress", "egress"):
        for atom in _group_atoms(item, direction):
            out.append(_live("aws_security_group_rule", _rule(atom_attributes(atom), None)))  # type: ignore[arg-type]
    return out


def _live(rtype: str, attrs: dict) -> LiveResource:
    spec = REGISTRY[rtype]
    default = bool(spec.is_aws_default and spec.is_aws_default(attrs))
    return LiveResource(
        rtype, spec.identity(attrs), spec.import_id_of(attrs), "us-east-1", attrs, default
    )


def block(proto: str, lo: int, hi: int, cidrs=(), *, sgs=(), self=False, desc="") -> dict:
    return {
        "from_port": lo,
        "to_port": hi,
        "protocol": proto,
        "cidr_blocks": list(cidrs),
        "ipv6_cidr_blocks": [],
        "prefix_list_ids": [],
        "security_groups": list(sgs),
        "self": self,
        "description": desc,
    }


def state_group(gid: str, ingress: list[dict], egress: list[dict]) -> StateResource:
    attrs = {
        "id": gid,
        "arn": f"arn:aws:ec2:us-east-1:111111111111:security-group/{gid}",
        "name": "web",
        "name_prefix": "",
        "description": "d",
        "vpc_id": VPC,
        "ingress": ingress,
        "egress": egress,
        "revoke_rules_on_delete": False,
        "tags": {},
        "tags_all": {},
        "timeouts": None,
    }
    return StateResource("aws_security_group", f"aws_security_group.{gid}", gid, attrs, None, "s")


def state_rule(
    name: str,
    kind: str,
    proto: Any,
    lo: Any,
    hi: Any,
    cidrs=(),
    *,
    gid: str = SG,
    self=False,
    source=None,
    desc="",
    ipv6=(),
) -> StateResource:
    attrs = {
        "id": f"sgrule-{abs(hash(name)) % 10**9}",
        "security_group_id": gid,
        "type": kind,
        "protocol": proto,
        "from_port": lo,
        "to_port": hi,
        "cidr_blocks": list(cidrs),
        "ipv6_cidr_blocks": list(ipv6),
        "prefix_list_ids": [],
        "self": self,
        "source_security_group_id": source,
        "description": desc,
    }
    return StateResource(
        "aws_security_group_rule", f"aws_security_group_rule.{name}", attrs["id"], attrs, None, "s"
    )


def findings(state: list[StateResource], live: list[LiveResource]) -> set[tuple]:
    state, live = run_passes(state, live, REGISTRY)
    scope = DiffScope(Unit("a", "us-east-1", "ec2"), "111111111111", "us-east-1")
    return {
        (f.kind, f.resource_type, f.resource_id, tuple(c.attribute for c in f.changes))
        for f in diff(scope, REGISTRY, state, live)
    }


HTTP = perm("tcp", 80, 80, "10.0.0.0/8", "10.1.0.0/16")
HTTP_BLOCK = block("tcp", 80, 80, ["10.0.0.0/8", "10.1.0.0/16"])

CASES: dict[str, tuple[list, list, set]] = {
    "inline rules match": (
        [state_group(SG, [HTTP_BLOCK], [block("-1", 0, 0, ["0.0.0.0/0"])])],
        live_group(SG, [HTTP], [ALL_EGRESS]),
        set(),
    ),
    "inline blocks grouped differently by the user": (
        [
            state_group(
                SG,
                [block("tcp", 80, 80, ["10.1.0.0/16"]), block("tcp", 80, 80, ["10.0.0.0/8"])],
                [block("-1", 0, 0, ["0.0.0.0/0"])],
            )
        ],
        live_group(SG, [HTTP], [ALL_EGRESS]),
        set(),
    ),
    "separate rule, group state not refreshed": (
        [
            state_group(SG, [], []),
            state_rule("http", "ingress", "tcp", 80, 80, HTTP_BLOCK["cidr_blocks"]),
        ],
        live_group(SG, [HTTP], [ALL_EGRESS]),
        set(),
    ),
    "separate rule, group state refreshed with it": (
        [
            state_group(SG, [HTTP_BLOCK], []),
            state_rule("http", "ingress", "tcp", 80, 80, HTTP_BLOCK["cidr_blocks"]),
        ],
        live_group(SG, [HTTP], []),
        set(),
    ),
    "new rule on a group with rule resources is an unmanaged rule": (
        [
            state_group(SG, [], []),
            state_rule("http", "ingress", "tcp", 80, 80, HTTP_BLOCK["cidr_blocks"]),
        ],
        live_group(SG, [HTTP, perm("tcp", 22, 22, "10.9.0.0/16")], [ALL_EGRESS]),
        {("unmanaged", "aws_security_group_rule", f"{SG}_ingress_tcp_22_22_10.9.0.0/16", ())},
    ),
    "new rule on an inline group is group drift, not an unmanaged rule": (
        [state_group(SG, [HTTP_BLOCK], [])],
        live_group(SG, [HTTP, perm("tcp", 22, 22, "10.9.0.0/16")], []),
        {("drifted", "aws_security_group", SG, ("ingress",))},
    ),
    "rule a group with rule resources carries inline is not an unmanaged rule": (
        [
            state_group(SG, [block("tcp", 22, 22, ["10.9.0.0/16"])], []),
            state_rule("http", "ingress", "tcp", 80, 80, HTTP_BLOCK["cidr_blocks"]),
        ],
        live_group(SG, [HTTP, perm("tcp", 22, 22, "10.9.0.0/16")], []),
        set(),
    ),
    "rules of an unmanaged group are not reported again": (
        [],
        live_group(SG, [HTTP], [ALL_EGRESS]),
        {("unmanaged", "aws_security_group", SG, ())},
    ),
    "the default group and its rules are silent": (
        [],
        live_group(SG, [perm("-1", None, None, SG)], [ALL_EGRESS], name="default"),
        set(),
    ),
    "rule resource whose rules are gone is missing": (
        [state_group(SG, [], []), state_rule("ssh", "ingress", "tcp", 22, 22, ["10.0.0.0/8"])],
        live_group(SG, [], []),
        {("missing", "aws_security_group_rule", "x", ())},
    ),
    "rule resource with one of its cidrs gone drifts": (
        [
            state_group(SG, [], []),
            state_rule("http", "ingress", "tcp", 80, 80, HTTP_BLOCK["cidr_blocks"]),
        ],
        live_group(SG, [perm("tcp", 80, 80, "10.0.0.0/8")], []),
        {("drifted", "aws_security_group_rule", "x", ("cidr_blocks",))},
    ),
    "all vs -1, string ports, 0-65535 on an all-protocol rule": (
        [state_group(SG, [], []), state_rule("all", "egress", "all", "0", "65535", ["10.0.0.0/8"])],
        live_group(SG, [], [perm("-1", None, None, "10.0.0.0/8")]),
        set(),
    ),
    "protocol number 6 is tcp": (
        [state_group(SG, [block("6", 443, 443, ["0.0.0.0/0"])], [])],
        live_group(SG, [perm("tcp", 443, 443, "0.0.0.0/0")], []),
        set(),
    ),
    "default allow-all egress is never an unmanaged rule": (
        [
            state_group(SG, [], []),
            state_rule("http", "ingress", "tcp", 80, 80, HTTP_BLOCK["cidr_blocks"]),
        ],
        live_group(SG, [HTTP], [ALL_EGRESS, perm("-1", None, None, "::/0")]),
        set(),
    ),
    "self rule (self + own source id, as Terraform stores it)": (
        [
            state_group(SG, [], []),
            state_rule("self", "ingress", "tcp", 0, 65535, self=True, source=SG),
        ],
        live_group(SG, [perm("tcp", 0, 65535, SG)], []),
        set(),
    ),
    "source group written OWNER/sg-x": (
        [
            state_group(SG, [], []),
            state_rule("peer", "ingress", "tcp", 5432, 5432, source=f"222222222222/{OTHER}"),
        ],
        live_group(SG, [perm("tcp", 5432, 5432, OTHER)], []),
        set(),
    ),
    "rule description changed": (
        [
            state_group(SG, [], []),
            state_rule("ssh", "ingress", "tcp", 22, 22, ["10.0.0.0/8"], desc="ssh"),
        ],
        live_group(SG, [perm("tcp", 22, 22, "10.0.0.0/8", desc="changed")], []),
        {("drifted", "aws_security_group_rule", "x", ("description",))},
    ),
    "inline rule description changed": (
        [state_group(SG, [block("tcp", 22, 22, ["10.0.0.0/8"], desc="ssh")], [])],
        live_group(SG, [perm("tcp", 22, 22, "10.0.0.0/8", desc="changed")], []),
        {("drifted", "aws_security_group", SG, ("ingress",))},
    ),
    "inline self and other groups": (
        [state_group(SG, [block("-1", 0, 0, sgs=[f"222222222222/{OTHER}"], self=True)], [])],
        live_group(SG, [perm("-1", None, None, SG, OTHER)], []),
        set(),
    ),
    "inline rule removed from AWS": (
        [state_group(SG, [HTTP_BLOCK, block("tcp", 22, 22, ["10.0.0.0/8"])], [])],
        live_group(SG, [HTTP], []),
        {("drifted", "aws_security_group", SG, ("ingress",))},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pass(name: str) -> None:
    state, live, expected = CASES[name]
    got = findings(state, live)
    # rule resources in state have opaque ids: compare those by kind and type only
    norm = {
        (k, t, "x" if t.endswith("_rule") and i.startswith("sgrule-") else i, c)
        for k, t, i, c in got
    }
    assert norm == expected


def test_rule_type_not_scanned_still_knows_the_rule_resources() -> None:
    """Without rule atoms (type excluded or not selected) the state's rule resources are
    still given as context: a rule they cover is not group drift, any other new rule is."""
    ssh = perm("tcp", 22, 22, "10.9.0.0/16")
    group_only = [r for r in live_group(SG, [HTTP, ssh], []) if r.type == "aws_security_group"]
    assert findings([state_group(SG, [HTTP_BLOCK], [])], group_only) == {
        ("drifted", "aws_security_group", SG, ("ingress",))
    }
    ssh_rule = state_rule("ssh", "ingress", "tcp", 22, 22, ["10.9.0.0/16"])
    with_rule = findings([state_group(SG, [HTTP_BLOCK], []), ssh_rule], group_only)
    # (the engine keeps context resources out of the diff; here only the group's verdict counts)
    assert {f for f in with_rule if f[1] == "aws_security_group"} == set()
    removed = [
        r
        for r in live_group(SG, [perm("tcp", 22, 22, "10.9.0.0/16")], [])
        if r.type == "aws_security_group"
    ]
    assert findings([state_group(SG, [HTTP_BLOCK], [])], removed) == {
        ("drifted", "aws_security_group", SG, ("ingress",))
    }


def test_drift_values_are_in_terraform_block_shape() -> None:
    state = [state_group(SG, [HTTP_BLOCK], [])]
    live = live_group(SG, [perm("tcp", 80, 80, "10.0.0.0/8")], [])
    state, live = run_passes(state, live, REGISTRY)
    scope = DiffScope(Unit("a", "us-east-1", "ec2"), "111111111111", "us-east-1")
    (finding,) = diff(scope, REGISTRY, state, live)
    (change,) = finding.changes
    assert change.expected == [HTTP_BLOCK]
    assert change.actual == [block("tcp", 80, 80, ["10.0.0.0/8"])]


def test_pass_does_not_mutate_shared_state() -> None:
    group = state_group(SG, [block("6", 443, 443, ["0.0.0.0/0"])], [])
    before = repr(group.attributes)
    run_passes([group], live_group(SG, [], []), REGISTRY)
    assert repr(group.attributes) == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-1", "-1"),
        ("all", "-1"),
        ("ALL", "-1"),
        (-1, "-1"),
        ("6", "tcp"),
        ("tcp", "tcp"),
        ("17", "udp"),
        ("58", "icmpv6"),
        ("1", "icmp"),
        ("50", "50"),
        (92, "92"),
    ],
)
def test_protocol_normalization(value: Any, expected: str) -> None:
    assert normalize_protocol(value) == expected


def test_ports_ignored_where_aws_ignores_them() -> None:
    assert ports("-1", 0, 65535) == (0, 0)
    assert ports("50", 0, 65535) == (0, 0)
    assert ports("tcp", "80", "81") == (80, 81)
    assert ports("icmp", -1, -1) == (-1, -1)


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        (
            {
                "security_group_id": SG,
                "type": "ingress",
                "protocol": "tcp",
                "from_port": 8000,
                "to_port": 8000,
                "cidr_blocks": ["10.0.3.0/24"],
            },
            f"{SG}_ingress_tcp_8000_8000_10.0.3.0/24",
        ),
        (
            {
                "security_group_id": SG,
                "type": "egress",
                "protocol": "-1",
                "from_port": 0,
                "to_port": 0,
                "cidr_blocks": ["0.0.0.0/0"],
            },
            f"{SG}_egress_all_0_0_0.0.0.0/0",
        ),
        (
            {
                "security_group_id": SG,
                "type": "ingress",
                "protocol": "tcp",
                "from_port": 80,
                "to_port": 80,
                "self": True,
                "source_security_group_id": SG,
                "ipv6_cidr_blocks": ["2001:DB8::/48"],
            },
            f"{SG}_ingress_tcp_80_80_2001:db8::/48_self",
        ),
        (
            {
                "security_group_id": SG,
                "type": "ingress",
                "protocol": "all",
                "from_port": 0,
                "to_port": 65535,
                "source_security_group_id": OTHER,
            },
            f"{SG}_ingress_all_0_0_{OTHER}",
        ),
    ],
)
def test_rule_identity_is_the_import_id(attrs: dict, expected: str) -> None:
    assert rule_identity(attrs) == expected
