"""No secret in a log line: botocore's own DEBUG wire log, redacted; `driftq --debug` clean."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from driftq.logsafe import REDACTED, RedactingFilter, install, redact
from tests.support.estate import StateFile

CALLER_TOKEN = "sentinel-caller-session-token-4b1d"
EXTERNAL_ID = "sentinel-external-id-9c2e"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_WIRE_LOG = """
import json, logging, sys
import boto3
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="AKIASENTINEL0000001",
                   aws_secret_access_key="sentinel-caller-secret", aws_session_token=sys.argv[1])
creds = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/x",
                        RoleSessionName="sentinel", ExternalId=sys.argv[2])["Credentials"]
print(json.dumps([creds["SecretAccessKey"], creds["SessionToken"]]))
"""


def test_botocore_wire_log_is_redacted_even_uncapped(aws: Any) -> None:
    """botocore at DEBUG (in a fresh interpreter, without driftq's cap) logs the session
    token, the external id and the assumed role's secrets; redaction removes every one."""
    run = subprocess.run(
        [sys.executable, "-c", _WIRE_LOG, CALLER_TOKEN, EXTERNAL_ID],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    secrets = [CALLER_TOKEN, EXTERNAL_ID, *json.loads(run.stdout)]
    assert [s for s in secrets if s not in run.stderr] == []  # what a worker at DEBUG printed
    clean = "\n".join(redact(line) for line in run.stderr.splitlines())
    assert [s for s in secrets if s in clean] == []
    assert REDACTED in clean and "AssumeRole" in clean  # still a useful log


@pytest.mark.parametrize(
    "line",
    [
        "<Credentials><SecretAccessKey>abc/DEF+ghi</SecretAccessKey></Credentials>",
        "{'X-Amz-Security-Token': b'abc/DEF+ghi', 'Authorization': b'AWS4-HMAC abc/DEF+ghi'}",
        '{"SessionToken": "abc/DEF+ghi"}',
        "Action=AssumeRole&ExternalId=abc/DEF+ghi&Version=2011-06-15",
        "smtp login with password=abc/DEF+ghi",
        "{'aws_secret_access_key': 'abc/DEF+ghi'}",
    ],
)
def test_credential_shapes_are_redacted(line: str) -> None:
    assert "abc/DEF+ghi" not in redact(line)


def test_tracebacks_are_redacted_too() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    try:
        raise RuntimeError("<SessionToken>tok-abc-123</SessionToken>")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert "tok-abc-123" not in logging.Formatter().format(record)


def test_install_caps_the_wire_loggers() -> None:
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        install()
        assert all(
            not logging.getLogger(name).isEnabledFor(logging.DEBUG)
            for name in ("botocore.endpoint", "botocore.parsers", "urllib3.connectionpool")
        )
    finally:
        root.setLevel(level)


def test_driftq_debug_logs_no_secret(aws: Any, account: Any, tmp_path: Path) -> None:
    state = StateFile().write(tmp_path / "s.tfstate")
    config = tmp_path / "c.yaml"
    config.write_text(
        f"""
defaults: {{services: [sqs]}}
accounts:
  - name: main
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: {EXTERNAL_ID}
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state}"}}
"""
    )
    env = {**os.environ, "AWS_SESSION_TOKEN": CALLER_TOKEN, "DRIFTQ_DATABASE_URL": "off"}
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "driftq"),
            "--debug",
            "scan",
            "-c",
            str(config),
            "-o",
            str(tmp_path / "out"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "botocore.credentials" in run.stderr  # logging is on, down to botocore's INFO...
    assert CALLER_TOKEN not in run.stderr and EXTERNAL_ID not in run.stderr  # ...and clean


def test_log_lines_cannot_drive_the_terminal() -> None:
    assert redact("bucket \x1b]52;c;aGk=\x07 \u202egpj.exe\nnext") == (
        "bucket \\x1b]52;c;aGk=\\x07 \\u202egpj.exe\nnext"
    )
