"""`driftq submit`: send a run to the cluster; with `--wait`, follow it and act like `scan`.

Progress comes from the run's counters in Redis (one round trip per poll), never from
polling each task's result. The report files travel through Redis, so `--wait` writes them
on this machine whichever worker ran the callback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path, PurePosixPath

from driftq.ci_output import finish, human_stream
from driftq.cli_args import selection_from
from driftq.errors import RunError
from driftq.progress import Progress
from workers.dispatch import Started, prepare, start
from workers.settings import default_output_dir, redis_url
from workers.store import RunStore, unpack_file

POLL_S = 0.5
QUIET_HINT_S = 120


def submit(args: argparse.Namespace) -> int:
    prepared = prepare(args.config, selection_from(args))  # bad config or flags: exit 2, no cluster
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
        fmt=fmt,
        detailed=getattr(args, "detailed_exitcode", False),
    )


def follow(
    store: RunStore,
    started: Started,
    out_dir: Path,
    progress: bool = True,
    fmt: str = "text",
    detailed: bool = False,
) -> int:
    bar = Progress(started.total, label="cluster") if progress else None
    last, last_change = (-1, -1), time.monotonic()
    try:
        while True:
            state = store.progress(started.run_id)
            if bar:
                bar.set(state.done, state.failed)
            if state.status in ("done", "failed"):
                break
            if (state.done, state.failed) != last:
                last, last_change = (state.done, state.failed), time.monotonic()
            elif time.monotonic() - last_change > QUIET_HINT_S:
                print(
                    f"\ndriftq: no unit finished in {QUIET_HINT_S}s: are workers running? "
                    "(celery -A workers inspect ping)",
                    file=sys.stderr,
                )
                last_change = time.monotonic()
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        print(f"\ndriftq: run {started.run_id} goes on in the cluster", file=sys.stderr)
        raise
    finally:
        if bar:
            bar.close()
    if state.status == "failed":
        raise RunError(f"run {started.run_id}: the callback failed on the cluster: {state.error}")
    written = write_files(store.files(started.run_id), out_dir)
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return finish(report, written, fmt=fmt, detailed=detailed)


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
