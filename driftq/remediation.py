"""Remediation output: Terraform `import {}` blocks for unmanaged resources.

Each block gets a stable suggested address (`aws_vpc.<Name tag or id>`, sanitized, made
unique within the file) so that `terraform plan -generate-config-out=generated.tf` can
write the matching resource blocks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from driftq.model import Finding

_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def suggested_name(finding: Finding) -> str:
    base = finding.tags.get("Name") or finding.resource_id.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = _NOT_NAME.sub("_", base).strip("_-") or "resource"
    if not (name[0].isalpha() or name[0] == "_"):
        name = f"r_{name}"
    return name.lower()


def hcl_string(value: str) -> str:
    # JSON string escapes are valid HCL; `${` and `%{` would start an interpolation
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


def import_blocks(findings: Iterable[Finding]) -> str:
    used: set[str] = set()
    blocks: list[str] = []
    unmanaged = sorted(
        (f for f in findings if f.kind == "unmanaged"),
        key=lambda f: (f.resource_type, f.region, f.resource_id),
    )
    for finding in unmanaged:
        name = suggested_name(finding)
        address = f"{finding.resource_type}.{name}"
        counter = 2
        while address in used:
            address = f"{finding.resource_type}.{name}_{counter}"
            counter += 1
        used.add(address)
        blocks.append(
            f"# {finding.region}: unmanaged {finding.resource_type}\n"
            f"import {{\n  to = {address}\n  id = {hcl_string(finding.resource_id)}\n}}\n"
        )
    return "\n".join(blocks)
