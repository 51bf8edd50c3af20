"""The config the event tests scan with: one moto account, SNS, one region, a local state."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def sns_config_text(account: Any, state: Path) -> str:
    return f"""
version: "1.0"
defaults: {{services: [sns]}}
accounts:
  - name: test
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: driftq-test-external-id
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state}", region: us-east-1}}
"""


def write_sns_config(account: Any, state: Path, folder: Path) -> Path:
    path = folder / "driftq.yaml"
    path.write_text(sns_config_text(account, state))
    return path
