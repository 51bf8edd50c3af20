"""A drifted account and the guide's footprint in moto, and a config that scans one into the
other."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.outputs.footprint import Footprint
from tests.support.estate import new_account_id, unique
from tests.support.moto import MotoServer
from tests.workers.estate import EstateAccount, drifted_account


@pytest.fixture(scope="session")
def management_account(moto_server: MotoServer) -> str:
    """One management account for the session (a new account costs moto seconds); each test
    gets its own bucket, table, namespace and topic in it."""
    return new_account_id()


@pytest.fixture
def footprint(aws: MotoServer, management_account: str) -> Footprint:
    return Footprint(aws.url, account_id=management_account).create()


@pytest.fixture
def target(aws: MotoServer, tmp_path: Path) -> EstateAccount:
    """Unmanaged VPC, queue and role; one VPC drifted (its Name tag), one gone."""
    return drifted_account(unique("acct"), aws.url, tmp_path, ["us-east-1"])
