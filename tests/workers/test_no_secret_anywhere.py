"""After a full `submit --wait`, no secret is anywhere a person or another process can read.

Sentinel values go everywhere a secret can come from: the caller's AWS credentials, each
account's external id, the Slack and approval webhook URLs, the PagerDuty key, the SMTP
password, the Redis password, and a tag value the state marks sensitive (and its drifted
live twin). The emulator adds every secret key and session token it issued on AssumeRole.
Then every place is searched: Redis (every key of every type, so task arguments and results
too), the logs of a worker at INFO and one at DEBUG, Flower's log and its API, every file
the run left (reports, import blocks, history database), the command's own output, and what
Slack, PagerDuty, the approval webhook and the mail server received.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from tests.support.moto import free_port
from tests.support.recorder import Recorder, recording_server
from tests.support.smtp import Mailbox, smtp_server
from tests.workers.cluster import (
    BIN,
    CALLER_SECRET,
    CALLER_TOKEN,
    Cluster,
    Proc,
    redis_command,
    spawn,
    wait_for,
    worker_command,
)
from tests.workers.estate import drifted_account
from tests.workers.test_submit import flower_body, flower_get

pytestmark = pytest.mark.slow

S = "SENTINEL"
EXTERNAL_ID = f"{S}-external-id-3f9a"
SLACK_SECRET = f"{S}-slack-path-81c2"
PD_KEY = f"{S}-pagerduty-key-0d7e"
SMTP_PASSWORD = f"{S}-smtp-password-6b4f"
APPROVAL_SECRET = f"{S}-approval-path-2a5c"
REDIS_PASSWORD = f"{S}-redis-password-9e1b"
STATE_SECRET = f"{S}-state-tag-value-47d0"
LIVE_SECRET = f"{S}-live-tag-value-c83e"
FLOWER_AUTH = "ops:flower-sentinel-test"


def redis_dump(client: redis.Redis) -> str:
    """Every key and value, of every type Redis has."""
    parts: list[str] = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        value: Any
        if kind == "string":
            value = client.get(key)
        elif kind == "hash":
            value = client.hgetall(key)
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        elif kind == "set":
            value = sorted(client.smembers(key))
        elif kind == "zset":
            value = client.zrange(key, 0, -1, withscores=True)
        elif kind == "stream":
            value = client.xrange(key)
        else:
            raise AssertionError(f"unexpected Redis type {kind} of {key}")
        parts.append(f"{key} {json.dumps(value, default=str)}")
    return "\n".join(parts)


@pytest.fixture
def private_cluster(cluster: Cluster, tmp_path: Path) -> Iterator[Cluster]:
    """A Redis with a password, one worker at INFO and one at DEBUG, and Flower: all of this
    test's own, so every unit runs on workers whose logs are read here."""
    port = free_port()
    (tmp_path / "redis").mkdir()
    argv = [*redis_command(port, tmp_path / "redis"), "--requirepass", REDIS_PASSWORD]
    redis_proc = spawn("redis", argv, {}, tmp_path, tmp_path)
    url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{port}/0"
    probe = redis.Redis.from_url(url)

    def up() -> bool:
        try:
            return bool(probe.ping())
        except redis.exceptions.ConnectionError:
            return False

    wait_for("redis with a password", up, 15, redis_proc)
    mine = Cluster(tmp_path, url, cluster.emulator, tmp_path / "driftq.yaml")
    try:
        yield mine
    finally:
        mine.stop()
        redis_proc.stop()


def start_processes(cluster: Cluster) -> tuple[Proc, Proc, Proc, int]:
    info = cluster.start_worker("w-info")
    argv = worker_command("w-debug", 2)
    argv[argv.index("INFO")] = "DEBUG"
    (cluster.tmp / "cwd-w-debug").mkdir()
    debug = cluster.track(
        spawn("w-debug", argv, cluster.env, cluster.tmp / "cwd-w-debug", cluster.tmp)
    )
    port = free_port()
    flower_argv = [
        str(BIN / "celery"),
        "-A",
        "workers",
        "flower",
        f"--port={port}",
        "--address=127.0.0.1",
    ]
    flower = cluster.track(
        spawn(
            "flower",
            flower_argv,
            {**cluster.env, "FLOWER_BASIC_AUTH": FLOWER_AUTH},
            cluster.tmp,
            cluster.tmp,
        )
    )
    for proc in (info, debug):
        cluster.wait_ready(proc)
    wait_for("flower", lambda: flower_get(port, "/") == 401, 30, flower)
    return info, debug, flower, port


def mark_a_sensitive_tag(account: Any) -> None:
    """The state's VPC gets a tag marked sensitive; AWS has another value (drift)."""
    path = Path(account.backend["path"])
    state = json.loads(path.read_text())
    for resource in state["resources"]:
        if resource["name"].startswith("main_"):
            instance = resource["instances"][0]
            instance["attributes"]["tags"]["Secret"] = STATE_SECRET
            instance["sensitive_attributes"] = [
                [
                    {"type": "get_attr", "value": "tags"},
                    {"type": "index", "value": {"value": "Secret", "type": "string"}},
                ]
            ]
            vpc = instance["attributes"]["id"]
            account.client("ec2").create_tags(
                Resources=[vpc], Tags=[{"Key": "Secret", "Value": LIVE_SECRET}]
            )
    path.write_text(json.dumps(state))


