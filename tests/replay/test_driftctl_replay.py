"""The Replay: real states (tests/fixtures/tfstate-driftctl, written by real Terraform runs
with provider 3.x) against live twins made in moto from those states' own attributes.
Every replayed resource must give no finding at all: no drift, none missing, none
unmanaged. Ids AWS assigns (VPC ids, key ids, queue URLs, account ids) are written back into
the state, as they would be after `terraform apply`."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from driftq.config import parse_config
from driftq.local import run_local
from driftq.plan import Selection
from driftq.resources import REGISTRY
from tests.replay.materialize import (
    CREATED_FIRST,
    CREATORS,
    NOT_MATERIALIZED,
    STAND_IN_TAG,
    moto_blind_spots,
    moto_gap,
)
from tests.replay.plant import PLANTERS
from tests.support.estate import account_session, new_account_id

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tfstate-driftctl"
_ACCOUNT_IN_ARN = re.compile(r"arn:aws:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):")
_ACCOUNT_IN_URL = re.compile(r"amazonaws\.com/(\d{12})/")
_REGION_IN_ARN = re.compile(r"arn:aws:[a-z0-9-]+:([a-z]{2}-[a-z]+-\d):")


def _instances(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (r["type"], i["attributes"])
        for r in document.get("resources", [])
        if r.get("mode") == "managed"
        for i in r.get("instances", [])
    ]


def _load(path: Path) -> dict[str, Any] | None:
    try:
        document = json.loads(path.read_text())
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def replayable() -> list[str]:
    """The fixtures holding at least one instance of a type driftq scans, the replay can
    create and moto can hold."""
    names = []
    for path in sorted(FIXTURES.glob("*.tfstate")):
        document = _load(path)
        if document and any(_replayed(t, a) for t, a in _instances(document)):
            names.append(path.name)
    return names


def coverage() -> tuple[int, int, int]:
    """(instances replayed, instances of types driftq scans, all AWS managed instances)."""
    replayed = scanned = every = 0
    for path in sorted(FIXTURES.glob("*.tfstate")):
        document = _load(path) or {}
        for rtype, attributes in _instances(document):
            if not rtype.startswith("aws_"):
                continue
            every += 1
            scanned += rtype in REGISTRY
            replayed += _replayed(rtype, attributes)
    return replayed, scanned, every


def _replayed(rtype: str, attributes: dict[str, Any]) -> bool:
    return rtype in REGISTRY and rtype in CREATORS and moto_gap(rtype, attributes) is None


def _without_gaps(document: dict[str, Any]) -> dict[str, Any]:
    """The state without the instances moto cannot hold (see moto_gap), nor the attributes
    moto never answers (see moto_blind_spots)."""
    for resource in document.get("resources", []):
        if resource.get("mode") == "managed":
            resource["instances"] = [
                i
                for i in resource.get("instances", [])
                if moto_gap(resource["type"], i["attributes"]) is None
            ]
            for instance in resource["instances"]:
                for attribute in moto_blind_spots(resource["type"], instance["attributes"]):
                    instance["attributes"].pop(attribute, None)
    return document


def _rewrite(text: str, old_to_new: dict[str, str]) -> str:
    """Every old id replaced in one pass (longest first, so `bucket2` is not read as
    `bucket` + `2`, and no replacement is replaced again)."""
    if not old_to_new:
        return text
    pattern = "|".join(re.escape(old) for old in sorted(old_to_new, key=len, reverse=True))
    return re.sub(pattern, lambda m: old_to_new[m.group(0)], text)


def _bucket_names(document: dict[str, Any], account_id: str) -> dict[str, str]:
    """S3 bucket names are global: each fixture's get the account id appended."""
    names = {
        str(a["bucket"])
        for t, a in _instances(document)
        if t.startswith("aws_s3_bucket") and a.get("bucket")
    }
    return {name: f"{name}-{account_id}" for name in names}


# what a creator touches besides its own type's service
_ALSO_TOUCHES = {
    "aws_lambda_function": {"iam"},
    "aws_iam_role_policy_attachment": {"iam"},
    "aws_cloudtrail": {"s3"},
    "aws_db_subnet_group": {"ec2"},
    "aws_lb": {"ec2"},
    "aws_lb_target_group": {"ec2"},
    "aws_db_instance": {"ec2"},
    "aws_rds_cluster": {"ec2"},
    "aws_lambda_event_source_mapping": {"sqs", "iam"},
    # the account's block: a lane's account holds one
    "aws_s3_account_public_access_block": {"s3control"},
}


def _services(name: str) -> set[str]:
    document = _load(FIXTURES / name) or {}
    types = {t for t, a in _instances(document) if _replayed(t, a)}
    return {REGISTRY[t].service for t in types} | {
        s for t in types for s in _ALSO_TOUCHES.get(t, set())
    }


def lanes() -> dict[str, int]:
    """Fixtures share a moto account when their services do not meet (a fresh account
    costs seconds of moto's set-up): each scan selects its own types only, so another
    fixture's resources in the account are never looked at."""
    used: list[set[str]] = []
    out: dict[str, int] = {}
    for name in replayable():
        services = _services(name)
        lane = next((i for i, taken in enumerate(used) if not taken & services), len(used))
        if lane == len(used):
            used.append(set())
        used[lane] |= services
        out[name] = lane
    return out


_LANE_ACCOUNTS: dict[int, str] = {}


def half(index: int) -> list[str]:
    """Every other replayable state: this file replays the first half, test_replay_half2.py
    the second, so that `--dist loadfile` runs them on both workers (each file's lanes
    have accounts of their own)."""
    return replayable()[index::2]


@pytest.mark.parametrize("name", half(0))
def test_a_real_state_against_its_live_twin_gives_no_finding(
    replay_aws: str, tmp_path: Path, name: str
) -> None:
    replay(tmp_path, name, _LANE_ACCOUNTS)


