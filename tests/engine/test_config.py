"""Config loading: every kind of bad input is one clear message naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from driftq.config import load_config, parse_config
from driftq.errors import ConfigError

GOOD = """
version: "1.0"
defaults: {parallel_workers: 8, timeout: 10m, services: [ec2, iam]}
accounts:
  - name: production
    account_id: "333333333333"
    role_arn: arn:aws:iam::333333333333:role/DriftMgrRole
    external_id: DriftMgr-UniqueExternalId
    regions: [us-east-1, us-west-2]
    state_backend:
      type: s3
      bucket: prod-terraform-state
      key: infrastructure/terraform.tfstate
      region: us-east-1
      role_arn: arn:aws:iam::333333333333:role/TerraformStateRole
notifications:
  slack:
    webhook_url: ${SLACK_WEBHOOK_URL}
    channel: "#drift"
monitoring:
  interval: 6h
  thresholds:
    critical: {drifted_resources: 10, security_groups_changed: 1}
exclusions:
  resource_types: [aws_autoscaling_group]
  tags: [{Key: Environment, Value: Development}]
"""


def test_full_config_loads_with_env_expansion() -> None:
    config = parse_config(GOOD, env={"SLACK_WEBHOOK_URL": "https://hooks.example/x"})
    assert config.defaults.timeout == 600
    assert config.monitoring.interval == 6 * 3600
    assert config.notifications.slack is not None
    assert config.notifications.slack.webhook_url == "https://hooks.example/x"
    account = config.accounts[0]
    assert account.backends()[0].role_arn == "arn:aws:iam::333333333333:role/TerraformStateRole"
    assert config.services_for(account) == ["ec2", "iam"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda t: t.replace("regions: [us-east-1, us-west-2]", "regions: [us-east-1, mars-1]"),
            ":9: accounts[0].regions: 'mars-1' is not an AWS region name",
        ),
        (
            lambda t: t.replace("external_id: DriftMgr", "colour: blue\n    external_id: DriftMgr"),
            ":8: accounts[0].colour: unknown key `colour`",
        ),
        (
            lambda t: t.replace(
                "role_arn: arn:aws:iam::333333333333:role/DriftMgrRole", "role_arn: not-an-arn"
            ),
            "accounts[0].role_arn: 'not-an-arn' is not an IAM role ARN",
        ),
        (
            lambda t: t.replace("parallel_workers: 8", "parallel_workers: many"),
            "defaults.parallel_workers: Input should be a valid integer",
        ),
        (
            lambda t: t.replace("timeout: 10m", "timeout: soon"),
            "defaults.timeout: 'soon' is not a duration",
        ),
        (
            lambda t: t.replace('account_id: "333333333333"', 'account_id: "123"'),
            "accounts[0].account_id: String should match pattern",
        ),
        (
            lambda t: t.replace("services: [ec2, iam]", "services: [ec2, rds9]"),
            "defaults.services: unknown service 'rds9'",
        ),
        (
            lambda t: t.replace("      key: infrastructure/terraform.tfstate\n", ""),
            "an s3 state backend needs `key`, `keys` or `prefix`",
        ),
        (lambda t: t.replace('channel: "#drift"', "channel: [unclosed"), ":20: invalid YAML"),
    ],
)
def test_bad_config_names_the_problem(mutate, expected) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as info:
        parse_config(mutate(GOOD), source="cfg.yaml", env={"SLACK_WEBHOOK_URL": "x"})
    assert expected in str(info.value)
    assert str(info.value).startswith("cfg.yaml")


def test_duplicate_account_is_reported_with_the_account_block() -> None:
    text = GOOD.replace(
        "notifications:",
        "  - name: production\n    account_id: '444444444444'\n    regions: [us-east-1]\nnotifications:",
    )
    with pytest.raises(ConfigError, match="used twice"):
        parse_config(text, env={"SLACK_WEBHOOK_URL": "x"})


def test_unset_variable_is_an_error_naming_it_and_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(GOOD, source="cfg.yaml", env={})
    assert "${SLACK_WEBHOOK_URL} is not set" in str(info.value)
    assert "notifications.slack.webhook_url" in str(info.value)


def test_unset_variable_in_a_disabled_section_is_fine() -> None:
    text = GOOD.replace('channel: "#drift"', 'channel: "#drift"\n    enabled: false')
    config = parse_config(text, env={})
    assert config.notifications.slack is not None and not config.notifications.slack.enabled


def test_variable_default_syntax() -> None:
    text = GOOD.replace("${SLACK_WEBHOOK_URL}", "${SLACK_WEBHOOK_URL:-https://fallback.example}")
    config = parse_config(text, env={})
    assert config.notifications.slack is not None
    assert config.notifications.slack.webhook_url == "https://fallback.example"


def test_role_arn_of_another_account_is_rejected() -> None:
    text = GOOD.replace("role/DriftMgrRole", "role/DriftMgrRole").replace(
        "arn:aws:iam::333333333333:role/DriftMgrRole", "arn:aws:iam::999999999999:role/DriftMgrRole"
    )
    with pytest.raises(ConfigError, match="belongs to account 999999999999"):
        parse_config(text, env={"SLACK_WEBHOOK_URL": "x"})


def test_unquoted_account_ids() -> None:
    twelve = GOOD.replace('account_id: "333333333333"', "account_id: 333333333333")
    assert (
        parse_config(twelve, env={"SLACK_WEBHOOK_URL": "x"}).accounts[0].account_id
        == "333333333333"
    )
    leading_zero = GOOD.replace('account_id: "333333333333"', "account_id: 012345670123")
    with pytest.raises(ConfigError, match="quote the account id"):
        parse_config(leading_zero, env={"SLACK_WEBHOOK_URL": "x"})


@pytest.mark.parametrize("content", ["", "just a string", "- a\n- list"])
def test_non_mapping_config(tmp_path: Path, content: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match="must be a YAML mapping"):
        load_config(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize("example", ["driftq.example.yaml", "demo.yaml"])
def test_shipped_configs_are_valid(example: str) -> None:
    path = Path(__file__).resolve().parents[2] / "config" / example
    env = {
        "SLACK_WEBHOOK_URL": "https://hooks.example/x",
        "PAGERDUTY_KEY": "k",
        "APPROVAL_WEBHOOK_URL": "https://approve.example",
        "SMTP_PASSWORD": "p",
        "DRIFTQ_DEMO_STATE_DIR": "/tmp",
    }
    config = load_config(path, env=env)
    assert config.accounts


def test_a_process_that_sends_nothing_loads_the_config_without_its_secrets() -> None:
    """`submit` and beat plan runs; the workers notify: only they need the secrets."""
    text = """
accounts:
  - {name: a, account_id: "111111111111", regions: [us-east-1], external_id: "${EXT}"}
notifications:
  slack: {webhook_url: "${SLACK_URL}"}
outputs:
  external_id: "${OUT_EXT}"
"""
    with pytest.raises(ConfigError, match=r"\$\{SLACK_URL\} is not set"):
        parse_config(text, env={"EXT": "ext-1", "OUT_EXT": "out-1"})
    config = parse_config(text, env={"EXT": "ext-1"}, secrets=False)
    assert config.accounts[0].external_id == "ext-1"
    assert config.notifications.slack is not None
    assert "SLACK_URL" not in config.notifications.slack.webhook_url  # never the raw text
    # what the scan itself needs stays required
    with pytest.raises(ConfigError, match=r"accounts\[0\]\.external_id"):
        parse_config(text, env={}, secrets=False)
