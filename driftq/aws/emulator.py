"""What a client needs to reach an emulator (moto) at a custom `AWS_ENDPOINT_URL`.

S3 Control's endpoint rules put the account id in front of the host
(`123456789012.s3-control.us-east-1.amazonaws.com`), custom endpoints included:
`123456789012.127.0.0.1` resolves nowhere. With a custom endpoint (one outside AWS's
domains), the account label is taken off again before the request is signed (the emulator reads the account from the
`x-amz-account-id` header, as AWS does). Against AWS nothing changes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

_AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".c2s.ic.gov", ".sc2s.sgov.gov")


def is_custom(endpoint_url: str | None) -> bool:
    """Whether a client's endpoint is outside AWS's domains (an emulator)."""
    host = urlsplit(endpoint_url or "").hostname or ""
    return bool(host) and not host.endswith(_AWS_DOMAINS)


def adapt(client: Any) -> None:
    """Register what ``client`` needs to reach a custom endpoint (no-op otherwise)."""
    if client.meta.service_model.service_name == "s3control" and is_custom(
        client.meta.endpoint_url
    ):
        client.meta.events.register(
            "before-sign.s3-control", _without_account_label, unique_id="driftq-emulator"
        )


def _without_account_label(request: Any, **_: Any) -> None:
    account = request.headers.get("x-amz-account-id")
    if isinstance(account, bytes):
        account = account.decode()
    parts = urlsplit(request.url)
    if account and parts.netloc.startswith(f"{account}."):
        request.url = urlunsplit(parts._replace(netloc=parts.netloc[len(account) + 1 :]))
