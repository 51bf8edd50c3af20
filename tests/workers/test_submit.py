"""`driftq submit` as a user meets it: returns at once, the run lock, a broker that is down,
and what ends up in Redis (names, never credentials)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.support.moto import free_port
from tests.workers.cluster import BIN, CALLER_SECRET, CALLER_TOKEN, Cluster, spawn, wait_for
from tests.workers.estate import EstateAccount, drifted_account, write_config
from workers.dispatch import config_scope


def slow_config(cluster: Cluster, workdir: Path) -> Path:
    regions = ["us-east-1", "eu-west-1"]
    account = drifted_account("slowpoke", cluster.emulator.url, workdir, regions)
    return write_config(workdir / "slow.yaml", [account], ["ec2"], timeout="5m")


def run_status(cluster: Cluster, run_id: str) -> str:
    return str(cluster.redis().hget(f"driftq:run:{run_id}", "status") or "")


def test_submit_returns_at_once_and_a_second_submit_is_refused(
    cluster: Cluster, workdir: Path
) -> None:
    config = slow_config(cluster, workdir)

    # the emulator holds every ec2 call until the block ends: the first run is surely still
    # going when the second submit comes, however slow the machine is
    with cluster.emulator.holding("ec2"):
        first = cluster.driftq("submit", "-c", str(config), "--region", "us-east-1")
        first_status = run_status(cluster, first.stdout.strip())
        second = cluster.driftq("submit", "-c", str(config), "--region", "us-east-1")
        forced = cluster.driftq(
            "submit", "-c", str(config), "--region", "eu-west-1", "--force", "-q"
        )

    assert first.returncode == 0, first.stderr
    run_id = first.stdout.strip()
    assert "driftq: run " + run_id + " sent: 1 units in 1 accounts" in first.stderr
    assert first_status == "running"
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"driftq: error: run {run_id} of {config.resolve()} is still running "
        f"(`driftq status {run_id}`); wait for it to finish, `driftq cancel {run_id}`, "
        "or pass --force"
    ]
    assert forced.returncode == 0, forced.stderr
    forced_id = forced.stdout.strip()
    assert forced_id != run_id
    for rid in (run_id, forced_id):
        wait_for(f"run {rid} done", lambda rid=rid: run_status(cluster, rid) == "done", 240)
    # the first run's callback left the forced run's lock alone; the forced run freed it
    assert not cluster.redis().exists(f"driftq:lock:{config_scope(config.resolve())}")


def test_broker_down_is_one_line_and_exit_2(cluster: Cluster, workdir: Path) -> None:
    account = drifted_account("lonely", cluster.emulator.url, workdir, ["us-east-1"])
    config = write_config(workdir / "down.yaml", [account], ["sqs"])
    down = f"redis://127.0.0.1:{free_port()}/0"

    run = cluster.driftq("submit", "-c", str(config), "--wait", env={"DRIFTQ_REDIS_URL": down})

    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"driftq: error: cannot reach Redis at {down}")
    assert run.stdout == ""


def test_bad_selection_fails_before_the_cluster_is_asked(cluster: Cluster, workdir: Path) -> None:
    account = drifted_account("picky", cluster.emulator.url, workdir, ["us-east-1"])
    config = write_config(workdir / "picky.yaml", [account], ["sqs"])
    down = f"redis://127.0.0.1:{free_port()}/0"

    run = cluster.driftq(
        "submit", "-c", str(config), "--account", "nobody", env={"DRIFTQ_REDIS_URL": down}
    )

    assert run.returncode == 2
    assert "unknown account 'nobody'" in run.stderr


def test_no_credential_reaches_redis(cluster: Cluster, workdir: Path) -> None:
    # a run that assumes roles, reads an S3 state and finalizes, so Redis has it all
    account = drifted_account("secretive", cluster.emulator.url, workdir, ["us-east-1"])
    bucket = f"state-{account.id}"
    account.client("s3").create_bucket(Bucket=bucket)
    account.client("s3").put_object(
        Bucket=bucket, Key="s.tfstate", Body=Path(account.backend["path"]).read_text()
    )
    account.backend = {"type": "s3", "bucket": bucket, "key": "s.tfstate", "region": "us-east-1"}
    other = EstateAccount("other", cluster.emulator.url, ["us-east-1"], backend=account.backend)
    config = write_config(workdir / "secret.yaml", [account, other], ["ec2", "sqs", "iam"])
    run = cluster.driftq("submit", "-c", str(config), "--wait", "-q", "-o", str(workdir / "o"))
    assert run.returncode == 1, run.stderr

    dump = redis_dump(cluster)
    secrets = {CALLER_SECRET, CALLER_TOKEN, *cluster.emulator.secrets()}
    assert len(secrets) > 5  # the emulator issued the workers' assumed-role credentials
    assert run.stdout.splitlines()[0] in dump  # the run is there...
    leaked = sorted(s for s in secrets if s in dump)
    assert leaked == []  # ...and no secret key or session token


def redis_dump(cluster: Cluster) -> str:
    """Every key and value in the cluster's Redis, as one text."""
    client = cluster.redis()
    parts: list[str] = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        if kind == "string":
            value: object = client.get(key)
        elif kind == "hash":
            value = client.hgetall(key)
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        elif kind == "set":
            value = sorted(client.smembers(key))
        elif kind == "zset":
            value = client.zrange(key, 0, -1, withscores=True)
        else:
            value = kind
        parts.append(f"{key} {json.dumps(value, default=str)}")
    return "\n".join(parts)


