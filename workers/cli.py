"""`driftq submit`: send a run to the cluster; with `--wait`, follow it and act like `scan`.

Progress comes from the run's counters in Redis (one round trip per poll), never from
polling each task's result. The report files travel through Redis, so `--wait` writes them
on this machine whichever worker ran the callback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path, PurePosixPath

from driftq.ci_output import finish, human_stream
from driftq.cli_args import selection_from
from driftq.durations import parse_duration
from driftq.errors import ConfigError, RunError
from driftq.progress import Progress
from workers.dispatch import Started, prepare, start
from workers.queues import QueueName, queue_for
from workers.settings import default_output_dir, redis_url
from workers.store import RunStore, unpack_file

POLL_S = 0.5
QUIET_HINT_S = 120
# --wait rides over a Redis outage this long (a restart, a failover) before giving up
OUTAGE_S = 300
# without progress, the queues' consumers are checked after this long, and a run whose
# queues have had no consumer for NO_WORKER_S ends --wait with an error
NO_WORKER_S = float(os.environ.get("DRIFTQ_NO_WORKER_S") or 45)
WORKER_CHECK_S = min(10.0, NO_WORKER_S / 3)


def submit(args: argparse.Namespace) -> int:
    prepared = prepare(args.config, selection_from(args))  # bad config or flags: exit 2, no cluster
    timeout = parse_timeout(args.timeout)
    store = RunStore.from_url(redis_url())
    started = start(store, prepared, output_dir=args.output_dir, force=args.force)
    fmt = getattr(args, "format", "text")
    if fmt == "json" and not args.wait:
        print(json.dumps({"run_id": started.run_id}), flush=True)
    else:  # with --format json --wait, stdout is the report alone
        print(started.run_id, file=human_stream(fmt), flush=True)
    if not args.quiet:
        print(
            f"driftq: run {started.run_id} sent: {started.total} units in "
            f"{started.accounts} accounts",
            file=sys.stderr,
        )
    if not args.wait:
        return 0
    out_dir = Path(args.output_dir) if args.output_dir else default_output_dir(started.run_id)
    return follow(
        store,
        started,
        out_dir,
        progress=not args.quiet,
        timeout=timeout,
        fmt=fmt,
        detailed=getattr(args, "detailed_exitcode", False),
    )


def parse_timeout(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise ConfigError(f"--timeout: {exc}") from exc


def follow(
    store: RunStore,
    started: Started,
    out_dir: Path,
    progress: bool = True,
    timeout: float | None = None,
    fmt: str = "text",
    detailed: bool = False,
) -> int:
    run_id = started.run_id
    bar = Progress(started.total, label="cluster") if progress else None
    began = time.monotonic()
    last, last_change = (-1, -1), time.monotonic()
    watch = QueueWatch(store, run_id)
    outage: float | None = None
    try:
        while True:
            try:
                state = store.progress(run_id)
            except RunError as exc:  # Redis restarting: wait for it, up to OUTAGE_S
                now = time.monotonic()
                if outage is None:
                    outage = now
                    print(f"\ndriftq: {exc}; waiting for it to come back", file=sys.stderr)
                if now - outage > OUTAGE_S:
                    raise RunError(
                        f"{exc} for {OUTAGE_S}s; run {run_id} may go on: follow it later "
                        f"with `driftq status --follow {run_id}`"
                    ) from exc
                time.sleep(min(2.0, POLL_S * 4))
                continue
            if outage is not None:
                print("driftq: Redis is back", file=sys.stderr)
                outage = None
            if bar:
                bar.set(state.done, state.failed)
            if state.status in ("done", "failed"):
                break
            if state.status == "unknown":
                raise RunError(
                    f"run {run_id} is no longer in Redis (expired, or Redis lost its data: "
                    "run Redis with AOF on)"
                )
            now = time.monotonic()
            if timeout is not None and now - began > timeout:
                raise RunError(
                    f"run {run_id} still running after --timeout {timeout:g}s "
                    f"({state.done}/{started.total} units); it goes on in the cluster: "
                    f"`driftq status --follow {run_id}`, or `driftq cancel {run_id}`"
                )
            if (state.done, state.failed) != last:
                last, last_change = (state.done, state.failed), now
                watch.progressed()
            else:
                watch.check(now - last_change)
                if now - last_change > QUIET_HINT_S:
                    print(
                        f"\ndriftq: no unit finished in {QUIET_HINT_S}s: are workers running? "
                        "(celery -A workers inspect active_queues)",
                        file=sys.stderr,
                    )
                    last_change = now
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        print(
            f"\ndriftq: run {run_id} goes on in the cluster: `driftq status --follow {run_id}`"
            f" to follow it again, `driftq cancel {run_id}` to stop it",
            file=sys.stderr,
        )
        raise
    finally:
        if bar:
            bar.close()
    if state.status == "failed":
        raise RunError(f"run {run_id}: the callback failed on the cluster: {state.error}")
    written = write_files(store.files(run_id), out_dir)
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return finish(report, written, fmt=fmt, detailed=detailed)


class QueueWatch:
    """Whether some worker consumes each queue the run needs (its scan queues, finalize),
    asked of the workers (`celery inspect active_queues`) only while the run makes no
    progress. Raises RunError once a needed queue has had no consumer for NO_WORKER_S."""

    def __init__(self, store: RunStore, run_id: str) -> None:
        self.store, self.run_id = store, run_id
        self.unserved_since: float | None = None
        self.checked = 0.0

    def progressed(self) -> None:
        self.unserved_since = None

    def check(self, quiet_for: float) -> None:
        now = time.monotonic()
        if quiet_for < WORKER_CHECK_S or now - self.checked < WORKER_CHECK_S:
            return
        self.checked = now
        try:
            consumed = consumed_queues()
        except Exception:  # the broker between two polls went away: the next poll says so
            return
        missing = sorted(self.needed() - consumed)
        if not missing:
            self.unserved_since = None
            return
        self.unserved_since = self.unserved_since or now - quiet_for
        if now - self.unserved_since > NO_WORKER_S:
            raise RunError(
                f"no worker consumes {', '.join(missing)} (checked with `celery -A workers "
                f"inspect active_queues`): start workers for them; run {self.run_id} stays "
                f"queued until then (`driftq status {self.run_id}`, `driftq cancel "
                f"{self.run_id}`)"
            )

    def needed(self) -> set[str]:
        services = {u.service for u in self.store.units(self.run_id)}
        return {queue_for(s).value for s in services} | {QueueName.FINALIZE.value}


def consumed_queues() -> set[str]:
    """The queues some live worker consumes (empty when none answers within 5 s)."""
    from workers.app import app

    replies = app.control.inspect(timeout=5.0).active_queues() or {}
    return {q["name"] for queues in replies.values() for q in queues or []}


def write_files(files: dict[str, str], out_dir: Path) -> dict[str, Path]:
    """The run's report files under ``out_dir``, named as `finalize` names them."""
    if "report.json" not in files:
        raise RunError("the run finished but its report is not in Redis (expired?)")
    written = {"json": out_dir / "report.json"}
    if "report.html" in files:  # not with `defaults.output_format: json`
        written["html"] = out_dir / "report.html"
    for name, packed in sorted(files.items()):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise RunError(f"refusing to write report file outside {out_dir}: {name}")
        path = out_dir.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(unpack_file(packed))
        if relative.parts[0] == "imports" and relative.suffix == ".tf":
            written[f"imports:{relative.stem}"] = path
    return written
