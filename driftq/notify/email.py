"""Email over SMTP: STARTTLS with a verified certificate (or implicit TLS on 465), optional
login, one message to every `to` address with a plain-text and an HTML part."""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from driftq.config_models import EmailChannel
from driftq.notify.content import account_rows, headline, run_line, top_findings
from driftq.notify.http import ATTEMPTS, BACKOFF_S, Delivery
from driftq.report.html import render_template

log = logging.getLogger(__name__)
TIMEOUT_S = 20.0


def build_email(
    channel: EmailChannel,
    report: dict[str, Any],
    new: list[dict[str, Any]],
    location: str,
) -> EmailMessage:
    rows, more_accounts = account_rows(report)
    top, more_findings = top_findings(report, new)
    message = EmailMessage()
    # the subject is built from counts and the run id only: nothing from AWS in a header
    message["Subject"] = f"[driftq] {headline(report)}"
    message["From"] = channel.from_
    message["To"] = ", ".join(channel.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="driftq")
    text = [headline(report), run_line(report), f"{len(new)} new since the last alert", ""]
    text += [
        f"  {a['name']} ({a.get('account_id')}) {a['severity']}: {a['drifted']} drifted, "
        f"{a['missing']} missing, {a['unmanaged']} unmanaged"
        for a in rows
    ]
    if more_accounts:
        text.append(f"  ... and {more_accounts} more accounts")
    text += ["", "Top findings:"] + [f"  - {line.text()}" for line in top]
    if more_findings:
        text.append(f"  ... and {more_findings} more in the report")
    text += ["", f"Report: {location}"]
    message.set_content("\n".join(text) + "\n")
    html = render_template(
        "email.html.j2",
        report=report,
        title=headline(report),
        run_line=run_line(report),
        new_count=len(new),
        accounts=rows,
        more_accounts=more_accounts,
        top=top,
        more_findings=more_findings,
        location=location,
    )
    message.add_alternative(html, subtype="html")
    return message


def send(
    channel: EmailChannel,
    message: EmailMessage,
    *,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
) -> Delivery:
    error = "not sent"
    for attempt in range(1, attempts + 1):
        try:
            refused = _deliver(channel, message)
            if refused:
                return Delivery(
                    False, attempt, error=f"{len(refused)} of {len(channel.to)} recipients refused"
                )
            return Delivery(True, attempt)
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP {exc.smtp_code}"
            # 4xx is a temporary failure by definition; 5xx (bad login, refused) is final
            if not 400 <= exc.smtp_code < 500:
                break
        except smtplib.SMTPRecipientsRefused as exc:
            error = f"all {len(exc.recipients)} recipients refused"
            break
        except ssl.SSLError as exc:
            error = f"TLS: {exc.reason or type(exc).__name__}"
            break
        except smtplib.SMTPNotSupportedError:
            error = "the server does not offer STARTTLS"
            break
        except (smtplib.SMTPException, OSError) as exc:
            error = f"{type(exc).__name__}"
        if attempt < attempts:
            wait = backoff * 2 ** (attempt - 1)
            log.info("email: %s, retrying in %.1fs (attempt %d)", error, wait, attempt)
            time.sleep(wait)
    log.warning("email: not delivered after %d attempt(s): %s", attempt, error)
    return Delivery(False, attempt, error=error)


def _deliver(channel: EmailChannel, message: EmailMessage) -> dict[str, Any]:
    context = ssl.create_default_context(cafile=channel.ca_file)
    smtp: smtplib.SMTP
    if channel.smtp_port == 465:
        smtp = smtplib.SMTP_SSL(
            channel.smtp_host, channel.smtp_port, timeout=TIMEOUT_S, context=context
        )
    else:
        smtp = smtplib.SMTP(channel.smtp_host, channel.smtp_port, timeout=TIMEOUT_S)
    with smtp:
        smtp.ehlo()
        if channel.smtp_port != 465 and channel.starttls:
            smtp.starttls(context=context)
            smtp.ehlo()
        if channel.username:
            smtp.login(channel.username, channel.password or "")
        return smtp.send_message(message, from_addr=channel.from_, to_addrs=list(channel.to))
