"""Calls -> debounced targets -> a sink that scans them (the cluster's `events` queue, or a
thread here). The receiver and the consumer share this."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from driftq.config_models import Config
from driftq.events.debounce import Debouncer, MemoryDebouncer
from driftq.events.parse import ApiCall
from driftq.events.plan import Target, plan_calls

log = logging.getLogger(__name__)
# (target, seconds to wait before scanning) -> an id of the queued scan
Sink = Callable[[Target, float], str]


class Dispatcher:
    def __init__(
        self,
        config: Config,
        sink: Sink,
        window_s: float = 10.0,
        terraform_delay_s: float = 300.0,
        debouncer: Debouncer | None = None,
    ) -> None:
        self.config = config
        self.sink = sink
        self.window_s = window_s
        self.terraform_delay_s = terraform_delay_s
        self.debouncer = debouncer or MemoryDebouncer()

    def handle(self, calls: Iterable[ApiCall]) -> dict[str, Any]:
        """Plans and queues; raises only when the sink cannot queue (nothing is lost then:
        the caller keeps the message)."""
        outcome = plan_calls(self.config, calls)
        queued: list[str] = []
        coalesced = 0
        for target in outcome.targets:
            # Terraform writes its state after the apply: its own calls wait for it
            delay = self.terraform_delay_s if target.by_terraform else self.window_s
            if self.debouncer.admit(target.key(), delay):
                queued.append(self.sink(target, delay))
            else:
                coalesced += 1
        for item in outcome.rejected:
            log.warning("event not scanned: %s: %s", item["event"], item["reason"])
        return {
            "queued": queued,
            "coalesced": coalesced,
            "ignored": outcome.ignored,
            "rejected": outcome.rejected,
        }


def in_process_sink(config: Config) -> Sink:
    """Scans here, one at a time, each after its delay (a timer thread per scheduled scan:
    the debounce bounds how many)."""
    from driftq.events.targeted import run_targets

    lock = threading.Lock()
    counter = iter(range(1, 1 << 62))

    def scan(target: Target) -> None:
        with lock:
            try:
                run = run_targets(config, [target])
                log.warning(
                    "event scan %s: %s: %d findings",
                    run.finalized.report["run_id"],
                    target.unit.label(),
                    len(run.findings),
                )
            except Exception:
                log.exception("event scan of %s failed", target.unit.label())

    def sink(target: Target, delay: float) -> str:
        timer = threading.Timer(delay, scan, args=(target,))
        timer.daemon = True
        timer.start()
        return f"in-process-{next(counter)}"

    return sink
