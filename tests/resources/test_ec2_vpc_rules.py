"""Provider 5's rule resources (`aws_vpc_security_group_ingress_rule` / `_egress_rule`):
the group they belong to is not drifted on `ingress`/`egress`, in a full run and in a
group-only run, whether its state was refreshed after the rules were made or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Unit
from driftq.plan import Selection
from tests.conftest import single_account_config
from tests.resources.cases.ec2_security import INGRESS, rule_group
from tests.resources.test_ec2 import REGION, rule_block, summary
from tests.support.estate import StateFile


def _state(resources: list[Any], group: dict[str, Any] | None = None) -> StateFile:
    state = StateFile()
    for res in resources:
        attrs = group if group is not None and res.type == "aws_security_group" else res.attributes
        state.add(res.type, res.name, attrs)
    return state


def _scan(account: Any, tmp_path: Path, state: StateFile, types: tuple[str, ...] = ()) -> Any:
    config = single_account_config(account, state.write(tmp_path / "rules.tfstate"))
    result = Engine(config, Selection(resource_types=types)).scan_unit(Unit("test", REGION, "ec2"))
    assert result.status == "ok", result.error_message
    return result.findings


def test_group_with_rule_resources_is_not_drifted(account: Any, tmp_path: Path) -> None:
    resources, _, _ = rule_group(account)
    group = next(r for r in resources if r.type == "aws_security_group")
    # the same group after a refresh: the provider lists every AWS rule inline
    refreshed = {
        **group.attributes,
        "ingress": [rule_block("tcp", 443, 443, ["10.9.0.0/16"], description="vpc")],
        "egress": [rule_block("tcp", 443, 443, ["0.0.0.0/0"])],
    }
    for attrs in (group.attributes, refreshed):
        state = _state(resources, attrs)
        assert _scan(account, tmp_path, state) == []
        assert _scan(account, tmp_path, state, ("aws_security_group",)) == []


def test_rule_added_by_hand_is_one_unmanaged_rule(account: Any, tmp_path: Path) -> None:
    resources, _, _ = rule_group(account)
    gid = next(r for r in resources if r.type == "aws_security_group").attributes["id"]
    ec2 = account.client("ec2")
    ec2.authorize_security_group_ingress(
        GroupId=gid,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [gid]}])
    ssh = next(
        r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if r.get("FromPort") == 22
    )
    assert summary(_scan(account, tmp_path, _state(resources))) == {("unmanaged", INGRESS, ssh)}
    # a group-only run does not report rules, and the new rule is not group drift either
    assert _scan(account, tmp_path, _state(resources), ("aws_security_group",)) == []
