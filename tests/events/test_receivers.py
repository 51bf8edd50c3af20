"""The two ways in: the HTTP receiver (secret, size and JSON checks; an accepted event
scanned and its finding stored, with the latency printed) and the SQS consumer (deletes a
message only once its scan is queued, with its own client). And the debounce, measured:
500 events for one resource become a handful of scans."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from driftq.config import parse_config
from driftq.config_models import Config
from driftq.events.consumer import consume
from driftq.events.debounce import RedisDebouncer
from driftq.events.dispatch import Dispatcher, in_process_sink
from driftq.events.parse import calls_from
from driftq.events.plan import Target
from driftq.events.receiver import SECRET_HEADER, make_server
from tests.events.configs import sns_config_text, write_sns_config
from tests.events.recorded import eventbridge, principal, record
from tests.resources.cases import new_test_account
from tests.resources.test_sns import make_topic, tf_topic
from tests.support.estate import StateFile, unique

SECRET = "s3cret-shared-between-eventbridge-and-us"


def _config(account: Any, state: Path) -> Config:
    return parse_config(sns_config_text(account, state))


class Recorder:
    """A sink that keeps what it was asked to queue."""

    def __init__(self, fail: bool = False) -> None:
        self.targets: list[tuple[Target, float]] = []
        self.fail = fail

    def __call__(self, target: Target, delay: float) -> str:
        if self.fail:
            raise ConnectionError("broker down")
        self.targets.append((target, delay))
        return f"t{len(self.targets)}"


def _post(url: str, body: bytes, secret: str | None = SECRET) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=body, method="POST")
    if secret is not None:
        request.add_header(SECRET_HEADER, secret)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture
def estate(aws: Any, tmp_path: Path) -> Iterator[tuple[Any, str, Config]]:
    account = new_test_account()
    name = unique("topic")
    arn = make_topic(account, name)
    state = StateFile()
    state.add("aws_sns_topic", "t", tf_topic(account, name))
    yield account, arn, _config(account, state.write(tmp_path / "terraform.tfstate"))


def _serve(dispatcher: Dispatcher) -> Iterator[str]:
    server = make_server(0, "127.0.0.1", SECRET, dispatcher)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _change(account: Any, arn: str, value: str) -> dict[str, Any]:
    account.client("sns").set_topic_attributes(
        TopicArn=arn, AttributeName="DisplayName", AttributeValue=value
    )
    request = {"topicArn": arn, "attributeName": "DisplayName", "attributeValue": value}
    return eventbridge(record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request))


def test_receiver_refuses_without_secret_over_size_and_malformed(
    estate: tuple[Any, str, Config],
) -> None:
    account, arn, config = estate
    sink = Recorder()
    for url in _serve(Dispatcher(config, sink, window_s=0.0)):
        body = json.dumps(_change(account, arn, "x")).encode()
        assert _post(url, body, secret=None)[0] == 401
        assert _post(url, body, secret=SECRET[:-1] + "X")[0] == 401
        assert _post(url, body, secret="")[0] == 401
        big = json.dumps({"padding": "x" * (256 * 1024)}).encode()
        assert _post(url, big)[0] == 413
        status, answer = _post(url, b"{not json")
        assert status == 400 and "not JSON" in answer["error"]
        status, answer = _post(url, b'{"detail-type": "Scheduled Event", "detail": {}}')
        assert status == 400 and "AWS API Call via CloudTrail" in answer["error"]
        assert sink.targets == []  # nothing refused reached the queue
        status, answer = _post(url, body)
        assert status == 202 and len(answer["queued"]) == 1
        assert sink.targets[0][0].focus == {
            "aws_sns_topic": frozenset({arn}),
            "aws_sns_topic_policy": frozenset({arn}),
        }


def test_event_received_to_finding_stored(
    estate: tuple[Any, str, Config], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end in one process: POST -> debounce -> targeted scan -> history. Prints the
    latency (docs/events.md quotes it); asserts only that the finding is stored."""
    database = tmp_path / "history.db"
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)  # the reports of the scan go here
    account, arn, config = estate
    dispatcher = Dispatcher(config, in_process_sink(config), window_s=0.0)
    for url in _serve(dispatcher):
        body = json.dumps(_change(account, arn, "by hand")).encode()
        started = time.monotonic()
        assert _post(url, body)[0] == 202
        stored = _wait_for_finding(database, arn, timeout=120)
        latency = time.monotonic() - started
    print(f"\nevent received -> finding stored: {latency:.2f}s")
    assert stored["changed_by"]["principal"] == principal(account.id)
    assert stored["changes"][0]["attribute"] == "display_name"


