"""JSON policy documents as AWS hands them back: parsed, and AWS's default ones recognised.

IAM's GetRole/GetPolicyVersion (and GetAccountAuthorizationDetails) answer URL-encoded JSON,
other services plain JSON, boto3 sometimes an already-parsed dict. The canonical form used
for comparing is ``passes/policy.py``'s.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, unquote_plus


def parse_policy(value: Any) -> Any:
    """A dict from a JSON string, a URL-encoded JSON string or a dict; else the value."""
    if isinstance(value, dict | list):
        return value
    if not isinstance(value, str) or not value.strip():
        return value
    text = value.strip()
    candidates = [text] if text.startswith(("{", "[")) else [unquote(text), unquote_plus(text)]
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return value


def sole_statement(value: Any, policy_id: str) -> dict[str, Any] | None:
    """The one statement of a policy whose `Id` is ``policy_id``, else None: AWS's default
    policies (a KMS key's, an SNS topic's) are recognised by their Id and single statement."""
    document = parse_policy(value)
    if not isinstance(document, dict) or document.get("Id") != policy_id:
        return None
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    if len(statements) != 1 or not isinstance(statements[0], dict):
        return None
    return statements[0]