def replay(tmp_path: Path, name: str, lane_accounts: dict[int, str]) -> None:
    """The state ``name`` against its live twin, in its lane's account: no finding."""
    text = (FIXTURES / name).read_text()
    account_id = lane_accounts.setdefault(lanes()[name], new_account_id())
    owners = set(_ACCOUNT_IN_ARN.findall(text)) | set(_ACCOUNT_IN_URL.findall(text))
    renamed = _bucket_names(json.loads(text), account_id)
    text = _rewrite(text, {**dict.fromkeys(owners, account_id), **renamed})
    # the region the resources were in: their ARNs, and provider-3 buckets' `region`
    regions = Counter(_REGION_IN_ARN.findall(text))
    regions.update(str(a["region"]) for _, a in _instances(json.loads(text)) if a.get("region"))
    region = regions.most_common(1)[0][0] if regions else "us-east-1"
    session = account_session(account_id)
    clients: dict[str, Any] = {}

    def client(service: str) -> Any:
        # one client per service: the creators ask for one per call they make, and making
        # a boto3 client costs more than most calls to the emulator
        if service not in clients:
            clients[service] = session.client(service, region_name=region)
        return clients[service]

    document = _without_gaps(json.loads(text))
    text = json.dumps(document)
    replayed = [(t, a) for t, a in _instances(document) if _replayed(t, a)]
    # parents before what refers to them, whatever the state's order (stable otherwise)
    order = {rtype: i for i, rtype in enumerate(CREATED_FIRST)}
    replayed.sort(key=lambda pair: order.get(pair[0], len(order)))
    assigned: dict[str, str] = {}
    for rtype, attributes in replayed:
        assigned.update(CREATORS[rtype](client, attributes, assigned))
    state = tmp_path / "terraform.tfstate"
    state.write_text(_rewrite(text, assigned))
    live = [(t, a) for t, a in _instances(json.loads(state.read_text())) if _replayed(t, a)]

    types = sorted({t for t, _ in replayed})
    config = parse_config(
        f"""
defaults: {{parallel_workers: 2}}
accounts:
  - name: replay
    account_id: "{account_id}"
    role_arn: arn:aws:iam::{account_id}:role/DriftqScanner
    external_id: replay
    regions: [{region}]
    state_backend: {{type: local, path: "{state}"}}
exclusions:
  tags: [{{Key: {STAND_IN_TAG["Key"]}, Value: {STAND_IN_TAG["Value"]}}}]
"""
    )
    selection = Selection(resource_types=tuple(types))
    outcome = run_local(config, selection, progress=False)
    errors = [(r.unit, r.error_code, r.error_message) for r in outcome.results if r.error_code]
    assert errors == []
    findings = [(f.kind, f.resource_type, f.resource_id, f.changes) for f in outcome.findings]
    assert findings == []
    managed = sum(r.managed for r in outcome.results)
    assert managed >= len(replayed)

    # then a change by hand to each instance of the types with a planter: exactly those
    # attributes of exactly those resources drift, nothing else is reported
    planted = {
        (rtype, str(attributes["id"])): PLANTERS[rtype](client, attributes)
        for rtype, attributes in live
        if rtype in PLANTERS
    }
    if not planted:
        return
    outcome = run_local(config, selection, progress=False)
    errors = [(r.unit, r.error_code, r.error_message) for r in outcome.results if r.error_code]
    assert errors == []
    found = {
        (f.resource_type, f.resource_id): {c.attribute for c in f.changes}
        for f in outcome.findings
        if f.kind == "drifted"
    }
    assert [f for f in outcome.findings if f.kind != "drifted"] == []
    assert found == planted


def blind_spots() -> Counter[tuple[str, str, str]]:
    """The attributes of replayed instances moto never answers, by (type, attribute, why)."""
    out: Counter[tuple[str, str, str]] = Counter()
    for path in sorted(FIXTURES.glob("*.tfstate")):
        for rtype, attributes in _instances(_load(path) or {}):
            if _replayed(rtype, attributes):
                for attribute, why in moto_blind_spots(rtype, attributes).items():
                    out[(rtype, attribute, why)] += 1
    return out


def skipped() -> Counter[tuple[str, str]]:
    """The instances of scanned types left out, by (type, why)."""
    out: Counter[tuple[str, str]] = Counter()
    for path in sorted(FIXTURES.glob("*.tfstate")):
        for rtype, attributes in _instances(_load(path) or {}):
            if rtype not in REGISTRY or _replayed(rtype, attributes):
                continue
            why = moto_gap(rtype, attributes) if rtype in CREATORS else NOT_MATERIALIZED.get(rtype)
            out[(rtype, why or "no creator, no reason given")] += 1
    return out


def test_the_replay_covers_the_fixtures_resources() -> None:
    """How much of the real states the replay exercises (the README quotes these); what is
    left out has a reason, and the replayed count only grows."""
    replayed, scanned, every = coverage()
    print(f"replay: {replayed} of {scanned} instances of scanned types ({every} AWS in all)")
    left_out = skipped()
    for (rtype, why), count in sorted(left_out.items()):
        print(f"  left out: {count} {rtype}: {why}")
    for (rtype, attribute, why), count in sorted(blind_spots().items()):
        print(f"  not compared: {rtype}.{attribute} of {count}: {why}")
    assert replayed + sum(left_out.values()) == scanned
    assert [key for key in left_out if key[1] == "no creator, no reason given"] == []
    assert replayed >= 157
    # the replay's emulator holds no AWS managed policy (tests/replay/conftest.py)
    assert [n for n in replayable() if ":aws:policy/" in (FIXTURES / n).read_text()] == []
