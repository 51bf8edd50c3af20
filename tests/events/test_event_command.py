"""`driftq event` end to end in moto: the JSON it prints, its exit codes, and history: the
event's finding is known to the next full run (not "new"), and the unit's other findings
are carried over, not "resolved"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.cli import main
from driftq.config import load_config
from driftq.finalize import finalize
from driftq.local import run_local
from tests.events.configs import write_sns_config
from tests.events.recorded import eventbridge, principal, record
from tests.resources.cases import new_test_account
from tests.resources.test_sns import make_topic, tf_topic
from tests.support.estate import StateFile, unique


def _event_file(folder: Path, document: Any) -> Path:
    path = folder / f"event-{len(list(folder.glob('event-*')))}.json"
    path.write_text(json.dumps(document))
    return path


def _full_scan(config_path: Path, out: Path) -> dict[str, Any]:
    config = load_config(config_path)
    outcome = run_local(config, progress=False)
    return finalize(config, outcome.run, outcome.results, out).report


def test_event_finding_reaches_history_and_the_next_full_run(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", f"sqlite:///{tmp_path / 'history.db'}")
    account = new_test_account()
    names = [unique("topic"), unique("topic")]
    arns = [make_topic(account, n) for n in names]
    state = StateFile()
    for i, name in enumerate(names):
        state.add("aws_sns_topic", f"t{i}", tf_topic(account, name))
    config = write_sns_config(account, state.write(tmp_path / "terraform.tfstate"), tmp_path)
    sns = account.client("sns")
    # run 1, full: the second topic has drifted already
    sns.set_topic_attributes(TopicArn=arns[1], AttributeName="DisplayName", AttributeValue="old")
    first = _full_scan(config, tmp_path / "r1")
    assert [f["resource_id"] for f in first["findings"]] == [arns[1]]

    # the event: someone changes the first topic
    sns.set_topic_attributes(TopicArn=arns[0], AttributeName="DisplayName", AttributeValue="new")
    request = {"topicArn": arns[0], "attributeName": "DisplayName", "attributeValue": "new"}
    rec = record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request, who="bob")
    event = _event_file(tmp_path, eventbridge(rec))
    capsys.readouterr()
    code = main(["event", "--config", str(config), "--file", str(event), "-o", str(tmp_path / "e")])
    output = json.loads(capsys.readouterr().out)
    assert code == 1
    assert output["drift_detected"] is True
    assert output["drifted_resources"] == [
        {"kind": "drifted", "resource_type": "aws_sns_topic", "resource_id": arns[0]}
    ]
    (finding,) = output["findings"]
    assert finding["changes"][0]["attribute"] == "display_name"
    assert finding["changed_by"]["principal"] == principal(account.id, "bob")
    assert finding["changed_by"]["event_name"] == "SetTopicAttributes"
    assert finding["changed_by"]["event_time"] == rec["eventTime"]
    assert output["summary"]["drifted"] == 1 and output["events"][0]["status"] == "scanned"

    # run 3, full: both known, nothing new, nothing resolved; the event's finding was first
    # seen by the event run
    third = _full_scan(config, tmp_path / "r3")
    changes = third["changes_since_previous"]
    assert changes["new"] == [] and changes["resolved"] == []
    assert changes["previous_run_ids"] == [output["run_id"]]
    seen = {f["resource_id"]: f["first_seen"] for f in third["findings"]}
    event_report = json.loads((tmp_path / "e" / "report.json").read_text())
    assert seen[arns[0]] == event_report["started_at"]
    assert seen[arns[1]] == first["started_at"]


def test_unknown_account_region_and_malformed_are_one_line_exit_2(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    account = new_test_account()
    config = write_sns_config(account, StateFile().write(tmp_path / "s.tfstate"), tmp_path)
    request = {"topicArn": "arn:aws:sns:us-east-1:1:t"}
    cases = {
        "account 999988887777 is not in the config": record("999988887777", "sns.amazonaws.com", "CreateTopic", request),
        "region ap-south-1 is not scanned for account test": record(account.id, "sns.amazonaws.com", "CreateTopic", request, region="ap-south-1"),
        "no eventName (not a CloudTrail record)": {"eventSource": "sns.amazonaws.com"},
    }  # fmt: skip
    for message, document in cases.items():
        event = _event_file(tmp_path, document)
        capsys.readouterr()
        assert main(["event", "--config", str(config), "--file", str(event)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and message in err, err
    assert list(cwd.iterdir()) == []  # nothing scanned, nothing written


def test_read_only_and_failed_events_scan_nothing(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account = new_test_account()
    config = write_sns_config(account, StateFile().write(tmp_path / "s.tfstate"), tmp_path)
    event = _event_file(
        tmp_path,
        [
            record(account.id, "sns.amazonaws.com", "ListTopics", {}, read_only=True),
            record(
                account.id,
                "sns.amazonaws.com",
                "CreateTopic",
                {"name": "x"},
                error="AuthorizationError",
            ),
        ],
    )
    capsys.readouterr()
    assert main(["event", "--config", str(config), "--file", str(event)]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["summary"]["targets"] == 0 and output["run_id"] is None
    assert [e["status"] for e in output["events"]] == ["ignored", "ignored"]


def test_receiver_and_consumer_refuse_bad_setup_in_one_line(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    account = new_test_account()
    config = str(write_sns_config(account, StateFile().write(tmp_path / "s.tfstate"), tmp_path))
    monkeypatch.delenv("DRIFTQ_EVENTS_SECRET", raising=False)
    capsys.readouterr()
    assert main(["serve-events", "-c", config, "--port", "0", "--in-process"]) == 2
    assert "DRIFTQ_EVENTS_SECRET (or the file" in capsys.readouterr().err
    # a mounted secret file (compose and Kubernetes secrets): its one trailing newline dropped
    from driftq.events.commands import shared_secret

    secret_file = tmp_path / "events-secret"
    secret_file.write_text("0123456789abcdef0123\n")
    monkeypatch.setenv("DRIFTQ_EVENTS_SECRET_FILE", str(secret_file))
    assert shared_secret() == "0123456789abcdef0123"
    monkeypatch.setenv("DRIFTQ_EVENTS_SECRET_FILE", str(tmp_path / "absent"))
    assert main(["serve-events", "-c", config, "--port", "0", "--in-process"]) == 2
    assert "cannot read" in capsys.readouterr().err
    monkeypatch.setenv("DRIFTQ_EVENTS_SECRET", "short")
    assert main(["serve-events", "-c", config, "--port", "0", "--in-process"]) == 2
    assert (
        main(["events", "consume", "-c", config, "--queue-url", "driftq-events", "--in-process"])
        == 2
    )
    err = capsys.readouterr().err
    assert "is not an SQS queue URL" in err and "Traceback" not in err


def test_the_consumer_reads_the_queue_with_the_callers_own_client(aws: Any) -> None:
    """SQS ReceiveMessage/DeleteMessage are no scan calls: the consumer's client is a plain
    one from the caller's credentials, outside the read-only guard (which would refuse a
    DeleteMessage)."""
    from driftq.events.consumer import queue_region, sqs_client

    assert queue_region("https://sqs.eu-west-1.amazonaws.com/1/q") == "eu-west-1"
    assert queue_region("https://eu-west-1.queue.amazonaws.com/1/q") == "eu-west-1"
    caller = sqs_client("https://sqs.us-east-1.amazonaws.com/1/q")
    url = caller.create_queue(QueueName=unique("events"))["QueueUrl"]
    caller.send_message(QueueUrl=url, MessageBody="{}")
    (message,) = caller.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    caller.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_each_finding_names_the_principal_of_its_own_event(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account = new_test_account()
    names = [unique("topic"), unique("topic")]
    arns = [make_topic(account, n) for n in names]
    state = StateFile()
    for i, name in enumerate(names):
        state.add("aws_sns_topic", f"t{i}", tf_topic(account, name))
    config = write_sns_config(account, state.write(tmp_path / "terraform.tfstate"), tmp_path)
    events = []
    for arn, who in zip(arns, ("alice", "bob"), strict=True):
        account.client("sns").set_topic_attributes(
            TopicArn=arn, AttributeName="DisplayName", AttributeValue=who
        )
        request = {"topicArn": arn, "attributeName": "DisplayName", "attributeValue": who}
        events.append(
            eventbridge(
                record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request, who=who)
            )
        )
    capsys.readouterr()
    code = main(
        [
            "event",
            "-c",
            str(config),
            "-f",
            str(_event_file(tmp_path, events)),
            "-o",
            str(tmp_path / "o"),
        ]
    )
    output = json.loads(capsys.readouterr().out)
    assert code == 1 and output["summary"]["targets"] == 1  # one unit, scanned once
    by = {f["resource_id"]: f["changed_by"]["principal"] for f in output["findings"]}
    assert by == {arns[0]: principal(account.id, "alice"), arns[1]: principal(account.id, "bob")}


def test_notifications_follow_the_alert_policy_across_event_and_full_runs(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event's finding alerts once; the same finding again (another event, the next full
    run) does not, and the unit's older findings carried over never alert again."""
    from driftq.events.parse import calls_from
    from driftq.events.plan import plan_calls
    from driftq.events.targeted import run_targets
    from tests.support.recorder import recording_server

    monkeypatch.setenv("DRIFTQ_DATABASE_URL", f"sqlite:///{tmp_path / 'history.db'}")
    account = new_test_account()
    names = [unique("topic"), unique("topic")]
    arns = [make_topic(account, n) for n in names]
    state = StateFile()
    for i, name in enumerate(names):
        state.add("aws_sns_topic", f"t{i}", tf_topic(account, name))
    path = write_sns_config(account, state.write(tmp_path / "terraform.tfstate"), tmp_path)
    with recording_server() as hooks:
        path.write_text(
            path.read_text()
            + f"""
notifications: {{slack: {{webhook_url: "{hooks.url}/services/T/B/x"}}}}
monitoring: {{thresholds: {{warning: {{drifted_resources: 1}}}}}}
"""
        )
        config = load_config(path)
        sns = account.client("sns")

        def slack(report: dict[str, Any]) -> dict[str, Any]:
            (entry,) = [n for n in report["notifications"] if n["channel"] == "slack"]
            return entry  # type: ignore[no-any-return]

        def event_run(folder: str) -> dict[str, Any]:
            request = {"topicArn": arns[0], "attributeName": "DisplayName"}
            rec = record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request)
            targets = plan_calls(config, calls_from(rec)).targets
            return run_targets(config, targets, tmp_path / folder).finalized.report

        sns.set_topic_attributes(TopicArn=arns[1], AttributeName="DisplayName", AttributeValue="b")
        assert slack(_full_scan(path, tmp_path / "r1"))["new_findings"] == 1
        sns.set_topic_attributes(TopicArn=arns[0], AttributeName="DisplayName", AttributeValue="a")
        first = slack(event_run("e1"))
        assert (first["status"], first["new_findings"]) == ("sent", 1)  # A only: B was told
        assert slack(event_run("e2"))["status"] == "skipped"
        assert slack(_full_scan(path, tmp_path / "r3"))["status"] == "skipped"
        assert len(hooks.requests) == 2


