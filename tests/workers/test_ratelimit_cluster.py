"""Cluster-wide AWS budgets, counted at the emulator while two workers share one bucket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.workers.cluster import Cluster
from tests.workers.estate import EstateAccount, write_config

BURST, REFILL = 4, 8.0  # paced to ~3 s, well inside the cluster's task limit
# the emulator's and the workers' timestamps are both time.time() on this machine, the
# workers' rounded to the millisecond
CLOCK_SLACK_S = 0.01


def test_one_accounts_bucket_holds_across_workers(cluster: Cluster, workdir: Path) -> None:
    # one AWS account scanned by three runs at once (three teams' configs, each listing it
    # once: one config may not list an account twice): three units share its ec2 bucket in
    # us-east-1, on two workers of two processes each. A fourth account keeps AWS's default
    # budget.
    slow = [EstateAccount(f"slow-{n}", cluster.emulator.url, ["us-east-1"]) for n in "abc"]
    for account in slow[1:]:
        account.id = slow[0].id
    fast = EstateAccount("fast", cluster.emulator.url, ["us-east-1"])
    ec2 = slow[0].client("ec2")
    for n in range(3):  # each non-default VPC costs two more calls per unit
        ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")
    for account in [*slow, fast]:
        account.backend = {"type": "local", "path": str(workdir / "empty.tfstate")}
    (workdir / "empty.tfstate").write_text(json.dumps({"version": 4, "resources": []}))
    limits = {"rate_limits": {f"{slow[0].id}/ec2": {"burst": BURST, "refill_per_second": REFILL}}}
    configs = [
        # a generous time limit: a busy machine may stretch these paced units well past 15 s
        write_config(
            workdir / f"limits-{a.name}.yaml", team, ["ec2"], timeout="90s", monitoring=limits
        )
        for a, team in zip(slow, [[slow[0], fast], [slow[1]], [slow[2]]], strict=True)
    ]
    before = len(cluster.emulator.calls())

    runs = [
        cluster.driftq_async("submit", "-c", str(c), "--wait", "-q", "-o", str(workdir / c.stem))
        for c in configs
    ]
    outputs = [run.communicate(timeout=300) for run in runs]

    assert [run.returncode for run in runs] in ([0, 0, 0], [1, 1, 1]), outputs
    run_ids = [out.splitlines()[0] for out, _ in outputs]
    for config in configs:
        report = json.loads((workdir / config.stem / "report.json").read_text())
        assert report["summary"]["units_failed"] == 0, report["errors"]
    calls = cluster.emulator.calls()[before:]
    mine = sorted(c["t"] for c in calls if c["account"] == slow[0].id and c["service"] == "ec2")
    theirs = [c["t"] for c in calls if c["account"] == fast.id and c["service"] == "ec2"]
    span = max(mine) - min(mine)
    print(
        f"slow account: {len(mine)} calls in {span:.2f}s; fast: {len(theirs)} calls "
        f"in {max(theirs) - min(theirs):.2f}s"
    )
    assert len(mine) > 3 * BURST, "the test must drain the bucket to mean anything"
    # The bucket's own guarantee, checked without timing the machine: the bucket starts
    # full when the first of these units starts, so its k-th token is due no earlier than
    # (k - burst) / refill after that; each call reaches the emulator after its token,
    # however late a busy machine lets it arrive (lag only makes arrivals later).
    units = unit_timings(
        cluster, [(rid, f"{a.name}/us-east-1/ec2") for rid, a in zip(run_ids, slow, strict=True)]
    )
    first_start = min(u["started"] for u in units)
    for k, arrived in enumerate(mine, start=1):
        due = first_start + max(0, k - BURST) / REFILL
        assert arrived >= due - CLOCK_SLACK_S, f"call {k} arrived {due - arrived:.2f}s early"
    # the other account's calls drew from a bucket of their own, not the slow one's (how
    # soon they ran is up to the machine's load, so it is not timed here)
    buckets = {
        key: cluster.redis().hgetall(key) for key in cluster.redis().scan_iter("driftq:bucket:*")
    }
    assert f"driftq:bucket:{slow[0].id}:us-east-1:ec2" in buckets
    assert f"driftq:bucket:{fast.id}:us-east-1:ec2" in buckets
    # Which processes ran the three units is up to Celery: a unit that meets the bucket empty
    # goes back to the queue (it does not wait in its slot) and may come back on any worker.
    # Wherever they ran, the bound above held over all their calls together: a bucket per
    # worker or per process would have granted each its own burst.
    print("workers:", sorted(u["worker"] for u in units))


def unit_timings(cluster: Cluster, units_of_runs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    client = cluster.redis()
    return [
        json.loads(client.hget(f"driftq:run:{run_id}:timing", label) or "{}")
        for run_id, label in units_of_runs
    ]
