"""ApiCalls -> targets: the units (account, region, service) to rescan, narrowed to the types
and resource ids the calls touched. Calls that change nothing we compare are ignored with a
reason; calls we cannot place (account not configured, region not scanned) are rejected."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from driftq.config_models import Account, Config
from driftq.events.mapping import types_for
from driftq.events.parse import ApiCall
from driftq.model import GLOBAL, Unit
from driftq.resources import GLOBAL_SERVICES, REGISTRY

# type -> the ids to rescan; None: the whole type (the event names no id we can read)
Focus = dict[str, frozenset[str] | None]


@dataclass
class Target:
    unit: Unit
    focus: Focus = field(default_factory=dict)
    calls: list[ApiCall] = field(default_factory=list)

    # per call (by index in ``calls``): type -> the ids it named (None: the whole type)
    touched: list[Focus] = field(default_factory=list)

    def add(self, rtype: str, ids: list[str] | None, call: ApiCall) -> None:
        if (rtype in self.focus and self.focus[rtype] is None) or ids is None:
            self.focus[rtype] = None
        else:
            self.focus[rtype] = (self.focus.get(rtype) or frozenset()) | frozenset(ids)
        if call not in self.calls:
            self.calls.append(call)
            self.touched.append({})
        self.touched[self.calls.index(call)][rtype] = None if ids is None else frozenset(ids)

    def calls_touching(self, rtype: str, matches: Callable[[str], bool]) -> list[ApiCall]:
        """The calls that named a resource of ``rtype`` that ``matches`` (or the whole type)."""
        out = []
        for call, touched in zip(self.calls, self.touched, strict=True):
            if rtype in touched:
                ids = touched[rtype]
                if ids is None or any(matches(i) for i in ids):
                    out.append(call)
        return out

    @property
    def by_terraform(self) -> bool:
        return all(c.by_terraform for c in self.calls)

    def key(self) -> str:
        """Names the unit and what in it: the debounce key."""
        parts = [
            f"{t}={','.join(sorted(ids)) if ids is not None else '*'}"
            for t, ids in sorted(self.focus.items())
        ]
        return "|".join([self.unit.label(), *parts])

    def to_json(self) -> dict[str, Any]:
        """Names and ids only (it travels as a task argument): no record, no credentials."""
        return {
            "unit": self.unit.to_json(),
            "focus": _plain(self.focus),
            "changed_by": [
                {**c.changed_by(), "touched": _plain(t)}
                for c, t in zip(self.calls, self.touched, strict=True)
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Target:
        focus: Focus = {
            str(t): frozenset(ids) if ids is not None else None for t, ids in data["focus"].items()
        }
        entries = list(data.get("changed_by", []))
        calls = [ApiCall.from_changed_by(c) for c in entries]
        touched: list[Focus] = [
            {
                str(t): frozenset(ids) if ids is not None else None
                for t, ids in (c.get("touched") or {}).items()
            }
            for c in entries
        ]
        return cls(Unit.from_json(data["unit"]), focus, calls, touched)


def _plain(focus: Focus) -> dict[str, list[str] | None]:
    return {t: sorted(ids) if ids is not None else None for t, ids in focus.items()}


@dataclass
class Outcome:
    """What became of each call: targets to scan, ignored calls, rejected calls."""

    targets: list[Target]
    ignored: list[dict[str, str]]
    rejected: list[dict[str, str]]


def plan_calls(config: Config, calls: Iterable[ApiCall]) -> Outcome:
    targets: dict[Unit, Target] = {}
    ignored: list[dict[str, str]] = []
    rejected: list[dict[str, str]] = []
    by_id = {a.account_id: a for a in config.accounts}
    excluded = set(config.exclusions.resource_types)
    for call in calls:

        def skip(reason: str, into: list[dict[str, str]] = ignored, call: ApiCall = call) -> None:
            into.append({"event": call.label(), "event_id": call.event_id, "reason": reason})

        if call.error_code:
            skip(f"the call failed ({call.error_code[:60]}): nothing changed")
            continue
        if call.read_only:
            skip("a read-only call")
            continue
        entries = [e for e in types_for(call.source, call.name) if e.type in REGISTRY]
        if not entries:
            skip("changes no Terraform type driftq compares")
            continue
        account = by_id.get(call.account_id)
        if account is None:
            skip(f"account {call.account_id} is not in the config", rejected)
            continue
        services = set(config.services_for(account))
        entries = [e for e in entries if e.type not in excluded and e.service in services]
        if not entries:
            skip("its types are excluded or their service is not scanned for this account")
            continue
        unit = _unit(account, entries[0].service, call.region)
        if unit is None:
            skip(f"region {call.region} is not scanned for account {account.name}", rejected)
            continue
        touched = False
        for entry in entries:
            ids = _own_kind(entry.type, entry.on.resource_ids(call.record))
            if ids == []:  # it names resources of another type (a CreateTags of a subnet)
                continue
            targets.setdefault(unit, Target(unit)).add(entry.type, ids, call)
            touched = True
        if not touched:
            skip("names no resource of a type driftq compares")
    return Outcome(list(targets.values()), ignored, rejected)


# ARNs name their resource's kind: a tag call's ARNs (ELB's AddTags, RDS's
# AddTagsToResource) are mapped to every taggable type of the service, and each type keeps
# its own (none: the call changed no resource of that type, which is not rescanned)
_ARN_KINDS = {
    "aws_lb": ":loadbalancer/",
    "aws_lb_target_group": ":targetgroup/",
    "aws_lb_listener": ":listener/",
    "aws_db_subnet_group": ":subgrp:",
    "aws_db_instance": ":db:",
    "aws_rds_cluster": ":cluster:",
    "aws_ecs_cluster": ":cluster/",
    "aws_eks_cluster": ":cluster/",
    "aws_elasticache_cluster": ":cluster:",
    "aws_lambda_function": ":function:",
    "aws_lambda_event_source_mapping": ":event-source-mapping:",
    "aws_ecs_service": ":service/",
    "aws_ecs_task_definition": ":task-definition/",
}


def _own_kind(rtype: str, ids: list[str] | None) -> list[str] | None:
    kind = _ARN_KINDS.get(rtype)
    if ids is None or kind is None:
        return ids
    return [i for i in ids if not i.startswith("arn:") or kind in i]


def _unit(account: Account, service: str, region: str) -> Unit | None:
    if service in GLOBAL_SERVICES:
        # IAM is recorded in us-east-1 whatever the caller's region; an S3 bucket's calls in
        # its own region, which must be one this account scans
        if service == "s3" and region not in account.regions:
            return None
        return Unit(account.name, GLOBAL, service)
    if region not in account.regions:
        return None
    return Unit(account.name, region, service)
