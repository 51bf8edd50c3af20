"""`driftq event --submit` on the cluster: the targeted scan runs as a task on the `events`
queue in a real worker, and its finding, with who changed it, lands in history."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.events.recorded import eventbridge, principal, record
from tests.support.estate import StateFile, unique
from tests.workers.cluster import Cluster
from tests.workers.estate import EstateAccount, write_config


def _stored(database: Path, resource_id: str) -> dict[str, Any] | None:
    if not database.exists():
        return None
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM driftq_findings")).all()
    except Exception:
        return None
    finally:
        engine.dispose()
    for (data,) in rows:
        finding = json.loads(data)
        if finding["resource_id"] == resource_id:
            return finding  # type: ignore[no-any-return]
    return None


def test_submitted_event_is_scanned_on_the_events_queue(cluster: Cluster, workdir: Path) -> None:
    account = EstateAccount("events", cluster.emulator.url, ["us-east-1"])
    sqs = account.client("sqs")
    name = unique("orders")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = f"arn:aws:sqs:us-east-1:{account.id}:{name}"
    state = StateFile()
    state.add(
        "aws_sqs_queue",
        "orders",
        {"id": url, "arn": arn, "name": name, "visibility_timeout_seconds": 30, "tags": {}},
    )
    account.backend = {"type": "local", "path": str(state.write(workdir / "s.tfstate"))}
    config = write_config(workdir / "events.yaml", [account], ["sqs"])
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "900"})
    request = {"queueUrl": url, "attributes": {"VisibilityTimeout": "900"}}
    event = workdir / "event.json"
    rec = record(account.id, "sqs.amazonaws.com", "SetQueueAttributes", request, who="carol")
    event.write_text(json.dumps(eventbridge(rec)))

    done = cluster.driftq("event", "-c", str(config), "--file", str(event), "--submit")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["queued"]) == 1

    database = cluster.tmp / "history.db"
    deadline = time.monotonic() + 180
    while (stored := _stored(database, url)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored is not None, "the event's finding never reached history"
    changed = {c["attribute"]: c for c in stored["changes"]}
    assert changed["visibility_timeout_seconds"]["actual"] == 900
    assert stored["changed_by"]["principal"] == principal(account.id, "carol")
