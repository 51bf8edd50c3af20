"""`exclusions.attributes`: values another system owns are ignored per type (or "*") by
dotted globs; a drifted finding left with no change is excluded, counted as such."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.cli import main
from driftq.config_models import Exclusions
from driftq.errors import ConfigError
from driftq.exclusions import apply_exclusions
from driftq.model import Change, Finding
from tests.conftest import single_account_config
from tests.engine.test_cli import _config, _vpc_state


def _drifted(rtype: str, *attributes: str, kind: str = "drifted") -> Finding:
    return Finding(
        kind=kind,  # type: ignore[arg-type]
        account="prod",
        account_id="111111111111",
        region="us-east-1",
        service="ec2",
        resource_type=rtype,
        resource_id="x",
        address=f"{rtype}.x",
        changes=[Change(a, "old", "new") for a in attributes],
    )


RULES = Exclusions(
    attributes={
        "aws_autoscaling_group": ["desired_capacity"],
        "*": ["tags.LastScanned", "tags.team-*"],
        "aws_lambda_function": ["environment"],
    }
)


@pytest.mark.parametrize(
    ("item", "left"),
    [
        # only the ignored value changed: the finding goes, counted as excluded
        (_drifted("aws_autoscaling_group", "desired_capacity"), None),
        # another type keeps the same attribute
        (_drifted("aws_instance", "desired_capacity"), ["desired_capacity"]),
        # the ignored change goes, the others stay
        (_drifted("aws_autoscaling_group", "desired_capacity", "max_size"), ["max_size"]),
        # "*" holds for every type; globs match within a segment
        (_drifted("aws_vpc", "tags.LastScanned", "tags.team-a", "tags.Team"), ["tags.Team"]),
        # a pattern covers everything below it
        (_drifted("aws_lambda_function", "environment.variables.X", "timeout"), ["timeout"]),
        # no prefix confusion: `environment` does not cover `environments`
        (_drifted("aws_lambda_function", "environments"), ["environments"]),
        # missing and unmanaged resources are not a value another system owns
        (_drifted("aws_autoscaling_group", kind="missing"), []),
    ],
)
def test_attribute_globs(item: Finding, left: list[str] | None) -> None:
    before = [c.attribute for c in item.changes]
    kept, excluded = apply_exclusions([item], RULES)
    if left is None:
        assert (kept, excluded) == ([], 1)
    else:
        assert excluded == 0
        assert [c.attribute for c in kept[0].changes] == left
    assert [c.attribute for c in item.changes] == before  # the input is left as it was


def test_keys_must_be_types(account: Any, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a Terraform resource type"):
        single_account_config(
            account, tmp_path / "s", extra="exclusions: {attributes: {desired_capacity: [x]}}\n"
        )
    config = single_account_config(
        account, tmp_path / "s", extra='exclusions: {attributes: {"*": [tags.LastScanned]}}\n'
    )
    assert config.exclusions.attributes == {"*": ["tags.LastScanned"]}


def test_a_scan_ignores_the_configured_attributes(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.43.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(
        Resources=[vpc],
        Tags=[{"Key": "Owner", "Value": "net"}, {"Key": "LastScanned", "Value": "today"}],
    )
    state = _vpc_state(vpc, "10.43.0.0/16", "net").write(tmp_path / "s.tfstate")
    plain = _config(tmp_path, account, state)
    out = tmp_path / "plain"
    assert main(["scan", "-c", str(plain), "-o", str(out), "-q"]) == 1
    (finding,) = json.loads((out / "report.json").read_text())["findings"]
    assert [c["attribute"] for c in finding["changes"]] == ["tags.LastScanned"]

    ignoring = _config(
        tmp_path, account, state, extra='exclusions: {attributes: {"*": [tags.LastScanned]}}'
    )
    out = tmp_path / "ignoring"
    assert main(["scan", "-c", str(ignoring), "-o", str(out), "-q"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["findings"] == [] and report["summary"]["excluded"] == 1
    capsys.readouterr()
