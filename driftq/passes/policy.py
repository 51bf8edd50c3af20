"""policy_canonical: IAM-style JSON policy documents compare by meaning, not by text.

AWS hands back a policy the way it stored it, Terraform writes it the way `jsonencode` or a
heredoc produced it: key order, whitespace, a single string versus a one-element list,
statement order and URL-encoding (IAM's GetRole/GetPolicyVersion) all differ without any
change in meaning. Both sides go through ``canonical_policy`` before comparison.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

# members whose value may be a string or a list of strings with the same meaning
_LISTY = {"Action", "NotAction", "Resource", "NotResource"}


def parse_policy(value: Any) -> Any:
    """A dict from a JSON string, a URL-encoded JSON string or a dict; else the value."""
    if isinstance(value, dict | list):
        return value
    if not isinstance(value, str) or not value.strip():
        return value
    text = value.strip()
    if not text.startswith(("{", "[")):
        text = unquote(text)
    try:
        return json.loads(text)
    except ValueError:
        return value


def canonical_policy(value: Any) -> Any:
    """A JSON string in canonical form (or None for empty); non-JSON strings unchanged."""
    parsed = parse_policy(value)
    if parsed in (None, "", {}, []):
        return None
    if not isinstance(parsed, dict | list):
        return parsed
    return json.dumps(_canonical(parsed, None), sort_keys=True, separators=(",", ":"))


def _as_sorted_list(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    return sorted({json.dumps(_canonical(i, None), sort_keys=True) for i in items})


def _canonical(value: Any, key: str | None) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k == "Sid" and v in ("", None):
                continue
            if (
                k in _LISTY
                or key in {"Principal", "NotPrincipal", "Condition"}
                or (key is not None and key.endswith("Condition"))
            ):
                out[k] = _as_sorted_list(v) if not isinstance(v, dict) else _canonical(v, k)
            elif k == "Statement":
                out[k] = _as_sorted_list(v)
            else:
                out[k] = _canonical(v, k)
        return out
    if isinstance(value, list):
        return [_canonical(v, key) for v in value]
    return value
