"""`celery -A workers beat`: a run every monitoring.interval, once per slot with two beats."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.workers.cluster import Cluster, wait_for
from tests.workers.estate import drifted_account, write_config
from workers.schedule import SlotSchedule, slot_of

INTERVAL_S = 3


def scheduled_runs(cluster: Cluster, config: Path) -> dict[str, list[str]]:
    """Run ids by the slot that started them, for runs of ``config``."""
    client = cluster.redis()
    by_slot: dict[str, list[str]] = {}
    for key in map(str, client.scan_iter("driftq:run:*")):
        if key.count(":") != 2:
            continue
        meta: dict[str, str] = client.hgetall(key)  # type: ignore[assignment]
        if meta.get("config_path") == str(config.resolve()) and meta["source"].startswith(
            "schedule:"
        ):
            by_slot.setdefault(meta["source"], []).append(meta["run_id"])
    return by_slot


def test_two_beats_submit_each_interval_once(cluster: Cluster, workdir: Path) -> None:
    account = drifted_account("watched", cluster.emulator.url, workdir, ["us-east-1"])
    monitoring = {"enabled": True, "interval": f"{INTERVAL_S}s"}
    config = write_config(workdir / "watch.yaml", [account], ["sqs"], monitoring=monitoring)
    beats = [cluster.start_beat(name, config) for name in ("beat1", "beat2")]
    try:
        wait_for(
            "beats to send twice each",
            lambda: all(b.text().count("Sending due task driftq-monitoring") >= 2 for b in beats),
            30,
            beats[0],
        )
    finally:
        for beat in beats:
            beat.stop()
    time.sleep(1.0)  # the last slot's run reaches Redis

    runs = scheduled_runs(cluster, config)
    assert len(runs) >= 2, runs
    assert all(len(ids) == 1 for ids in runs.values()), runs
    slots = sorted(int(s.split(":")[1]) for s in runs)
    assert slots == list(range(slots[0], slots[0] + len(slots)))  # one per interval
    for ids in runs.values():
        wait_for(
            "scheduled run done",
            lambda rid=ids[0]: cluster.redis().hget(f"driftq:run:{rid}", "status") == "done",
            30,
        )


def test_slots_are_the_same_instants_for_every_beat() -> None:
    schedule = SlotSchedule(run_every=60)
    now = datetime.now(UTC)
    assert schedule.is_due(now - timedelta(seconds=61)).is_due
    state = schedule.is_due(now)
    assert 0 < state.next <= 60
    # a beat that fired just after the boundary and one whose clock runs a little behind
    assert slot_of(6000.02, 60) == slot_of(5999.99, 60) == 100
