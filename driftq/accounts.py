"""Accounts at organisation scale: templates filled per account, account tags and selection
by tag, and the `accounts_from` sources' settings (the AWS Organizations listing itself is
in accounts_org.py).

A template is a `defaults:` value (`role_arn`, `external_id`, `regions`, `state_backend`,
`state_backends`) with `{account_id}` and `{name}` placeholders; an account that sets the
field itself keeps its own value (an account with any state backend of its own takes none
from the defaults). Placeholders are checked where the template is written, so a typo is
one error at `defaults:`, not one per account.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

PLACEHOLDERS = ("account_id", "name")
TEMPLATE_FIELDS = ("role_arn", "external_id", "regions", "state_backend", "state_backends")
# what `defaults:` templates are checked with before any account fills them
SAMPLE = {"account_id": "123456789012", "name": "example"}
ROLE_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ACCOUNT_ID = re.compile(r"^\d{12}$")


def check_template(value: Any) -> Any:
    """``value`` unchanged; ValueError naming the first unknown placeholder in it."""
    for text in _strings(value):
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                raise ValueError(
                    f"unknown placeholder {{{name}}} in {text!r} (use {{account_id}} or {{name}})"
                )
    return value


def has_placeholder(value: Any) -> bool:
    return any(_PLACEHOLDER.search(text) for text in _strings(value))


def fill(value: Any, values: Mapping[str, str]) -> Any:
    """``value`` with every placeholder replaced, into dicts and lists."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# -- the `defaults:` template fields, checked once where they are written -----------------------
def _check_role_template(value: str | None) -> str | None:
    if value is not None and not ROLE_ARN.match(fill(check_template(value), SAMPLE)):
        raise ValueError(
            f"{fill(value, SAMPLE)!r} is not an IAM role ARN "
            "(arn:aws:iam::{account_id}:role/<name>)"
        )
    return value


def _check_regions_template(value: list[str] | None) -> list[str] | None:
    from driftq.config_models import check_region  # the models import this module

    for region in value or []:
        if not has_placeholder(check_template(region)):
            check_region(region)
    return value


def _check_backend_template(value: dict[str, Any] | None) -> dict[str, Any] | None:
    from driftq.config_models import StateBackend

    if value is None:
        return value
    try:
        StateBackend.model_validate(fill(check_template(value), SAMPLE))
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        raise ValueError(f"{where}: {message}" if where else message) from None
    return value


RoleArnTemplate = Annotated[str | None, AfterValidator(_check_role_template)]
TextTemplate = Annotated[str | None, AfterValidator(check_template)]
RegionsTemplate = Annotated[list[str] | None, AfterValidator(_check_regions_template)]
BackendTemplate = Annotated[dict[str, Any] | None, AfterValidator(_check_backend_template)]


def expand_account(raw: Any, templates: Mapping[str, Any]) -> Any:
    """One `accounts:` entry (raw YAML) with the defaults' templates filled in for it."""
    if not isinstance(raw, dict):
        return raw
    name, account_id = raw.get("name"), raw.get("account_id")
    if isinstance(account_id, int) and not isinstance(account_id, bool):
        account_id = str(account_id)
    known = isinstance(name, str) and isinstance(account_id, str)
    known = known and bool(_ACCOUNT_ID.match(str(account_id)))
    values = {"name": str(name), "account_id": str(account_id)}
    own_backend = "state_backend" in raw or "state_backends" in raw
    out = dict(raw)
    for field, template in templates.items():
        if template is None or template == [] or field in raw:
            continue
        if field.startswith("state_backend") and own_backend:
            continue
        if has_placeholder(template) and not known:
            continue  # the account's own name or id is wrong: that is the error to show
        out[field] = fill(template, values)
    role = out.get("role_arn")
    if "role_arn" in raw or not isinstance(role, str) or not known:
        return out
    if not ROLE_ARN.match(role):
        raise ValueError(
            f"account {name!r}: defaults.role_arn gives {role!r}, which is not an IAM role "
            "ARN (arn:aws:iam::<12-digit account>:role/<name>)"
        )
    if role.split(":")[4] != account_id:
        raise ValueError(
            f"account {name!r}: defaults.role_arn gives {role!r}, a role in another account "
            f"than {account_id} (write the account as {{account_id}})"
        )
    return out


