"""Email against a real aiosmtpd server that requires STARTTLS (certificate from a throwaway
CA, verified by driftq) and a login."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from driftq.finalize import finalize
from tests.support import reports as est
from tests.support.recorder import Recorder
from tests.support.smtp import Mailbox, smtp_server

PASSWORD = "s3cret-smtp-password"


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    (tmp_path / "tls").mkdir()
    with smtp_server(tmp_path / "tls", users={"driftq": PASSWORD}) as box:
        yield box


def email_config(
    box: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    *,
    trust_test_ca: bool = True,
    password: str = PASSWORD,
    extra: str = "",
):
    monkeypatch.setenv("SMTP_PASSWORD", password)
    ca = f'ca_file: "{box.certificates.ca_file}"' if trust_test_ca else ""
    return est.config(
        f"""
notifications:
  email:
    smtp_host: {box.host}
    smtp_port: {box.port}
    from: driftq@example.com
    to: [platform@example.com, security@example.com]
    username: driftq
    password: ${{SMTP_PASSWORD}}
    {ca}
{extra}"""
    )


def test_email_over_verified_starttls_with_login_to_every_address(
    mailbox: Mailbox,
    history_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    config = email_config(mailbox, monkeypatch)
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "out")

    assert done.report["notifications"] == [
        {"channel": "email", "new_findings": 4, "status": "sent", "attempts": 1, "error": None}
    ]
    ((sender, recipients, message),) = mailbox.messages
    assert sender == "driftq@example.com"
    assert recipients == ["platform@example.com", "security@example.com"]
    assert mailbox.tls_sessions == 1
    assert mailbox.logins == [("driftq", PASSWORD)]
    assert message["Subject"].startswith("[driftq] CRITICAL Terraform drift: 2 drifted")
    assert message.get_content_type() == "multipart/alternative"
    plain_part, html_part = message.get_body(("plain",)), message.get_body(("html",))
    assert plain_part is not None and html_part is not None
    plain, html = plain_part.get_content(), html_part.get_content()
    assert "production (333333333333) critical: 2 drifted" in plain
    assert "module.net.aws_security_group.web" in plain
    assert str(tmp_path / "out" / "report.html") in plain
    assert "<table" in html and "module.net.aws_security_group.web" in html
    assert PASSWORD not in caplog.text
    assert PASSWORD not in (tmp_path / "out" / "report.json").read_text()


def test_an_unverifiable_certificate_fails_the_channel_not_the_run(
    mailbox: Mailbox,
    hooks: Recorder,
    history_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the system trust store does not know the throwaway CA: driftq must refuse to log in
    monkeypatch.setenv("SLACK_WEBHOOK_URL", hooks.url + "/slack")
    slack = "  slack: {webhook_url: '${SLACK_WEBHOOK_URL}'}"
    config = email_config(mailbox, monkeypatch, trust_test_ca=False, extra=slack)
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "out")
    (email,) = est.by_channel(done.report, "email")
    assert email["status"] == "failed"
    assert email["attempts"] == 1  # a certificate problem is not retried
    assert email["error"] == "TLS: CERTIFICATE_VERIFY_FAILED"
    assert mailbox.messages == [] and mailbox.logins == []
    assert est.by_channel(done.report, "slack")[0]["status"] == "sent"


def test_a_temporary_smtp_refusal_is_retried(
    mailbox: Mailbox, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox.refuse_next.append("451 4.3.0 try again later")
    done = finalize(
        email_config(mailbox, monkeypatch), est.run_info("run-1"), est.results(), tmp_path / "o"
    )
    (email,) = est.by_channel(done.report, "email")
    assert (email["status"], email["attempts"]) == ("sent", 2)
    assert len(mailbox.messages) == 1


def test_a_permanent_smtp_refusal_is_final(
    mailbox: Mailbox, history_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = email_config(mailbox, monkeypatch, password="wrong")
    done = finalize(config, est.run_info("run-1"), est.results(), tmp_path / "o")
    (email,) = est.by_channel(done.report, "email")
    assert (email["status"], email["attempts"], email["error"]) == ("failed", 1, "SMTP 535")
