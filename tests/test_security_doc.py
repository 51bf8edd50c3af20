"""SECURITY.md stays true: its IAM policy is the one `driftq iam-policy` generates, and it
names every kind of Redis key the code writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from driftq.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "SECURITY.md").read_text()


def documented_policy() -> str:
    block = DOC.split("<!-- iam-policy:begin -->", 1)[1].split("<!-- iam-policy:end -->", 1)[0]
    return block.strip().removeprefix("```json").removesuffix("```").strip()


def test_the_policy_is_the_generated_one(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["iam-policy", "--json"])
    except SystemExit:  # argparse: no such command
        code = 2
    out, err = capsys.readouterr()
    if code == 2 and "invalid choice: 'iam-policy'" in err:
        pytest.skip("`driftq iam-policy` is not on this branch yet")
    assert code == 0, err
    generated = json.loads(out)
    assert json.loads(documented_policy()) == generated


def test_every_redis_key_the_code_writes_is_documented() -> None:
    prefixes = {
        match
        for folder in ("workers", "driftq")
        for path in (ROOT / folder).rglob("*.py")
        for match in re.findall(r"driftq:[a-z_]+:", path.read_text())
    }
    assert {"driftq:run:", "driftq:lock:"} <= prefixes
    assert sorted(p for p in prefixes if f"`{p}" not in DOC) == []
