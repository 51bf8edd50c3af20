"""Table tests of policy_canonical: (state value, live value) -> same meaning or not."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from driftq.passes.policy import canonical_policy, parse_policy


def _doc(*statements: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", **top, "Statement": list(statements)}


READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
WRITE = {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["*"]}
TRUST = {
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"Service": "ec2.amazonaws.com"},
}

# Terraform's jsonencode output: keys sorted, no whitespace
TF_READ = '{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}'
# a heredoc, as in provider 3.x states
HEREDOC_READ = """{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": "*"
        }
    ]
}
"""

SAME: list[tuple[str, Any, Any]] = [
    ("key order and whitespace", TF_READ, json.dumps(_doc(READ), indent=4)),
    ("heredoc with empty Sid vs AWS dict", HEREDOC_READ, _doc(READ)),
    ("JSON string vs dict (botocore decodes IAM documents)", TF_READ, _doc(READ)),
    ("URL-encoded (IAM's wire form) vs JSON", quote(json.dumps(_doc(READ))), TF_READ),
    ("form-encoded spaces", quote_plus(json.dumps(_doc(READ))), TF_READ),
    (
        "URL-encoded literal plus sign",
        quote(json.dumps(_doc({**READ, "Resource": "a+b"}))),
        _doc({**READ, "Resource": ["a+b"]}),
    ),
    (
        "string vs one-element list",
        _doc(READ),
        _doc({**READ, "Action": ["s3:GetObject"], "Resource": ["*"]}),
    ),
    ("statement order", _doc(READ, WRITE), _doc(WRITE, READ)),
    ("single statement object vs list", {"Version": "2012-10-17", "Statement": READ}, _doc(READ)),
    (
        "action order and duplicates",
        _doc({**READ, "Action": ["b:X", "a:Y", "a:Y"]}),
        _doc({**READ, "Action": ["a:Y", "b:X"]}),
    ),
    (
        "service principal string vs list",
        _doc(TRUST),
        _doc({**TRUST, "Principal": {"Service": ["ec2.amazonaws.com"]}}),
    ),
    (
        "principal order",
        _doc({**TRUST, "Principal": {"Service": ["a.amazonaws.com", "b.amazonaws.com"]}}),
        _doc({**TRUST, "Principal": {"Service": ["b.amazonaws.com", "a.amazonaws.com"]}}),
    ),
    (
        "account id vs root ARN (AWS rewrites it)",
        _doc({**TRUST, "Principal": {"AWS": "123456789012"}}),
        _doc({**TRUST, "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]}}),
    ),
    (
        "root ARN in another partition",
        _doc({**TRUST, "Principal": {"AWS": "123456789012"}}),
        _doc({**TRUST, "Principal": {"AWS": "arn:aws-us-gov:iam::123456789012:root"}}),
    ),
    (
        "principal * vs AWS *",
        _doc({**TRUST, "Principal": "*"}),
        _doc({**TRUST, "Principal": {"AWS": "*"}}),
    ),
    (
        "condition value string vs list",
        _doc({**TRUST, "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}),
        _doc({**TRUST, "Condition": {"StringEquals": {"aws:SourceAccount": ["123456789012"]}}}),
    ),
    (
        "condition bool vs string",
        _doc({**READ, "Condition": {"Bool": {"aws:SecureTransport": False}}}),
        _doc({**READ, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
    ),
    (
        "condition number vs string",
        _doc({**READ, "Condition": {"NumericLessThan": {"s3:max-keys": 10}}}),
        _doc({**READ, "Condition": {"NumericLessThan": {"s3:max-keys": ["10"]}}}),
    ),
    (
        "condition value order",
        _doc({**READ, "Condition": {"StringLike": {"k": ["b", "a"]}}}),
        _doc({**READ, "Condition": {"StringLike": {"k": ["a", "b"]}}}),
    ),
    ("empty values", None, ""),
    ("empty document", "{}", None),
]

DIFFERENT: list[tuple[str, Any, Any]] = [
    ("effect", _doc(READ), _doc({**READ, "Effect": "Deny"})),
    ("one more action", _doc(READ), _doc({**READ, "Action": ["s3:GetObject", "s3:PutObject"]})),
    ("resource", _doc(READ), _doc({**READ, "Resource": "arn:aws:s3:::b/*"})),
    ("one more statement", _doc(READ), _doc(READ, WRITE)),
    (
        "principal account",
        _doc({**TRUST, "Principal": {"AWS": "123456789012"}}),
        _doc({**TRUST, "Principal": {"AWS": "arn:aws:iam::210987654321:root"}}),
    ),
    (
        "a user is not the account",
        _doc({**TRUST, "Principal": {"AWS": "123456789012"}}),
        _doc({**TRUST, "Principal": {"AWS": "arn:aws:iam::123456789012:user/x"}}),
    ),
    ("principal * vs a service", _doc({**TRUST, "Principal": "*"}), _doc(TRUST)),
    (
        "condition value",
        _doc({**READ, "Condition": {"StringEquals": {"k": "a"}}}),
        _doc({**READ, "Condition": {"StringEquals": {"k": "b"}}}),
    ),
    (
        "condition operator",
        _doc({**READ, "Condition": {"StringEquals": {"k": "a"}}}),
        _doc({**READ, "Condition": {"StringLike": {"k": "a"}}}),
    ),
    ("a named Sid", _doc(READ), _doc({**READ, "Sid": "Read"})),
    (
        "Action vs NotAction",
        _doc(READ),
        _doc({"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*"}),
    ),
    ("version", _doc(READ), {"Version": "2008-10-17", "Statement": [READ]}),
    ("a document vs nothing", _doc(READ), None),
]


@pytest.mark.parametrize(("state", "live"), [c[1:] for c in SAME], ids=[c[0] for c in SAME])
def test_same_meaning(state: Any, live: Any) -> None:
    assert canonical_policy(state) == canonical_policy(live)


@pytest.mark.parametrize(
    ("state", "live"), [c[1:] for c in DIFFERENT], ids=[c[0] for c in DIFFERENT]
)
def test_different_meaning(state: Any, live: Any) -> None:
    assert canonical_policy(state) != canonical_policy(live)


def test_canonical_form_is_readable_json() -> None:
    # reported as a change's expected/actual: plain JSON, no JSON nested inside strings
    assert json.loads(canonical_policy(HEREDOC_READ)) == {
        "Statement": [{"Action": ["s3:GetObject"], "Effect": "Allow", "Resource": ["*"]}],
        "Version": "2012-10-17",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("not json", "not json"),
        ('{"broken": ', '{"broken": '),
        (5, 5),
        ({"a": 1}, {"a": 1}),
        ("%7B%22a%22%3A1%7D", {"a": 1}),
    ],
)
def test_parse_policy(value: Any, expected: Any) -> None:
    assert parse_policy(value) == expected
