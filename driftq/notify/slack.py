"""Slack incoming webhook: a Block Kit message with a plain `text` fallback.

Block limits that shape this: a header's text is at most 150 characters, a section's
3,000. Everything from AWS or a state is mrkdwn-escaped (&, <, >), so a resource name can
neither inject a link nor a mention.
"""

from __future__ import annotations

from typing import Any

from driftq.config_models import SlackChannel
from driftq.notify.content import account_rows, headline, run_line, top_findings
from driftq.notify.http import Delivery, post_json

_SECTION_MAX = 2900
_ICONS = {"critical": ":red_circle:", "warning": ":large_orange_circle:", "ok": ":white_circle:"}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict[str, Any]:
    if len(text) > _SECTION_MAX:
        text = text[: _SECTION_MAX - 2] + " …"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def build_message(
    channel: SlackChannel,
    report: dict[str, Any],
    new: list[dict[str, Any]],
    location: str,
) -> dict[str, Any]:
    s = report["summary"]
    title = headline(report)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        _section(
            f"{escape(run_line(report))}\n*{s['drifted']}* drifted · *{s['missing']}* missing · "
            f"*{s['unmanaged']}* unmanaged · *{len(new)}* new since the last alert"
        ),
    ]
    rows, more = account_rows(report)
    if rows:
        lines = [
            f"{_ICONS.get(a['severity'], '')} *{escape(a['name'])}* ({a.get('account_id') or '?'})"
            f" {a['severity']}: {a['drifted']} drifted, {a['missing']} missing, "
            f"{a['unmanaged']} unmanaged"
            + (f", {a['units_failed']} units failed" if a["units_failed"] else "")
            for a in rows
        ]
        if more:
            lines.append(f"… and {more} more accounts")
        blocks.append(_section("\n".join(lines)))
    top, rest = top_findings(report, new)
    if top:
        items = [
            f"• {'*NEW* ' if line.new else ''}{line.kind} `{escape(line.resource_type)}` "
            f"`{escape(line.where)}` ({escape(line.account)}/{escape(line.region)})"
            + (f": {escape(line.detail)}" if line.detail else "")
            for line in top
        ]
        if rest:
            items.append(f"… and {rest} more in the report")
        blocks += [{"type": "divider"}, _section("*Top findings*\n" + "\n".join(items))]
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"Report: {_link(location)}"}],
        }
    )
    message: dict[str, Any] = {"text": f"driftq: {title} ({run_line(report)})", "blocks": blocks}
    for key in ("channel", "username", "icon_emoji"):
        value = getattr(channel, key)
        if value:
            message[key] = value
    return message


def _link(location: str) -> str:
    if location.startswith(("https://", "http://")):
        return f"<{location.replace('|', '%7C').replace('>', '%3E')}|open the report>"
    return f"`{escape(location)}`"


def send(channel: SlackChannel, message: dict[str, Any]) -> Delivery:
    return post_json(channel.webhook_url, message, what="slack")
