"""Progress on stderr: a redrawn bar on a terminal, plain lines otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from driftq.text import display


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, label: str = "scanning") -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream or sys.stderr
        self.label = label
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._last_line = 0.0

    def advance(self, name: str, ok: bool, detail: str = "") -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if self.tty:
            self._bar()
        else:
            status = "ok" if ok else "FAILED"
            extra = f" {detail}" if detail else ""
            line = display(f"[{self.done}/{self.total}] {name} {status}{extra}")
            print(line, file=self.stream, flush=True)

    def set(self, done: int, failed: int) -> None:
        """For runs followed from outside (the cluster): absolute counts."""
        changed = (done, failed) != (self.done, self.failed)
        self.done, self.failed = done, failed
        if self.tty:
            self._bar()
        elif changed or time.monotonic() - self._last_line > 30:
            self._last_line = time.monotonic()
            print(
                f"[{done}/{self.total}] {self.label}: {failed} failed", file=self.stream, flush=True
            )

    def _bar(self) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        elapsed = time.monotonic() - self.started
        line = (
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done}/{self.total} units, {self.failed} failed, {elapsed:.0f}s"
        )
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
