"""The outputs a command will write, checked before it scans (see safe_write)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from driftq.report.safe_write import check_output_dir, check_output_file
from driftq.report.write import save_report_path


def check_outputs(
    out_dir: Path,
    save_report: str | None = None,
    selection: dict[str, Any] | None = None,
    run_id: str = "run",
) -> None:
    """Raise ReportError now for an output folder or `--save-report` target that cannot be
    written, instead of after the scan."""
    check_output_dir(out_dir)
    if save_report:
        today = datetime.now(UTC).date().isoformat()
        check_output_file(save_report_path(save_report, selection or {}, run_id, today))
