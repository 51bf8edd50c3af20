"""Terminal and display spoofing: strings from AWS or a state (escape sequences, OSC 52
clipboard writes, bidi overrides, zero-width characters) reach no human output raw."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest

from driftq.cli import main
from driftq.config_models import EmailChannel, SlackChannel
from driftq.model import Change, Finding, Unit, UnitResult
from driftq.notify.email import build_email
from driftq.notify.slack import build_message
from driftq.progress import Progress
from driftq.report import build_report
from driftq.report.html import render_html
from driftq.summary import format_summary
from driftq.text import display
from tests.support import reports as est

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes `rm -rf ~` to the clipboard
CSI = "\x1b[2K\x1b[1A"  # erase the line, move up: hides the line before
RLO = "\u202e"  # right-to-left override: `exe.txt` shows as `txt.exe`
HOSTILE = f"web{OSC52}{CSI}{RLO}gpj.exe\u200b\u2066\x85\u2028x\nFAKE LINE\ud800"


def acting(text: str, allowed: str = "") -> set[str]:
    """The characters in ``text`` that act instead of showing."""
    return {
        c
        for c in text
        if c not in allowed and unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs"}
    }


def test_display_escapes_visibly_and_leaves_text_alone() -> None:
    shown = display(HOSTILE)
    assert acting(shown) == set()
    assert "\\x1b]52;c;" in shown and "\\u202e" in shown and "\\x0aFAKE LINE" in shown
    assert display("café 日本語 🙂 ü-prod_01") == "café 日本語 🙂 ü-prod_01"
    assert display("a\nb\tc", multiline=True) == "a\nb\tc"
    assert display(12) == "12"


def hostile_report() -> dict[str, object]:
    finding = Finding(
        kind="drifted",
        account="production",
        account_id=est.PROD_ID,
        region="us-east-1",
        service="ec2",
        resource_type="aws_security_group",
        resource_id=f"sg-1{RLO}",
        address=f"aws_security_group.{HOSTILE}",
        state="s.tfstate",
        changes=[Change(f"tags.{HOSTILE}", HOSTILE, "x")],
    )
    unmanaged = Finding(
        kind="unmanaged",
        account="production",
        account_id=est.PROD_ID,
        region="us-east-1",
        service="ec2",
        resource_type="aws_vpc",
        resource_id=HOSTILE,
    )
    results = [
        UnitResult(Unit("production", "us-east-1", "ec2"), "ok", findings=[finding, unmanaged]),
        UnitResult(
            Unit("production", "us-west-2", "ec2"),
            "error",
            error_code=f"Throttling{CSI}",
            error_message=HOSTILE,
        ),
    ]
    return build_report(est.config(), est.run_info(), results)


def test_terminal_summary_and_progress() -> None:
    text = format_summary(hostile_report())
    assert acting(text, allowed="\n") == set()
    assert text.count("\n") == len(text.splitlines()) - 1
    assert "FAKE LINE" in text and not any(line.startswith("FAKE") for line in text.splitlines())
    stream = io.StringIO()
    Progress(2, stream=stream).advance(f"production/us-east-1/ec2{HOSTILE}", False, CSI)
    assert acting(stream.getvalue(), allowed="\n") == set()


def test_html_report() -> None:
    page = render_html(hostile_report())
    # newlines and tabs are markup whitespace there; nothing else may act
    assert acting(page, allowed="\n\t") == set()
    assert "\\u202e" in page and "\\x1b]52;c;" in page


def test_slack_and_email() -> None:
    report = hostile_report()
    report["notifications"] = []
    slack = build_message(SlackChannel(webhook_url="http://x"), report, [], "/r.html")
    assert acting(json.dumps(slack, ensure_ascii=False), allowed="\n") == set()
    channel = EmailChannel.model_validate({"smtp_host": "h", "from": "a@b.c", "to": ["d@e.f"]})
    message = build_email(channel, report, [], "/r.html")
    for part in message.walk():
        if part.get_content_maintype() == "text":
            assert acting(part.get_content(), allowed="\n\t\r") == set()


def test_error_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-c", str(tmp_path / f"x{OSC52}{RLO}.yaml")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert acting(line) == set() and line.endswith(
        "x\\x1b]52;c;cm0gLXJmIH4=\\x07\\u202e.yaml: config file not found"
    )
