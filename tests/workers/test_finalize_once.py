"""The run callback run again after a crash (its worker killed after the notifications went
out: the message is redelivered, the claim has expired) does not notify twice."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from driftq.plan import Selection
from tests.support import reports as est
from tests.support.recorder import Recorder, recording_server
from workers.callback import finalize_run
from workers.runtime import Runtime
from workers.store import RunMeta, RunStore, run_key, unpack_file

SLACK_PATH = "/services/T000/B000/once"


@pytest.fixture
def hooks() -> Iterator[Recorder]:
    with recording_server() as recorder:
        yield recorder


def test_a_finalize_run_again_after_a_crash_does_not_notify_twice(
    redis_server: str, hooks: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", "off")
    config = tmp_path / "driftq.yaml"
    config.write_text(
        est.BASE_CONFIG + f"notifications: {{slack: {{webhook_url: '{hooks.url}{SLACK_PATH}'}}}}\n"
    )
    store = RunStore.from_url(redis_server)
    results = est.results()
    run_id = f"once-{uuid.uuid4().hex[:8]}"
    meta = RunMeta(
        run_id=run_id,
        config_path=str(config),
        config_sha256=hashlib.sha256(config.read_bytes()).hexdigest(),
        selection=Selection(),
        started_at="2026-01-01T00:00:00Z",
        deadline=time.time() + 600,
        total=len(results),
        scope=uuid.uuid4().hex,
        output_dir=str(tmp_path / "out"),
    )
    store.create(meta, [r.unit for r in results], 600, [])
    for result in results:
        store.record(run_id, result, {}, units=len(results))
    runtime = Runtime(store)

    first = finalize_run(runtime, run_id)
    # what a worker killed after sending leaves behind: the run still "running", its claim
    # expired; the redelivered callback runs again
    store.client.hset(run_key(run_id), "status", "running")
    store.client.delete(run_key(run_id, "finalizing"))
    second = finalize_run(runtime, run_id)

    assert first["status"] == second["status"] == "complete"  # both wrote the report
    assert len(hooks.on(SLACK_PATH)) == 1  # one message, not two
    report = json.loads(unpack_file(store.files(run_id)["report.json"]))
    (skipped,) = report["notifications"]
    assert skipped["status"] == "skipped"
    assert "earlier attempt" in skipped["reason"]
