"""A redis-server of this package's own (a free port, never the machine's Redis)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.workers.cluster import start_redis


@pytest.fixture(scope="session")
def events_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_redis(tmp_path_factory.mktemp("events-redis"))
    yield url
    proc.stop()
