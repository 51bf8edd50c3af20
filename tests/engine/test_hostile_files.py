"""Hostile state and report files: our own error, naming the file, never another exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.errors import ReportError, StateError
from driftq.report.consolidate import consolidate, load_reports
from driftq.state.parse import parse_state

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"version": 4, "resources": ' + DEEP + "}", "nested too deeply"),
        ('{"version": 4, "serial": ' + "9" * 5000 + ', "resources": []}', "integer string"),
        ('{"version": 1e999, "resources": []}', "version inf is not supported"),
        ('{"version": NaN, "resources": []}', "version nan is not supported"),
        ('{"version": true, "resources": []}', "version True is not supported"),
        ("[]", "no `version` field"),
        (b"\xff\xfe{}", "not UTF-8"),
        ("", "empty"),
        (
            json.dumps({"version": 4, "resources": [{"type": "aws_vpc", "instances": 8}]}),
            "`instances` of aws_vpc is not a list",
        ),
    ],
)
def test_broken_states(text: str | bytes, says: str) -> None:
    with pytest.raises(StateError) as caught:
        parse_state(text, "s.tfstate", None)
    assert says in str(caught.value) and str(caught.value).startswith("s.tfstate: ")


def test_odd_shapes_inside_a_state_are_skipped_or_read() -> None:
    text = json.dumps(
        {
            "version": 4,
            "resources": [
                {"mode": "managed", "type": ["aws_vpc"], "instances": [{"attributes": {}}]},
                {
                    "mode": "managed",
                    "type": "aws_vpc",
                    "name": {"a": 1},
                    "instances": [
                        {
                            "attributes": {"id": 5, "tags": ["a"], "tags_all": 5},
                            "index_key": [1],
                            "sensitive_attributes": [5, "x", [[]], [{}], [{"value": True}]],
                        }
                    ],
                },
            ],
        }
    )
    (resource,) = parse_state(text, "s", None)
    assert (resource.type, resource.id, resource.sensitive) == ("aws_vpc", "5", frozenset())


def report(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema_version": 1,
        "run_id": "r1",
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:01:00Z",
        "status": "complete",
        "severity": "ok",
        "summary": {"units": 1, "units_failed": 0, "managed": 0},
        "thresholds": [],
        "errors": [],
        "findings": [
            {
                "kind": "missing",
                "account": "a",
                "account_id": "123456789012",
                "region": "us-east-1",
                "service": "ec2",
                "resource_type": "aws_vpc",
                "resource_id": "vpc-1",
                "address": "aws_vpc.x",
                "state": "s",
            }
        ],
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (DEEP, "nested too deeply"),
        ('{"findings": [], "summary": {}, "x": ' + "9" * 5000 + "}", "integer string"),
        (json.dumps(report(findings="x")), "findings: Input should be a valid list"),
        (json.dumps(report(summary={"units": "many"})), "summary.units"),
        (json.dumps(report(findings=[{"account": "a"}])), "findings.0.kind"),
        (json.dumps(report(severity="doom")), "severity: Input should be"),
        (json.dumps(report(schema_version=2)), "schema_version 2 is not 1"),
        (json.dumps(report(thresholds=[{"account": "a"}])), "thresholds.0.level"),
        (bytes(range(256)), "not UTF-8"),
        ("{", "not valid JSON"),
    ],
)
def test_broken_reports(tmp_path: Path, content: str | bytes, says: str) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ReportError) as caught:
        load_reports(tmp_path)
    assert says in str(caught.value) and str(caught.value).startswith(str(path))


def test_reports_with_extra_keys_and_other_json_beside_them_merge(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(report(extra={"kept": True})))
    (tmp_path / "package.json").write_text('{"name": "not a report"}')
    (tmp_path / "dir.json").mkdir()
    loaded = load_reports(tmp_path)
    assert [p.name for p, _ in loaded] == ["r.json"]
    assert loaded[0][1]["extra"] == {"kept": True}
    assert consolidate(loaded)["summary"]["missing"] == 1
