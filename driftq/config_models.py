"""Pydantic models of the driftq YAML configuration (schema in config/driftq.example.yaml)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticUseDefault

from driftq import accounts as templates
from driftq.accounts import ROLE_ARN as _ROLE_ARN
from driftq.accounts import AccountsFrom, Tags
from driftq.durations import parse_duration
from driftq.outputs.settings import Outputs
from driftq.resources.services import SERVICE_NAMES

ALL_SERVICES = SERVICE_NAMES  # declared once, in driftq/resources/services.py

_ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TERRAFORM_TYPE = re.compile(r"^aws_[a-z0-9_]+$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")


def _duration(value: Any) -> float:
    return parse_duration(value)


Duration = Annotated[float, BeforeValidator(_duration)]


def _not_bool(value: Any) -> Any:
    # pydantic reads `true` as 1 for a number; in a config that is always a slip
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


Int = Annotated[int, BeforeValidator(_not_bool)]
Float = Annotated[float, BeforeValidator(_not_bool)]


class Strict(BaseModel):
    # .inf and .nan are never a meaningful count, rate or limit
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


def _check_role_arn(value: str | None) -> str | None:
    if value is not None and not _ROLE_ARN.match(value):
        raise ValueError(
            f"{value!r} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)"
        )
    return value


def check_region(value: str) -> str:
    if not _REGION.match(value):
        raise ValueError(f"{value!r} is not an AWS region name (like us-east-1)")
    return value


class StateBackend(Strict):
    type: Literal["s3", "local"] = "s3"
    bucket: str | None = None
    key: str | None = None
    keys: list[str] = Field(default_factory=list)
    prefix: str | None = None
    workspaces: list[str] = Field(default_factory=list)
    # Terraform's S3 backend option: workspace `ws` lives at `<prefix>/ws/<key>`
    workspace_key_prefix: str = Field(default="env:", min_length=1, max_length=512)
    region: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    path: str | None = None

    _v_role = field_validator("role_arn")(classmethod(lambda cls, v: _check_role_arn(v)))

    @field_validator("region")
    @classmethod
    def _v_region(cls, v: str | None) -> str | None:
        return None if v is None else check_region(v)

    @model_validator(mode="after")
    def _v_shape(self) -> StateBackend:
        if self.type == "s3":
            if not self.bucket:
                raise ValueError("an s3 state backend needs `bucket`")
            if not (self.key or self.keys or self.prefix is not None):
                raise ValueError("an s3 state backend needs `key`, `keys` or `prefix`")
        elif not self.path:
            raise ValueError("a local state backend needs `path` (a .tfstate file or a folder)")
        return self

    def object_keys(self) -> list[str]:
        return ([self.key] if self.key else []) + list(self.keys)

    def describe(self) -> str:
        if self.type == "local":
            return str(self.path)
        where = self.key or ", ".join(self.keys) or f"{self.prefix}*.tfstate"
        return f"s3://{self.bucket}/{where}"


class Account(Strict):
    # names become file names (imports/<name>.tf, --save-report '{account}'): no `..`, no
    # leading `-` or `.`, nothing a terminal or a path would read as more than a name
    name: str = Field(min_length=1, max_length=64)
    account_id: str = Field(pattern=r"^\d{12}$")
    role_arn: str | None = None
    external_id: str | None = Field(default=None, min_length=2, max_length=1224)
    regions: list[str] = Field(min_length=1)
    state_backend: StateBackend | None = None
    state_backends: list[StateBackend] = Field(default_factory=list)
    services: list[str] | None = None
    # selection with `--tag key=value`
    tags: Tags = Field(default_factory=dict)

    _v_role = field_validator("role_arn")(classmethod(lambda cls, v: _check_role_arn(v)))

    @field_validator("name")
    @classmethod
    def _v_name(cls, v: str) -> str:
        if not _ACCOUNT_NAME.match(v):
            raise ValueError(
                f"{v[:64]!r} is not a usable account name: start with a letter or digit, then "
                "letters, digits, `_`, `.` or `-`"
            )
        return v

    @field_validator("account_id", mode="before")
    @classmethod
    def _v_account_id(cls, v: Any) -> Any:
        # YAML reads an unquoted id as an int: fine for 12 digits, but a leading zero is lost
        # (or the number read as octal), so a shorter int can only be a mangled id
        if isinstance(v, int) and not isinstance(v, bool):
            if len(str(v)) == 12:
                return str(v)
            raise ValueError(
                'quote the account id ("012345678901"): YAML reads unquoted numbers as '
                "integers and drops leading zeros"
            )
        return v

    @field_validator("regions")
    @classmethod
    def _v_regions(cls, v: list[str]) -> list[str]:
        for region in v:
            check_region(region)
        if len(set(v)) != len(v):
            raise ValueError("a region is listed twice")
        return v

    @field_validator("services")
    @classmethod
    def _v_services(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _check_services(v)

    @model_validator(mode="after")
    def _v_role_account(self) -> Account:
        if self.role_arn and self.role_arn.split(":")[4] != self.account_id:
            raise ValueError(
                f"role_arn {self.role_arn} belongs to account {self.role_arn.split(':')[4]}, "
                f"not {self.account_id}"
            )
        return self

    def backends(self) -> list[StateBackend]:
        return ([self.state_backend] if self.state_backend else []) + list(self.state_backends)


def _check_services(v: list[str]) -> list[str]:
    unknown = [s for s in v if s not in ALL_SERVICES]
    if unknown:
        raise ValueError(f"unknown service {unknown[0]!r}; known: {', '.join(ALL_SERVICES)}")
    twice = sorted({s for s in v if v.count(s) > 1})
    if twice:
        raise ValueError(f"service {twice[0]!r} is listed twice")
    return v


class Defaults(Strict):
    provider: Literal["aws"] = "aws"
    # the report files of a run: json = report.json alone; html and both = report.json
    # (history, `submit --wait` and `report consolidate` read it) and report.html
    output_format: Literal["json", "html", "both"] = "both"
    parallel_workers: Int = Field(default=4, ge=1, le=256)
    timeout: Duration = 1800.0
    services: list[str] = Field(default_factory=lambda: list(ALL_SERVICES))
    # templates for every account that does not set the field: {account_id}, {name}
    role_arn: templates.RoleArnTemplate = None
    external_id: templates.TextTemplate = Field(default=None, min_length=2, max_length=1224)
    regions: templates.RegionsTemplate = Field(default=None, min_length=1)
    state_backend: templates.BackendTemplate = None
    state_backends: list[templates.BackendTemplate] = Field(default_factory=list)
    # sent as AssumeRole's SourceIdentity on every role driftq assumes (CloudTrail keeps it
    # through role chaining); the roles' trust policies must allow sts:SetSourceIdentity
    source_identity: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_+=,.@-]{2,64}$")

    _v_services = field_validator("services")(classmethod(lambda cls, v: _check_services(v)))

    def account_templates(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in templates.TEMPLATE_FIELDS}


class SlackChannel(Strict):
    enabled: bool = True
    webhook_url: str
    channel: str | None = None
    username: str | None = None
    icon_emoji: str | None = None


class EmailChannel(Strict):
    enabled: bool = True
    smtp_host: str
    smtp_port: Int = Field(default=587, ge=1, le=65535)
    from_: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    # CA bundle that verifies the SMTP server's certificate; None = the system's trust store
    ca_file: str | None = None


class PagerDutyChannel(Strict):
    enabled: bool = True
    integration_key: str
    severity_threshold: Literal["warning", "critical"] = "critical"
    url: str = "https://events.pagerduty.com/v2/enqueue"


class Notifications(Strict):
    # where operators open the report, e.g. https://drift.example.com/{run_id}/report.html;
    # without it, messages name the report's file path
    report_url: str | None = None
    slack: SlackChannel | None = None
    email: EmailChannel | None = None
    pagerduty: PagerDutyChannel | None = None


class ThresholdLimits(Strict):
    drifted_resources: Int | None = Field(default=None, ge=0)
    missing_resources: Int | None = Field(default=None, ge=0)
    unmanaged_resources: Int | None = Field(default=None, ge=0)
    security_groups_changed: Int | None = Field(default=None, ge=0)
    iam_changes: Int | None = Field(default=None, ge=0)


class Thresholds(Strict):
    critical: ThresholdLimits = ThresholdLimits()
    warning: ThresholdLimits = ThresholdLimits()


class RateLimit(Strict):
    """A token bucket: ``burst`` calls at once, refilled at ``refill_per_second``."""

    burst: Int = Field(ge=1)
    refill_per_second: Float = Field(gt=0)


# the part of AWS's published rates a scan takes by default (`monitoring.rate_limits.share`):
# the account's own workloads (autoscaling, deploys) draw on the same buckets
DEFAULT_RATE_SHARE = 0.5


class Monitoring(Strict):
    enabled: bool = False
    interval: Duration = 1800.0
    concurrent_accounts: Int = Field(default=0, ge=0)
    thresholds: Thresholds = Thresholds()
    # budget overrides by `<service>`, `<account>/<service>` or `<account>/<region>/<service>`
    rate_limits: dict[str, RateLimit] = Field(default_factory=dict)
    # written `rate_limits.share` in the config: the fraction of AWS's default budgets a scan
    # takes (not of the overrides)
    rate_limits_share: Float = Field(default=DEFAULT_RATE_SHARE, gt=0, le=1)

    @model_validator(mode="before")
    @classmethod
    def _share_from_rate_limits(cls, data: Any) -> Any:
        limits = data.get("rate_limits") if isinstance(data, dict) else None
        if isinstance(limits, dict) and "share" in limits:
            limits = dict(limits)
            data = {**data, "rate_limits": limits, "rate_limits_share": limits.pop("share")}
        return data

    @property
    def rate_limit_share(self) -> float:
        return float(self.rate_limits_share)

    @property
    def rate_limit_overrides(self) -> dict[str, RateLimit]:
        return self.rate_limits


class RemediationRule(Strict):
    resource_type: str
    action: Literal["enforce_terraform", "alert_only"]


class Remediation(Strict):
    auto_generate_import: bool = True
    require_approval: bool = False
    approval_webhook: str | None = None
    auto_remediate: list[RemediationRule] = Field(default_factory=list)


class TagMatch(Strict):
    Key: str
    Value: str | None = None


class Exclusions(Strict):
    resource_types: list[str] = Field(default_factory=list)
    resource_patterns: list[str] = Field(default_factory=list)
    tags: list[TagMatch] = Field(default_factory=list)
    # values another system owns, per Terraform type or "*": dotted globs over a drifted
    # finding's attribute paths (`desired_capacity`, `tags.LastScanned`, `tags.*`)
    attributes: dict[str, list[Annotated[str, Field(min_length=1, max_length=256)]]] = Field(
        default_factory=dict
    )

    @field_validator("attributes")
    @classmethod
    def _v_attributes(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        # like resource_types, a type driftq does not scan yet is allowed (configs written
        # ahead of support); anything else is a mistake, e.g. an attribute as the key
        for rtype in v:
            if rtype != "*" and not _TERRAFORM_TYPE.match(rtype):
                raise ValueError(
                    f'{rtype[:80]!r} is not a Terraform resource type (aws_...) nor "*"; '
                    "write `<type>: [attribute globs]`"
                )
        return v


class Config(Strict):
    version: str = "1.0"
    defaults: Defaults = Defaults()
    accounts: list[Account] = Field(default_factory=list)
    # accounts listed at run time (AWS Organizations: driftq/accounts_org.py)
    accounts_from: AccountsFrom | None = None
    notifications: Notifications = Notifications()
    monitoring: Monitoring = Monitoring()
    remediation: Remediation = Remediation()
    exclusions: Exclusions = Exclusions()
    outputs: Outputs = Outputs()  # driftq/outputs/settings.py

    @field_validator("version", mode="before")
    @classmethod
    def _v_version(cls, v: Any) -> str:
        if str(v) not in {"1", "1.0"}:
            raise ValueError(f'config version {v!r} is not supported (use "1.0")')
        return str(v)

    @field_validator("accounts", mode="before")
    @classmethod
    def _v_templates(cls, v: Any, info: ValidationInfo) -> Any:
        defaults = info.data.get("defaults")
        if defaults is None:
            # `defaults:` has an error: the accounts cannot be filled in, and their errors
            # would only repeat it
            raise PydanticUseDefault()
        if not isinstance(v, list):
            return v
        return [templates.expand_account(raw, defaults.account_templates()) for raw in v]

    @model_validator(mode="after")
    def _v_sources(self) -> Config:
        if not self.accounts and self.accounts_from is None:
            raise ValueError("the config needs `accounts`, `accounts_from`, or both")
        if self.accounts_from is not None:
            for field in ("role_arn", "regions"):
                if getattr(self.defaults, field) is None:
                    raise ValueError(
                        f"accounts_from needs defaults.{field} for the accounts it lists "
                        "(e.g. role_arn: arn:aws:iam::{account_id}:role/DriftMgrRole)"
                    )
        return self

    @model_validator(mode="after")
    def _v_unique(self) -> Config:
        seen: set[str] = set()
        ids: dict[str, str] = {}
        for account in self.accounts:
            if account.name in seen:
                raise ValueError(f"account name {account.name!r} is used twice")
            seen.add(account.name)
            if account.account_id in ids:
                # both entries would scan the same resources: every finding reported twice
                raise ValueError(
                    f"account {account.account_id} is listed twice ({ids[account.account_id]!r} "
                    f"and {account.name!r}); give one entry several `state_backends` instead"
                )
            ids[account.account_id] = account.name
        return self

    def account(self, name: str) -> Account:
        for account in self.accounts:
            if account.name == name:
                return account
        raise KeyError(name)

    def services_for(self, account: Account) -> list[str]:
        return list(account.services or self.defaults.services)
