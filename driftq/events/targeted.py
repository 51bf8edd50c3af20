"""The targeted scan: one target (a unit narrowed to the types and ids an event touched) read
live with the engine, never trusting the event's own parameters; findings carry who made
the change. ``run_targets`` then finalizes like a run, so history ("changes since last run",
notification dedup) and notifications know the findings.

A targeted run (its id ends in `-event`) records its unit in history as a whole: the unit's previous findings outside
the rescanned resources are carried over from history, so the next full run does not see
them as new, and the rescanned resources' findings replace theirs. Its thresholds count the
account's other units too, as history last saw them (``_accounts_other_units``).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from driftq.aws import AwsAccess
from driftq.config_models import Account, Config
from driftq.engine import Engine
from driftq.events.narrow import SAME_RESOURCE, narrowed
from driftq.events.plan import Focus, Target
from driftq.finalize import HISTORY_OFF, Finalized, finalize
from driftq.history import ENV_URL, History, finding_key
from driftq.local import new_run_id, utc_now
from driftq.model import Finding, LiveResource, StateResource, Unit, UnitResult
from driftq.plan import Selection
from driftq.report import RunInfo
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.spec import ResourceSpec
from driftq.state import StateIndex

log = logging.getLogger(__name__)
_SEGMENTS = re.compile(r"[/:|,]")


def names(rtype: str, identity: str, resource_id: str) -> bool:
    """Whether an id from an event names the ``rtype`` resource of ``identity``: the type's
    own match where the generic one is too loose for its narrowed listing."""
    if not identity or not resource_id:
        return False
    return SAME_RESOURCE.get(rtype, same_resource)(identity, resource_id)


def same_resource(identity: str, resource_id: str) -> bool:
    """Whether an id from an event names the resource of ``identity``. Events name a resource
    by name, id, ARN or URL while specs key on one of these: the id's last segment
    (`my-queue` of a queue URL, `fn` of a function ARN) is one of the identity's segments."""
    if not identity or not resource_id:
        return False
    if identity == resource_id:
        return True
    tail = _SEGMENTS.split(resource_id.rstrip("/"))[-1]
    return bool(tail) and tail in _SEGMENTS.split(identity)


class FocusedEngine(Engine):
    """The engine, narrowed after the passes to the resources an event named."""

    def __init__(
        self,
        config: Config,
        focus: Focus,
        aws: AwsAccess | None = None,
        run_id: str | None = None,
    ) -> None:
        selection = Selection(resource_types=tuple(sorted(focus)))
        super().__init__(config, selection, aws, run_id=run_id)
        self.focus = focus
        # (type, resource id) of what was compared: the findings these replace in history
        self.covered: set[tuple[str, str]] = set()
        self.narrowed_listing = True

    def spec(self, rtype: str) -> ResourceSpec:
        spec = REGISTRY[rtype]
        ids = self.focus.get(rtype)
        if not self.narrowed_listing or ids is None:
            return spec
        return narrowed(spec, ids) or spec

    def scan_unit(self, unit: Unit) -> UnitResult:
        result = super().scan_unit(unit)
        if result.status == "error" and self.narrowed_listing:
            # a narrowed listing of a resource that is gone fails (EC2's *.NotFound): list
            # the type whole, so the resource is reported missing
            self.narrowed_listing = False
            self.covered.clear()
            result = super().scan_unit(unit)
        return result

    def context(self, account: Account, unit: Unit, state: StateIndex | None = None) -> ScanContext:
        ctx = super().context(account, unit, state)
        ctx.targeted = self.narrowed_listing
        return ctx

    def _wanted(self, rtype: str, identities: Iterable[str]) -> bool:
        ids = self.focus.get(rtype)
        if ids is None:
            return rtype in self.focus
        return any(names(rtype, i, wanted) for i in identities for wanted in ids)

    def narrow(
        self, state: list[StateResource], live: list[LiveResource]
    ) -> tuple[list[StateResource], list[LiveResource]]:
        kept_state = [r for r in state if self._wanted(r.type, _state_ids(r))]
        kept_live = [r for r in live if self._wanted(r.type, _live_ids(r))]
        self.covered |= {(r.type, r.id) for r in kept_state}
        self.covered |= {(r.type, r.import_id) for r in kept_live}
        return kept_state, kept_live


def _state_ids(resource: StateResource) -> list[str]:
    spec = REGISTRY[resource.type]
    ids = [resource.id, spec.identity_of_state(resource.attributes)]
    if spec.parent_identity is not None:  # a rule of the group, a setting of the bucket
        ids.append(spec.parent_identity(resource.attributes))
    return ids


