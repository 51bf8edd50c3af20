"""The simulated estate: N copies of the recorded account (every service driftq scans, see
full_estate.py), as a driftq config."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.sim.full_estate import config_template

FIRST_ACCOUNT = 500_000_000_000
EXTERNAL_ID = "driftq-sim-external-id"


@dataclass(frozen=True)
class Estate:
    accounts: int
    regions: list[str]
    cassette: dict[str, Any]

    @classmethod
    def load(cls, cassette: Path, accounts: int, regions: int) -> Estate:
        data = json.loads(cassette.read_text())
        if not 1 <= regions <= len(data["regions"]):
            raise SystemExit(f"the recorded estate has {len(data['regions'])} regions")
        return cls(accounts, data["regions"][:regions], data)

    def account_ids(self) -> list[str]:
        return [f"{FIRST_ACCOUNT + n:012d}" for n in range(self.accounts)]

    def expected_units(self) -> int:
        return self.accounts * sum(1 for label in self._labels())

    def expected_findings(self) -> int:
        return self.accounts * sum(self.cassette["expected"][label] for label in self._labels())

    def _labels(self) -> list[str]:
        regions = {*self.regions, "global"}
        return [label for label in self.cassette["expected"] if label.split("/")[1] in regions]

    def config_text(self, extra: str = "") -> str:
        state_role = f"arn:aws:iam::{self.cassette['state_account']}:role/TerraformStateReader"
        lines = []
        for n, account in enumerate(self.account_ids()):
            lines.append(
                f"""  - name: acct{n:05d}
    account_id: "{account}"
    role_arn: arn:aws:iam::{account}:role/DriftqScanner
    external_id: {EXTERNAL_ID}
    regions: [{", ".join(self.regions)}]
    state_backend:
      type: s3
      bucket: driftq-demo-tfstate-{account}
      prefix: ""
      region: us-east-1
      role_arn: {state_role}
"""
            )
        template = config_template(self.services())
        return template.replace("# ACCOUNTS\n", "".join(lines)) + extra

    def services(self) -> list[str]:
        """The services the recorded scan covered (every one driftq scans)."""
        return list(self.cassette["services"])
