"""The engine: ``scan_unit(unit) -> UnitResult`` and ``finalize(results) -> report``.

Both are functions of JSON-plain values plus the config, so the in-process runner
(local.py) and the Celery workers call exactly the same code. The engine never imports
Celery.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable

from driftq.aws import AwsAccess, Identity, translate_client_error
from driftq.aws.errors import THROTTLING
from driftq.config_models import Account, Config
from driftq.diff import DiffScope, diff
from driftq.errors import DriftqError, StateError
from driftq.exclusions import apply_exclusions
from driftq.model import GLOBAL, LiveResource, StateResource, Unit, UnitResult
from driftq.passes import run_passes
from driftq.plan import Selection, selected_types
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resources
from driftq.resources.owners import OWNER_TYPES, with_owner_specs
from driftq.resources.spec import ResourceSpec
from driftq.state import StateIndex, read_states

# a unit whose calls stay throttled through botocore's retries is scanned again, this many
# times in all, after 2 s, 4 s, ...
_TRANSIENT_STATE_ERRORS = THROTTLING | {
    "RequestTimeout",
    "InternalError",
    "ServiceUnavailable",
    "ReadTimeout",
    "EndpointConnectionError",
    "ConnectTimeout",
}
THROTTLED_UNIT_ATTEMPTS = 4
THROTTLED_UNIT_BACKOFF_S = 2.0


class Engine:
    """Scans units of one config; states are read once per account and shared by threads.

    ``max_indexes`` bounds how many accounts' parsed states stay in memory (least recently
    used first out; None: all, for the in-process runner that preloads every account). A
    worker process sees the units of hundreds of accounts, mostly one account's units in a
    row: it keeps a few, and an evicted account that comes back is read again (an S3 state
    whose ETag did not change is not downloaded again, see driftq.state.sources)."""

    def __init__(
        self,
        config: Config,
        selection: Selection | None = None,
        aws: AwsAccess | None = None,
        run_id: str | None = None,
        max_indexes: int | None = None,
    ) -> None:
        self.config = config
        self.selection = selection or Selection()
        self.aws = aws or AwsAccess(
            max_pool_connections=max(10, config.defaults.parallel_workers),
            run_id=run_id,
            source_identity=config.defaults.source_identity,
        )
        self.max_indexes = max_indexes
        self.state_reads = 0  # accounts whose states were read and parsed by this engine
        self._indexes: OrderedDict[str, StateIndex] = OrderedDict()
        # an account whose states cannot be read: each of its units fails with this error
        # (the run is partial), read once, never the end of the other accounts' run
        self._unreadable: dict[str, StateError] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def state_index(self, account_name: str) -> StateIndex:
        """The account's state resources; raises StateError when a state can't be read."""
        with self._guard:
            index = self._indexes.get(account_name)
            if index is not None:
                self._indexes.move_to_end(account_name)
                return index
            # one lock per account, so two threads never parse the same states; bounded by
            # the config's accounts
            lock = self._locks.setdefault(account_name, threading.Lock())
        with lock:
            if account_name in self._unreadable:
                raise self._unreadable[account_name]
            with self._guard:
                index = self._indexes.get(account_name)
            if index is None:
                account = self.config.account(account_name)
                try:
                    index = StateIndex.from_documents(read_states(account, self.aws))
                except StateError as exc:
                    # a refusal or a broken state stays so for the run; a throttled or
                    # timed-out read may pass for the account's next unit
                    if exc.code not in _TRANSIENT_STATE_ERRORS:
                        self._unreadable[account_name] = exc
                    raise
                index.adopt_parent_regions(REGISTRY)
                with self._guard:
                    self.state_reads += 1
                    self._indexes[account_name] = index
                    while self.max_indexes and len(self._indexes) > self.max_indexes:
                        self._indexes.popitem(last=False)
            return index

    def cached_indexes(self) -> int:
        with self._guard:
            return len(self._indexes)

    def preload_states(self, accounts: Iterable[str]) -> None:
        """Read every account's states up front; one that cannot be read is left to fail
        its own units."""
        for name in accounts:
            try:
                self.state_index(name)
            except StateError:
                continue

    def scan_unit(self, unit: Unit) -> UnitResult:
        started = time.monotonic()
        for attempt in range(THROTTLED_UNIT_ATTEMPTS):
            try:
                result = self._scan(unit)
            except Exception as exc:
                error = _as_scan_error(exc)
                result = UnitResult(unit, "error", error_code=error[0], error_message=error[1])
            if result.error_code != "Throttled" or attempt == THROTTLED_UNIT_ATTEMPTS - 1:
                break
            # a call still throttled after botocore's retries (a throttling storm, the
            # account's own workloads eating the budget): the whole unit again, later
            time.sleep(THROTTLED_UNIT_BACKOFF_S * 2**attempt)
        result.duration_s = time.monotonic() - started
        return result

    def _scan(self, unit: Unit) -> UnitResult:
        account = self.config.account(unit.account)
        types = selected_types(self.config, self.selection, unit.service)
        specs = [self.spec(t) for t in types]
        # an account whose states cannot be read fails here, before any AWS call
        index = self.state_index(account.name)
        ctx = self.context(account, unit, index)
        live: list[LiveResource] = []
        for spec in specs:
            try:
                live.extend(live_resources(spec, ctx))
            except DriftqError:
                raise
            except Exception as exc:
                raise translate_client_error(exc) from exc
        if unit.region != GLOBAL:
            state_regions: set[str] | None = {unit.region}
        elif unit.service == "s3":
            state_regions = set(self._unit_regions(account))
        else:
            state_regions = None
        # parents (a child's role or bucket) and children (a queue's policy) in state take
        # part in the passes even when the selection leaves them out, so a narrowed run
        # judges each resource as a full scan would; so do resources owning a selected
        # type exclusively (an aws_iam_policy_attachment owns its role attachments)
        related = {s.parent for s in specs if s.parent} | {
            t
            for t, s in REGISTRY.items()
            if s.parent in types or set(s.exclusive_over) & set(types)
        }
        # a parent adopted under its `aws_default_*` type (a VPC's main route table) is one
        related |= {t for t, s in REGISTRY.items() if s.adopts in related}
        # owners (an Auto Scaling group, a CloudFormation stack) in any state decide whether
        # what they made is managed (passes/owners.py)
        related |= set(OWNER_TYPES)
        state = index.select([*types, *sorted(related - set(types))], state_regions)
        specs_and_owners = with_owner_specs(REGISTRY, unit.service)
        state, live = run_passes(state, live, specs_and_owners)
        state = [r for r in state if r.type in types]
        state, live = self.narrow(state, live)
        scope = DiffScope(unit, account.account_id, ctx.region)
        findings, excluded = apply_exclusions(
            diff(scope, specs_and_owners, state, live), self.config.exclusions
        )
        return UnitResult(unit, "ok", findings=findings, managed=len(state), excluded=excluded)

    def spec(self, rtype: str) -> ResourceSpec:
        """The spec a unit enumerates ``rtype`` with; a targeted scan narrows its listing."""
        return REGISTRY[rtype]

    def narrow(
        self, state: list[StateResource], live: list[LiveResource]
    ) -> tuple[list[StateResource], list[LiveResource]]:
        """What the diff compares, after the passes; a targeted scan keeps one resource."""
        return state, live

    def _unit_regions(self, account: Account) -> list[str]:
        wanted = self.selection.regions
        return [r for r in account.regions if not wanted or r in wanted]

    def context(self, account: Account, unit: Unit, state: StateIndex | None = None) -> ScanContext:
        identity = Identity(account.role_arn, account.external_id)

        def factory(service: str, region: str | None = None) -> object:
            return self.aws.client(identity, service, region or account.regions[0])

        regions = tuple(self._unit_regions(account)) if unit.region == GLOBAL else (unit.region,)
        return ScanContext(unit, account.account_id, regions, factory, state=state)


def _as_scan_error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, StateError):
        return exc.code, str(exc)
    error = translate_client_error(exc)
    return error.code, error.message
