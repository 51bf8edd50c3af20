"""Exclusions: address globs and tags that take findings out of a report (counted as excluded).

Excluded resource *types* never reach here: the plan does not enumerate them at all.
A pattern matches `type.name` (module path and index stripped), the full address, and for
unmanaged resources `type.<import id>` and `type.<Name tag>`.

`attributes` ignores values another system owns: per type (or "*"), dotted globs over the
changed attribute paths of drifted findings. A pattern matches a path (`tags.LastScanned`,
`tags.Last*`) or everything below it (`tags` covers every tag). A drifted finding left with
no change is excluded as a whole.
"""

from __future__ import annotations

import re
from dataclasses import replace
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


def ignores(pattern: str, attribute: str) -> bool:
    return fnmatchcase(attribute, pattern) or attribute.startswith(pattern + ".")


def without_ignored_attributes(finding: Finding, rules: Exclusions) -> Finding | None:
    """``finding`` without the changes `exclusions.attributes` ignores (None: none left)."""
    if finding.kind != "drifted" or not rules.attributes:
        return finding
    patterns = [*rules.attributes.get("*", []), *rules.attributes.get(finding.resource_type, [])]
    if not patterns:
        return finding
    changes = [c for c in finding.changes if not any(ignores(p, c.attribute) for p in patterns)]
    if len(changes) == len(finding.changes):
        return finding
    return replace(finding, changes=changes) if changes else None


def apply_exclusions(findings: list[Finding], rules: Exclusions) -> tuple[list[Finding], int]:
    kept: list[Finding] = []
    for finding in findings:
        if is_excluded(finding, rules):
            continue
        trimmed = without_ignored_attributes(finding, rules)
        if trimmed is not None:
            kept.append(trimmed)
    return kept, len(findings) - len(kept)
