from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.recorder import Recorder, recording_server


@pytest.fixture
def hooks() -> Iterator[Recorder]:
    with recording_server() as recorder:
        yield recorder


@pytest.fixture
def history_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's own history, so that alert memory starts empty."""
    url = f"sqlite:///{tmp_path / 'history.db'}"
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", url)
    return url
