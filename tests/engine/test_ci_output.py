"""CI output: `--format json` makes stdout the report JSON alone, `--detailed-exitcode`
tells clean, error, drift and partial apart, `defaults.output_format` chooses the report
files, and the summary's FAILED lines are grouped by error code and capped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.ci_output import detailed_exit_code
from driftq.cli import main
from driftq.summary import MAX_ERROR_CODES, UNITS_PER_CODE, failed_lines
from tests.engine.test_cli import _config, _vpc_state


def test_format_json_prints_the_report_alone_on_stdout(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Owner", "Value": "someone"}])
    config = _config(
        tmp_path, account, _vpc_state(vpc, "10.41.0.0/16", "net").write(tmp_path / "s.tfstate")
    )
    out = tmp_path / "out"
    argv = ["scan", "-c", str(config), "-o", str(out), "--format", "json"]
    assert main(argv) == 1  # the default codes: drift is 1
    printed = capsys.readouterr()
    report = json.loads(printed.out)  # nothing else on stdout: no summary, no progress
    assert report == json.loads((out / "report.json").read_text())
    assert report["findings"][0]["changes"][0]["attribute"] == "tags.Owner"
    assert "drifted" in printed.err and f"run {report['run_id']}" in printed.err

    assert main([*argv[:-2], "-q", "--detailed-exitcode"]) == 2  # drift
    assert "driftq run" in capsys.readouterr().out  # text format: the summary on stdout
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Owner", "Value": "net"}])
    assert main([*argv, "-q", "--detailed-exitcode"]) == 0  # clean
    assert json.loads(capsys.readouterr().out)["drift_detected"] is False


def test_detailed_exitcode_names_every_error_1(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts: [{name: x}]\n")
    assert main(["scan", "-c", str(bad), "-q"]) == 2
    assert main(["scan", "-c", str(bad), "-q", "--detailed-exitcode"]) == 1
    with pytest.raises(SystemExit) as exc:
        main(["scan", "-c", str(bad), "--no-such-flag", "--detailed-exitcode"])
    assert exc.value.code == 1
    with pytest.raises(SystemExit) as exc:
        main(["scan", "-c", str(bad), "--format", "yaml"])
    assert exc.value.code == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err


def _report(status: str, drift: bool) -> dict[str, Any]:
    return {"status": status, "drift_detected": drift}


def test_detailed_codes_of_each_outcome() -> None:
    assert detailed_exit_code(_report("complete", False)) == 0
    assert detailed_exit_code(_report("complete", True)) == 2
    # failed units win over drift: the report is incomplete either way
    assert detailed_exit_code(_report("partial", False)) == 3
    assert detailed_exit_code(_report("partial", True)) == 3


def test_output_format_json_writes_no_html(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = _vpc_state("vpc-00000000", "10.0.0.0/16", "x").write(tmp_path / "s.tfstate")
    config = _config(tmp_path, account, state)
    text = config.read_text().replace(
        "defaults: {services: [ec2], parallel_workers: 2}",
        "defaults: {services: [ec2], parallel_workers: 2, output_format: json}",
    )
    config.write_text(text)
    out = tmp_path / "out"
    main(["scan", "-c", str(config), "-o", str(out), "-q"])
    assert (out / "report.json").is_file() and not (out / "report.html").exists()
    printed = capsys.readouterr().out
    assert "report.html" not in printed and str(out / "report.json") in printed

    config.write_text(text.replace("output_format: json", "output_format: yaml"))
    assert main(["scan", "-c", str(config), "-q"]) == 2
    assert "output_format" in capsys.readouterr().err


def _error(account: str, service: str, code: str) -> dict[str, str]:
    return {
        "account": account,
        "region": "us-east-1",
        "service": service,
        "code": code,
        "message": f"{code}: no",
    }


def test_failed_lines_are_grouped_by_code_and_capped() -> None:
    errors = [_error(f"a{i:03}", "ec2", "AccessDenied") for i in range(300)]
    errors += [_error("b", "s3", "Throttling")]
    errors += [_error("c", "iam", f"Code{i}") for i in range(MAX_ERROR_CODES + 3)]
    lines = failed_lines(errors)
    assert lines[0] == (
        "  FAILED    AccessDenied (300 units): "
        + ", ".join(f"a{i:03}/us-east-1/ec2" for i in range(UNITS_PER_CODE))
        + f" and {300 - UNITS_PER_CODE} more"
    )
    assert lines[1].strip() == "AccessDenied: no"
    codes = [line.split()[1] for line in lines if line.startswith("  FAILED")]
    assert len(codes) == MAX_ERROR_CODES and codes[:2] == ["AccessDenied", "Code0"]
    assert lines[-1] == "  ... and 5 more failed units with 5 other error codes in the report"
    assert len(lines) == 2 * MAX_ERROR_CODES + 1
