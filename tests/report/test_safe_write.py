"""Outputs: checked before the scan; written without ever replacing what is not our file."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from driftq.cli import main
from driftq.errors import ReportError
from driftq.report.safe_write import atomic_write, check_output_dir, check_output_file
from driftq.report.write import save_report_path

CONFIG = """accounts:
  - name: main
    account_id: "123456789012"
    regions: [us-east-1]
    state_backend: {type: local, path: never-read.tfstate}
"""


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["-o", "afile"], "afile: exists and is not a directory"),
        (["-o", "afile/sub"], "is a file, not a directory"),
        (["-o", "/proc/driftq-out"], "cannot write into /proc"),
        (["--save-report", "afile/r.json"], "afile/r.json: cannot write"),
        (["--save-report", "sr/{account}/r.json", "--account", ".."], "not a plain file name"),
        (["--save-report", "."], None),  # a directory: gets the guide's file name, fine
    ],
)
def test_scan_outputs_are_checked_before_anything_is_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    says: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("mine")
    Path("c.yaml").write_text(CONFIG)
    code = main(["scan", "-c", "c.yaml", "-q", *argv])
    if says:
        line = one_error_line(capsys)
        assert code == 2
        assert says in line, line
    else:
        # the output is fine, so the scan ran: the missing state fails the account's units
        # (a partial run), and the saved report says why
        assert code == 1
        saved = [p.read_text() for p in tmp_path.glob("*.json")]
        assert any("never-read.tfstate" in text for text in saved), saved
    assert Path("afile").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_consolidate_checks_its_output_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.json").write_text("{")
    code = main(
        [
            "report",
            "consolidate",
            "--input-dir",
            str(tmp_path / "in"),
            "--output",
            str(tmp_path / "in"),
        ]
    )
    assert code == 2
    assert one_error_line(capsys).endswith("in: is a directory; name a file")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def test_a_fifo_is_written_through_and_stays_a_fifo(fifo: Path) -> None:
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    # the writer's non-blocking open needs the reader to have opened its end
    for _ in range(200):
        try:
            atomic_write(fifo, iter(["{", '"a": 1', "}"]))
            break
        except ReportError as exc:
            assert "nothing reads from it" in str(exc)
            threading.Event().wait(0.01)
    reader.join(timeout=10)
    assert got == ['{"a": 1}'] and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_nobody_reads_is_an_error_not_a_hang(fifo: Path) -> None:
    check_output_file(fifo)  # a FIFO is a fine target...
    with pytest.raises(ReportError, match="nothing reads from it"):
        atomic_write(fifo, "x")  # ...when something reads it
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    device = tmp_path / "null"  # a private /dev/null: never the machine's own
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    atomic_write(device, "report")
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_symlink_is_followed_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "link.json").symlink_to("real/target.json")
    atomic_write(tmp_path / "link.json", "new")
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real" / "target.json").read_text() == "new"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="is a directory"):
        atomic_write(tmp_path, "x")
    with pytest.raises(ReportError, match="is a directory"):
        check_output_file(tmp_path)


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous")

    def chunks() -> Iterator[str]:
        yield "half"
        raise RuntimeError("renderer broke")

    with pytest.raises(RuntimeError):
        atomic_write(target, chunks())
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_output_dir_checks(tmp_path: Path) -> None:
    check_output_dir(tmp_path / "new" / "deeper")
    assert not (tmp_path / "new").exists()  # checked, not created
    (tmp_path / "f").write_text("x")
    with pytest.raises(ReportError, match="is a file, not a directory"):
        check_output_dir(tmp_path / "f" / "sub")


@pytest.mark.parametrize("value", ["..", ".", "a/b", "", "-x", "a\x1b[31m"])
def test_save_report_fills_in_plain_names_only(value: str) -> None:
    with pytest.raises(ReportError, match="not a plain file name"):
        save_report_path("sr/{account}/r.json", {"accounts": [value]}, "r1", "2026-01-01")
    assert save_report_path("sr/{account}/r.json", {"accounts": ["prod"]}, "r1", "d") == Path(
        "sr/prod/r.json"
    )


def test_dev_stdout_is_written_through_to_a_pipe() -> None:
    """`--save-report /dev/stdout` in a pipeline: the report goes down the pipe and
    /dev/stdout stays what it was (once, as root, it was replaced by a regular file)."""
    import subprocess
    import sys

    before = os.readlink("/dev/stdout")
    code = (
        "from pathlib import Path; from driftq.report.safe_write import "
        "atomic_write, check_output_file; p = Path('/dev/stdout'); check_output_file(p); "
        "atomic_write(p, iter(['{', '}']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (run.returncode, run.stdout) == (0, "{}"), run.stderr
    assert os.readlink("/dev/stdout") == before
