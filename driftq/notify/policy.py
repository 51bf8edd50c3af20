"""When to alert, and what each channel remembers afterwards.

Each (channel, account) remembers the fingerprints of the findings it has already told
someone about. A digest channel (Slack, email) fires when the run's severity is warning or
critical and some finding is not remembered yet; so the same unchanged findings do not page
twice, a new or changed finding does, and a failed delivery is tried again next run.
Findings of units that were not scanned successfully this run stay remembered: a failed
unit must not make old drift look new when it comes back.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from driftq.history import AlertStates, ChannelState, finding_key

LEVELS = ("ok", "warning", "critical")
ALERT_LEVELS = ("warning", "critical")


def fingerprint(f: dict[str, Any]) -> str:
    """Identity plus the drifted values: a finding whose values change again is new."""
    raw = json.dumps([finding_key(f), f.get("changes")], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def reaches(severity: str, threshold: str) -> bool:
    return LEVELS.index(severity) >= LEVELS.index(threshold)


@dataclass
class AlertInput:
    """What the policy needs from a finished run."""

    report: dict[str, Any]
    unit_of: dict[str, str]  # finding key -> unit label (account/region/service)
    ok_units: set[str]  # labels of the units scanned successfully this run
    states: AlertStates  # from history; empty when there is none

    @cached_property
    def by_account(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in self.report["findings"]:
            out[f["account"]].append(f)
        return dict(out)

    def accounts(self) -> list[str]:
        names = [a["name"] for a in self.report.get("accounts") or []]
        return names or sorted({f["account"] for f in self.report["findings"]})

    def unseen(self, channel: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        acked: set[str] = set()
        for account in {f["account"] for f in items}:
            acked.update(self.states.get((channel, account), ChannelState()).acked)
        return [f for f in items if fingerprint(f) not in acked]

    def next_state(
        self, channel: str, account: str, delivered: bool, is_open: bool | None = None
    ) -> ChannelState:
        prev = self.states.get((channel, account), ChannelState())
        keep = {fp: u for fp, u in prev.acked.items() if u not in self.ok_units}
        current = {
            fingerprint(f): self.unit_of.get(finding_key(f), "")
            for f in self.by_account.get(account, [])
        }
        if delivered:
            keep.update(current)
        else:
            keep.update({fp: u for fp, u in current.items() if fp in prev.acked})
        return ChannelState(keep, prev.open if is_open is None else is_open)
