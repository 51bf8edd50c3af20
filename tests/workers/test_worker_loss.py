"""A worker killed with SIGKILL mid-run: its units are redelivered and the run completes."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from tests.workers.cluster import Cluster, wait_for
from tests.workers.estate import drifted_account, write_config

_RECEIVED = re.compile(r"Task scan \S+\[([^\]]+)\] received")
_FINISHED = re.compile(r"Task scan \S+\[([^\]]+)\] (?:succeeded|raised|retry)")


def in_flight(log: str) -> set[str]:
    return set(_RECEIVED.findall(log)) - set(_FINISHED.findall(log))


def test_sigkilled_worker_loses_no_unit(cluster: Cluster, workdir: Path) -> None:
    accounts = [
        drifted_account(name, cluster.emulator.url, workdir, ["us-east-1"])
        for name in ("one", "two", "three")
    ]
    # The lost units come back after the visibility timeout (40s with the cluster's 30s task
    # limit), past this run's 14s deadline, which the other units meet with ease (they take
    # a few seconds): the lost ones must run anyway, not time out.
    # A tight ec2 budget makes each ec2 unit last a few seconds, so the kill surely lands
    # while w1 is in the middle of one.
    limits = {"rate_limits": {"ec2": {"burst": 2, "refill_per_second": 3}}}
    config = write_config(
        workdir / "kill.yaml", accounts, ["ec2", "sqs", "iam"], timeout="14s", monitoring=limits
    )
    victim = cluster.procs["w1"]
    submit = cluster.driftq_async(
        "submit", "-c", str(config), "--wait", "-q", "-o", str(workdir / "out")
    )
    try:
        # kill while the victim holds units it has not finished
        lost = wait_for("units in flight on w1", lambda: in_flight(victim.text()), 60, victim)
        victim.kill()
        killed_at = time.monotonic()
        # a unit may have finished between that look and the kill: what w1's log says once
        # it is dead is what it really lost
        lost = in_flight(victim.text())
        stdout, stderr = submit.communicate(timeout=300)
    finally:
        if submit.poll() is None:
            submit.kill()
        if not victim.alive():  # the cluster for the next tests
            cluster.wait_ready(cluster.start_worker("w1"))

    took = time.monotonic() - killed_at
    print(f"killed w1 with {len(lost)} unit(s) in flight; the run ended {took:.1f}s later")
    assert submit.returncode == 1, stderr
    report = json.loads((workdir / "out" / "report.json").read_text())
    assert report["status"] == "complete", report["errors"]
    assert report["summary"]["units"] == 9 and report["summary"]["units_failed"] == 0
    # the units that died with w1 were run again by w2
    assert lost <= set(_RECEIVED.findall(cluster.procs["w2"].text()))
    run_id = stdout.splitlines()[0]
    timing = cluster.redis().hgetall(f"driftq:run:{run_id}:timing")
    assert len(timing) == 9
