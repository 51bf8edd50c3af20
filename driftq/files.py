"""Reading input files a user names (configs, reports): bounded, and never stuck on a FIFO."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Unreadable(Exception):
    """Why a file cannot be read, in words for the user (the caller names the file)."""


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``; a larger file is refused, not read.

    A FIFO or a process substitution (`-c <(...)`) is read like a file, but a FIFO nobody
    writes to reads as empty instead of blocking forever (opened non-blocking, then read
    blocking: with no writer, a read is end-of-file at once).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise Unreadable("not found") from exc
    except IsADirectoryError as exc:
        raise Unreadable("is a directory, not a file") from exc
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise Unreadable("is a directory, not a file")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise Unreadable(f"larger than {limit // 2**20} MB")
            chunks.append(chunk)
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from exc
    finally:
        os.close(fd)


def decode_utf8(data: bytes) -> str:
    """``data`` as text; a byte-order mark of UTF-8 is dropped, other encodings refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable("is UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