def test_an_event_runs_thresholds_count_the_whole_account_as_history_knows_it(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thresholds are per account: an event run counts its rescanned unit's findings with
    the account's other units as their last runs left them, so one more drifted topic in an
    account whose queues had drifted already reaches the account's limit (counted on the
    SNS unit alone it would be "ok"); the report's findings stay the event unit's own."""
    from driftq.events.parse import calls_from
    from driftq.events.plan import plan_calls
    from driftq.events.targeted import run_targets
    from tests.events.configs import sns_config_text
    from tests.resources.test_sqs import make_queue, tf_queue

    monkeypatch.setenv("DRIFTQ_DATABASE_URL", f"sqlite:///{tmp_path / 'history.db'}")
    account = new_test_account()
    topic = unique("topic")
    arn = make_topic(account, topic)
    queues = [unique("q"), unique("q")]
    urls = [make_queue(account, q) for q in queues]
    state = StateFile().add("aws_sns_topic", "t", tf_topic(account, topic))
    for i, queue in enumerate(queues):
        state.add("aws_sqs_queue", f"q{i}", tf_queue(account, queue))
    path = tmp_path / "driftq.yaml"
    text = sns_config_text(account, state.write(tmp_path / "terraform.tfstate"))
    path.write_text(
        text.replace("services: [sns]", "services: [sns, sqs]")
        + "monitoring: {thresholds: {warning: {drifted_resources: 2}, "
        "critical: {drifted_resources: 3}}}\n"
    )
    config = load_config(path)
    sqs = account.client("sqs")
    for url in urls:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "9"})
    full = _full_scan(path, tmp_path / "r1")
    assert (full["severity"], full["summary"]["drifted"]) == ("warning", 2)

    sns = account.client("sns")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="x")
    request = {"topicArn": arn, "attributeName": "DisplayName"}
    rec = record(account.id, "sns.amazonaws.com", "SetTopicAttributes", request)
    report = run_targets(config, plan_calls(config, calls_from(rec)).targets, tmp_path / "e")
    event = report.finalized.report
    assert [f["resource_type"] for f in event["findings"]] == ["aws_sns_topic"]
    assert event["severity"] == "critical"
    assert {(b["level"], b["metric"], b["value"]) for b in event["thresholds"]} == {
        ("critical", "drifted_resources", 3)
    }

    # the queues fixed since: the next event run sees it only once their unit is rescanned
    # (history is what it counts), and a full run agrees with the event run before it
    for url in urls:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "0"})
    after = _full_scan(path, tmp_path / "r2")
    assert (after["severity"], after["summary"]["drifted"]) == ("ok", 1)
    again = run_targets(config, plan_calls(config, calls_from(rec)).targets, tmp_path / "e2")
    assert again.finalized.report["severity"] == "ok"
