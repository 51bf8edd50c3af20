"""Config + selection flags -> units of work (account, region, service)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from driftq.accounts import parse_tag_filter, tags_match, unmatched_tag
from driftq.config_models import Config
from driftq.errors import PlanError
from driftq.model import GLOBAL, Unit
from driftq.resources import GLOBAL_SERVICES, REGISTRY


@dataclass(frozen=True)
class Selection:
    """What the user narrowed the run to; empty means everything configured."""

    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    resource_types: tuple[str, ...] = field(default=())
    # `key=value`: one key's values are alternatives, different keys must all match
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, data: dict[str, Sequence[str]]) -> Selection:
        return cls(**{k: tuple(v) for k, v in data.items()})


def selected_types(config: Config, selection: Selection, service: str) -> list[str]:
    """Terraform types of ``service`` to enumerate: excluded types never are."""
    excluded = set(config.exclusions.resource_types)
    return sorted(
        t
        for t, spec in REGISTRY.items()
        if spec.service == service
        and t not in excluded
        and (not selection.resource_types or t in selection.resource_types)
    )


def plan(config: Config, selection: Selection = Selection()) -> list[Unit]:
    _check(config, selection)
    wanted_tags = parse_tag_filter(selection.tags)
    units: list[Unit] = []
    for account in config.accounts:
        if selection.accounts and account.name not in selection.accounts:
            continue
        if wanted_tags and not tags_match(account.tags, wanted_tags):
            continue
        regions = [r for r in account.regions if not selection.regions or r in selection.regions]
        if not regions:
            continue
        for service in config.services_for(account):
            if selection.services and service not in selection.services:
                continue
            if not selected_types(config, selection, service):
                continue
            if service in GLOBAL_SERVICES:
                units.append(Unit(account.name, GLOBAL, service))
            else:
                units.extend(Unit(account.name, region, service) for region in regions)
    if not units:
        raise PlanError("the selection matches no account, region and service to scan")
    return units


def _check(config: Config, selection: Selection) -> None:
    names = {a.name for a in config.accounts}
    _unknown("account", selection.accounts, names, "configured")
    regions = {r for a in config.accounts for r in a.regions}
    _unknown("region", selection.regions, regions, "configured")
    _unknown("service", selection.services, {s.service for s in REGISTRY.values()}, "known")
    _unknown("resource type", selection.resource_types, set(REGISTRY), "see `driftq types`")
    try:
        wanted_tags = parse_tag_filter(selection.tags)
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    problem = unmatched_tag((a.tags for a in config.accounts), wanted_tags)
    if problem:
        raise PlanError(problem)


def _unknown(what: str, chosen: Iterable[str], known: set[str], hint: str) -> None:
    for name in chosen:
        if name not in known:
            options = hint if hint.startswith("see") else f"{hint}: {', '.join(sorted(known))}"
            raise PlanError(f"unknown {what} {name!r} ({options})")
