"""The Celery app's settings: the rules that keep units from being lost."""

from __future__ import annotations

from workers import app
from workers.names import FINALIZE_TASK, SCAN_TASK, SCHEDULED_TASK
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
    assert route(FINALIZE_TASK, ([], "r"), {}, {}) == {"queue": "finalize"}
    assert route(SCHEDULED_TASK, ("/c.yaml", 1), {}, {}) == {"queue": "finalize"}
    assert queue_for("lambda") == "scan.lambda"


def test_tasks_have_explicit_names_and_no_celery_rate_limit() -> None:
    import workers.tasks  # noqa: F401  (registers the tasks)

    ours = {name: task for name, task in app.tasks.items() if name.startswith("driftq.")}
    assert set(ours) == {SCAN_TASK, FINALIZE_TASK, SCHEDULED_TASK}
    assert all(task.rate_limit is None for task in ours.values())
    assert app.conf.task_default_rate_limit is None


def test_masked_url_hides_the_password() -> None:
    assert masked("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert masked("redis://localhost:6379/0") == "redis://localhost:6379/0"


def test_the_engine_never_imports_celery() -> None:
    from pathlib import Path

    engine = Path(__file__).resolve().parents[2] / "driftq"
    offenders = [
        str(p)
        for p in engine.rglob("*.py")
        if "import celery" in p.read_text() or "from celery" in p.read_text()
    ]
    assert offenders == []
