"""Exclusions: address globs and tags that take findings out of a report (counted as excluded).

Excluded resource *types* never reach here: the plan does not enumerate them at all.
A pattern matches `type.name` (module path and index stripped), the full address, and for
unmanaged resources `type.<import id>` and `type.<Name tag>`.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from driftq.config_models import Exclusions
from driftq.model import Finding

_MODULES = re.compile(r"^(module\.[^.]+(\[[^\]]*\])?\.)+")
_INDEX = re.compile(r"\[[^\]]*\]$")


def candidates(finding: Finding) -> list[str]:
    names: list[str] = []
    if finding.address:
        names.append(finding.address)
        names.append(_INDEX.sub("", _MODULES.sub("", finding.address)))
    else:
        names.append(f"{finding.resource_type}.{finding.resource_id}")
        if finding.tags.get("Name"):
            names.append(f"{finding.resource_type}.{finding.tags['Name']}")
    return names


def is_excluded(finding: Finding, rules: Exclusions) -> bool:
    if finding.resource_type in rules.resource_types:
        return True
    names = candidates(finding)
    if any(fnmatchcase(name, pattern) for pattern in rules.resource_patterns for name in names):
        return True
    for tag in rules.tags:
        if tag.Key in finding.tags and (tag.Value is None or finding.tags[tag.Key] == tag.Value):
            return True
    return False


def apply_exclusions(findings: list[Finding], rules: Exclusions) -> tuple[list[Finding], int]:
    kept = [f for f in findings if not is_excluded(f, rules)]
    return kept, len(findings) - len(kept)
