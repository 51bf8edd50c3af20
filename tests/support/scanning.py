"""Scan one unit of a one-account config in a test, and read findings back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Finding, Unit, UnitResult
from tests.conftest import single_account_config
from tests.support.estate import StateFile


def scan_ok(
    account: Any, tmp_path: Path, state: StateFile, unit: Unit, regions: list[str] | None = None
) -> UnitResult:
    """``state`` written to a file, ``unit`` scanned with the engine; the unit must succeed."""
    config = single_account_config(account, state.write(tmp_path / "terraform.tfstate"), regions)
    result = Engine(config).scan_unit(unit)
    assert result.status == "ok", result.error_message
    return result


def changes(finding: Finding) -> dict[str, tuple[Any, Any]]:
    """A drifted finding's changes as {attribute: (expected, actual)}."""
    return {c.attribute: (c.expected, c.actual) for c in finding.changes}
