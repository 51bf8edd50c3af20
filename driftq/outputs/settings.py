"""The `outputs:` section: where each run's results go in AWS (all optional).

Kept free of other driftq modules (but durations): `config_models.Config` imports it.
"""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from driftq.durations import parse_duration

DEFAULT_PREFIX = "{date:%Y/%m/%d}/{run_id}/"
PREFIX_FIELDS = ("date", "run_id")
DEFAULT_TABLE = "drift-detection-results"
DEFAULT_NAMESPACE = "DriftMgr"

_ROLE_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_TOPIC_ARN = re.compile(r"^arn:aws(-[a-z]+)*:sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}(\.fifo)?$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")

Duration = Annotated[float, BeforeValidator(parse_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _region(value: str | None) -> str | None:
    if value is not None and not _REGION.match(value):
        raise ValueError(f"{value!r} is not an AWS region name (like us-east-1)")
    return value


def render_prefix(template: str, run_id: str, started: datetime) -> str:
    """The key prefix of one run's objects; ``{date:...}`` takes strftime codes."""
    return template.format(date=started, run_id=run_id)


class S3Output(_Strict):
    enabled: bool = True
    bucket: str
    prefix: str = DEFAULT_PREFIX
    region: str | None = None
    kms_key_id: str | None = None  # SSE-KMS with this key; without it the bucket's default

    _v_region = field_validator("region")(classmethod(lambda cls, v: _region(v)))

    @field_validator("bucket")
    @classmethod
    def _v_bucket(cls, v: str) -> str:
        if not _BUCKET.match(v) or ".." in v:
            raise ValueError(f"{v!r} is not an S3 bucket name")
        return v

    @field_validator("prefix")
    @classmethod
    def _v_prefix(cls, v: str) -> str:
        # only plain {date[:format]} and {run_id}: no attribute or index access from a config
        for _, name, _, _ in string.Formatter().parse(v):
            if name is not None and name not in PREFIX_FIELDS:
                raise ValueError(
                    f"unknown field {{{name}}} in the prefix; use {{date:%Y/%m/%d}} and {{run_id}}"
                )
        try:
            rendered = render_prefix(v, "run", datetime(2000, 1, 1, tzinfo=UTC))
        except (ValueError, IndexError) as exc:
            raise ValueError(f"the prefix is not a valid template: {exc}") from exc
        if rendered.startswith("/"):
            raise ValueError("the prefix must not start with /")
        return v


class CloudWatchOutput(_Strict):
    enabled: bool = True
    namespace: str = Field(default=DEFAULT_NAMESPACE, min_length=1, max_length=255)
    region: str | None = None

    _v_region = field_validator("region")(classmethod(lambda cls, v: _region(v)))

    @field_validator("namespace")
    @classmethod
    def _v_namespace(cls, v: str) -> str:
        if v.startswith("AWS/") or not re.match(r"^[\w.\-/#:]+$", v):
            raise ValueError(f"{v!r} is not a custom CloudWatch namespace")
        return v


class SnsOutput(_Strict):
    """A notification channel (beside Slack, email, PagerDuty): one message per account and
    region with new findings, when the account's severity reaches ``severity_threshold``."""

    enabled: bool = True
    topic_arn: str
    severity_threshold: Literal["warning", "critical"] = "warning"

    @field_validator("topic_arn")
    @classmethod
    def _v_topic(cls, v: str) -> str:
        if not _TOPIC_ARN.match(v):
            raise ValueError(
                f"{v!r} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)"
            )
        return v

    @property
    def region(self) -> str:
        return self.topic_arn.split(":")[3]


class DynamoDbOutput(_Strict):
    enabled: bool = True
    table: str = Field(default=DEFAULT_TABLE, pattern=r"^[A-Za-z0-9_.-]{3,255}$")
    region: str | None = None
    retention: Duration = 90 * 86400.0  # the items' `ttl`: DynamoDB deletes them after this

    _v_region = field_validator("region")(classmethod(lambda cls, v: _region(v)))


class Outputs(_Strict):
    # the management account's writer role; without it, the caller's own credentials
    role_arn: str | None = None
    external_id: str | None = Field(default=None, min_length=2, max_length=1224)
    region: str | None = None  # for outputs that name none (default: the caller's region)
    attempts: int = Field(default=3, ge=1, le=10)  # per AWS call, throttling and 5xx included
    backoff: Duration = 1.0  # before the 2nd attempt; doubled after each
    s3: S3Output | None = None
    cloudwatch: CloudWatchOutput | None = None
    sns: SnsOutput | None = None
    dynamodb: DynamoDbOutput | None = None

    _v_region = field_validator("region")(classmethod(lambda cls, v: _region(v)))

    @field_validator("role_arn")
    @classmethod
    def _v_role(cls, v: str | None) -> str | None:
        if v is not None and not _ROLE_ARN.match(v):
            raise ValueError(
                f"{v!r} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)"
            )
        return v

    def active(self) -> dict[str, Any]:
        """The enabled outputs by name, in the order they run."""
        chosen = {"cloudwatch": self.cloudwatch, "dynamodb": self.dynamodb, "s3": self.s3}
        return {name: cfg for name, cfg in chosen.items() if cfg is not None and cfg.enabled}
