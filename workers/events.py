"""Event-driven scans on the cluster: the `events` queue, its own so a full run's backlog
never delays them (start a worker with `-Q events`).

The task carries the config's path and the target (names, ids and who changed what: no
CloudTrail record, no credentials); the worker scans it with the engine under the cluster's
rate limits and finalizes it as a run (history, notifications).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from driftq.config_models import Config
from driftq.events.debounce import RedisDebouncer
from driftq.events.dispatch import Sink
from driftq.events.plan import Target
from workers.queues import QueueName
from workers.settings import redis_url

_configs: dict[tuple[str, float], Config] = {}
_lock = threading.Lock()


def cluster_sink(config_path: str | Path) -> Sink:
    path = str(Path(config_path).resolve())

    def sink(target: Target, delay: float) -> str:
        from workers.app import app
        from workers.names import EVENT_TASK

        result = app.send_task(
            EVENT_TASK,
            args=[path, target.to_json()],
            queue=QueueName.EVENTS.value,
            countdown=max(0.0, delay),
        )
        return str(result.id)

    return sink


def submit_targets(config_path: str | Path, targets: list[Target]) -> list[str]:
    """`driftq event --submit`: queue now, no debounce (one file, one decision)."""
    from workers.store import RunStore

    RunStore.from_url(redis_url())  # the broker is unreachable: one line, exit 2
    sink = cluster_sink(config_path)
    return [sink(t, 0.0) for t in targets]


def redis_debouncer() -> RedisDebouncer:
    """Windows in the cluster's Redis: checked before each scan is queued, so a Redis that
    is down fails fast (the receiver answers 503, the consumer keeps the message)."""
    from workers.store import connect

    return RedisDebouncer(connect(redis_url()))


def _config(path: str) -> Config:
    """The config, read again when its file changes (a worker lives for days)."""
    from driftq.accounts_org import resolve_accounts
    from driftq.config import load_config

    key = (path, Path(path).stat().st_mtime)
    with _lock:
        if key not in _configs:
            _configs.clear()
            _configs[key] = resolve_accounts(load_config(path))
        return _configs[key]


def scan_event(config_path: str, target_json: dict[str, Any]) -> dict[str, Any]:
    from driftq.aws import AwsAccess
    from driftq.events.targeted import event_run_id, run_targets
    from workers.ratelimit import RateLimiter
    from workers.runtime import Runtime
    from workers.settings import default_output_dir

    config = _config(config_path)
    target = Target.from_json(target_json)
    limiter = RateLimiter(Runtime.current().buckets, config)
    run_id = event_run_id()
    # role sessions named after the event run (CloudTrail), as for every run
    aws = AwsAccess(
        max_pool_connections=10,
        client_hooks=limiter.client_hooks,
        run_id=run_id,
        source_identity=config.defaults.source_identity,
    )
    run = run_targets(config, [target], default_output_dir(run_id), aws=aws, run_id=run_id)
    return {
        "run_id": run_id,
        "unit": target.unit.label(),
        "findings": len(run.findings),
        "status": [r.status for r in run.results],
    }
