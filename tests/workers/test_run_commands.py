"""A run found again: `submit --wait --timeout`, `driftq status [--follow] [--json]`, `driftq
runs`, `driftq cancel`; `--wait` with no worker; the watchdog that ends a dead run."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import redis

from driftq.model import Unit, UnitResult
from driftq.plan import Selection
from tests.workers.cluster import Cluster, wait_for
from tests.workers.estate import EstateAccount, drifted_account, write_config
from workers.dispatch import config_scope
from workers.store import RunMeta, RunStore, unpack_file


def many_units_config(cluster: Cluster, workdir: Path) -> Path:
    """6 ec2 units of a few seconds each (their calls paced at two a second)."""
    accounts = [
        drifted_account(name, cluster.emulator.url, workdir, ["us-east-1", "eu-west-1"])
        for name in ("ca", "cb", "cc")
    ]
    limits = {"rate_limits": {"ec2": {"burst": 2, "refill_per_second": 2}}}
    return write_config(workdir / "many.yaml", accounts, ["ec2"], timeout="5m", monitoring=limits)


def test_wait_timeout_then_status_cancel_follow_and_runs(cluster: Cluster, workdir: Path) -> None:
    config = many_units_config(cluster, workdir)
    # a Redis database of its own, and one worker process for it started only once the run
    # is queued: units run one at a time, so the cancel surely meets queued units, however
    # fast or slow the machine
    url = cluster.redis_url.rsplit("/", 1)[0] + "/10"
    redis.Redis.from_url(url).flushdb()
    mine = Cluster(workdir, url, cluster.emulator, cluster.cluster_config)
    try:
        waited = mine.driftq("submit", "-c", str(config), "--wait", "--timeout", "1s", "-q")
        run_id = waited.stdout.splitlines()[0]
        queued = json.loads(mine.driftq_here("status", run_id, "--json").stdout)
        mine.wait_ready(mine.start_worker("solo", concurrency=1))
        client = mine.redis()
        wait_for("a unit done", lambda: client.scard(f"driftq:run:{run_id}:done") >= 1, 120)
        cancelled = mine.driftq_here("cancel", run_id)
        followed = mine.driftq("status", "--follow", run_id, "-o", str(workdir / "o"))
        listed = mine.driftq_here("runs", "--limit", "5")
        after = mine.driftq_here("status", run_id, "--json")
        shown = mine.driftq_here("status")  # the latest run: this one
        again = mine.driftq_here("cancel", run_id)
    finally:
        mine.stop()

    assert waited.returncode == 2
    assert f"run {run_id} still running after --timeout 1s" in waited.stderr
    assert f"driftq status --follow {run_id}" in waited.stderr
    assert queued["status"] == "running" and (queued["total"], queued["done"]) == (6, 0)
    assert cancelled.returncode == 0, cancelled.stderr
    # the units that ran before the cancel (and the one running then) are scanned; the
    # queued ones were dropped, and listed as cancelled in a partial report
    assert followed.returncode == 1, followed.stderr
    report = json.loads((workdir / "o" / "report.json").read_text())
    assert report["status"] == "partial" and report["summary"]["units"] == 6
    cancelled_units = sorted(
        f"{e['account']}/{e['region']}/ec2" for e in report["errors"] if e["code"] == "Cancelled"
    )
    # (on a very busy machine a unit that ran may also reach the cluster's 10 s task limit)
    codes = {e["code"] for e in report["errors"]}
    assert codes <= {"Cancelled", "SoftTimeLimitExceeded", "TimeLimitExceeded"}, codes
    assert 1 <= len(cancelled_units) < 6
    assert "FAILED    " in followed.stdout and "Cancelled" in followed.stdout
    row = next(line for line in listed.stdout.splitlines() if line.startswith(run_id))
    assert row.split()[1] == "done", listed.stdout
    final = json.loads(after.stdout)
    assert final["status"] == "done" and final["report_status"] == "partial"
    assert final["failed_units"]["Cancelled"] == cancelled_units
    assert shown.stdout.startswith(f"run {run_id}: done, report partial; 6/6 units (")
    assert f"FAILED Cancelled x{len(cancelled_units)}: " in shown.stdout
    assert again.returncode == 2 and "not running" in again.stderr
    # the run released its config's lock when its report was written
    assert not mine.redis().exists(f"driftq:lock:{config_scope(config.resolve())}")


def test_wait_with_no_worker_on_the_queues_is_a_clear_error(
    cluster: Cluster, workdir: Path
) -> None:
    # a Redis database no worker listens on: the run is sent, nobody takes it
    url = cluster.redis_url.rsplit("/", 1)[0] + "/9"
    redis.Redis.from_url(url).flushdb()
    account = drifted_account("orphan", cluster.emulator.url, workdir, ["us-east-1"])
    config = write_config(workdir / "orphan.yaml", [account], ["sqs", "iam"])
    began = time.monotonic()

    run = cluster.driftq(
        "submit",
        "-c",
        str(config),
        "--wait",
        "-q",
        env={"DRIFTQ_REDIS_URL": url, "DRIFTQ_NO_WORKER_S": "6"},
    )

    assert run.returncode == 2
    error = run.stderr.strip().splitlines()[-1]
    assert error.startswith("driftq: error: no worker consumes finalize, scan.iam, scan.sqs")
    assert "start workers for them" in error
    assert time.monotonic() - began < 120  # generous: the point is that it ends


def test_watchdog_finalizes_a_dead_run_and_lists_its_lost_units(
    cluster: Cluster, workdir: Path
) -> None:
    account = EstateAccount("ghost", cluster.emulator.url, ["us-east-1"])
    account.backend = {"type": "local", "path": str(workdir / "none.tfstate")}
    config = write_config(workdir / "ghost.yaml", [account], ["sqs", "iam"]).resolve()
    store = RunStore.from_url(cluster.redis_url)
    units = [Unit("ghost", "us-east-1", "sqs"), Unit("ghost", "global", "iam")]
    run_id = f"ghost-{os.getpid()}-{time.time_ns()}"
    scope = config_scope(config)
    # a run whose deadline passed long ago (beyond every redelivery), one unit recorded,
    # the other lost with its worker and its message; its lock still held
    meta = RunMeta(
        run_id=run_id,
        config_path=str(config),
        config_sha256=hashlib.sha256(config.read_bytes()).hexdigest(),
        selection=Selection(),
        started_at="2026-01-01T00:00:00Z",
        deadline=time.time() - 3600,
        total=2,
        scope=scope,
        output_dir=str(workdir / "cluster-out"),
    )
    store.create(meta, units, 3600, [])
    store.record(run_id, UnitResult(units[0], "ok"), {}, units=2)
    assert store.acquire_lock(scope, run_id, 3600, force=False) is None

    send_watchdog(cluster)

    wait_for("the watchdog's finalize", lambda: store.status(run_id) == "done", 120)
    report = json.loads(unpack_file(store.files(run_id)["report.json"]))
    assert report["status"] == "partial"
    assert [(e["service"], e["code"]) for e in report["errors"]] == [("iam", "Lost")]
    assert "lost" in report["errors"][0]["message"]
    assert not store.client.exists(f"driftq:lock:{scope}")  # a new submit may start


def send_watchdog(cluster: Cluster) -> None:
    """What beat sends every 30 s, sent once by hand (the session cluster runs no beat)."""
    code = "from workers.app import app; app.send_task('driftq.watchdog', queue='finalize')"
    subprocess.run([sys.executable, "-c", code], env=cluster.env, check=True, timeout=60)


def test_watchdog_sends_again_the_units_a_redis_restart_lost(
    cluster: Cluster, workdir: Path
) -> None:
    account = drifted_account("phoenix", cluster.emulator.url, workdir, ["us-east-1"])
    config = write_config(workdir / "phoenix.yaml", [account], ["sqs", "iam"]).resolve()
    store = RunStore.from_url(cluster.redis_url)
    units = [Unit("phoenix", "us-east-1", "sqs"), Unit("phoenix", "global", "iam")]
    run_id = f"phoenix-{os.getpid()}-{time.time_ns()}"
    meta = RunMeta(
        run_id=run_id,
        config_path=str(config),
        config_sha256=hashlib.sha256(config.read_bytes()).hexdigest(),
        selection=Selection(),
        started_at="2026-01-01T00:00:00Z",
        deadline=time.time() + 600,
        total=2,
        scope=config_scope(config),
        output_dir=str(workdir / "cluster-out"),
    )
    # a run recorded before Redis restarted, whose messages the restart lost: no queue
    # holds them, no unit has a result
    store.create(meta, units, 3600, [])
    store.client.hset(f"driftq:run:{run_id}", "redis", "the-redis-before-the-restart")

    send_watchdog(cluster)

    wait_for("the run, sent again", lambda: store.status(run_id) == "done", 180)
    report = json.loads(unpack_file(store.files(run_id)["report.json"]))
    assert report["status"] == "complete", report["errors"]
    assert report["summary"]["units"] == 2 and report["summary"]["units_failed"] == 0
