"""Route 53 records as provider 3.x states hold them (found by the Replay of real states):
`multivalue_answer_routing_policy` is null in a state whose record never set it. Pure: an
AWS answer normalized, the state parsed, the two compared."""

from __future__ import annotations

import json
from typing import Any

import pytest

from driftq.compare import compare
from driftq.model import GLOBAL, StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource
from driftq.state.parse import parse_state
from tests.support.estate import StateFile

SPEC = REGISTRY["aws_route53_record"]
ZONE = "Z09368953G729AFEX5048"


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("the record's answer is given: no AWS call")


def _live(**extra: Any) -> Any:
    item = {
        "Name": "test.elie.ski.",
        "Type": "A",
        "TTL": 300,
        "ResourceRecords": [{"Value": "1.2.3.4"}],
        "_zone": ZONE,
        "_zone_name": "elie.ski.",
        **extra,
    }
    ctx = ScanContext(Unit("test", GLOBAL, "route53"), "123456789012", ("us-east-1",), _no_aws)
    live = live_resource(SPEC, item, ctx)
    assert live is not None
    return live


def _state(multivalue: bool | None) -> StateResource:
    # the attributes of tests/fixtures/tfstate-driftctl/test__aws_route53_record__...
    attributes = {
        "alias": [],
        "allow_overwrite": None,
        "failover_routing_policy": [],
        "fqdn": "test.elie.ski",
        "health_check_id": None,
        "id": f"{ZONE}_test_A",
        "latency_routing_policy": [],
        "multivalue_answer_routing_policy": multivalue,
        "name": "test",
        "records": ["1.2.3.4"],
        "set_identifier": None,
        "ttl": 300,
        "type": "A",
        "weighted_routing_policy": [],
        "zone_id": ZONE,
    }
    document = StateFile().add("aws_route53_record", "test", attributes).document()
    (state,) = parse_state(json.dumps(document), "replay", "us-east-1")
    return state


def test_a_null_multivalue_flag_is_false_not_drift() -> None:
    assert compare(SPEC, _state(None), _live()) == []


@pytest.mark.parametrize(
    ("in_state", "in_aws"), [(None, True), (True, False), (False, True)], ids=str
)
def test_a_changed_multivalue_flag_is_still_drift(in_state: bool | None, in_aws: bool) -> None:
    changes = compare(SPEC, _state(in_state), _live(MultiValueAnswer=in_aws))
    assert [c.attribute for c in changes] == ["multivalue_answer_routing_policy"]
