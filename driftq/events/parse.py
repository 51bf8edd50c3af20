"""Event documents -> ``ApiCall``s.

Accepted: an EventBridge event of detail-type "AWS API Call via CloudTrail" (its ``detail``
is the CloudTrail record), a raw CloudTrail record, a CloudTrail log file
(``{"Records": [...]}``), or a JSON list of any of these. Anything else is one clear line
(``EventError``, exit 2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from driftq.errors import DriftqError
from driftq.events.mapping import event_name, is_read_only

EVENTBRIDGE_DETAIL_TYPE = "AWS API Call via CloudTrail"
MAX_EVENT_BYTES = 256 * 1024  # EventBridge's own limit for one event
_MAX_CALLS = 10_000


class EventError(DriftqError):
    """An event document that cannot be used (malformed, unknown account, ...)."""


@dataclass(frozen=True)
class ApiCall:
    """One write call CloudTrail recorded, with what we need of it."""

    event_id: str
    source: str
    name: str
    account_id: str
    region: str
    time: str
    principal: str
    source_ip: str
    user_agent: str
    error_code: str | None
    read_only: bool
    record: dict[str, Any]

    @property
    def by_terraform(self) -> bool:
        """Terraform's AWS provider sends `APN/1.0 HashiCorp/1.0 Terraform/1.x ...`."""
        agent = self.user_agent.lower()
        return "terraform/" in agent or "terraform-provider-aws" in agent

    def changed_by(self) -> dict[str, Any]:
        return {
            "principal": self.principal,
            "source_ip": self.source_ip,
            "event_time": self.time,
            "event_name": self.name,
            "event_id": self.event_id,
            "by_terraform": self.by_terraform,
        }

    @classmethod
    def from_changed_by(cls, data: dict[str, Any]) -> ApiCall:
        """The call as a task argument carries it (``changed_by``): no record."""
        return cls(
            event_id=str(data.get("event_id") or ""),
            source="",
            name=str(data.get("event_name") or ""),
            account_id="",
            region="",
            time=str(data.get("event_time") or ""),
            principal=str(data.get("principal") or "unknown"),
            source_ip=str(data.get("source_ip") or ""),
            user_agent="Terraform/" if data.get("by_terraform") else "",
            error_code=None,
            read_only=False,
            record={},
        )

    def label(self) -> str:
        return f"{self.source} {self.name} in {self.account_id}/{self.region}"


def load_events(data: bytes | str, where: str = "event") -> list[ApiCall]:
    """Parse a document of events; raises EventError naming ``where`` on anything wrong."""
    try:
        document = json.loads(data)
    except RecursionError:
        raise EventError(f"{where}: nested too deep to be an event") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise EventError(f"{where}: not JSON ({str(exc)[:80]})") from None
    return calls_from(document, where)


def calls_from(document: Any, where: str = "event") -> list[ApiCall]:
    items = document if isinstance(document, list) else [document]
    calls: list[ApiCall] = []
    for index, item in enumerate(items):
        label = f"{where}[{index}]" if isinstance(document, list) else where
        if isinstance(item, dict) and isinstance(item.get("Records"), list):
            calls.extend(
                _record(r, None, f"{label}.Records[{i}]") for i, r in enumerate(item["Records"])
            )
        else:
            calls.append(_one(item, label))
        if len(calls) > _MAX_CALLS:
            raise EventError(f"{where}: more than {_MAX_CALLS} events in one document")
    if not calls:
        raise EventError(f"{where}: no event in the document")
    return calls


def _one(item: Any, where: str) -> ApiCall:
    if not isinstance(item, dict):
        raise EventError(f"{where}: an event is a JSON object, not {type(item).__name__}")
    if "detail" in item or "detail-type" in item:
        if item.get("detail-type") != EVENTBRIDGE_DETAIL_TYPE:
            raise EventError(
                f"{where}: detail-type {str(item.get('detail-type'))[:60]!r} is not "
                f"{EVENTBRIDGE_DETAIL_TYPE!r}"
            )
        return _record(item.get("detail"), item, f"{where}.detail")
    return _record(item, None, where)


def _record(record: Any, envelope: dict[str, Any] | None, where: str) -> ApiCall:
    if not isinstance(record, dict):
        raise EventError(f"{where}: a CloudTrail record is a JSON object")
    for key in ("eventSource", "eventName"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise EventError(f"{where}: no {key} (not a CloudTrail record)")
    raw_identity = record.get("userIdentity")
    identity: dict[str, Any] = raw_identity if isinstance(raw_identity, dict) else {}
    account = _text(record.get("recipientAccountId")) or _text((envelope or {}).get("account"))
    account = account or _text(identity.get("accountId"))
    region = _text(record.get("awsRegion")) or _text((envelope or {}).get("region"))
    if not account:
        raise EventError(f"{where}: no account id (recipientAccountId)")
    if not region:
        raise EventError(f"{where}: no awsRegion")
    name = str(record["eventName"])
    read_only = record.get("readOnly")
    return ApiCall(
        event_id=_text(record.get("eventID")) or _text((envelope or {}).get("id")),
        source=str(record["eventSource"]),
        name=event_name(name),
        account_id=account,
        region=region,
        time=_text(record.get("eventTime")) or _text((envelope or {}).get("time")),
        principal=_principal(identity),
        source_ip=_text(record.get("sourceIPAddress")),
        user_agent=_text(record.get("userAgent")),
        error_code=_text(record.get("errorCode")) or None,
        read_only=read_only is True or (read_only is None and is_read_only(name)),
        record=record,
    )


def _principal(identity: dict[str, Any]) -> str:
    """The ARN that made the call; for AWS services, the service that did."""
    return (
        _text(identity.get("arn"))
        or _text(identity.get("invokedBy"))
        or _text(identity.get("principalId"))
        or _text(identity.get("type"))
        or "unknown"
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
