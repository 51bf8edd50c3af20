"""`publish_outputs`: a finished run's results to the configured AWS outputs.

Called by `driftq.finalize` before notifications, so that messages can carry the report's
S3 URL. Order: S3 first (its URL then goes into the DynamoDB items too), CloudWatch,
DynamoDB. Each output is fenced: one that fails (after its retries) is logged and recorded
as a failed outcome, and neither the run nor the other outputs notice.
The SNS output is a notification channel: `driftq.notify.sns`.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from driftq.config_models import Config
from driftq.model import UnitResult
from driftq.outputs import cloudwatch, dynamodb, s3
from driftq.outputs.clients import WriteClients
from driftq.outputs.retry import Retry
from driftq.outputs.settings import render_prefix
from driftq.outputs.slices import account_reports
from driftq.remediation import ImportBlock, import_file_text
from driftq.report.write import atomic_write, report_json_chunks, write_outputs

log = logging.getLogger(__name__)
Outcome = dict[str, Any]


def publish_outputs(
    config: Config,
    report: dict[str, Any],
    results: Iterable[UnitResult],
    imports: dict[str, list[ImportBlock]],
    location: str,
) -> tuple[list[Outcome], str]:
    """(an outcome per enabled output, where messages should send people to read the
    report: the S3 page when it was uploaded and `notifications.report_url` is unset)."""
    active = config.outputs.active()
    if not active:
        return [], location
    clients = WriteClients.for_outputs(
        config.outputs, report["run_id"], config.defaults.source_identity
    )
    retry = Retry(config.outputs.attempts, config.outputs.backoff)
    outcomes: list[Outcome] = []
    if "s3" in active:
        excluded: Counter[str] = Counter()
        for r in results:
            excluded[r.unit.account] += r.excluded
        uploaded = _fenced("s3", lambda: _upload(clients, retry, config, report, imports, excluded))
        outcomes.append(uploaded)
        if (
            uploaded["status"] == "ok"
            and uploaded.get("url")
            and not config.notifications.report_url
        ):
            location = uploaded["url"]
    if "cloudwatch" in active:
        cw = active["cloudwatch"]
        outcomes.append(
            _fenced("cloudwatch", lambda: cloudwatch.put_metrics(clients, retry, cw, report))
        )
    if "dynamodb" in active:
        table = active["dynamodb"]
        outcomes.append(
            _fenced(
                "dynamodb", lambda: dynamodb.write_items(clients, retry, table, report, location)
            )
        )
    return outcomes, location


def _fenced(name: str, work: Callable[[], Outcome]) -> Outcome:
    started = time.monotonic()
    try:
        outcome = work()
    except Exception as exc:  # a bug or odd input in one output must not stop the others
        log.exception("outputs: %s failed", name)
        outcome = {
            "output": name,
            "status": "failed",
            "attempts": 1,
            "error": f"{type(exc).__name__}: {exc}",
        }
    if outcome["status"] != "ok":
        log.warning("outputs: %s not delivered: %s", name, outcome["error"])
    return {**outcome, "seconds": round(time.monotonic() - started, 3)}


def _upload(
    clients: WriteClients,
    retry: Retry,
    config: Config,
    report: dict[str, Any],
    imports: dict[str, list[ImportBlock]],
    excluded: Counter[str],
) -> Outcome:
    cfg = config.outputs.s3
    assert cfg is not None
    started = datetime.fromisoformat(report["started_at"].replace("Z", "+00:00"))
    prefix = render_prefix(cfg.prefix, report["run_id"], started)
    with tempfile.TemporaryDirectory(prefix="driftq-s3-") as tmp:
        folder = Path(tmp)
        texts = {account: import_file_text(account, blocks) for account, blocks in imports.items()}
        write_outputs(report, texts, folder)
        for name, part in account_reports(report, dict(excluded)):
            atomic_write(folder / "accounts" / f"{name}.json", report_json_chunks(part))
        files = {
            p.relative_to(folder).as_posix(): p
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")
        }
        return s3.upload(clients, retry, cfg, prefix, files)