def _wait_for_finding(database: Path, resource_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if database.exists():
            engine = create_engine(f"sqlite:///{database}")
            with engine.connect() as conn:
                try:
                    rows = conn.execute(text("SELECT data FROM driftq_findings")).all()
                except Exception:
                    rows = []
            engine.dispose()
            for (data,) in rows:
                finding = json.loads(data)
                if finding["resource_id"] == resource_id:
                    return finding  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"no finding for {resource_id} stored within {timeout}s")


def test_consumer_deletes_only_what_it_queued(
    estate: tuple[Any, str, Config], tmp_path: Path
) -> None:
    account, arn, config = estate
    heartbeat = tmp_path / "alive"  # what the Kubernetes liveness probe reads
    # the caller's own queue, read with the caller's own credentials (the test's)
    sqs = account.client("sqs")
    url = sqs.create_queue(
        QueueName=unique("driftq-events"), Attributes={"VisibilityTimeout": "60"}
    )["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_change(account, arn, "a")))
    sqs.send_message(QueueUrl=url, MessageBody="{malformed")
    sink = Recorder()
    consume(
        config,
        url,
        Dispatcher(config, sink, window_s=0.0),
        max_messages=2,
        wait_seconds=1,
        client=sqs,
        heartbeat=str(heartbeat),
    )
    assert heartbeat.exists()
    assert [t.unit.service for t, _ in sink.targets] == ["sns"]
    assert _counts(sqs, url) == (0, 0)  # the event and the malformed one are both gone

    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_change(account, arn, "b")))
    failing = Dispatcher(config, Recorder(fail=True), window_s=0.0)
    consume(config, url, failing, max_messages=1, wait_seconds=1, client=sqs)
    # could not queue: the message stays (in flight now, visible again after its timeout)
    assert _counts(sqs, url) == (0, 1)


def _counts(sqs: Any, url: str) -> tuple[int, int]:
    attrs = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]), int(
        attrs["ApproximateNumberOfMessagesNotVisible"]
    )


def test_a_burst_for_one_resource_becomes_a_handful_of_scans(
    estate: tuple[Any, str, Config], events_redis: str
) -> None:
    """500 events for one topic, sent over a few seconds with a 1 s window (a minute with the
    default 10 s window scales the same): the scans are about duration / window, and each
    scan is scheduled after the window that coalesced its events."""
    account, arn, config = estate
    client = redis.Redis.from_url(events_redis)
    client.flushdb()
    sink = Recorder()
    dispatcher = Dispatcher(config, sink, window_s=1.0, debouncer=RedisDebouncer(client))
    request = {"topicArn": arn, "attributeName": "DisplayName", "attributeValue": "x"}
    calls = calls_from(record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request))
    started = time.monotonic()
    for _ in range(500):
        dispatcher.handle(calls)
        time.sleep(0.008)
    elapsed = time.monotonic() - started
    scans = len(sink.targets)
    print(f"\n500 events in {elapsed:.1f}s with a 1s window -> {scans} scans")
    assert 1 <= scans <= elapsed / 1.0 + 2
    assert all(delay == 1.0 for _, delay in sink.targets)
    # other resources have windows of their own
    other = dict(request, topicArn=arn + "-other")
    dispatcher.handle(
        calls_from(record(account.id, "sns.amazonaws.com", "SetTopicAttributes", other))
    )
    assert len(sink.targets) == scans + 1


def test_serve_events_command_answers_and_scans(
    estate: tuple[Any, str, Config], tmp_path: Path
) -> None:
    """The installed command, as a process: it prints where it listens, refuses a request
    without the secret, and scans an accepted event in-process into history."""
    import os
    import signal
    import subprocess
    import sys

    from tests.support.moto import free_port

    account, arn, _ = estate
    state = StateFile()
    state.add("aws_sns_topic", "t", tf_topic(account, arn.rsplit(":", 1)[-1]))
    config = write_sns_config(account, state.write(tmp_path / "s.tfstate"), tmp_path)
    database = tmp_path / "serve-history.db"
    port = free_port()
    env = {
        **os.environ,
        "DRIFTQ_EVENTS_SECRET": SECRET,
        "DRIFTQ_DATABASE_URL": f"sqlite:///{database}",
    }
    driftq = Path(sys.executable).parent / "driftq"
    argv = [
        str(driftq),
        "serve-events",
        "-c",
        str(config),
        "--port",
        str(port),
        "--in-process",
        "--debounce",
        "0",
    ]
    proc = subprocess.Popen(
        argv, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        url = f"http://127.0.0.1:{port}/"
        body = json.dumps(_change(account, arn, "served")).encode()
        assert _post(url, body, secret=None)[0] == 401
        status, answer = _post(url, body)
        assert status == 202 and len(answer["queued"]) == 1, answer
        stored = _wait_for_finding(database, arn, timeout=120)
        assert stored["changed_by"]["principal"] == principal(account.id)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
