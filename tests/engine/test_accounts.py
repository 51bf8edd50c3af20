"""Accounts at organisation scale: `defaults:` templates filled per account, account tags and
`--tag` selection on every command that selects."""

from __future__ import annotations

from pathlib import Path

import pytest

from driftq.cli import main
from driftq.config import parse_config
from driftq.errors import ConfigError, PlanError
from driftq.plan import Selection, plan

TEMPLATED = """
version: "1.0"
defaults:
  services: [ec2, iam]
  role_arn: arn:aws:iam::{account_id}:role/DriftMgrRole
  external_id: DriftMgr-{name}-{account_id}
  regions: [us-east-1, eu-west-1]
  state_backend:
    type: s3
    bucket: tfstate-{account_id}
    key: "{name}/terraform.tfstate"
    region: us-east-1
    role_arn: arn:aws:iam::{account_id}:role/TerraformStateRole
accounts:
  - name: production
    account_id: "333333333333"
    tags: {env: prod, team: payments}
  - name: staging
    account_id: "222222222222"
    regions: [eu-west-1]
    tags: {env: staging, team: payments}
  - name: sandbox
    account_id: "444444444444"
    role_arn: arn:aws:iam::444444444444:role/Custom
    state_backends:
      - {type: local, path: /states/sandbox}
    tags: {env: dev, team: platform, tier: 3}
"""


def test_templates_are_filled_per_account_and_an_account_keeps_its_own_values() -> None:
    config = parse_config(TEMPLATED)
    prod, staging, sandbox = config.accounts
    assert prod.role_arn == "arn:aws:iam::333333333333:role/DriftMgrRole"
    assert prod.external_id == "DriftMgr-production-333333333333"
    assert prod.regions == ["us-east-1", "eu-west-1"]
    (backend,) = prod.backends()
    assert (backend.bucket, backend.key) == ("tfstate-333333333333", "production/terraform.tfstate")
    assert backend.role_arn == "arn:aws:iam::333333333333:role/TerraformStateRole"
    assert staging.regions == ["eu-west-1"]
    assert staging.backends()[0].bucket == "tfstate-222222222222"
    # its own role and its own states: nothing of the defaults' backend
    assert sandbox.role_arn == "arn:aws:iam::444444444444:role/Custom"
    assert [b.describe() for b in sandbox.backends()] == ["/states/sandbox"]
    assert sandbox.tags == {"env": "dev", "team": "platform", "tier": "3"}  # YAML int -> text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "role_arn: arn:aws:iam::{account_id}:role/DriftMgrRole",
            "role_arn: arn:aws:iam::{acount_id}:role/DriftMgrRole",
            "<config>:5: defaults.role_arn: unknown placeholder {acount_id} in "
            "'arn:aws:iam::{acount_id}:role/DriftMgrRole' (use {account_id} or {name})",
        ),
        (
            'key: "{name}/terraform.tfstate"',
            'key: "{account}/terraform.tfstate"',
            "<config>:8: defaults.state_backend: unknown placeholder {account}",
        ),
        (
            "    region: us-east-1\n    role_arn",
            "    region: mars\n    role_arn",
            "<config>:8: defaults.state_backend: region: 'mars' is not an AWS region name",
        ),
        (
            "role_arn: arn:aws:iam::{account_id}:role/DriftMgrRole",
            "role_arn: arn:aws:iam::{name}:role/DriftMgrRole",
            "<config>:5: defaults.role_arn: 'arn:aws:iam::example:role/DriftMgrRole' is not "
            "an IAM role ARN",
        ),
        (
            "role_arn: arn:aws:iam::{account_id}:role/DriftMgrRole",
            "role_arn: arn:aws:iam::111111111111:role/DriftMgrRole",
            "<config>:14: accounts: account 'production': defaults.role_arn gives "
            "'arn:aws:iam::111111111111:role/DriftMgrRole', a role in another account than "
            "333333333333 (write the account as {account_id})",
        ),
        (
            "  regions: [us-east-1, eu-west-1]\n",
            "",
            "2 problems in the config:\n  <config>:14: accounts[0].regions: required key "
            "`regions` is missing",
        ),
    ],
)
def test_bad_templates_are_one_error_at_the_template_or_naming_the_account(
    old: str, new: str, expected: str
) -> None:
    assert old in TEMPLATED
    with pytest.raises(ConfigError) as exc:
        parse_config(TEMPLATED.replace(old, new, 1))
    assert str(exc.value).startswith(expected), str(exc.value)


def _accounts(selection: Selection) -> list[str]:
    return sorted({u.account for u in plan(parse_config(TEMPLATED), selection)})


def test_tag_selection_ands_keys_and_ors_values_of_one_key() -> None:
    assert _accounts(Selection(tags=("team=payments",))) == ["production", "staging"]
    assert _accounts(Selection(tags=("team=payments", "env=staging"))) == ["staging"]
    assert _accounts(Selection(tags=("env=prod", "env=dev"))) == ["production", "sandbox"]
    assert _accounts(Selection(tags=("tier=3",))) == ["sandbox"]
    assert _accounts(Selection(tags=("env=prod",), accounts=("production", "staging"))) == [
        "production"
    ]
    with pytest.raises(PlanError, match="matches no account"):
        _accounts(Selection(tags=("env=prod", "team=platform")))


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (("owner=me",), "no account has the tag key 'owner' (tag keys in the config: env, team, "),
        (("env=prdo",), "no account has tag env=prdo (values of env: dev, prod, staging)"),
        (("env",), "--tag wants key=value, got 'env'"),
    ],
)
def test_a_tag_that_selects_nothing_says_why(tags: tuple[str, ...], message: str) -> None:
    with pytest.raises(PlanError) as exc:
        _accounts(Selection(tags=tags))
    assert str(exc.value).startswith(message)


def test_the_tag_flag_on_the_commands_that_select(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "driftq.yaml"
    path.write_text(TEMPLATED)
    assert main(["validate", "-c", str(path), "--tag", "team=payments"]) == 0
    # production: 2 regions x ec2 + iam; staging: 1 region x ec2 + iam
    assert capsys.readouterr().out.strip() == f"{path}: ok, 2 accounts, 5 units"
    assert main(["validate", "-c", str(path), "--tag", "env=nope"]) == 2
    assert "no account has tag env=nope" in capsys.readouterr().err
    # scan and submit share the flag (the selection travels with a cluster run as JSON)
    from driftq.cli import build_parser
    from driftq.cli_args import selection_from

    for command in ("scan", "submit"):
        args = build_parser().parse_args([command, "-c", "x", "--tag", "a=1", "--tag", "b=2"])
        selection = selection_from(args)
        assert selection.tags == ("a=1", "b=2")
        assert Selection.from_json(selection.to_json()) == selection
