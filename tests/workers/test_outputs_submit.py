"""`driftq submit --wait` on a real cluster: the callback on a worker publishes the outputs,
with the workers' own credentials assuming the writer role."""

from __future__ import annotations

import json
from pathlib import Path

from tests.outputs.footprint import Footprint, config_with_outputs
from tests.support.estate import unique
from tests.workers.cluster import Cluster
from tests.workers.estate import drifted_account


def test_a_cluster_run_reaches_every_output(cluster: Cluster, workdir: Path) -> None:
    footprint = Footprint(cluster.emulator.url).create()
    target = drifted_account(unique("sub"), cluster.emulator.url, workdir, ["us-east-1"])
    config = config_with_outputs(workdir / "driftq.yaml", [target], footprint.outputs())
    out = workdir / "out"

    run = cluster.driftq("submit", "-c", str(config), "--wait", "-q", "-o", str(out))

    assert run.returncode == 1, run.stderr  # drift found
    report = json.loads((out / "report.json").read_text())
    assert [(o["output"], o["status"]) for o in report["outputs"]] == [
        ("s3", "ok"),
        ("cloudwatch", "ok"),
        ("dynamodb", "ok"),
    ]
    prefix = f"{report['started_at'][:10].replace('-', '/')}/{report['run_id']}/"
    objects = footprint.objects(prefix)
    assert json.loads(objects[prefix + "report.json"])["findings"] == report["findings"]
    assert prefix + f"accounts/{target.name}.json" in objects
    url = report["outputs"][0]["url"]
    subjects = {m["Subject"]: json.loads(m["Message"]) for m in footprint.messages()}
    assert set(subjects) == {
        f"Drift detected in {target.name}/us-east-1",
        f"Drift detected in {target.name}/global",
    }
    assert all(m["drift_summary"]["report_url"] == url for m in subjects.values())
    assert footprint.metric_sum("DriftedResources", target.id) == 1
    items = {i["account_region"]: i for i in footprint.items()}
    assert set(items) == {f"{target.id}#us-east-1", f"{target.id}#global"}
    assert all(i["run_id"] == report["run_id"] for i in items.values())
