"""Load the YAML configuration: `${VAR}` expansion, validation, errors that name file:line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from driftq.config_models import Config
from driftq.errors import ConfigError
from driftq.files import Unreadable, decode_utf8, read_bounded
from driftq.logsafe import remember_secrets
from driftq.yaml_load import MAX_BYTES, Path_, YamlProblem, load_yaml

__all__ = ["Config", "load_config", "parse_config"]

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


# where the values only notifying and publishing processes use live (the workers' chord
# callback): a process that never sends them (submit, beat) loads the config without them
SECRET_SECTIONS = (("notifications",), ("remediation", "approval_webhook"), ("outputs",))
UNUSED_SECRET = "(unset: not used by this process)"


def load_config(
    path: str | os.PathLike[str], env: dict[str, str] | None = None, *, secrets: bool = True
) -> Config:
    """Read and validate ``path``; every problem is a ConfigError naming file and key.

    ``secrets=False``: this process never notifies nor publishes outputs (submit, beat), so
    its environment need not hold the variables of those sections: an unset one there
    becomes a placeholder instead of an error."""
    file = Path(path)
    try:
        text = decode_utf8(read_bounded(file, MAX_BYTES))
    except Unreadable as exc:
        if str(exc) == "not found":
            raise ConfigError(f"{file}: config file not found") from exc
        raise ConfigError(f"{file}: cannot read config: {exc}") from exc
    if not text.strip():
        raise ConfigError(
            f"{file}: the config file is empty; it must be a YAML mapping with an `accounts` list"
        )
    return parse_config(text, source=str(file), env=env, secrets=secrets)


def parse_config(
    text: str,
    source: str = "<config>",
    env: dict[str, str] | None = None,
    *,
    secrets: bool = True,
) -> Config:
    env = dict(os.environ) if env is None else env
    try:
        data, lines = load_yaml(text.removeprefix("\ufeff"))
    except YamlProblem as exc:
        where = f"{source}:{exc.line}" if exc.line else source
        raise ConfigError(f"{where}: {exc.message}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the config must be a YAML mapping with an `accounts` list")
    unset: list[tuple[Path_, str]] = []
    data = _expand(data, (), env, unset, secrets)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation(exc, source, lines, data)) from exc
    for key_path, var in unset:
        if _section_in_use(config, key_path):
            raise ConfigError(
                f"{_locate(source, lines, key_path)}: {_dotted(key_path)}: environment variable "
                f"${{{var}}} is not set"
            )
    remember_secrets(_secrets_of(config))
    return config


def _secrets_of(config: Config) -> Iterator[str | None]:
    """What no log line may show (driftq/logsafe.py)."""
    for account in config.accounts:
        yield account.external_id
        yield from (backend.external_id for backend in account.backends())
    n = config.notifications
    if n.slack:
        yield n.slack.webhook_url
    if n.pagerduty:
        yield n.pagerduty.integration_key
    if n.email:
        yield n.email.password
    yield config.remediation.approval_webhook


def _expand(
    value: Any,
    path: Path_,
    env: dict[str, str],
    unset: list[tuple[Path_, str]],
    secrets: bool = True,
) -> Any:
    if isinstance(value, dict):
        return {k: _expand(v, (*path, str(k)), env, unset, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, (*path, i), env, unset, secrets) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        if not secrets and any(path[: len(s)] == s for s in SECRET_SECTIONS):
            return UNUSED_SECRET
        unset.append((path, name))
        return ""

    return _VAR.sub(substitute, value)


def _section_in_use(config: Config, where: Path_) -> bool:
    """An unset variable is only an error where driftq would use the value."""
    head = where[:2]
    if head and head[0] == "notifications" and len(head) == 2:
        channel = getattr(config.notifications, str(head[1]), None)
        return bool(channel and getattr(channel, "enabled", True))
    if head == ("remediation", "approval_webhook"):
        return config.remediation.require_approval
    return True


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _locate(source: str, lines: dict[Path_, int], path: Path_) -> str:
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return f"{source}:{lines[path[:cut]]}"
    return source


def _real_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """pydantic's error location without the validator names it inserts (`function-after[...]`,
    union members): only the steps that exist in the document, and a missing key's name."""
    path: list[str | int] = []
    for step in loc:
        if isinstance(data, dict) and str(step) in {str(k) for k in data}:
            path.append(str(step))
            data = next(v for k, v in data.items() if str(k) == str(step))
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            path.append(step)
            data = data[step]
        elif isinstance(data, dict) and isinstance(step, str) and "[" not in step:
            path.append(step)  # a required key that is missing
            data = None
    return tuple(path)


def _format_validation(
    exc: ValidationError, source: str, lines: dict[Path_, int], data: Any
) -> str:
    problems = []
    for error in exc.errors():
        loc = _real_path(data, tuple(error["loc"]))
        kind = error["type"]
        name = f"`{loc[-1]}`" if loc else "(top level)"
        if kind == "extra_forbidden":
            message = f"unknown key {name}"
        elif kind == "missing":
            message = f"required key {name} is missing"
        else:
            message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{_locate(source, lines, loc)}: {_dotted(loc)}: {message}")
    head = problems[0] if len(problems) == 1 else f"{len(problems)} problems in the config"
    return head if len(problems) == 1 else head + ":\n  " + "\n  ".join(problems)
