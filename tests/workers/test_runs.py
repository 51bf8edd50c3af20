"""End to end through real processes: `driftq submit --wait` against two celery workers."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

from tests.support.estate import StateFile, unique
from tests.workers.cluster import Cluster
from tests.workers.estate import EstateAccount, drifted_account, write_config

CONTRACT_KEYS = (
    "kind",
    "account",
    "account_id",
    "region",
    "service",
    "resource_type",
    "resource_id",
    "address",
    "state",
    "changes",
)


def contract_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: f.get(k) for k in CONTRACT_KEYS} for f in report["findings"]]


def test_three_accounts_through_the_cluster_match_scan(cluster: Cluster, workdir: Path) -> None:
    accounts = [
        drifted_account("alpha", cluster.emulator.url, workdir, ["us-east-1", "eu-west-1"]),
        drifted_account("beta", cluster.emulator.url, workdir, ["us-east-1"]),
        drifted_account("gamma", cluster.emulator.url, workdir, ["us-west-2"]),
    ]
    config = write_config(workdir / "three.yaml", accounts, ["ec2", "sqs", "iam"])

    scanned = cluster.driftq("scan", "--config", str(config), "-q", "-o", str(workdir / "scan"))
    submitted = cluster.driftq(
        "submit", "--config", str(config), "--wait", "-o", str(workdir / "submit")
    )

    assert scanned.returncode == 1, scanned.stderr
    assert submitted.returncode == 1, submitted.stderr + submitted.stdout
    run_id = submitted.stdout.splitlines()[0]
    assert "driftq run " + run_id in submitted.stdout  # the summary, as `scan` prints it
    assert "[11/11] cluster: 0 failed" in submitted.stderr  # progress from the run's counters
    local = json.loads((workdir / "scan" / "report.json").read_text())
    remote = json.loads((workdir / "submit" / "report.json").read_text())
    assert remote["run_id"] == run_id
    assert remote["status"] == local["status"] == "complete"
    assert remote["summary"] == local["summary"]
    assert contract_findings(remote) == contract_findings(local)
    assert {f["kind"] for f in remote["findings"]} >= {"missing", "unmanaged"}
    assert sorted(p.name for p in (workdir / "submit" / "imports").glob("*.tf")) == [
        "alpha.tf",
        "beta.tf",
        "gamma.tf",
    ]


def test_access_denied_account_makes_a_partial_run(cluster: Cluster, workdir: Path) -> None:
    fine = drifted_account("fine", cluster.emulator.url, workdir, ["us-east-1"])
    # the denied account's Terraform state sits in a bucket of another account, which it
    # may not read (AWS's default without a bucket policy, enforced by the emulator)
    denied = drifted_account("denied", cluster.emulator.url, workdir, ["us-east-1"])
    owner = EstateAccount("owner", cluster.emulator.url, ["us-east-1"])
    bucket = unique("foreign-state")
    owner.client("s3").create_bucket(Bucket=bucket)
    owner.client("s3").put_object(
        Bucket=bucket, Key="denied.tfstate", Body=json.dumps(StateFile().document())
    )
    denied.backend = {
        "type": "s3",
        "bucket": bucket,
        "key": "denied.tfstate",
        "region": "us-east-1",
    }
    config = write_config(workdir / "denied.yaml", [fine, denied], ["ec2", "sqs", "iam"])

    run = cluster.driftq("submit", "-c", str(config), "--wait", "-q", "-o", str(workdir / "out"))

    assert run.returncode == 1, run.stderr
    report = json.loads((workdir / "out" / "report.json").read_text())
    assert report["status"] == "partial"
    assert report["summary"]["units"] == 6 and report["summary"]["units_failed"] == 3
    assert {(e["account"], e["service"]) for e in report["errors"]} == {
        ("denied", "ec2"),
        ("denied", "sqs"),
        ("denied", "iam"),
    }
    assert all(e["code"] == "AccessDenied" for e in report["errors"])
    assert all("AccessDenied" in e["message"] for e in report["errors"])
    assert {f["account"] for f in report["findings"]} == {"fine"}
    assert "FAILED    AccessDenied (3 units): denied/" in run.stdout

    # in CI: stdout is the report JSON alone, the summary on stderr, 3 for a partial run
    ci = cluster.driftq(
        "submit", "-c", str(config), "--wait", "-q", "-o", str(workdir / "ci"),
        "--format", "json", "--detailed-exitcode",
    )  # fmt: skip
    assert ci.returncode == 3, ci.stderr
    printed = json.loads(ci.stdout)
    assert printed == json.loads((workdir / "ci" / "report.json").read_text())
    assert printed["status"] == "partial" and printed["run_id"] in ci.stderr
    assert "FAILED    AccessDenied (3 units)" in ci.stderr


def test_concurrent_accounts_caps_the_whole_cluster(cluster: Cluster, workdir: Path) -> None:
    accounts = [
        drifted_account(name, cluster.emulator.url, workdir, ["us-east-1", "eu-west-1"])
        for name in ("first", "second", "third")
    ]
    config = write_config(
        workdir / "capped.yaml", accounts, ["sqs", "iam"], monitoring={"concurrent_accounts": 1}
    )

    run = cluster.driftq("submit", "-c", str(config), "--wait", "-q", "-o", str(workdir / "out"))

    assert run.returncode == 1, run.stderr
    report = json.loads((workdir / "out" / "report.json").read_text())
    assert report["status"] == "complete" and report["summary"]["units"] == 9
    timing: dict[str, str] = cluster.redis().hgetall(  # type: ignore[assignment]
        f"driftq:run:{run.stdout.splitlines()[0]}:timing"
    )
    windows: dict[str, list[float]] = {}
    for label, raw in timing.items():
        unit = json.loads(raw)
        start, end = unit["started"], unit["started"] + unit["seconds"]
        window = windows.setdefault(label.split("/")[0], [start, end])
        window[0], window[1] = min(window[0], start), max(window[1], end)
    spans = sorted(windows.values())
    # four worker processes, yet one account at a time: each account's units end before
    # the next account's begin
    assert len(spans) == 3
    assert all(a[1] <= b[0] + 0.05 for a, b in pairwise(spans))
