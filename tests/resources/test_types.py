"""Every supported type through the same checks (see harness.py): clean, deleted, created
outside Terraform, AWS's defaults, and a drift of each compared attribute.

The types are dealt round-robin (by name) to this file and test_types_shard*.py, which
import these checks: `pytest -n 2 --dist loadfile` runs one file on one worker, and the
whole table in one file was the suite's longest file by far. Run all of them for a new
type: `pytest tests/resources/test_types*.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from driftq.engine import Engine
from driftq.model import Finding, LiveResource, StateResource, UnitResult
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource, live_resources
from driftq.state.parse import parse_state
from tests.conftest import single_account_config
from tests.resources.cases import CASES, CaseAccount, new_test_account
from tests.resources.harness import Built, TypeCase, undetected_drifts
from tests.support.estate import StateFile
from tests.support.moto import MotoServer

BY_TYPE = {case.type: case for case in CASES}
SHARDS = 3  # this file and tests/resources/test_types_shard{1,2}.py


def shard_types(index: int) -> list[str]:
    """The types whose checks the ``index``-th file runs: every SHARDS-th, by name."""
    return sorted(BY_TYPE)[index::SHARDS]


def shard_services(index: int) -> list[tuple[str, TypeCase]]:
    """The services whose untouched-account check the ``index``-th file runs."""
    return SERVICES[index::SHARDS]


@dataclass
class Scanned:
    """One case built in its own account, with the clean scan and the parsed pair."""

    case: TypeCase
    account: CaseAccount | None  # None for recorded cases (no moto)
    built: Built
    clean: UnitResult | None
    state: StateResource
    live: LiveResource
    folder: Path


def _scan(account: Any, folder: Path, state: StateFile, case: TypeCase) -> UnitResult:
    path = state.write(folder / f"{len(list(folder.iterdir()))}.tfstate")
    result = Engine(single_account_config(account, path, [case.region])).scan_unit(case.unit)
    assert result.status == "ok", result.error_message
    return result


def _scanned(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[Scanned]:
    case = BY_TYPE[request.param]
    spec = REGISTRY[case.type]
    folder = tmp_path_factory.mktemp(case.type)
    if case.recorded is not None:
        item, built = case.recorded()
        ctx = ScanContext(case.unit, "123456789012", (case.region,), _no_aws)
        live = live_resource(spec, item, ctx)
        assert live is not None, "the recorded answer normalizes to nothing"
        yield Scanned(case, None, built, None, _state_of(built, case), live, folder)
        return
    assert case.build is not None
    request.getfixturevalue("moto_server")
    account = new_test_account()
    built = case.build(account)
    clean = _scan(account, folder, built.state(), case)
    state = _state_of(built, case)
    engine = Engine(single_account_config(account, folder / "0.tfstate", [case.region]))
    # with the state: some settings are read only for resources whose state sets them
    ctx = engine.context(engine.config.account("test"), case.unit, engine.state_index("test"))
    key = spec.identity_of_state(state.attributes)
    live = next(r for r in live_resources(spec, ctx) if r.identity == key)
    yield Scanned(case, account, built, clean, state, live, folder)


def scanned_fixture(index: int) -> Any:
    """The module-scoped ``scanned`` fixture over the ``index``-th shard's types."""
    return pytest.fixture(scope="module", params=shard_types(index), name="scanned")(_scanned)


scanned = scanned_fixture(0)


def _state_of(built: Built, case: TypeCase) -> StateResource:
    """The resource under test as the state parser reads it."""
    subject = built.subject(case.type)
    parsed = parse_state(json.dumps(built.state().document()), "harness", case.region)
    return next(r for r in parsed if r.address == f"{case.type}.{subject.name}")


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("a recorded case calls no AWS: record what the normalizer reads")


def _emulated(scanned: Scanned) -> tuple[CaseAccount, UnitResult]:
    if scanned.account is None or scanned.clean is None:
        pytest.skip("moto cannot emulate this type: its recorded answer is checked purely")
    return scanned.account, scanned.clean


@pytest.fixture(scope="module")
def empty_account(moto_server: MotoServer) -> CaseAccount:
    """An account where no test builds anything: AWS's defaults only."""
    return new_test_account()


def _keys(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.kind, f.resource_type, f.resource_id) for f in findings}


def test_clean_resource_gives_no_finding(scanned: Scanned) -> None:
    _, clean = _emulated(scanned)
    assert _keys(clean.findings) == set()
    assert clean.managed == len(scanned.built.resources)


def test_deleted_resource_is_missing(scanned: Scanned, request: pytest.FixtureRequest) -> None:
    _emulated(scanned)
    empty_account = request.getfixturevalue("empty_account")
    result = _scan(empty_account, scanned.folder, scanned.built.state(), scanned.case)
    kind = scanned.case.deleted_as
    assert (kind, scanned.case.type, scanned.state.id) in _keys(result.findings)


def test_resource_created_outside_terraform_is_unmanaged(scanned: Scanned) -> None:
    case = scanned.case
    account, _ = _emulated(scanned)
    subject = scanned.built.subject(case.type)
    result = _scan(account, scanned.folder, scanned.built.state(without=subject), case)
    found = {(f.kind, f.resource_type, f.resource_id) for f in result.findings}
    if case.aws_default_only:
        assert found == set()
    elif case.unmanaged_as is None:
        assert found == {("unmanaged", case.type, scanned.built.import_id)}
    else:
        assert {(kind, rtype) for kind, rtype, _ in found} == {case.unmanaged_as}, case.note


def test_each_compared_attribute_drifts_at_its_path(scanned: Scanned) -> None:
    """Pure: the clean pair from the scan, one state attribute changed at a time."""
    spec = REGISTRY[scanned.case.type]
    case = scanned.case
    assert (
        undetected_drifts(spec, scanned.state, scanned.live, case.mutations, case.not_answered)
        == []
    )


SERVICES = sorted(
    {REGISTRY[case.type].service: case for case in CASES if case.build is not None}.items()
)


def untouched_account_check(index: int) -> Any:
    """`test_untouched_account_is_silent` over the ``index``-th shard's services."""
    services = shard_services(index)

    @pytest.mark.parametrize(("service", "case"), services, ids=[s for s, _ in services])
    def test_untouched_account_is_silent(
        service: str, case: TypeCase, empty_account: CaseAccount, tmp_path: Path
    ) -> None:
        """AWS's own resources (default VPC, subnets and security group, AWS-managed keys
        and policies, ...) are never unmanaged."""
        assert _scan(empty_account, tmp_path, StateFile(), case).findings == []

    return test_untouched_account_is_silent


test_untouched_account_is_silent = untouched_account_check(0)
