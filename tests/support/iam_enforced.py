"""A moto server that enforces IAM: roles really are denied what their policies don't allow.

moto's INITIAL_NO_AUTH_ACTION_COUNT lets the first N requests through unauthenticated (our
set-up), then checks every request against IAM. That gives real AccessDenied answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import boto3

from tests.support.moto import MotoServer, start_moto

ACCOUNT = "123456789012"  # moto's default account: where IAM enforcement has its users
SETUP_REQUESTS = 6  # exactly the set-up below: one more would let a scan call through unchecked
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


@dataclass
class EnforcedIam:
    server: MotoServer
    access_key: str
    secret_key: str

    def role_arn(self, name: str) -> str:
        return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def start_enforced_iam(allowed_actions: list[str]) -> EnforcedIam:
    """Roles `Scanner` (may do ``allowed_actions``) and `Denied` (may do nothing), and a
    caller user that may assume either."""
    server = start_moto({"INITIAL_NO_AUTH_ACTION_COUNT": str(SETUP_REQUESTS)})
    iam = boto3.client(
        "iam",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="setup",
        aws_secret_access_key="setup",
    )
    iam.create_user(UserName="driftq")
    key = iam.create_access_key(UserName="driftq")["AccessKey"]
    _allow(iam, "put_user_policy", {"UserName": "driftq"}, ["sts:AssumeRole"])
    for role in ("Scanner", "Denied"):
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(_TRUST))
    _allow(iam, "put_role_policy", {"RoleName": "Scanner"}, allowed_actions)
    return EnforcedIam(server, key["AccessKeyId"], key["SecretAccessKey"])


def _allow(iam: object, method: str, target: dict[str, str], actions: list[str]) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
    }
    getattr(iam, method)(PolicyName="driftq", PolicyDocument=json.dumps(policy), **target)
