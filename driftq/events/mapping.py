"""CloudTrail ``eventSource`` + ``eventName`` -> the Terraform types to rescan, and where the
event names the resource.

The tables live in ``driftq/events/types/<service>.py``, one line per Terraform type, keyed
by type (so several people adding types touch different lines)::

    EVENTS = {
        "aws_sqs_queue": on("CreateQueue DeleteQueue SetQueueAttributes TagQueue UntagQueue",
                            "requestParameters.queueUrl", "responseElements.queueUrl"),
    }
    NOT_EVENT_DRIVEN = {"aws_x": "why no CloudTrail event can change it"}

``on(names, *ids)``: the event names that change the type (Lambda's versioned names such as
``UpdateFunctionConfiguration20150331v2`` match their plain name), then JMESPath
expressions into the CloudTrail record that give the resource's id, the first non-empty one
wins (a list of ids is fine: EC2's CreateTags). ``prefix`` keeps only ids of this type
(``sg-`` for security groups: CreateTags names any EC2 resource). The event source defaults
to ``<service>.amazonaws.com``; a module sets ``SOURCE`` when it differs.

Every type of the registry is in one of the two tables (tests/events/test_mapping_lint.py).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jmespath

# Lambda's API versions show in CloudTrail names: UpdateFunctionCode20150331v2
_VERSION_SUFFIX = re.compile(r"20\d{6}(v\d+)?$")
READ_PREFIXES = ("Describe", "List", "Get", "Head", "Lookup", "Search", "BatchGet", "Check")


@dataclass(frozen=True)
class On:
    """Which events change one Terraform type, and where they name the resource."""

    names: frozenset[str]
    ids: tuple[str, ...] = ()
    prefix: str = ""
    # ids of this form cannot be matched to the resource (a KMS alias): the whole type is
    # rescanned instead
    unmatchable: str = ""

    def resource_ids(self, record: dict[str, Any]) -> list[str] | None:
        """The ids the record names for this type; None: it names none (rescan the type),
        []: it names only resources of other types (a CreateTags of a subnet)."""
        for expression in self.ids:
            found = _search(expression, record)
            values = found if isinstance(found, list) else [found]
            ids = [str(v) for v in values if isinstance(v, str | int) and str(v)]
            if ids and self.unmatchable and any(self.unmatchable in i for i in ids):
                return None
            if ids:
                return [i for i in ids if not self.prefix or i.startswith(self.prefix)]
        return None


def on(names: str, *ids: str, prefix: str = "", unmatchable: str = "") -> On:
    return On(frozenset(names.split()), tuple(ids), prefix, unmatchable)


@dataclass(frozen=True)
class TypeEvents:
    type: str
    service: str
    source: str
    on: On


@dataclass(frozen=True)
class Tables:
    by_event: dict[tuple[str, str], list[TypeEvents]]
    by_type: dict[str, TypeEvents]
    not_event_driven: dict[str, str]


def event_name(name: str) -> str:
    """The event's plain name (Lambda's API version suffix removed)."""
    return _VERSION_SUFFIX.sub("", name)


def is_read_only(name: str) -> bool:
    return event_name(name).startswith(READ_PREFIXES)


@cache
def tables() -> Tables:
    """Every ``types/<service>.py`` table, found by walking the package."""
    from driftq.events import types as package

    by_type: dict[str, TypeEvents] = {}
    not_driven: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        service = getattr(module, "SERVICE", info.name)
        source = getattr(module, "SOURCE", f"{service}.amazonaws.com")
        for rtype, rule in getattr(module, "EVENTS", {}).items():
            if rtype in by_type or rtype in not_driven:
                raise ValueError(f"{rtype} is mapped twice (again in {module.__name__})")
            by_type[rtype] = TypeEvents(rtype, service, source, rule)
        for rtype, reason in getattr(module, "NOT_EVENT_DRIVEN", {}).items():
            if rtype in by_type or rtype in not_driven:
                raise ValueError(f"{rtype} is mapped twice (again in {module.__name__})")
            not_driven[rtype] = reason
    by_event: dict[tuple[str, str], list[TypeEvents]] = {}
    for entry in by_type.values():
        for name in entry.on.names:
            by_event.setdefault((entry.source, name), []).append(entry)
    return Tables(by_event, by_type, not_driven)


def types_for(source: str, name: str) -> list[TypeEvents]:
    """The types an event may change (registered or not: the caller checks)."""
    return tables().by_event.get((source, event_name(name)), [])


@cache
def _compiled(expression: str) -> Any:
    return jmespath.compile(expression)


def _search(expression: str, record: dict[str, Any]) -> Any:
    return _compiled(expression).search(record)


def rule_pattern() -> dict[str, Any]:
    """The EventBridge rule pattern matching every write event of a registered type: made
    from the tables, so it follows the registry (`driftq events pattern`)."""
    from driftq.resources import REGISTRY

    names: dict[str, set[str]] = {}
    for entry in tables().by_type.values():
        if entry.type in REGISTRY:
            names.setdefault(entry.source, set()).update(entry.on.names)
    sources = sorted({"aws." + source.split(".")[0] for source in names})
    versioned = names.get("lambda.amazonaws.com", set())
    exact = {n for ns in names.values() for n in ns}
    return {
        "source": sources,
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            "eventSource": sorted(names),
            # Lambda's names carry an API version (UpdateFunctionCode20150331v2): prefixes
            "eventName": [*sorted(exact - versioned), *({"prefix": n} for n in sorted(versioned))],
            "readOnly": [False],
            "errorCode": [{"exists": False}],
        },
    }


def unreached(registered: Iterable[str]) -> list[str]:
    """Registered types no event reaches and not listed as not event-driven (the lint)."""
    t = tables()
    return [r for r in registered if r not in t.by_type and r not in t.not_event_driven]
