"""Task names: explicit strings, so Flower and the logs read the same across refactors."""

SCAN_TASK = "driftq.scan_unit"
FINALIZE_TASK = "driftq.finalize_run"
SCHEDULED_TASK = "driftq.scheduled_run"
WATCHDOG_TASK = "driftq.watchdog"
EVENT_TASK = "driftq.event_scan"
