"""The `driftq` command: exit codes 0/1/2, clear one-line errors, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from driftq.cli import main
from tests.support.estate import StateFile, new_account_id

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tfstate-driftctl"


def _config(tmp_path: Path, account: Any, state: Path, extra: str = "") -> Path:
    path = tmp_path / "driftq.yaml"
    path.write_text(
        f"""
defaults: {{services: [ec2], parallel_workers: 2}}
accounts:
  - name: main
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: cli-test
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state}"}}
{extra}
"""
    )
    return path


def _vpc_state(vpc_id: str, cidr: str, owner: str) -> StateFile:
    return StateFile().add(
        "aws_vpc",
        "main",
        {
            "id": vpc_id,
            "cidr_block": cidr,
            "instance_tenancy": "default",
            "enable_dns_support": True,
            "enable_dns_hostnames": False,
            "tags": {"Owner": owner},
            "tags_all": {"Owner": owner},
        },
    )


def test_exit_0_when_clean_and_1_on_drift(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Owner", "Value": "net"}])
    state = _vpc_state(vpc, "10.40.0.0/16", "net").write(tmp_path / "s.tfstate")
    config = _config(tmp_path, account, state)
    out = tmp_path / "clean"
    assert main(["scan", "-c", str(config), "-o", str(out), "-q"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["drift_detected"] is False and report["status"] == "complete"
    assert report["summary"]["managed"] == 1

    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Owner", "Value": "someone"}])
    out = tmp_path / "drift"
    assert main(["scan", "-c", str(config), "-o", str(out), "-q"]) == 1
    report = json.loads((out / "report.json").read_text())
    (finding,) = report["findings"]
    assert finding["changes"] == [
        {"attribute": "tags.Owner", "expected": "net", "actual": "someone"}
    ]
    printed = capsys.readouterr().out
    assert "drifted" in printed and str(out / "report.html") in printed


@pytest.mark.parametrize(
    ("state_name", "message"),
    [
        ("bad__empty.tfstate", "the state file is empty"),
        ("bad__invalid-json.tfstate", "not valid JSON"),
    ],
)
def test_an_unreadable_state_fails_only_its_accounts_units(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], state_name: str, message: str
) -> None:
    """One account's state problem never stops everyone's run: its units are errors naming
    the file, the other accounts are scanned, the run is partial."""
    other = new_account_id()
    config = _config(
        tmp_path,
        account,
        StateFile().write(tmp_path / "fine.tfstate"),
        extra=f"""  - name: broken
    account_id: "{other}"
    role_arn: arn:aws:iam::{other}:role/DriftqScanner
    external_id: cli-test
    regions: [us-east-1]
    state_backend: {{type: local, path: "{FIXTURES / state_name}"}}
""",
    )
    out = tmp_path / "o"
    assert main(["scan", "-c", str(config), "-q", "-o", str(out)]) == 1
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "partial"
    (error,) = report["errors"]
    assert (error["account"], error["code"]) == ("broken", "StateError")
    assert state_name in error["message"] and message in error["message"]
    assert sorted(a["name"] for a in report["accounts"]) == ["broken", "main"]
    assert report["summary"]["units"] == 2 and report["summary"]["units_failed"] == 1
    assert "Traceback" not in capsys.readouterr().err


def test_missing_s3_state_is_an_error_of_the_accounts_units(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        f"""
defaults: {{services: [ec2]}}
accounts:
  - name: main
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    regions: [us-east-1]
    state_backend: {{bucket: no-such-bucket-for-driftq, key: x.tfstate}}
"""
    )
    out = tmp_path / "o"
    assert main(["scan", "-c", str(config), "-q", "-o", str(out), "--detailed-exitcode"]) == 3
    (error,) = json.loads((out / "report.json").read_text())["errors"]
    assert error["code"] == "NoSuchBucket"
    assert (
        "s3://no-such-bucket-for-driftq/x.tfstate: cannot read state: NoSuchBucket"
        in (error["message"])
    )
    assert "FAILED    NoSuchBucket (1 unit): main/us-east-1/ec2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "nobody"], "unknown account 'nobody'"),
        (["--region", "eu-north-1"], "unknown region 'eu-north-1'"),
        (["--service", "s3"], "the selection matches no account, region and service"),
        (["--resource-type", "aws_nothing"], "unknown resource type 'aws_nothing'"),
    ],
)
def test_bad_selection_exits_2(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    config = _config(tmp_path, account, StateFile().write(tmp_path / "s.tfstate"))
    assert main(["scan", "-c", str(config), "-q", *args]) == 2
    assert message in capsys.readouterr().err


def test_bad_flags_and_bad_config_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts: [{name: x}]\n")
    for argv in (
        ["scan"],
        ["scan", "-c", str(bad)],
        ["frobnicate"],
        ["scan", "-c", str(tmp_path / "none.yaml")],
    ):
        # main() as `python -m driftq.cli` runs it (sys.exit(main())), in this process: an
        # exception escaping it (a traceback for the user) fails the test here
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's exit on bad flags
            code = exc.code
        stderr = capsys.readouterr().err
        assert code == 2, (argv, stderr)
        assert "Traceback" not in stderr
        assert "error" in stderr


def test_types_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["types", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_type = {row["type"]: row for row in rows}
    assert by_type["aws_vpc"]["service"] == "ec2"
    assert "cidr_block" in by_type["aws_vpc"]["compared"]
    for row in rows:
        assert row["import_id"], row["type"]


def test_no_aws_credentials_is_a_clear_error(tmp_path: Path) -> None:
    """Without any AWS credentials: an S3 state cannot be read (exit 2, one line); with a
    local state every unit fails with NoCredentials (exit 1, a partial report)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_DEFAULT_REGION="us-east-1",
    )
    base = """
accounts:
  - name: main
    account_id: "123456789012"
    role_arn: arn:aws:iam::123456789012:role/DriftqScanner
    regions: [us-east-1]
    services: [sqs]
"""
    s3 = tmp_path / "s3.yaml"
    s3.write_text(base + "    state_backend: {bucket: states, key: main.tfstate}\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "driftq.cli",
            "scan",
            "-c",
            str(s3),
            "-q",
            "-o",
            str(tmp_path / "a"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    # the state cannot be read: the account's units are errors saying why, the run partial
    assert proc.returncode == 1, proc.stderr
    assert "s3://states: cannot read state: NoCredentials" in proc.stdout
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    (error,) = json.loads((tmp_path / "a" / "report.json").read_text())["errors"]
    assert error["code"] == "NoCredentials"

    local = tmp_path / "local.yaml"
    state = StateFile().write(tmp_path / "empty.tfstate")
    local.write_text(base + f'    state_backend: {{type: local, path: "{state}"}}\n')
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "driftq.cli",
            "scan",
            "-c",
            str(local),
            "-q",
            "-o",
            str(tmp_path / "b"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads((tmp_path / "b" / "report.json").read_text())
    assert report["status"] == "partial"
    assert [e["code"] for e in report["errors"]] == ["NoCredentials"]
