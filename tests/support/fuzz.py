"""Hypothesis strategies for the three readers of outside input, and the property they share:
any input gives a parsed result or our own error (DriftqError), never another exception.

Inputs come three ways: valid documents with one part replaced, deleted or added (close to
what a careless edit makes), raw text built from the format's own tokens (what a hostile file
is made of), and arbitrary bytes. Used by the small runs in the test suite and by
benchmarks/fuzz_inputs.py (10,000 examples each).
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from driftq.config import load_config
from driftq.errors import DriftqError
from driftq.report.consolidate import consolidate, load_reports
from driftq.report.html import render_html
from driftq.state.parse import parse_state

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=24),
    st.sampled_from(["", "30m", ".inf", "us-east-1", "123456789012", "${HOME}", "..", "\x1b[2J"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)

CONFIG: dict[str, Any] = {
    "version": "1.0",
    "defaults": {"services": ["sqs", "ec2"], "parallel_workers": 2, "timeout": "60s"},
    "accounts": [
        {
            "name": "main",
            "account_id": "123456789012",
            "role_arn": "arn:aws:iam::123456789012:role/Scanner",
            "external_id": "fuzz-external-id",
            "regions": ["us-east-1", "eu-west-1"],
            "state_backend": {"type": "local", "path": "s.tfstate"},
        }
    ],
    "notifications": {"slack": {"webhook_url": "https://hooks.example/x"}},
    "monitoring": {"interval": "30m", "thresholds": {"warning": {"drifted_resources": 2}}},
    "remediation": {"auto_remediate": [{"resource_type": "aws_vpc", "action": "alert_only"}]},
    "exclusions": {"tags": [{"Key": "Env", "Value": "dev"}]},
}
STATE: dict[str, Any] = {
    "version": 4,
    "terraform_version": "1.6.0",
    "serial": 3,
    "lineage": "x",
    "outputs": {},
    "resources": [
        {
            "mode": "managed",
            "type": "aws_vpc",
            "name": "main",
            "module": "module.net",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {
                    "index_key": "a",
                    "schema_version": 1,
                    "attributes": {
                        "id": "vpc-1",
                        "arn": "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1",
                        "tags": {"Name": "x"},
                        "tags_all": {"Name": "x"},
                    },
                    "sensitive_attributes": [
                        [
                            {"type": "get_attr", "value": "tags"},
                            {"type": "index", "value": {"value": "Name", "type": "string"}},
                        ]
                    ],
                }
            ],
        },
        {"mode": "data", "type": "aws_caller_identity", "name": "me", "instances": []},
    ],
}
REPORT: dict[str, Any] = {
    "schema_version": 1,
    "run_id": "r1",
    "started_at": "2026-01-01T00:00:00Z",
    "finished_at": "2026-01-01T00:01:00Z",
    "drift_detected": True,
    "status": "partial",
    "severity": "warning",
    "summary": {"accounts": 1, "units": 2, "units_failed": 1, "managed": 3, "drifted": 1},
    "thresholds": [
        {
            "account": "main",
            "level": "warning",
            "metric": "drifted_resources",
            "value": 1,
            "limit": 1,
        }
    ],
    "findings": [
        {
            "kind": "drifted",
            "account": "main",
            "account_id": "123456789012",
            "region": "us-east-1",
            "service": "ec2",
            "resource_type": "aws_vpc",
            "resource_id": "vpc-1",
            "address": "aws_vpc.main",
            "state": "s.tfstate",
            "changes": [{"attribute": "tags.Name", "expected": "a", "actual": "b"}],
        }
    ],
    "errors": [
        {"account": "main", "region": "eu-west-1", "service": "ec2", "code": "X", "message": "m"}
    ],
    "accounts": [
        {
            "name": "main",
            "account_id": "123456789012",
            "severity": "warning",
            "regions": ["us-east-1"],
            "units": 2,
            "units_failed": 1,
            "managed": 3,
        }
    ],
    "remediation": {"imports": [{"account": "main", "blocks": []}], "plan": []},
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """``base`` with one to three of its parts replaced, deleted, or given a new sibling."""
    document: Any = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        if not path:
            document = draw(VALUES) if draw(st.booleans()) else document
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return document


YAML_TOKENS = [
    "&a ",
    "*a",
    "&b ",
    "*b",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    ", ",
    "\n",
    "  ",
    "\t",
    "!!str ",
    "!!python/name:os.system ",
    "<<: ",
    "? ",
    "|\n",
    "'",
    '"',
    "#",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "${X}",
    "accounts",
    "name",
    "x",
    "1",
    ".inf",
    "9" * 50,
    "\x00",
    "\ufeff",
    "\u202e",
]
JSON_TOKENS = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    '"version"',
    '"resources"',
    '"instances"',
    '"attributes"',
    '"mode"',
    '"managed"',
    '"type"',
    '"aws_vpc"',
    "4",
    "NaN",
    "Infinity",
    "-1e999",
    "9" * 40,
    "null",
    "true",
    '"x"',
    " ",
    "\\u0000",
    '"\\ud800"',
]


def yaml_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        mutated(CONFIG).map(lambda d: yaml.safe_dump(d, sort_keys=False)),
        st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join),
        st.text(max_size=200),
    )


def json_texts(base: dict[str, Any]) -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        mutated(base).map(json.dumps),
        st.lists(st.sampled_from(JSON_TOKENS), max_size=40).map("".join),
        st.text(max_size=200),
        st.binary(max_size=200),
    )


def check_config(text: str | bytes) -> str:
    """'parsed' or 'refused'; anything else raises."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        try:
            load_config(path, env={"X": "1"})
        except DriftqError:
            return "refused"
    return "parsed"


def check_state(text: str | bytes) -> str:
    try:
        parse_state(text, "s.tfstate", "us-east-1")
    except DriftqError:
        return "refused"
    return "parsed"


def check_reports(texts: list[str | bytes]) -> str:
    """Consolidation, and the HTML page of what it made."""
    with tempfile.TemporaryDirectory() as folder:
        for i, text in enumerate(texts):
            data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
            (Path(folder) / f"r{i}.json").write_bytes(data)
        try:
            merged = consolidate(load_reports(folder))
        except DriftqError:
            return "refused"
        render_html(merged)
    return "parsed"


def report_sets() -> st.SearchStrategy[list[str | bytes]]:
    return st.lists(
        st.one_of(st.just(json.dumps(REPORT)), json_texts(REPORT)), min_size=1, max_size=3
    )
