"""Empty-valued tags (`Key = ""`) are tags: adding or removing one is drift, for every type
that compares tags, from a provider-3 state (`tags` only) or a later one (`tags_all`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.cli import main
from driftq.compare import compare
from driftq.model import LiveResource, StateResource
from driftq.resources import REGISTRY
from tests.engine.test_cli import _config, _vpc_state

TAGGED = sorted(t for t, spec in REGISTRY.items() if "tags" in spec.compared)


def _changes(rtype: str, state_tags: dict[str, str], live_tags: dict[str, str] | None) -> Any:
    spec = REGISTRY[rtype]
    state = StateResource(rtype, f"{rtype}.x", "x", {"tags_all": state_tags}, None, "managed")
    live = LiveResource(rtype, "x", "x", "us-east-1", {"tags": live_tags})
    return [(c.attribute, c.expected, c.actual) for c in compare(spec, state, live)]


def test_some_types_compare_tags() -> None:
    assert len(TAGGED) >= 10


@pytest.mark.parametrize("rtype", TAGGED)
def test_an_empty_valued_tag_added_or_removed_is_drift(rtype: str) -> None:
    assert _changes(rtype, {"Team": "a"}, {"Team": "a", "Backup": ""}) == [
        ("tags.Backup", None, "")
    ]
    assert _changes(rtype, {"Team": "a", "Backup": ""}, {"Team": "a"}) == [
        ("tags.Backup", "", None)
    ]
    # AWS answering no tag at all still misses the state's empty-valued one
    assert _changes(rtype, {"Backup": ""}, None) == [("tags.Backup", "", None)]
    assert _changes(rtype, {"Team": "a", "Backup": ""}, {"Team": "a", "Backup": ""}) == []
    assert _changes(rtype, {}, None) == []


def test_an_empty_valued_tag_set_by_hand_is_found_by_a_scan(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Owner", "Value": "net"}])
    config = _config(
        tmp_path, account, _vpc_state(vpc, "10.42.0.0/16", "net").write(tmp_path / "s.tfstate")
    )
    assert main(["scan", "-c", str(config), "-o", str(tmp_path / "clean"), "-q"]) == 0

    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Legacy", "Value": ""}])
    out = tmp_path / "drift"
    assert main(["scan", "-c", str(config), "-o", str(out), "-q"]) == 1
    (finding,) = json.loads((out / "report.json").read_text())["findings"]
    assert finding["changes"] == [{"attribute": "tags.Legacy", "expected": None, "actual": ""}]
    capsys.readouterr()
