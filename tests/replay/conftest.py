"""The replay's own emulator: the session's loads AWS's ~1,000 managed IAM policies into
every fresh account on its first request (2 to 4 s each on a busy machine), which tests
attaching AWS managed policies need; no replayed state refers to one (the replay checks),
and the replay makes a fresh account per lane."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import _AWS_ENV
from tests.support.moto import start_moto


@pytest.fixture(scope="session")
def lean_moto() -> Iterator[str]:
    server = start_moto({"MOTO_IAM_LOAD_MANAGED_POLICIES": "false"})
    yield server.url
    server.stop()


@pytest.fixture
def replay_aws(lean_moto: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The AWS settings pointed at the replay's emulator for one test."""
    for name in (*_AWS_ENV, "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", lean_moto)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return lean_moto
