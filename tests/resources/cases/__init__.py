"""The per-type test table: every module here declares ``CASES: list[TypeCase]`` (found by
walking the package, like the registry), one case per Terraform type."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any

from tests.resources.harness import TypeCase
from tests.support.estate import account_session, new_account_id


@dataclass
class CaseAccount:
    """A fresh account in the emulator: its id and a boto3 session inside it (the test's
    own, unguarded)."""

    id: str
    session: Any

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.id}:role/DriftqScanner"

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.session.client(service, region_name=region)


def new_test_account() -> CaseAccount:
    account_id = new_account_id()
    return CaseAccount(account_id, account_session(account_id))


def _discover() -> list[TypeCase]:
    found: list[TypeCase] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "CASES", ()))
    return found


CASES: list[TypeCase] = _discover()
