"""The run report: JSON per the contract, an HTML page, import blocks."""

from driftq.report.build import RunInfo, build_report
from driftq.report.write import write_outputs

__all__ = ["RunInfo", "build_report", "write_outputs"]
