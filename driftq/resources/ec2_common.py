"""What the EC2 modules share: AWS-made resources flagged by their normalizers.

AWS-made resources stay silent unless a state holds them: the default VPC (`IsDefault`), its
default subnets (`DefaultForAz`), every VPC's `default` security group, main route table,
default network ACL, and so on. A normalizer sets ``AWS_DEFAULT`` on such an item's
attributes; ``aws_default`` is the specs' ``is_aws_default``.
"""

from __future__ import annotations

from typing import Any

AWS_DEFAULT = "_aws_default"


def aws_default(attrs: dict[str, Any]) -> bool:
    return bool(attrs.get(AWS_DEFAULT))
