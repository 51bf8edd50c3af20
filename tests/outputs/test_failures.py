"""A failing output is retried, recorded in report.json -> outputs, logged, and neither fails
the run nor stops the other outputs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from driftq.cli import main
from tests.outputs.footprint import Footprint, config_with_outputs
from tests.support.moto import free_port
from tests.workers.estate import EstateAccount


def test_missing_targets_fail_alone_and_the_run_goes_on(
    footprint: Footprint,
    target: EstateAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    gone = f"arn:aws:sns:us-east-1:{footprint.account_id}:no-such-topic"
    outputs = footprint.outputs(
        s3={"bucket": "driftq-no-such-bucket-4f1c"},
        sns={"topic_arn": gone},
        dynamodb={"table": "no-such-table"},
    )
    config = config_with_outputs(tmp_path / "driftq.yaml", [target], outputs)
    out = tmp_path / "out"

    with caplog.at_level(logging.WARNING):
        code = main(["scan", "-c", str(config), "-o", str(out), "-q"])

    assert code == 1  # drift, as without outputs: no output changes the exit code
    report = json.loads((out / "report.json").read_text())
    by_output = {o["output"]: o for o in report["outputs"]}
    assert by_output["cloudwatch"]["status"] == "ok"
    assert footprint.metric_sum("DriftedResources", target.id) == 1
    s3, table = by_output["s3"], by_output["dynamodb"]
    assert s3["status"] == "failed" and "NoSuchBucket" in s3["error"]
    assert table["status"] == "failed" and "ResourceNotFoundException" in table["error"]
    # AWS said no: asking again would not help
    assert s3["attempts"] == 1 and table["attempts"] == 1
    (sns,) = [n for n in report["notifications"] if n["channel"] == "sns"]
    assert sns["status"] == "failed" and "NotFound" in sns["error"]
    # no upload: messages would send people to the local file instead
    assert (out / "report.html").is_file()
    logged = caplog.text
    assert "s3 not delivered" in logged and "dynamodb not delivered" in logged


def test_an_unreachable_service_is_retried_with_backoff(
    footprint: Footprint,
    target: EstateAccount,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DynamoDB's endpoint is a closed port; every other service still answers
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    outputs = footprint.outputs(
        attempts=3, sns={"topic_arn": footprint.topic_arn, "enabled": False}
    )
    config = config_with_outputs(tmp_path / "driftq.yaml", [target], outputs)
    out = tmp_path / "out"

    assert main(["scan", "-c", str(config), "-o", str(out), "-q"]) == 1

    report = json.loads((out / "report.json").read_text())
    by_output = {o["output"]: o for o in report["outputs"]}
    table = by_output["dynamodb"]
    assert table["status"] == "failed" and table["attempts"] == 3
    assert "EndpointConnectionError" in table["error"]
    assert by_output["s3"]["status"] == "ok" and by_output["cloudwatch"]["status"] == "ok"
    assert footprint.items() == []
