"""The per-type test harness: one ``TypeCase`` per Terraform type (``tests/resources/cases``).

A case's ``build`` creates one resource of its type in a fresh moto account (plus what it
needs) and returns the state Terraform would hold for it. From that, ``test_types*.py``
checks, for every type (the table is dealt over three files so that both test workers
share it):

- clean: the state against the account gives no finding at all;
- deleted: the same state against an empty account reports the resource missing;
- created outside Terraform: the state without it reports it unmanaged, with the id
  `terraform import` takes (``Built.import_id``);
- AWS's defaults: an untouched account with an empty state is silent (per service);
- pure, no AWS: changing each compared attribute in the state is drift at its dotted path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from driftq.compare import compare
from driftq.model import GLOBAL, LiveResource, StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.services import GLOBAL_SERVICES
from driftq.resources.spec import ResourceSpec
from tests.support.estate import StateFile

PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only


@dataclass(frozen=True)
class Res:
    """One resource of the state: its type, name and attributes."""

    type: str
    name: str
    attributes: dict[str, Any]
    provider: str = PROVIDER


@dataclass(frozen=True)
class Built:
    """What a case's builder made: the state resources (the first of the case's type is
    the one under test; others are what it needs, e.g. its parent) and its import id."""

    resources: list[Res]
    import_id: str

    def subject(self, rtype: str) -> Res:
        return next(r for r in self.resources if r.type == rtype)

    def state(self, without: Res | None = None) -> StateFile:
        state = StateFile()
        for res in self.resources:
            if res is not without:
                state.add(res.type, res.name, res.attributes, provider=res.provider)
        return state


@dataclass(frozen=True, kw_only=True)
class TypeCase:
    type: str
    # creates the resource in a fresh moto account (``account.client(service, region)``)
    build: Callable[[Any], Built] | None = None
    # where moto cannot emulate the type (its spec says ``emulated=False``): an AWS answer
    # recorded from a real account, as the normalizer receives it (after the spec's calls,
    # tags as a map under "_tags"), and the matching state; only the pure checks run
    recorded: Callable[[], tuple[dict[str, Any], Built]] | None = None
    region: str = "us-east-1"
    # for types never reported unmanaged, what is reported instead, as (kind, type): a
    # queue's policy set outside Terraform is drift of the queue's `policy`
    unmanaged_as: tuple[str, str] | None = None
    # what a state's resource is reported as when it is gone from AWS: a setting that
    # always exists (default EBS encryption) is back at AWS's default, i.e. drifted
    deleted_as: str = "missing"
    # types whose every resource AWS made (`aws_default_vpc`): outside a state, silent
    aws_default_only: bool = False
    # state values to use for attributes the generic mutation cannot change meaningfully
    mutations: Mapping[str, Any] = field(default_factory=dict)
    # compared attributes the emulator does not answer (its spec's ``not_emulated`` says
    # which): their drift is checked on recorded AWS answers in the type's own test file
    not_answered: frozenset[str] = frozenset()
    note: str = ""

    def __post_init__(self) -> None:
        if (self.build is None) == (self.recorded is None):
            raise ValueError(f"{self.type}: give exactly one of build or recorded")
        if self.not_answered and not REGISTRY[self.type].not_emulated:
            raise ValueError(
                f"{self.type}: its spec's not_emulated must say what moto does not answer"
            )

    @property
    def unit(self) -> Unit:
        service = REGISTRY[self.type].service
        return Unit("test", GLOBAL if service in GLOBAL_SERVICES else self.region, service)


def tags_state(tags: Mapping[str, str]) -> dict[str, Any]:
    """`tags` and `tags_all` as provider >= 3.38 writes them with default_tags."""
    return {"tags": dict(tags), "tags_all": {**tags, **DEFAULT_TAGS}}


def jsonencode(document: Any) -> str:
    """Terraform's jsonencode: sorted keys, no whitespace."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


# --- the generic mutation of a compared attribute ------------------------------------------

DRIFTED_POLICY = jsonencode(
    {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Drifted", "Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
)
MARK = "drifted"


def mutated(value: Any, *, json_document: bool = False) -> Any:
    """A state value of the same shape whose meaning differs from ``value``."""
    if json_document:
        return DRIFTED_POLICY
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        if value.lstrip("-").isdigit():
            return str(int(value) + 1)
        if value in ("true", "false"):
            return "false" if value == "true" else "true"
        return f"{value}-{MARK}" if value else MARK
    if isinstance(value, dict):
        return {**value, MARK: "yes"}
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            first = value[0]
            key = next(iter(sorted(first)), None)
            changed = {**first, key: mutated(first[key])} if key else {MARK: "yes"}
            return [changed, *value[1:]]
        return [*value, MARK]
    return MARK


def mutate_state(
    attributes: dict[str, Any], name: str, value: Any, *, is_map: bool
) -> tuple[dict[str, Any], str]:
    """The state's attributes with ``name`` changed, and the dotted path a drift of it has.
    Tags change in both `tags` and `tags_all` (live tags compare with tags_all)."""
    out = dict(attributes)
    if name == "tags":
        for key in ("tags", "tags_all"):
            out[key] = {**(attributes.get(key) or {}), MARK: "yes"}
        return out, f"tags.{MARK}"
    out[name] = value
    return out, f"{name}.{MARK}" if is_map else name


def undetected_drifts(
    spec: ResourceSpec,
    state: StateResource,
    live: LiveResource,
    mutations: Mapping[str, Any] | None = None,
    not_answered: frozenset[str] = frozenset(),
) -> list[str]:
    """Pure: each compared attribute changed in the state, one at a time; what is not found
    as drift at its dotted path (empty: every change is found). The pair must be clean."""
    problems = [f"clean pair differs: {c}" for c in compare(spec, state, live)]
    for name in spec.compared:
        if name in not_answered:
            continue
        if name not in live.attributes:
            problems.append(f"{name}: the normalizer does not set it")
            continue
        current = state.attributes.get(name)
        value = (mutations or {}).get(
            name, mutated(current, json_document=name in spec.json_attributes)
        )
        attributes, path = mutate_state(
            state.attributes, name, value, is_map=isinstance(current, dict)
        )
        changed = StateResource(**{**state.__dict__, "attributes": attributes})
        found = [c.attribute for c in compare(spec, changed, live)]
        if path not in found:
            problems.append(f"{name}: changed to {value!r}, found {found}")
    return problems
