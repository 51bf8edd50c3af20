"""What the history migrations cost a process on first use (SQLite).

.venv/bin/python -m benchmarks.history_migration

Prints, each in a fresh interpreter: the imports, the time to migrate an empty database to
the head revision, to adopt and upgrade a database made before migrations existed
(tests/fixtures/history), and to open a database already at the head (what every later
process pays).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEGACY = REPO / "tests" / "fixtures" / "history" / "created-by-create_all.sqlite"
_OPEN = """
import sys, time
t = time.perf_counter()
import driftq.history_migrations
from driftq.history_schema import engine_for
imported = time.perf_counter()
engine_for(sys.argv[1])
print(imported - t, time.perf_counter() - imported)
"""


def _open(url: str) -> tuple[float, float]:
    """(seconds importing SQLAlchemy and alembic, seconds opening and migrating)"""
    out = subprocess.run(
        [sys.executable, "-c", _OPEN, url], cwd=REPO, check=True, capture_output=True, text=True
    )
    imports, opened = out.stdout.split()
    return float(imports), float(opened)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh, legacy = Path(tmp) / "fresh.db", Path(tmp) / "legacy.db"
        shutil.copy(LEGACY, legacy)
        started = time.perf_counter()
        new_s = _open(f"sqlite:///{fresh}")
        upgrade_s = _open(f"sqlite:///{legacy}")
        head_s = min(_open(f"sqlite:///{fresh}") for _ in range(3))
        total = time.perf_counter() - started
    print(f"importing SQLAlchemy + alembic:    {head_s[0] * 1000:7.0f} ms (every process)")
    print(f"empty database -> head:            {new_s[1] * 1000:7.0f} ms")
    print(f"pre-migration database -> head:    {upgrade_s[1] * 1000:7.0f} ms")
    print(f"database already at head (check):  {head_s[1] * 1000:7.0f} ms")
    print(f"(5 interpreters in {total:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
