"""Values Terraform marks sensitive never leave the engine: not in changes, not in the tags a
finding carries to Redis, whichever of `tags` / `tags_all` carries the mark."""

from __future__ import annotations

import json
from typing import Any

from driftq.config_models import Exclusions, TagMatch
from driftq.diff import DiffScope, diff
from driftq.exclusions import apply_exclusions
from driftq.model import LiveResource, Unit, UnitResult, is_sensitive
from driftq.resources import REGISTRY
from driftq.state.parse import parse_state
from tests.support.estate import StateFile

SECRET = "s3nt1nel-tag-value-7f1e"
VPC = "vpc-0123456789abcdef0"


def state_with(sensitive_attributes: list[Any], tags: dict[str, str]) -> str:
    document = json.loads(
        json.dumps(
            {
                "version": 4,
                "resources": StateFile()
                .add(
                    "aws_vpc",
                    "main",
                    {"id": VPC, "cidr_block": "10.0.0.0/16", "tags": tags, "tags_all": tags},
                )
                .resources,
            }
        )
    )
    document["resources"][0]["instances"][0]["sensitive_attributes"] = sensitive_attributes
    return json.dumps(document)


def tag_path(root: str, key: str) -> list[dict[str, Any]]:
    return [
        {"type": "get_attr", "value": root},
        {"type": "index", "value": {"value": key, "type": "string"}},
    ]


def findings(state_text: str, live_tags: dict[str, str], exclusions: Exclusions | None = None):  # type: ignore[no-untyped-def]
    (resource,) = parse_state(state_text, "s.tfstate", "us-east-1")
    live = LiveResource(
        type="aws_vpc",
        identity=VPC,
        import_id=VPC,
        region="us-east-1",
        attributes={"cidr_block": "10.0.0.0/16", "tags": live_tags},
    )
    scope = DiffScope(Unit("main", "us-east-1", "ec2"), "123456789012", "us-east-1")
    found = diff(scope, {"aws_vpc": REGISTRY["aws_vpc"]}, [resource], [live])
    return apply_exclusions(found, exclusions or Exclusions())


def test_paths_are_read_to_the_key_and_cover_the_tag_twin() -> None:
    (resource,) = parse_state(
        state_with([tag_path("tags", "Secret"), [{"type": "get_attr", "value": "password"}]], {}),
        "s",
        None,
    )
    assert resource.sensitive == {"tags.Secret", "tags_all.Secret", "password"}


def test_an_unreadable_step_marks_everything_before_it() -> None:
    odd = [[{"type": "get_attr", "value": "environment"}, {"type": "index", "value": None}], [5]]
    (resource,) = parse_state(state_with(odd, {}), "s", None)
    assert resource.sensitive == {"environment"}
    assert is_sensitive("environment.variables.DB", resource.sensitive)
    assert is_sensitive("environment", frozenset({"environment.variables.DB"}))
    assert not is_sensitive("environments", resource.sensitive)


def test_a_sensitive_tag_value_is_masked_in_changes_and_in_transport() -> None:
    tags = {"Name": "net", "Secret": SECRET}
    for root in ("tags", "tags_all"):
        kept, _ = findings(
            state_with([tag_path(root, "Secret")], tags), {"Name": "net", "Secret": "changed"}
        )
        (finding,) = kept
        assert [(c.attribute, c.expected, c.actual) for c in finding.changes] == [
            ("tags.Secret", "(sensitive)", "(sensitive)")
        ]
        result = UnitResult(Unit("main", "us-east-1", "ec2"), "ok", findings=[finding])
        stored = json.dumps(result.to_json())  # what a worker writes to Redis
        assert SECRET not in stored and "changed" not in stored
        assert finding.to_transport()["tags"] == {"Name": "net", "Secret": "(sensitive)"}


def test_a_whole_sensitive_tags_map_is_masked() -> None:
    kept, _ = findings(
        state_with([[{"type": "get_attr", "value": "tags"}]], {"Secret": SECRET}), {}
    )
    (finding,) = kept
    assert SECRET not in json.dumps(finding.to_transport())


def test_exclusions_still_see_the_real_value_inside_the_engine() -> None:
    rules = Exclusions(tags=[TagMatch(Key="Secret", Value=SECRET)])
    kept, excluded = findings(
        state_with([tag_path("tags", "Secret")], {"Secret": SECRET}), {}, rules
    )
    assert (kept, excluded) == ([], 1)
