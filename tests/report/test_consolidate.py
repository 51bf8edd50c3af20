"""`scan --save-report` writes the guide's per-account-region files; `report consolidate`
merges any set of them into one report (JSON or the same HTML page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.cli import main
from driftq.report.consolidate import consolidate, load_reports
from tests.support import reports as est
from tests.support.estate import StateFile


def _scan_config(tmp_path: Path, account: Any, state: Path) -> Path:
    path = tmp_path / "driftq.yaml"
    path.write_text(
        f"""
defaults: {{services: [ec2], parallel_workers: 2}}
accounts:
  - name: main
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: consolidate-test
    regions: [us-east-1, us-west-2]
    state_backend: {{type: local, path: "{state}", region: us-east-1}}
monitoring:
  thresholds:
    warning: {{unmanaged_resources: 2}}
"""
    )
    return path


def test_per_region_files_consolidate_into_one_report(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for region, cidr in (("us-east-1", "10.61.0.0/16"), ("us-west-2", "10.62.0.0/16")):
        ec2 = account.client("ec2", region)
        vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": f"{est.XSS}-{region}"}])
    config = _scan_config(tmp_path, account, StateFile().write(tmp_path / "empty.tfstate"))
    saved = tmp_path / "saved"
    for region in ("us-east-1", "us-west-2"):
        args = ["scan", "-c", str(config), "--region", region, "--resource-type", "aws_vpc"]
        args += ["-o", str(tmp_path / region), "-q", "--save-report", f"{saved}/"]
        assert main(args) == 1
    files = sorted(p.name for p in saved.iterdir())
    assert len(files) == 2
    assert files[0].startswith("drift-all-us-east-1-") and files[0].endswith(".json")
    assert files[1].startswith("drift-all-us-west-2-")
    per_region = json.loads((saved / files[0]).read_text())
    assert per_region["severity"] == "ok"  # one unmanaged VPC per region: under the limit
    assert [f["region"] for f in per_region["findings"]] == ["us-east-1"]

    out = tmp_path / "merged.json"
    capsys.readouterr()
    assert main(["report", "consolidate", "--input-dir", str(saved), "--output", str(out),
                 "--format", "json"]) == 0  # fmt: skip
    assert "2 reports, 1 accounts" in capsys.readouterr().out
    merged = json.loads(out.read_text())
    assert sorted(f["region"] for f in merged["findings"]) == ["us-east-1", "us-west-2"]
    assert merged["summary"]["units"] == 2 and merged["summary"]["unmanaged"] == 2
    assert merged["accounts"][0]["regions"] == ["us-east-1", "us-west-2"]
    assert [s["file"] for s in merged["sources"]] == files
    # with the config, thresholds see the whole account: together the regions reach warning
    assert main(["report", "consolidate", "--input-dir", str(saved), "--output", str(out),
                 "--format", "json", "--config", str(config)]) == 0  # fmt: skip
    rechecked = json.loads(out.read_text())
    assert rechecked["severity"] == "warning"
    assert rechecked["thresholds"][0]["metric"] == "unmanaged_resources"

    html = tmp_path / "merged.html"
    assert main(["report", "consolidate", "--input-dir", str(saved), "--output", str(html)]) == 0
    page = html.read_text()
    assert "consolidated from 2 reports" in page
    # the Name tag only shapes the suggested import address, sanitized
    assert "to = aws_vpc.script_alert_1_script_-us-east-1" in page and est.XSS not in page


def test_save_report_placeholders_and_one_account_names_the_file(
    account: Any, tmp_path: Path
) -> None:
    config = _scan_config(tmp_path, account, StateFile().write(tmp_path / "empty.tfstate"))
    target = tmp_path / "out" / "{account}_{region}_{run_id}.json"
    args = ["scan", "-c", str(config), "--account", "main", "--region", "us-west-2"]
    assert main([*args, "-o", str(tmp_path / "r"), "-q", "--save-report", str(target)]) == 0
    (saved,) = (tmp_path / "out").iterdir()
    report = json.loads(saved.read_text())
    assert saved.name == f"main_us-west-2_{report['run_id']}.json"
    assert report == json.loads((tmp_path / "r" / "report.json").read_text())


def test_duplicates_count_once_and_the_worst_severity_wins(tmp_path: Path) -> None:
    from driftq.finalize import finalize

    first = finalize(est.config(), est.run_info("a"), est.results(), tmp_path / "a").report
    second = finalize(
        est.config(), est.run_info("b", 30), est.results(prod=[]), tmp_path / "b"
    ).report
    for name, report in (("a.json", first), ("b.json", second)):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(json.dumps(report))
    (tmp_path / "in" / "notes.json").write_text('{"not": "a report"}')  # ignored
    merged = consolidate(load_reports(tmp_path / "in"))
    assert merged["summary"]["missing"] == 1  # staging's role is in both files
    assert merged["summary"]["drifted"] == 2
    assert merged["severity"] == "critical"
    assert merged["summary"]["units"] == 18


def test_an_empty_or_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "consolidate", "--input-dir", str(tmp_path), "--output", "x.html"]
    assert main(args) == 2
    assert "no driftq report (*.json) in this directory" in capsys.readouterr().err
    args[3] = str(tmp_path / "nope")
    assert main(args) == 2
    assert "not a directory" in capsys.readouterr().err