# -- tags ------------------------------------------------------------------------------------
def _tag_text(value: Any) -> Any:
    """YAML reads `tier: 1` or `critical: true` as numbers and booleans: tags are text."""
    if not isinstance(value, dict):
        return value
    return {str(k): _scalar_text(v) for k, v in value.items()}


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


Tags = Annotated[dict[str, str], BeforeValidator(_tag_text)]
TagFilter = dict[str, frozenset[str]]


def parse_tag_filter(pairs: Iterable[str]) -> TagFilter:
    """`--tag key=value` flags -> {key: accepted values}: values of one key are alternatives,
    different keys must all match. ValueError for a flag without `=`."""
    wanted: dict[str, set[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--tag wants key=value, got {pair!r}")
        wanted.setdefault(key, set()).add(value)
    return {key: frozenset(values) for key, values in wanted.items()}


def tags_match(tags: Mapping[str, str], wanted: Mapping[str, Collection[str]]) -> bool:
    return all(tags.get(key) in values for key, values in wanted.items())


def unmatched_tag(all_tags: Iterable[Mapping[str, str]], wanted: TagFilter) -> str | None:
    """Why a tag filter can select nothing (a key or value no account has), or None."""
    seen: dict[str, set[str]] = {}
    for tags in all_tags:
        for key, value in tags.items():
            seen.setdefault(key, set()).add(value)
    for key, values in sorted(wanted.items()):
        if key not in seen:
            keys = ", ".join(sorted(seen)) or "none"
            return f"no account has the tag key {key!r} (tag keys in the config: {keys})"
        if not values & seen[key]:
            shown = ", ".join(sorted(seen[key]))
            return f"no account has tag {key}={sorted(values)[0]} (values of {key}: {shown})"
    return None


# -- accounts_from ---------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganizationsSource(_Strict):
    """The organisation's ACTIVE accounts, listed through a read-only role in the management
    (or delegated administrator) account."""

    # None: the caller's own identity can list the organisation
    role_arn: str | None = None
    external_id: str | None = Field(default=None, min_length=2, max_length=1224)
    # OU or root ids (ou-..., r-...), child OUs included; empty: the whole organisation
    ous: list[str] = Field(default_factory=list)
    # account ids, account names, or OU ids whose accounts (child OUs included) are skipped
    exclude: list[str] = Field(default_factory=list)
    # read each account's tags from Organizations (one ListTagsForResource call per account)
    tags: bool = False
    region: str = "us-east-1"

    @field_validator("role_arn")
    @classmethod
    def _v_role(cls, v: str | None) -> str | None:
        if v is not None and not ROLE_ARN.match(v):
            raise ValueError(f"{v!r} is not an IAM role ARN")
        return v

    @field_validator("exclude", mode="before")
    @classmethod
    def _v_exclude(cls, v: Any) -> Any:
        # an unquoted 12-digit account id reads as an int; a shorter one lost a leading zero
        if not isinstance(v, list):
            return v
        out = []
        for item in v:
            if isinstance(item, int) and not isinstance(item, bool):
                if len(str(item)) != 12:
                    raise ValueError(f'quote the account id {item} ("0...": YAML drops zeros)')
                item = str(item)
            out.append(item)
        return out

    @field_validator("ous")
    @classmethod
    def _v_ous(cls, v: list[str]) -> list[str]:
        for parent in v:
            if not re.match(r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", parent):
                raise ValueError(f"{parent!r} is not an OU id (ou-...) or a root id (r-...)")
        return v


class AccountsFrom(_Strict):
    organizations: OrganizationsSource