def test_flower_names_each_unit_and_shows_failed_units_as_failures(
    cluster: Cluster, workdir: Path
) -> None:
    port = free_port()
    argv = [str(BIN / "celery"), "-A", "workers", "flower", f"--port={port}", "--address=127.0.0.1"]
    env = {**cluster.env, "FLOWER_BASIC_AUTH": "ops:flower-test-password"}
    flower = cluster.track(spawn("flower", argv, env, workdir, workdir))
    auth = "ops:flower-test-password"
    try:
        wait_for("flower", lambda: flower_get(port, "/") == 401, 60, flower)
        watched = drifted_account("watched", cluster.emulator.url, workdir, ["us-east-1"])
        # a state that does not exist: each of this account's units fails on the cluster
        broken = EstateAccount("broken", cluster.emulator.url, ["us-east-1"])
        broken.backend = {"type": "local", "path": str(workdir / "no-such.tfstate")}
        config = write_config(workdir / "flower.yaml", [watched, broken], ["sqs", "iam"])
        run = cluster.driftq("submit", "-c", str(config), "--wait", "-q", "-o", str(workdir / "o"))
        assert run.returncode == 1, run.stderr
        run_id = run.stdout.splitlines()[0]

        assert flower_get(port, "/api/tasks") == 401

        def of_run(path: str) -> dict[str, dict[str, Any]]:
            tasks = json.loads(flower_body(port, path, auth) or "{}")
            return {t["name"]: t for t in tasks.values() if run_id in str(t.get("kwargs"))}

        failed = wait_for(
            "the failed units in flower",
            lambda: (found := of_run("/api/tasks?state=FAILURE")) and len(found) == 2 and found,
            60,
        )
        succeeded = wait_for(
            "the other units in flower",
            lambda: (found := of_run("/api/tasks?state=SUCCESS")) and len(found) == 2 and found,
            60,
        )
    finally:
        flower.stop()
    assert sorted(failed) == ["scan broken/global/iam", "scan broken/us-east-1/sqs"]
    assert sorted(succeeded) == ["scan watched/global/iam", "scan watched/us-east-1/sqs"]
    assert failed["scan broken/us-east-1/sqs"]["kwargs"] == str(
        {"run_id": run_id, "account": "broken", "region": "us-east-1", "service": "sqs"}
    )
    # queued units are announced (task-sent), so Flower lists them before a worker takes them
    assert all(t["sent"] for t in [*failed.values(), *succeeded.values()])
    # ...and the run's report still came out, with the failed units in it
    report = json.loads((workdir / "o" / "report.json").read_text())
    assert report["status"] == "partial"
    assert {(e["account"], e["service"]) for e in report["errors"]} == {
        ("broken", "sqs"),
        ("broken", "iam"),
    }
    # Flower's Exception column says why, as the report does
    code = report["errors"][0]["code"]
    assert f"broken/us-east-1/sqs: {code}: " in failed["scan broken/us-east-1/sqs"]["exception"]


def flower_get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def flower_body(port: int, path: str, auth: str) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(request, timeout=5) as response:
        return str(response.read().decode())
