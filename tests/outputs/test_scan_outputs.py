"""`driftq scan` with every output on: what lands in the bucket, CloudWatch, SNS and DynamoDB."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from driftq.cli import main
from driftq.report.consolidate import consolidate, load_reports
from tests.outputs.footprint import Footprint, config_with_outputs
from tests.workers.estate import EstateAccount

THIRTY_DAYS = 30 * 86400


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def scan(config: Path, out: Path) -> dict[str, Any]:
    assert main(["scan", "-c", str(config), "-o", str(out), "-q"]) == 1  # drift found
    return json.loads((out / "report.json").read_text())  # type: ignore[no-any-return]


def test_a_scan_reaches_every_output(
    footprint: Footprint, target: EstateAccount, tmp_path: Path
) -> None:
    config = config_with_outputs(tmp_path / "driftq.yaml", [target], footprint.outputs())

    report = scan(config, tmp_path / "run1")

    run_id, finished = report["run_id"], report["finished_at"]
    by_output = {o["output"]: o for o in report["outputs"]}
    assert {name: o["status"] for name, o in by_output.items()} == {
        "s3": "ok",
        "cloudwatch": "ok",
        "dynamodb": "ok",
    }
    per_region: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        per_region.setdefault(f["region"], []).append(f)
    assert set(per_region) == {"us-east-1", "global"}
    s = report["summary"]
    assert (s["drifted"], s["missing"]) == (1, 1) and s["unmanaged"] >= 3

    # S3: the run's files under YYYY/MM/DD/<run_id>/
    prefix = f"{report['started_at'][:10].replace('-', '/')}/{run_id}/"
    objects = footprint.objects(prefix)
    assert set(objects) == {
        prefix + name
        for name in (
            "report.json",
            "report.html",
            f"accounts/{target.name}.json",
            f"imports/{target.name}.tf",
            "imports/README.md",
        )
    }
    uploaded = json.loads(objects[prefix + "report.json"])
    assert uploaded["findings"] == report["findings"]
    assert (
        objects[prefix + f"imports/{target.name}.tf"]
        == (tmp_path / "run1" / "imports" / f"{target.name}.tf").read_bytes()
    )
    # the per-account file is a report of its own: consolidate reads it back
    folder = tmp_path / "from-s3"
    folder.mkdir()
    (folder / "acct.json").write_bytes(objects[prefix + f"accounts/{target.name}.json"])
    merged = consolidate(load_reports(folder))
    assert merged["summary"]["drifted"] == 1 and len(merged["findings"]) == len(report["findings"])

    # SNS: one message per account/region, pointing at the page in S3
    url = by_output["s3"]["url"]
    # path-style on the emulator (virtual-hosted on AWS: test_object_url)
    assert url == f"{footprint.endpoint}/{footprint.bucket}/{prefix}report.html"
    messages = {m["Subject"]: json.loads(m["Message"]) for m in footprint.messages()}
    assert set(messages) == {
        f"Drift detected in {target.name}/us-east-1",
        f"Drift detected in {target.name}/global",
    }
    east = messages[f"Drift detected in {target.name}/us-east-1"]
    assert east["account_id"] == target.id and east["region"] == "us-east-1"
    assert east["timestamp"] == finished
    assert east["drift_summary"]["report_url"] == url
    assert east["drift_summary"]["drifted"] == 1 and east["drift_summary"]["missing"] == 1
    assert {r["resource_id"] for r in east["affected_resources"]} == {
        f["resource_id"] for f in per_region["us-east-1"]
    }
    assert all(r["new"] for r in east["affected_resources"])
    (sns,) = [n for n in report["notifications"] if n["channel"] == "sns"]
    assert (sns["status"], sns["sent"]) == ("sent", 2)
    assert {(m["region"], m["status"]) for m in sns["messages"]} == {
        ("us-east-1", "sent"),
        ("global", "sent"),
    }

    # CloudWatch: per account (dimension Account) and in total
    assert footprint.metric_sum("DriftedResources", target.id) == 1
    assert footprint.metric_sum("MissingResources", target.id) == 1
    assert footprint.metric_sum("UnmanagedResources", target.id) == s["unmanaged"]
    # moto answers a query without dimensions with every series of the name summed: here the
    # total's and the one account's, so twice the count (AWS matches dimensions exactly)
    assert footprint.metric_sum("UnmanagedResources") == 2 * s["unmanaged"]
    assert footprint.metric_sum("DriftedResources") == 2 * s["drifted"]
    assert footprint.metric_sum("UnitsFailed") == 0
    assert footprint.metric_sum("RunSeconds") is not None
    names = footprint.metric_names()
    for metric in ("DriftedResources", "MissingResources", "UnmanagedResources"):
        assert (metric, (("Account", target.id),)) in names and (metric, ()) in names

    # DynamoDB: one item per account x region, the guide's keys, ttl = end + retention
    items = {i["account_region"]: i for i in footprint.items()}
    assert set(items) == {f"{target.id}#us-east-1", f"{target.id}#global"}
    item = items[f"{target.id}#us-east-1"]
    assert item["timestamp"] == finished and item["run_id"] == run_id
    assert item["ttl"] == epoch(finished) + THIRTY_DAYS
    data = item["drift_data"]
    assert (data["drifted"], data["missing"]) == (1, 1)
    assert data["findings_total"] == len(per_region["us-east-1"]) == len(data["findings"])
    assert data["findings_omitted"] == 0 and data["report_url"] == url

    # the same drift again: SNS stays quiet (already told), the rest records the new run
    second = scan(config, tmp_path / "run2")
    assert footprint.messages() == []
    sns = [n for n in second["notifications"] if n["channel"] == "sns"]
    assert [n["status"] for n in sns] == ["skipped"]
    assert len(footprint.items()) == 4
    assert footprint.objects(f"{second['started_at'][:10].replace('-', '/')}/{second['run_id']}/")


def test_without_a_role_the_callers_own_credentials_write(
    footprint: Footprint, target: EstateAccount, tmp_path: Path
) -> None:
    # the caller's account is moto's default one: its own bucket there
    caller_bucket = Footprint(footprint.endpoint, account_id="123456789012")
    caller_bucket.client("s3").create_bucket(Bucket=caller_bucket.bucket)
    outputs = {
        "region": "us-east-1",
        "s3": {"bucket": caller_bucket.bucket, "prefix": "runs/{run_id}/"},
    }
    config = config_with_outputs(tmp_path / "driftq.yaml", [target], outputs)

    report = scan(config, tmp_path / "out")

    assert [o["status"] for o in report["outputs"]] == ["ok"]
    keys = set(caller_bucket.objects(f"runs/{report['run_id']}/"))
    assert f"runs/{report['run_id']}/report.json" in keys
