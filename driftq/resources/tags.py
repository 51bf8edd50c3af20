"""AWS tags in Terraform's shape: a map, without the `aws:` tags only AWS may set.

AWS's own `aws:` tags (CloudFormation, Auto Scaling) can't be set by Terraform and are
dropped on both sides (passes/tags.py drops them from the state's `tags_all`).
"""

from __future__ import annotations

from typing import Any


def without_aws_tags(tags: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in tags.items() if not str(k).startswith("aws:")}


def tag_list_to_map(
    items: list[dict[str, Any]] | None, key: str = "Key", value: str = "Value"
) -> dict[str, str]:
    """AWS's `[{"Key": k, "Value": v}]` shape as a map, without `aws:` tags."""
    return without_aws_tags({i[key]: i.get(value, "") for i in items or [] if key in i})


def tag_map(value: Any, key: str = "Key", value_key: str = "Value") -> dict[str, Any]:
    """Tags as AWS answers them, a list of pairs or a map (None: no tags), as a map."""
    return without_aws_tags(all_tags(value, key, value_key))


def all_tags(value: Any, key: str = "Key", value_key: str = "Value") -> dict[str, Any]:
    """Like ``tag_map`` with AWS's own `aws:` tags kept (they name a resource's owner)."""
    if isinstance(value, dict):
        return dict(value)
    items = value if isinstance(value, list) else []
    return {i[key]: i.get(value_key, "") for i in items if isinstance(i, dict) and key in i}
