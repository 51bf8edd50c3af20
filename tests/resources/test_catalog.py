"""`driftq types` and the README's coverage table come from the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from driftq.cli import main
from driftq.resources import REGISTRY
from driftq.resources.catalog import END, START, coverage_table, readme_with_coverage

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_is_the_registry() -> None:
    text = README.read_text()
    assert readme_with_coverage(text) == text, "run scripts/readme-coverage"
    table = text.split(START, 1)[1].split(END, 1)[0]
    for rtype in REGISTRY:
        assert f"| `{rtype}` |" in table


def test_types_json_shows_compared_and_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["types", "--json"]) == 0
    rows = {row["type"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(REGISTRY)
    role = rows["aws_iam_role"]
    assert "assume_role_policy" in role["compared"]
    assert role["left_out"]["force_detach_policies"].startswith("a Terraform-side setting")
    assert "iam:GetAccountAuthorizationDetails" in role["operations"]


def test_a_changed_registry_changes_the_table() -> None:
    stale = f"intro\n{START}\n| `aws_gone` |\n{END}\noutro\n"
    fresh = readme_with_coverage(stale)
    assert "aws_gone" not in fresh and coverage_table() in fresh
    assert fresh.startswith("intro\n") and fresh.endswith("\noutro\n")
