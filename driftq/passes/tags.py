"""tags_all: provider `default_tags` appear in AWS but not in a resource's `tags`.

Since provider 3.38 the state keeps `tags` (what the resource block says) and `tags_all`
(those plus the provider's default_tags). Live tags are what AWS has, so they compare with
`tags_all` when the state has it, and with `tags` for older states. AWS's own `aws:` tags
(CloudFormation, Auto Scaling) can't be set by Terraform and are dropped on both sides.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.tags import without_aws_tags


def expected_tags(state_attributes: dict[str, Any]) -> dict[str, Any]:
    tags = state_attributes.get("tags_all")
    if tags is None:
        tags = state_attributes.get("tags")
    return without_aws_tags(tags or {})