def write_config(cluster: Cluster, account: Any, hooks: Recorder, mail: Mailbox) -> Path:
    entry = {**account.entry(), "external_id": EXTERNAL_ID}
    config = {
        "version": "1.0",
        "defaults": {"timeout": "30s", "services": ["ec2", "sqs", "iam"]},
        "accounts": [entry],
        "monitoring": {"thresholds": {"warning": {"drifted_resources": 1}}},
        "notifications": {
            "slack": {"webhook_url": f"{hooks.url}/services/T0/B0/{SLACK_SECRET}"},
            "pagerduty": {
                "integration_key": PD_KEY,
                "severity_threshold": "warning",
                "url": f"{hooks.url}/v2/enqueue",
            },
            "email": {
                "smtp_host": mail.host,
                "smtp_port": mail.port,
                "from": "driftq@example.com",
                "to": ["ops@example.com"],
                "username": "driftq",
                "password": SMTP_PASSWORD,
                "ca_file": str(mail.certificates.ca_file),
            },
        },
        "remediation": {
            "auto_generate_import": True,
            "require_approval": True,
            "approval_webhook": f"{hooks.url}/approve/{APPROVAL_SECRET}",
            "auto_remediate": [{"resource_type": "aws_vpc", "action": "enforce_terraform"}],
        },
    }
    cluster.cluster_config.write_text(yaml.safe_dump(config, sort_keys=False))
    return cluster.cluster_config


def test_no_secret_anywhere_after_a_full_run(private_cluster: Cluster, tmp_path: Path) -> None:
    cluster = private_cluster
    account = drifted_account("sentinel", cluster.emulator.url, tmp_path, ["us-east-1"])
    mark_a_sensitive_tag(account)
    (tmp_path / "tls").mkdir()
    with (
        recording_server() as hooks,
        smtp_server(tmp_path / "tls", users={"driftq": SMTP_PASSWORD}) as mail,
    ):
        config = write_config(cluster, account, hooks, mail)
        info, debug, flower, flower_port = start_processes(cluster)
        run = cluster.driftq(
            "submit", "-c", str(config), "--wait", "-o", str(tmp_path / "out"), timeout=300
        )
        assert run.returncode == 1, run.stderr
        run_id = run.stdout.splitlines()[0]

        def run_tasks() -> list[Any]:
            listed = json.loads(flower_body(flower_port, "/api/tasks", FLOWER_AUTH)).values()
            return [t for t in listed if run_id in json.dumps(t)]

        # three scan units (ec2, sqs, iam) and the callback
        wait_for("the run's tasks in flower", lambda: len(run_tasks()) >= 4, 60)
        tasks = run_tasks()
        flower_api = json.dumps(tasks) + flower_body(flower_port, "/api/workers", FLOWER_AUTH)
        dump = redis_dump(cluster.redis())
        info.stop(), debug.stop(), flower.stop()
        sent = [
            r.body.decode(errors="replace") + json.dumps(r.headers)
            for r in hooks.requests
            if r.path != "/v2/enqueue"
        ]
        # PagerDuty's routing key is the credential the channel itself sends: all else counts
        sent += [
            json.dumps({k: v for k, v in r.json().items() if k != "routing_key"})
            for r in hooks.on("/v2/enqueue")
        ]
        mails = [message.as_string() for _, _, message in mail.messages]

    # the run did everything that could leak: drift on the sensitive tag, every channel
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    (vpc,) = [f for f in report["findings"] if f["kind"] == "drifted"]
    assert {"attribute": "tags.Secret", "expected": "(sensitive)", "actual": "(sensitive)"} in vpc[
        "changes"
    ]
    assert hooks.on(f"/services/T0/B0/{SLACK_SECRET}") and hooks.on("/v2/enqueue") and mails
    assert "DEBUG" in debug.text() and "Task scan " in debug.text()
    assert run_id in dump

    sentinels = {
        CALLER_SECRET,
        CALLER_TOKEN,
        EXTERNAL_ID,
        SLACK_SECRET,
        PD_KEY,
        SMTP_PASSWORD,
        APPROVAL_SECRET,
        REDIS_PASSWORD,
        STATE_SECRET,
        LIVE_SECRET,
        *cluster.emulator.secrets(),
    }
    assert len(sentinels) > 12  # the emulator issued the workers' assumed-role credentials
    places = {
        "redis": dump,
        "flower api": flower_api,
        "submit output": run.stdout + run.stderr,
        "notifications": "\n".join(sent + mails),
    }
    inputs = {config.resolve(), Path(account.backend["path"]).resolve()}
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and path.resolve() not in inputs and "tls" not in path.parts:
            places[str(path.relative_to(tmp_path))] = path.read_bytes().decode(errors="replace")
    assert any(name.endswith("w-debug.log") for name in places)
    assert any(name.endswith("history.db") for name in places)
    assert any(name.endswith("report.html") for name in places)
    leaks = {name: sorted(s for s in sentinels if s in text) for name, text in places.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
