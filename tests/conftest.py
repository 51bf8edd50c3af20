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

# `pytest -n 2 --dist loadfile` hands out whole files. xdist's default order (most tests
# first) left the long one-test files (a cluster losing a worker, the demo) for the end,
# where one process ran them while the other sat idle. Files are handed out longest first
# instead: these, by their seconds in a full run on a loaded machine (an ordering hint
# only: a stale number costs some minutes of balance, never a result), then the others
# by their number of tests, as before. Refresh from `pytest --durations=0`, summed per file.
LONG_FILES = {
    "tests/workers/test_run_commands.py": 120,
    "tests/workers/test_runs.py": 110,
    "tests/resources/test_types.py": 100,
    "tests/resources/test_types_shard1.py": 100,
    "tests/resources/test_types_shard2.py": 90,
    "tests/workers/test_worker_loss.py": 87,
    "tests/workers/test_submit.py": 80,
    "tests/test_demo.py": 57,
    "tests/outputs/test_scan_outputs.py": 49,
    "tests/engine/test_cli.py": 49,
    "tests/workers/test_outputs_submit.py": 45,
    "tests/outputs/test_failures.py": 44,
    "tests/workers/test_redis_restart.py": 42,
    "tests/engine/test_aws_access.py": 40,
    "tests/engine/test_multi_account.py": 36,
    "tests/workers/test_ratelimit_cluster.py": 31,
    "tests/workers/test_no_secret_anywhere.py": 27,
    "tests/resources/test_ec2_replay.py": 27,
    "tests/resources/test_ec2_instance_attributes.py": 24,
    "tests/events/test_targeted.py": 21,
    "tests/engine/test_state_sources.py": 20,
    "tests/replay/test_replay_half2.py": 19,
    "tests/workers/test_org_accounts.py": 19,
    "tests/workers/test_schedule.py": 18,
}


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):  # xdist: keep the order given below
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files longest first (LONG_FILES), then by number of tests; a file's tests keep their
    order. Every xdist process sorts its collection alike, so all collect the same list."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.nodeid.split("::", 1)[0]] = counts.get(item.nodeid.split("::", 1)[0], 0) + 1

    def key(pair: tuple[int, pytest.Item]) -> tuple[int, int, int]:
        index, item = pair
        path = item.nodeid.split("::", 1)[0]
        return (-LONG_FILES.get(path, 0), -counts[path], index)

    items[:] = [item for _, item in sorted(enumerate(items), key=key)]


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


def emulator(load_aws_managed_policies: bool = False) -> Iterator[MotoServer]:
    """A moto server with the AWS settings pointed at it until the generator is closed.

    AWS's ~1,000 managed IAM policies are loaded into each fresh account on its first
    request (1 to 4 s an account), and only tests that attach one need them: those modules
    override ``moto_server`` with ``load_aws_managed_policies=True``."""
    flag = "true" if load_aws_managed_policies else "false"
    server = start_moto({"MOTO_IAM_LOAD_MANAGED_POLICIES": flag})
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


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    yield from emulator()


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
