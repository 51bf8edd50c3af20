"""The Celery app's settings: the rules that keep units from being lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.estate import StateFile, new_account_id
from workers import app
from workers.names import EVENT_TASK, FINALIZE_TASK, SCAN_TASK, SCHEDULED_TASK, WATCHDOG_TASK
from workers.queues import all_queues, queue_for
from workers.settings import TimeLimits, masked


def test_never_lose_a_unit_settings() -> None:
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.result_serializer == "json" and conf.result_accept_content == ["json"]
    assert conf.result_expires >= 86400


def test_time_limits_follow_defaults_timeout() -> None:
    limits = TimeLimits.from_timeout(1800)
    assert limits.soft == 1800 < limits.hard < limits.visibility
    assert limits.restore_interval == 60  # a lost worker's messages return within minutes
    small = TimeLimits.from_timeout(10)
    assert (small.soft, small.hard, small.visibility) == (10, 15, 20)


def test_every_queue_is_declared_so_a_plain_worker_consumes_all() -> None:
    declared = {q.name for q in app.conf.task_queues}
    assert declared == set(all_queues())
    assert {"scan.ec2", "scan.iam", "scan.s3", "finalize"} <= declared


def test_routes() -> None:
    route = app.conf.task_routes[0]
    kwargs = {"run_id": "r", "account": "a", "region": "us-east-1", "service": "iam"}
    assert route(SCAN_TASK, (), kwargs, {}) == {"queue": "scan.iam"}
    assert route(FINALIZE_TASK, ("r",), {}, {}) == {"queue": "finalize"}
    assert route(WATCHDOG_TASK, (), {}, {}) == {"queue": "finalize"}
    assert route(SCHEDULED_TASK, ("/c.yaml", 1), {}, {}) == {"queue": "finalize"}
    assert route(EVENT_TASK, ("/c.yaml", {}), {}, {}) == {"queue": "events"}
    assert queue_for("lambda") == "scan.lambda"


def test_tasks_have_explicit_names_and_no_celery_rate_limit() -> None:
    import workers.tasks  # noqa: F401  (registers the tasks)

    ours = {name: task for name, task in app.tasks.items() if name.startswith("driftq.")}
    assert set(ours) == {SCAN_TASK, FINALIZE_TASK, SCHEDULED_TASK, WATCHDOG_TASK, EVENT_TASK}
    assert all(task.rate_limit is None for task in ours.values())
    assert app.conf.task_default_rate_limit is None


def test_masked_url_hides_the_password() -> None:
    assert masked("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert masked("redis://localhost:6379/0") == "redis://localhost:6379/0"


_IMPORT_EVERYTHING = """
import json, pkgutil, sys, importlib
import driftq
for module in pkgutil.walk_packages(driftq.__path__, "driftq."):
    if module.name != "driftq.migrations.env":  # alembic's script, run only by alembic
        importlib.import_module(module.name)
from driftq.cli import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("celery", "kombu", "workers"))
print(json.dumps({"codes": codes, "loaded": loaded}))
"""


def test_the_engine_never_imports_celery(aws: Any, tmp_path: Path) -> None:
    """Every engine module imported, then `scan`, `validate`, `types`, `report consolidate`
    run in one fresh interpreter: Celery, kombu and the workers package never load."""
    state = StateFile().write(tmp_path / "s.tfstate")
    config = tmp_path / "c.yaml"
    account_id = new_account_id()  # a fresh account: nothing in it, nothing found
    config.write_text(
        f"""
defaults: {{services: [sqs]}}
accounts:
  - name: main
    account_id: "{account_id}"
    role_arn: arn:aws:iam::{account_id}:role/DriftqScanner
    external_id: never-imports-celery
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state}"}}
"""
    )
    out = tmp_path / "out"
    commands = [
        ["scan", "-c", str(config), "-q", "-o", str(out)],
        ["validate", "-c", str(config)],
        ["types", "--json"],
        [
            "report",
            "consolidate",
            "--input-dir",
            str(out),
            "--output",
            str(tmp_path / "m.json"),
            "--format",
            "json",
        ],
    ]
    run = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING, json.dumps(commands)],
        env={**os.environ, "DRIFTQ_DATABASE_URL": "off"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["codes"] == [0, 0, 0, 0]  # every command really ran
    assert result["loaded"] == []


def test_a_queued_unit_is_announced_under_its_unit_name() -> None:
    message = app.amqp.create_task_message(
        "run:0", SCAN_TASK, (), {}, shadow="scan prod/us-east-1/ec2", create_sent_event=True
    )
    assert message.headers["task"] == SCAN_TASK  # workers run the real task...
    assert message.sent_event["name"] == "scan prod/us-east-1/ec2"  # ...Flower shows the unit
