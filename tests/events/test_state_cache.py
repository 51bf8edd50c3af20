"""States are read through a per-process cache keyed by the object's ETag: an unchanged
state costs a `304 Not Modified`, a changed one is read again."""

from __future__ import annotations

from typing import Any

from driftq.aws import AwsAccess
from driftq.config import parse_config
from driftq.engine import Engine
from tests.support.estate import StateFile, unique


def _engine(account: Any, bucket: str, calls: list[dict[str, Any]], statuses: list[int]) -> Engine:
    config = parse_config(
        f"""
accounts:
  - name: a
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: account-ext
    regions: [us-east-1]
    state_backend: {{bucket: {bucket}, key: app.tfstate}}
"""
    )

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "GetObject":
            calls.append(params)

    def status(http_response: Any, **_: Any) -> None:
        statuses.append(http_response.status_code)

    hooks = [("before-call.s3.GetObject", record), ("after-call.s3.GetObject", status)]
    return Engine(config, aws=AwsAccess(hooks=hooks))


def _vpc(vpc: str) -> StateFile:
    return StateFile().add("aws_vpc", "v", {"id": vpc, "arn": f"arn:aws:ec2:us-east-1:1:vpc/{vpc}"})


def test_unchanged_state_is_not_downloaded_again(account: Any) -> None:
    bucket = unique("tfstate")
    account.client("s3").create_bucket(Bucket=bucket)
    _vpc("vpc-first").upload(account.session, bucket, "app.tfstate")
    calls: list[dict[str, Any]] = []
    statuses: list[int] = []

    def ids() -> list[str]:
        # a new engine each time: the cache is the process's, not an engine's
        return [r.id for r in _engine(account, bucket, calls, statuses).state_index("a").resources]

    assert ids() == ["vpc-first"]
    assert ids() == ["vpc-first"]
    _vpc("vpc-second").upload(account.session, bucket, "app.tfstate")
    assert ids() == ["vpc-second"]
    assert ids() == ["vpc-second"]
    # the second and later reads name the ETag they hold
    sent = [c.get("headers", {}).get("If-None-Match") for c in calls]
    assert sent[0] is None and all(sent[1:]), sent
    assert statuses == [200, 304, 200, 304]