def _live_ids(resource: LiveResource) -> list[str]:
    # an owner the passes reported for what it made (a CloudFormation stack) has no spec
    spec = REGISTRY.get(resource.type)
    ids = [resource.identity, resource.import_id]
    if spec is not None and spec.parent_identity is not None:
        ids.append(spec.parent_identity(resource.attributes))
    return ids


@dataclass
class TargetScan:
    target: Target
    result: UnitResult
    covered: set[tuple[str, str]] = field(default_factory=set)


def scan_target(
    config: Config, target: Target, aws: AwsAccess | None = None, run_id: str | None = None
) -> TargetScan:
    engine = FocusedEngine(config, target.focus, aws, run_id=run_id)
    result = engine.scan_unit(target.unit)
    for finding in result.findings:
        finding.changed_by = _changed_by(target, finding)
    return TargetScan(target, result, engine.covered)


def _changed_by(target: Target, finding: Finding) -> dict[str, Any] | None:
    """The latest call that named this resource (or its whole type)."""
    named = target.calls_touching(
        finding.resource_type,
        lambda named_id: names(finding.resource_type, finding.resource_id, named_id),
    )
    calls = named or target.calls
    if not calls:
        return None
    return max(calls, key=lambda c: c.time).changed_by()


def event_run_id() -> str:
    """A run id that says the run came from an event (`driftq history` lists it too)."""
    return f"{new_run_id()}-event"


@dataclass
class EventRun:
    """The targeted scans' own results and the run they were finalized as."""

    results: list[UnitResult]
    finalized: Finalized

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]


def run_targets(
    config: Config,
    targets: list[Target],
    out_dir: str | Path | None = None,
    *,
    aws: AwsAccess | None = None,
    run_id: str | None = None,
) -> EventRun:
    """Scan every target and finalize the findings as one run (history, notifications)."""
    run_id = run_id or event_run_id()
    started = utc_now()
    scans = [scan_target(config, t, aws, run_id) for t in targets]
    own = [UnitResult(**{**s.result.__dict__, "findings": list(s.result.findings)}) for s in scans]
    results = [_with_history(s, run_id) for s in scans]
    run = RunInfo(run_id, started, utc_now())
    others = _accounts_other_units(run_id, results)
    done = finalize(config, run, results, out_dir or Path("reports") / run_id, counted_also=others)
    return EventRun(own, done)


def _accounts_other_units(run_id: str, results: list[UnitResult]) -> list[Finding]:
    """The latest findings history holds for the other units of the rescanned accounts.

    Thresholds (`monitoring.thresholds`) are per account: counted on the rescanned unit
    alone, an event run would call an account with 30 drifted resources "ok" because its
    one unit holds 2, and record that severity as the account's alert state, so the next
    full run would raise the same breach again as new. Counted with the account's other
    units as their last runs left them, an event run judges the account as a full run
    started now would (the rescanned unit's findings are this run's own)."""
    if os.environ.get(ENV_URL) == HISTORY_OFF:
        return []
    accounts = {r.unit.account for r in results}
    # a unit whose rescan failed counts as history last saw it
    units = {(r.unit.account, r.unit.region, r.unit.service) for r in results if r.status == "ok"}
    try:
        data = History().latest_findings(run_id, accounts, units)
    except Exception as exc:  # fenced like finalize's history: the unit alone still counts
        log.warning("history: cannot read the accounts' findings: %s", type(exc).__name__)
        return []
    return [Finding.from_json(d) for d in data]


def _with_history(scan: TargetScan, run_id: str) -> UnitResult:
    """The unit's result as a full scan would record it: the previous findings of the
    unit's other resources, carried over from history, plus this scan's."""
    result = scan.result
    if result.status != "ok":
        return result
    if os.environ.get(ENV_URL) == HISTORY_OFF:
        return result
    try:
        history = History()
        unit = (result.unit.account, result.unit.region, result.unit.service)
        baseline = history.baseline(run_id, [unit])
    except Exception as exc:  # history is fenced like in finalize: the scan still counts
        log.warning("history: cannot read the unit's previous findings: %s", type(exc).__name__)
        return result
    rescanned = {finding_key(f.to_json()) for f in result.findings}
    carried = []
    for key, entry in baseline.findings.items():
        data = entry["data"]
        if key in rescanned or not _outside(scan, data):
            continue
        carried.append(Finding.from_json(data))
    result.findings = [*carried, *result.findings]
    return result


def _outside(scan: TargetScan, data: dict[str, Any]) -> bool:
    """Whether a previous finding lies outside what this scan rescanned."""
    rtype, rid = data["resource_type"], data["resource_id"]
    ids = scan.target.focus.get(rtype, frozenset())
    if rtype not in scan.target.focus:
        return True
    if ids is None or (rtype, rid) in scan.covered:
        return False
    return not any(names(rtype, rid, i) for i in ids)
