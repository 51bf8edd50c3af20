"""Event-driven detection: latency from an event received to its finding stored, and how a
burst for one resource coalesces.

Starts an AWS emulator, builds N SNS topics in one account with their state, serves the
HTTP receiver (in-process scans, no debounce delay), then for each topic changes it, POSTs
the CloudTrail event and waits until the finding is in history: prints the latencies. Then
sends 500 events for one resource spread over --burst-seconds with the default 10 s window
(Redis when DRIFTQ_REDIS_URL is set, else in memory) and prints how many scans they made.

    .venv/bin/python -m benchmarks.events [--topics 10] [--burst-seconds 60]

CloudTrail's own delivery to EventBridge (typically a few minutes) comes on top.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from driftq.config import parse_config
from driftq.events.debounce import MemoryDebouncer, RedisDebouncer
from driftq.events.dispatch import Dispatcher, in_process_sink
from driftq.events.parse import calls_from
from driftq.events.plan import Target
from driftq.events.receiver import SECRET_HEADER, make_server
from tests.events.recorded import eventbridge, record
from tests.resources.test_sns import make_topic, tf_topic
from tests.support.estate import StateFile, account_session, new_account_id
from tests.support.moto import start_moto

SECRET = "benchmark-secret-0123456789"


class _Account:
    def __init__(self) -> None:
        self.id = new_account_id()
        self.session = account_session(self.id)
        self.role_arn = f"arn:aws:iam::{self.id}:role/DriftqScanner"

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.session.client(service, region_name=region)


def _stored(database: Path, resource_id: str) -> bool:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM driftq_findings")).all()
    except Exception:
        return False
    finally:
        engine.dispose()
    return any(json.loads(d)["resource_id"] == resource_id for (d,) in rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", type=int, default=10)
    parser.add_argument("--burst-seconds", type=float, default=60.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="driftq-events-bench-"))
    server = start_moto({"MOTO_IAM_LOAD_MANAGED_POLICIES": "false"})
    os.environ.update(
        AWS_ENDPOINT_URL=server.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        DRIFTQ_DATABASE_URL=f"sqlite:///{tmp / 'history.db'}",
    )
    os.chdir(tmp)
    try:
        account = _Account()
        state = StateFile()
        arns = []
        for i in range(args.topics):
            name = f"bench-topic-{i}"
            arns.append(make_topic(account, name))
            state.add("aws_sns_topic", f"t{i}", tf_topic(account, name))
        config = parse_config(
            f"""
version: "1.0"
defaults: {{services: [sns]}}
accounts:
  - name: bench
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: benchmark-external-id
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state.write(tmp / "s.tfstate")}"}}
"""
        )
        http = make_server(0, "127.0.0.1", SECRET, Dispatcher(config, in_process_sink(config), 0.0))
        threading.Thread(target=http.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{http.server_address[1]}/"
        latencies = []
        for arn in arns:
            account.client("sns").set_topic_attributes(
                TopicArn=arn, AttributeName="DisplayName", AttributeValue="by hand"
            )
            request = {"topicArn": arn, "attributeName": "DisplayName", "attributeValue": "x"}
            body = json.dumps(
                eventbridge(record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request))
            )
            post = urllib.request.Request(url, data=body.encode(), method="POST")
            post.add_header(SECRET_HEADER, SECRET)
            started = time.monotonic()
            urllib.request.urlopen(post, timeout=60).read()
            while not _stored(tmp / "history.db", arn):
                time.sleep(0.02)
            latencies.append(time.monotonic() - started)
        http.shutdown()
        print(
            f"event received -> finding stored, {len(latencies)} events: median "
            f"{statistics.median(latencies):.2f}s, max {max(latencies):.2f}s "
            f"(load {os.getloadavg()[0]:.1f})"
        )
        _burst(config, account.id, arns[0], args.burst_seconds)
    finally:
        server.stop()


def _burst(config: Any, account_id: str, arn: str, seconds: float) -> None:
    scans: list[Target] = []

    def sink(target: Target, delay: float) -> str:
        scans.append(target)
        return str(len(scans))

    redis_url = os.environ.get("DRIFTQ_REDIS_URL")
    if redis_url:
        import redis

        debouncer: Any = RedisDebouncer(redis.Redis.from_url(redis_url))
    else:
        debouncer = MemoryDebouncer()
    dispatcher = Dispatcher(config, sink, window_s=10.0, debouncer=debouncer)
    request = {"topicArn": arn, "attributeName": "DisplayName", "attributeValue": "x"}
    calls = calls_from(record(account_id, "sns.amazonaws.com", "SetTopicAttributes", request))
    started = time.monotonic()
    for i in range(500):
        dispatcher.handle(calls)
        time.sleep(max(0.0, started + (i + 1) * seconds / 500 - time.monotonic()))
    print(
        f"500 events for one resource over {time.monotonic() - started:.0f}s, 10s window "
        f"({'Redis' if redis_url else 'memory'}): {len(scans)} scans"
    )


if __name__ == "__main__":
    main()
