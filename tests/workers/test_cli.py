"""`submit --wait` writes the report files it gets from Redis, and nowhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from driftq.errors import RunError
from workers.cli import write_files
from workers.store import pack_file


def packed(tmp_path: Path, text: str) -> str:
    source = tmp_path / "source"
    source.write_text(text)
    return pack_file(source)


def test_report_files_land_under_the_output_dir(tmp_path: Path) -> None:
    files = {
        "report.json": packed(tmp_path, "{}"),
        "report.html": packed(tmp_path, "<html>"),
        "imports/prod.tf": packed(tmp_path, "import {}"),
        "imports/README.md": packed(tmp_path, "# Import blocks"),
    }
    written = write_files(files, tmp_path / "out")
    assert (tmp_path / "out" / "imports" / "prod.tf").read_text() == "import {}"
    assert written == {
        "json": tmp_path / "out" / "report.json",
        "html": tmp_path / "out" / "report.html",
        "imports:prod": tmp_path / "out" / "imports" / "prod.tf",
    }
    assert (tmp_path / "out" / "imports" / "README.md").exists()


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "imports/../../x"])
def test_paths_outside_the_output_dir_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(RunError, match="refusing"):
        write_files({"report.json": packed(tmp_path, "{}"), name: "x"}, tmp_path / "out")


def test_a_missing_report_is_a_run_error(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="not in Redis"):
        write_files({}, tmp_path)
