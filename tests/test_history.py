"""Run history on SQLite and on a real PostgreSQL server: runs and findings stored, schema
made on first use, `first_seen`, new/resolved since the previous run, `driftq history`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from glob import glob
from pathlib import Path

import pytest

from driftq.cli import main
from driftq.finalize import finalize
from driftq.history import History
from tests.support import reports as est
from tests.support.moto import free_port


def _throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster of our own in a temp dir (initdb + pg_ctl), stopped afterwards."""
    bins = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.skip("no DRIFTQ_TEST_POSTGRES_URL and no PostgreSQL binaries to start one")
    bindir = Path(bins[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="driftq-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without `runuser` to start PostgreSQL as postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
             "--no-sync"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
             "-o", f"-F -p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, KeyError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {exc}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    url = os.environ.get("DRIFTQ_TEST_POSTGRES_URL")
    if url:
        yield url
    else:
        yield from _throwaway_postgres()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh, empty history for each test: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sub' / 'history.db'}"  # the folder does not exist yet
        monkeypatch.setenv("DRIFTQ_DATABASE_URL", url)
        yield url
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    schema = f"driftq_test_{uuid.uuid4().hex[:10]}"
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in server else "?"
    url = f"{server}{sep}options=-csearch_path%3D{schema}"
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", url)
    yield url
    History(url).engine.dispose()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_first_run_creates_the_schema_and_has_no_previous(db_url: str, tmp_path: Path) -> None:
    done = finalize(est.config(), est.run_info("run-1"), est.results(), tmp_path / "1")
    assert done.report["history"]["status"] == "recorded"
    assert done.report["changes_since_previous"] is None
    assert {f["first_seen"] for f in done.report["findings"]} == {"2025-03-01T12:00:00Z"}
    (run,) = History(db_url).runs()
    assert run["run_id"] == "run-1"
    assert (run["drifted"], run["missing"], run["unmanaged"], run["units"]) == (2, 1, 1, 9)
    assert run["severity"] == "critical"
    assert run["report_path"] == str((tmp_path / "1" / "report.html").resolve())


def test_new_and_resolved_since_the_previous_run_and_first_seen(
    db_url: str, tmp_path: Path
) -> None:
    finalize(est.config(), est.run_info("run-1"), est.results(), tmp_path / "1")
    staging = [est.unmanaged_vpc(), est.unmanaged_vpc(vpc_id="vpc-0new")]  # role came back
    done = finalize(
        est.config(), est.run_info("run-2", 30), est.results(staging=staging), tmp_path / "2"
    )
    changes = done.report["changes_since_previous"]
    assert changes["previous_run_ids"] == ["run-1"]
    assert [f["resource_id"] for f in changes["new"]] == ["vpc-0new"]
    assert [(f["kind"], f["resource_id"]) for f in changes["resolved"]] == [("missing", "deployer")]
    seen = {f["resource_id"]: f["first_seen"] for f in done.report["findings"]}
    assert seen["vpc-0f00"] == "2025-03-01T12:00:00Z"  # kept from run-1
    assert seen["vpc-0new"] == "2025-03-01T12:30:00Z"
    html = (tmp_path / "2" / "report.html").read_text()
    assert "1 new, 1 resolved" in html


def test_a_failed_unit_or_a_narrower_run_resolves_nothing(db_url: str, tmp_path: Path) -> None:
    finalize(est.config(), est.run_info("run-1"), est.results(), tmp_path / "1")
    # staging's eu-west-1 ec2 unit fails: its VPC is not "resolved"
    failed = finalize(
        est.config(),
        est.run_info("run-2", 30),
        est.results(fail_staging_ec2=True),
        tmp_path / "2",
    )
    assert failed.report["changes_since_previous"]["resolved"] == []
    # a run of production only says nothing about staging
    only_prod = [r for r in est.results() if r.unit.account == "production"]
    narrow = finalize(est.config(), est.run_info("run-3", 60), only_prod, tmp_path / "3")
    assert narrow.report["changes_since_previous"] == {
        "previous_run_ids": ["run-2"],
        "new": [],
        "resolved": [],
    }
    # staging's VPC, scanned again, is still as old as run-1
    again = finalize(est.config(), est.run_info("run-4", 90), est.results(), tmp_path / "4")
    vpc = next(f for f in again.report["findings"] if f["resource_id"] == "vpc-0f00")
    assert vpc["first_seen"] == "2025-03-01T12:00:00Z"
    assert again.report["changes_since_previous"]["new"] == []


def test_finalizing_the_same_run_twice_is_idempotent(db_url: str, tmp_path: Path) -> None:
    finalize(est.config(), est.run_info("run-1"), est.results(), tmp_path / "1")
    first = finalize(est.config(), est.run_info("run-2", 30), est.results(prod=[]), tmp_path / "2")
    # the Celery callback may run twice for one run: same baseline, same answer, one row
    second = finalize(est.config(), est.run_info("run-2", 30), est.results(prod=[]), tmp_path / "2")
    assert first.report["changes_since_previous"] == second.report["changes_since_previous"]
    assert len(second.report["changes_since_previous"]["resolved"]) == 2
    assert [r["run_id"] for r in History(db_url).runs()] == ["run-2", "run-1"]


def test_history_command_lists_runs_with_counts(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(3):
        prod = [est.drifted_sg()] if i == 2 else None
        finalize(
            est.config(),
            est.run_info(f"run-{i}", 30 * i),
            est.results(prod=prod),
            tmp_path / str(i),
        )
    capsys.readouterr()
    assert main(["history", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "run", "started", "status", "severity", "units", "failed", "drifted", "missing",
        "unmanaged", "accounts",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:]] == ["run-2", "run-1"]
    assert lines[1].split()[4:] == ["9", "0", "1", "1", "1", "3"]

    assert main(["history", "--account", "production", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["run_id"], r["drifted"], r["severity"]) for r in rows] == [
        ("run-2", 1, "critical"),
        ("run-1", 2, "critical"),
        ("run-0", 2, "critical"),
    ]
    assert main(["history", "--account", "nobody"]) == 0
    assert "no runs recorded yet for account nobody" in capsys.readouterr().out


def test_an_unusable_database_never_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a port where nothing listens; the password must not leak into the report or output
    url = f"postgresql://driftq:hunter2@127.0.0.1:{free_port()}/driftq?connect_timeout=2"
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", url)
    done = finalize(est.config(), est.run_info(), est.results(), tmp_path)
    assert done.report["history"]["status"] == "failed"
    assert done.report["changes_since_previous"] is None
    assert "hunter2" not in (tmp_path / "report.json").read_text()
    assert main(["history"]) == 2
    err = capsys.readouterr().err
    assert "cannot open the history database" in err and "hunter2" not in err


def test_history_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFTQ_DATABASE_URL", "off")
    done = finalize(est.config(), est.run_info(), est.results(), tmp_path)
    assert done.report["history"] == {"status": "off"}
    assert {f["first_seen"] for f in done.report["findings"]} == {None}


# -- migrations ----------------------------------------------------------------------------
LEGACY = Path(__file__).parent / "fixtures" / "history"


def _make_legacy_database(url: str) -> None:
    """The database as driftq made it before migrations: `create_all`'s tables and two runs
    (the SQLite file was written by that code; PostgreSQL gets its DDL and the same rows)."""
    from sqlalchemy import MetaData, Table, create_engine

    target = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    if target.dialect.name == "sqlite":
        path = Path(target.url.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LEGACY / "created-by-create_all.sqlite", path)
        target.dispose()
        return
    source = create_engine(f"sqlite:///{LEGACY / 'created-by-create_all.sqlite'}")
    ddl = (LEGACY / "created-by-create_all.postgresql.sql").read_text()
    with target.begin() as conn, source.connect() as old:
        for statement in ddl.split(";"):
            if statement.strip() and not statement.strip().startswith("--"):
                conn.exec_driver_sql(statement)
        for name in ("driftq_runs", "driftq_run_accounts", "driftq_findings",
                     "driftq_unit_latest", "driftq_alert_state"):  # fmt: skip
            rows = [dict(r._mapping) for r in old.exec_driver_sql(f"SELECT * FROM {name}")]
            for row in rows:
                row.pop("id", None)  # the SERIAL numbers them, as the old code's inserts did
            if rows:
                conn.execute(Table(name, MetaData(), autoload_with=conn).insert(), rows)
    source.dispose()
    target.dispose()


def _schema_differences(url: str) -> list[str]:
    """What alembic's autogenerate would change to reach history_schema's tables."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from driftq.history_schema import VERSION_TABLE, metadata

    with History(url).engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    return [str(d) for d in diffs if VERSION_TABLE not in str(d)]


def _revision(url: str) -> str | None:
    from driftq.history_migrations import current_revision

    with History(url).engine.connect() as conn:
        return current_revision(conn)


def test_a_new_database_is_migrated_to_the_declared_schema(db_url: str) -> None:
    from driftq.history_migrations import head_revision

    assert _revision(db_url) == head_revision()
    assert _schema_differences(db_url) == []


def test_a_database_made_before_migrations_is_adopted_and_upgraded(
    db_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import inspect

    from driftq.history_migrations import head_revision

    _make_legacy_database(db_url)
    history = History(db_url)
    assert _revision(db_url) == head_revision()
    assert _schema_differences(db_url) == []
    indexes = {ix["name"] for ix in inspect(history.engine).get_indexes("driftq_run_accounts")}
    assert "ix_driftq_run_accounts_account" in indexes  # added by revision 0002
    # the old runs are all there, and the next run compares each unit with its last good
    # scan before the upgrade (run-2 failed staging's ec2 unit: run-1 for that one)
    assert [r["run_id"] for r in history.runs()] == ["run-2", "run-1"]
    done = finalize(est.config(), est.run_info("run-3", 60), est.results(), tmp_path / "3")
    assert done.report["history"]["status"] == "recorded"
    assert done.report["changes_since_previous"]["previous_run_ids"] == ["run-1", "run-2"]
    vpc = next(f for f in done.report["findings"] if f["resource_id"] == "vpc-0f00")
    assert vpc["first_seen"] == "2025-03-01T12:00:00Z"  # kept from run-1, before the upgrade


def test_the_upgrade_fills_each_accounts_last_runs_from_the_old_rows(db_url: str) -> None:
    _make_legacy_database(db_url)
    history = History(db_url)
    latest = {r["account"]: r["run_id"] for r in history.latest_per_account("2000-01-01")}
    assert latest == {"production": "run-2", "staging": "run-2", "dev": "run-2"}
    # run-2 failed one of staging's units: its last success is run-1
    finished = {r["run_id"]: r["finished_at"] for r in history.runs()}
    assert history.last_success_per_account() == {
        "production": finished["run-2"],
        "staging": finished["run-1"],
        "dev": finished["run-2"],
    }


def test_each_accounts_last_run_survives_callbacks_finishing_out_of_order(
    db_url: str, tmp_path: Path
) -> None:
    finalize(est.config(), est.run_info("run-2", 30), est.results(fail_staging_ec2=True),
             tmp_path / "2")  # fmt: skip
    finalize(est.config(), est.run_info("run-1"), est.results(), tmp_path / "1")  # older
    history = History(db_url)
    latest = {r["account"]: (r["run_id"], r["units_failed"]) for r in
              history.latest_per_account("2000-01-01")}  # fmt: skip
    assert latest == {"production": ("run-2", 0), "staging": ("run-2", 1), "dev": ("run-2", 0)}
    success = history.last_success_per_account()
    assert success["staging"] == est.run_info("run-1").finished_at  # the older run's, still
    assert success["production"] == est.run_info("run-2", 30).finished_at
    assert history.latest_per_account("2025-03-01T12:10:00Z")  # run-2 started 12:30
    assert history.latest_per_account("2025-03-01T13:00:00Z") == []


def test_processes_opening_a_new_database_together_migrate_it_once(db_url: str) -> None:
    code = "from driftq.history import History; History()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    from driftq.history_migrations import head_revision

    assert _revision(db_url) == head_revision()
