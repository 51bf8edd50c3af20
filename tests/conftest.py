"""Session fixtures: one real moto server per test process, AWS settings pointed at it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from driftq.config import parse_config
from driftq.config_models import Config
from tests.support.estate import account_session, new_account_id
from tests.support.moto import MotoServer, start_moto

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _private_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs finalized by any test record history in this process's own SQLite file, never in
    the user's (tests that look at history set DRIFTQ_DATABASE_URL themselves)."""
    saved = os.environ.get("DRIFTQ_DATABASE_URL")
    path = tmp_path_factory.mktemp("history") / "history.db"
    os.environ["DRIFTQ_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    if saved is None:
        os.environ.pop("DRIFTQ_DATABASE_URL", None)
    else:
        os.environ["DRIFTQ_DATABASE_URL"] = saved


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = start_moto()
    saved = {k: os.environ.get(k) for k in _AWS_ENV}
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": server.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ):
        os.environ.pop(name, None)
    yield server
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


_AWS_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
)


@pytest.fixture
def aws(moto_server: MotoServer) -> MotoServer:
    """Use in any test that talks to AWS: the moto server is up and the env points at it."""
    return moto_server


@pytest.fixture
def account(aws: MotoServer) -> Any:
    """A fresh, empty AWS account (id, boto3 session inside it)."""
    account_id = new_account_id()
    return _Account(account_id, account_session(account_id))


class _Account:
    def __init__(self, account_id: str, session: Any) -> None:
        self.id = account_id
        self.session = session
        self.role_arn = f"arn:aws:iam::{account_id}:role/DriftqScanner"

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.session.client(service, region_name=region)


def single_account_config(
    account: Any, state_path: Path, regions: list[str] | None = None, extra: str = ""
) -> Config:
    """A config scanning one account with one local state file."""
    regions = regions or ["us-east-1"]
    text = f"""
version: "1.0"
accounts:
  - name: test
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: driftq-test-external-id
    regions: [{", ".join(regions)}]
    state_backend: {{type: local, path: "{state_path}", region: {regions[0]}}}
{extra}
"""
    return parse_config(text)
