"""The Replay's second half (see test_driftctl_replay.py): every other replayable state, in
a file of its own so that both test workers share the replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.replay.test_driftctl_replay import half, replay

_LANE_ACCOUNTS: dict[int, str] = {}


@pytest.mark.parametrize("name", half(1))
def test_a_real_state_against_its_live_twin_gives_no_finding(
    replay_aws: str, tmp_path: Path, name: str
) -> None:
    replay(tmp_path, name, _LANE_ACCOUNTS)
