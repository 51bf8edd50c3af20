"""Parse the Terraform state v4 format (Terraform 0.12 and later) into StateResources.

Data sources and non-AWS providers are skipped; modules and `count` / `for_each` keys make
the address (`module.net.aws_subnet.private[0]`, `aws_iam_user.u["alice"]`); each
instance's `sensitive_attributes` are kept so their values are never shown. A resource's
region: its `region` attribute (provider 6.x, S3 buckets), else its ARN, else its
availability zone, else the region other resources of the same provider alias have, else
the state backend's region.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

from driftq.errors import StateError
from driftq.model import StateResource

_AWS_PROVIDER = re.compile(r'(^|/|")(hashicorp/)?aws("|\]|\.|$)|^provider\.aws')
_AZ = re.compile(r"^([a-z]{2}(-gov)?-[a-z]+-\d)[a-z]$")
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
_TAG_TWINS = {"tags": "tags_all", "tags_all": "tags"}


def parse_state(text: str | bytes, source: str, default_region: str | None) -> list[StateResource]:
    """Every managed AWS resource instance in one state file."""
    document = _load(text, source)
    raw: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for resource in document.get("resources") or []:
        if not isinstance(resource, dict) or resource.get("mode", "managed") != "managed":
            continue
        rtype = str(resource.get("type", ""))
        if not rtype.startswith("aws_") or not _is_aws(str(resource.get("provider", ""))):
            continue
        instances = resource.get("instances") or []
        if not isinstance(instances, list):
            raise StateError(f"{source}: `instances` of {rtype[:80]} is not a list")
        for instance in instances:
            if isinstance(instance, dict) and isinstance(instance.get("attributes"), dict):
                raw.append((resource, instance))
    alias_regions = _alias_regions(raw)
    out: list[StateResource] = []
    for resource, instance in raw:
        attrs = instance["attributes"]
        provider = str(resource.get("provider", ""))
        region = _own_region(attrs) or alias_regions.get(provider) or default_region
        out.append(
            StateResource(
                type=resource["type"],
                address=_address(resource, instance),
                id=str(attrs.get("id") or ""),
                attributes=attrs,
                region=region,
                state=source,
                sensitive=_sensitive_paths(instance.get("sensitive_attributes")),
            )
        )
    return out


def _load(text: str | bytes, source: str) -> dict[str, Any]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StateError(f"{source}: not a Terraform state (not UTF-8 text)") from exc
    if not text.strip():
        raise StateError(f"{source}: the state file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except RecursionError as exc:
        raise StateError(f"{source}: JSON nested too deeply to be a Terraform state") from exc
    except ValueError as exc:  # an integer too long for Python (4,300+ digits)
        raise StateError(f"{source}: not a readable Terraform state: {exc}") from exc
    if not isinstance(document, dict) or "version" not in document:
        raise StateError(f"{source}: not a Terraform state (no `version` field)")
    version = document["version"]
    if version != 4 or isinstance(version, bool):
        hint = " (written by Terraform before 0.12; refresh it with a current Terraform)"
        raise StateError(
            f"{source}: state format version {version!r:.20} is not supported; driftq reads "
            f"version 4{hint if isinstance(version, int) and version < 4 else ''}"
        )
    if not isinstance(document.get("resources", []), list):
        raise StateError(f"{source}: `resources` is not a list")
    return document


def _is_aws(provider: str) -> bool:
    return not provider or bool(_AWS_PROVIDER.search(provider))


def _address(resource: dict[str, Any], instance: dict[str, Any]) -> str:
    base = f"{resource['type']}.{resource.get('name', '')}"
    module = resource.get("module")
    if module:
        base = f"{module}.{base}"
    if "index_key" in instance:
        key = instance["index_key"]
        base += f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]"
    return base


def _own_region(attrs: dict[str, Any]) -> str | None:
    region = attrs.get("region")
    if isinstance(region, str) and _REGION.match(region):
        return region
    arn = attrs.get("arn")
    if isinstance(arn, str) and arn.startswith("arn:"):
        parts = arn.split(":")
        if len(parts) > 3 and _REGION.match(parts[3]):
            return parts[3]
    zone = attrs.get("availability_zone")
    if isinstance(zone, str):
        match = _AZ.match(zone)
        if match:
            return match.group(1)
    return None


def _alias_regions(raw: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, str]:
    """The region most resources of each provider configuration (alias) are in."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for resource, instance in raw:
        # provider 6.x's per-resource `region` overrides the provider's: it says nothing of it
        attrs = {k: v for k, v in instance["attributes"].items() if k != "region"}
        region = _own_region(attrs)
        if region:
            seen[str(resource.get("provider", ""))][region] += 1
    return {provider: counts.most_common(1)[0][0] for provider, counts in seen.items()}


def _sensitive_paths(paths: Any) -> frozenset[str]:
    """Terraform's cty paths (`[{"type": "get_attr", "value": "tags"}, {"type": "index",
    "value": {"value": "Secret", "type": "string"}}]`) as dotted paths (`tags.Secret`).

    A step that cannot be read ends the path there: the part before it is treated as
    sensitive, never less. Provider `default_tags` copy `tags` into `tags_all` without
    copying the marks, so a mark on one of the two covers the same key in the other.
    """
    out: set[str] = set()
    for path in paths if isinstance(paths, list) else []:
        steps: list[str] = []
        for step in path if isinstance(path, list) else []:
            value = step.get("value") if isinstance(step, dict) else None
            if isinstance(value, dict):  # an index step: {"value": key, "type": ...}
                value = value.get("value")
            if isinstance(value, bool) or not isinstance(value, str | int):
                break
            steps.append(str(value))
        if not steps:
            continue
        out.add(".".join(steps))
        if steps[0] in _TAG_TWINS:
            out.add(".".join([_TAG_TWINS[steps[0]], *steps[1:]]))
    return frozenset(out)
