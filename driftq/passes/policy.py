"""policy_canonical: IAM-style JSON policy documents compare by meaning, not by text.

AWS hands back a policy the way it stored it, Terraform writes it the way `jsonencode` or a
heredoc produced it: key order, whitespace, a single string versus a one-element list,
statement order, an empty `Sid` and URL-encoding (IAM's GetRole/GetPolicyVersion) all differ
without any change in meaning. AWS also rewrites some values on the way in, and the provider
keeps the configured form in state when it is equivalent (its awspolicyequivalence rules): a
principal given as a bare account id comes back as `arn:aws:iam::<id>:root`, `"Principal":
"*"` means `{"AWS": "*"}`, and condition values are strings whether written as `true`, `5`
or `["x"]`. Both sides go through ``canonical_policy`` before comparison.
"""

from __future__ import annotations

import json
import re
from typing import Any

from driftq.resources.documents import parse_policy

# statement members whose value may be a string or a list of strings with the same meaning
_LISTY = frozenset({"Action", "NotAction", "Resource", "NotResource"})
_PRINCIPALS = frozenset({"Principal", "NotPrincipal"})
_ROOT_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")


def canonical_policy(value: Any) -> Any:
    """A JSON string in canonical form (or None for empty); non-JSON strings unchanged."""
    parsed = parse_policy(value)
    if parsed in (None, "", {}, []):
        return None
    if not isinstance(parsed, dict | list):
        return parsed
    document = _document(parsed) if isinstance(parsed, dict) else parsed
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _document(document: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in document.items() if k != "Statement"}
    if "Statement" in document:
        out["Statement"] = _multiset(_statement(s) for s in _as_list(document["Statement"]))
    return out


def _statement(statement: Any) -> Any:
    if not isinstance(statement, dict):
        return statement
    out: dict[str, Any] = {}
    for key, value in statement.items():
        if key == "Sid" and value in ("", None):
            continue
        if key in _LISTY:
            out[key] = _multiset(_as_list(value))
        elif key in _PRINCIPALS:
            out[key] = _principal(value)
        elif key == "Condition" and isinstance(value, dict):
            out[key] = {op: _condition_block(block) for op, block in value.items()}
        else:
            out[key] = value
    return out


def _principal(value: Any) -> Any:
    if value == "*":
        value = {"AWS": "*"}
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for kind, ids in value.items():
        items = _as_list(ids)
        if kind == "AWS":
            items = [_account_of_root(i) for i in items]
        out[kind] = _multiset(items)
    return out


def _account_of_root(principal: Any) -> Any:
    match = _ROOT_ARN.match(principal) if isinstance(principal, str) else None
    return match.group(1) if match else principal


def _condition_block(block: Any) -> Any:
    if not isinstance(block, dict):
        return block
    return {
        key: _multiset(_condition_value(item) for item in _as_list(values))
        for key, values in block.items()
    }


def _condition_value(value: Any) -> Any:
    # IAM evaluates condition values as strings: true == "true", 5 == "5"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _multiset(items: Any) -> list[Any]:
    """Order- and duplicate-insensitive: the distinct items, sorted by their JSON text."""
    unique = {json.dumps(item, sort_keys=True): item for item in items}
    return [unique[key] for key in sorted(unique)]
