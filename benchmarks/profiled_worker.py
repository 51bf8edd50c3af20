"""driftq's Celery app with a CPU-time profiler around every task (benchmarks only).

    celery -A benchmarks.profiled_worker worker ...   (benchmarks/scale.py --cprofile DIR)

Each pool process profiles its tasks with cProfile timed by ``time.process_time``: what
the process spends on CPU, whatever else the machine runs (a sampling profiler's wall-clock
view counts a process waiting for a core as busy). Every 10 tasks it writes its stats to
``$DRIFTQ_CPROFILE_DIR/<pid>.prof``; `benchmarks.scale` merges them at the end.
"""

from __future__ import annotations

import cProfile
import os
import time
from pathlib import Path
from typing import Any

from celery.signals import task_postrun, task_prerun

from workers.app import app

_profile: cProfile.Profile | None = None
_tasks = 0


@task_prerun.connect(weak=False)
def _start(**_: Any) -> None:
    global _profile
    if _profile is None:
        _profile = cProfile.Profile(time.process_time)
    _profile.enable()


@task_postrun.connect(weak=False)
def _stop(**_: Any) -> None:
    global _tasks
    if _profile is None:
        return
    _profile.disable()
    _tasks += 1
    if _tasks % 10 == 0:
        folder = Path(os.environ["DRIFTQ_CPROFILE_DIR"])
        _profile.dump_stats(folder / f"{os.getpid()}.prof")


__all__ = ["app"]
