"""Where outputs go: checked before a run starts, written so that nothing else is destroyed.

- ``check_output_dir`` / ``check_output_file`` run before the scan: a `-o` that is a file,
  a parent that is a file, or a folder nobody may write into is a one-line error now, not
  an internal error after an hour of scanning, notifications and history.
- ``atomic_write`` replaces only regular files: it writes a temporary file beside the
  target and renames it over. Anything else at the path is never renamed over: a FIFO or a
  device (`--save-report /dev/stdout`) is written directly; a symlink is followed to its
  target; a directory is refused. A failed write leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from driftq.errors import ReportError


def check_output_dir(path: Path) -> None:
    """``path`` is, or can be created as, a directory we may write into."""
    existing = _nearest_existing(path)
    if existing == path:
        if not existing.is_dir():
            raise ReportError(f"{path}: exists and is not a directory")
        _probe(existing, path)
        return
    if not existing.is_dir():
        raise ReportError(f"{path}: cannot create it: {existing} is a file, not a directory")
    _probe(existing, path)


def check_output_file(path: Path) -> None:
    """``path`` can be written as a file: a new or regular file in a writable directory,
    or a FIFO or device (written directly)."""
    target, mode = _target(path)
    if mode is None:
        check_output_dir(target.parent)
        return
    if stat.S_ISDIR(mode):
        raise ReportError(f"{path}: is a directory; name a file")
    if stat.S_ISREG(mode):
        check_output_dir(target.parent)
    elif not os.access(target, os.W_OK):
        raise ReportError(f"{path}: not writable")


def atomic_write(path: Path, text: str | Iterable[str]) -> None:
    """Readers (a web server, `submit --wait`) never see half a file. ``text`` may come in
    chunks, so that large reports are streamed to disk instead of built in memory."""
    target, mode = _target(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise ReportError(f"{path}: is a directory; name a file")
    if mode is not None and not stat.S_ISREG(mode):
        _write_directly(target, text)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"{target.parent}: cannot create the directory: {_why(exc)}") from exc
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        # O_EXCL: never write through something another process put at the temporary name
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            _write(out, text)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ReportError(f"{path}: cannot write: {_why(exc)}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_directly(target: Path, text: str | Iterable[str]) -> None:
    try:
        # non-blocking open: a FIFO that nobody reads is an error now, not a hang
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        why = "nothing reads from it" if exc.errno == errno.ENXIO else _why(exc)
        raise ReportError(f"{target}: cannot write: {why}") from exc
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            _write(out, text)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write: {_why(exc)}") from exc


def _write(out: object, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        out.write(text)  # type: ignore[attr-defined]
    else:
        out.writelines(text)  # type: ignore[attr-defined]


def _target(path: Path) -> tuple[Path, int | None]:
    """Where to write for ``path`` and what is there (its mode, None: nothing yet).

    Symlinks are followed: to a regular file, the file itself is replaced (the temporary
    file goes beside it, not beside the link); to anything else (`/dev/stdout` is a symlink
    to a pipe or a terminal), ``path`` is opened as it is.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a symlink loop, a parent that is a file, no permission
        raise ReportError(f"{path}: cannot write: {_why(exc)}") from exc
    if path.is_symlink() and (mode is None or stat.S_ISREG(mode)):
        return Path(os.path.realpath(path)), mode
    return path, mode


def _nearest_existing(path: Path) -> Path:
    current = path.absolute()
    while not os.path.lexists(current) and current != current.parent:
        current = current.parent
    return Path(current) if current != path.absolute() else path


def _probe(existing: Path, wanted: Path) -> None:
    """Create (and remove) a scratch directory: the only test of writability that tells the
    truth for root, read-only mounts and /proc alike."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".driftq-probe-", dir=existing))
    except OSError as exc:
        raise ReportError(f"{wanted}: cannot write into {existing}: {_why(exc)}") from exc


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
