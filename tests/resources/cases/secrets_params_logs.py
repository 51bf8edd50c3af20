"""Secrets Manager, SSM and CloudWatch Logs cases: a secret with a resource policy, a
SecureString parameter (its value never read), a log group with retention."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, jsonencode, tags_state
from tests.support.estate import unique


def _tag_list(name: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]


def _secret(account: Any) -> Built:
    name = unique("db-password")
    secrets = account.client("secretsmanager")
    arn = secrets.create_secret(
        Name=name,
        Description="db",
        SecretString="s3cr3t",
        Tags=_tag_list(name),
        AddReplicaRegions=[{"Region": "eu-west-1"}],
    )["ARN"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account.id}:root"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ],
    }
    secrets.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps(policy))
    state = {
        "id": arn,
        "arn": arn,
        "name": name,
        "name_prefix": "",
        "description": "db",
        "kms_key_id": "",
        "policy": jsonencode(policy),
        "force_overwrite_replica_secret": False,
        "recovery_window_in_days": 30,
        # as the provider writes a replica under the default key
        "replica": [
            {
                "region": "eu-west-1",
                "kms_key_id": "",
                "last_accessed_date": "",
                "status": "InSync",
                "status_message": "",
            }
        ],
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_secretsmanager_secret", "s", state)], import_id=arn)


def _parameter(account: Any) -> Built:
    name = f"/{unique('app')}/db/password"
    account.client("ssm").put_parameter(
        Name=name,
        Value="never-read",
        Type="SecureString",
        Description="db password",
        Tags=_tag_list(name),
    )
    state = {
        "id": name,
        "name": name,
        "arn": f"arn:aws:ssm:us-east-1:{account.id}:parameter{name}",
        "type": "SecureString",
        "description": "db password",
        "allowed_pattern": "",
        "tier": "Standard",
        "data_type": "text",
        "key_id": "alias/aws/ssm",
        "version": 1,
        "value": "never-read",
        "insecure_value": None,
        "overwrite": None,
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_ssm_parameter", "p", state)], import_id=name)


def _log_group(account: Any) -> Built:
    name = f"/app/{unique('logs')}"
    logs = account.client("logs")
    logs.create_log_group(logGroupName=name, tags={"Name": name, **DEFAULT_TAGS})
    logs.put_retention_policy(logGroupName=name, retentionInDays=30)
    state = {
        "id": name,
        "name": name,
        "name_prefix": "",
        "arn": f"arn:aws:logs:us-east-1:{account.id}:log-group:{name}",
        "retention_in_days": 30,
        "kms_key_id": "",
        "log_group_class": "STANDARD",
        "deletion_protection_enabled": False,
        "skip_destroy": False,
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_cloudwatch_log_group", "g", state)], import_id=name)


CASES = [
    TypeCase(type="aws_secretsmanager_secret", build=_secret),
    TypeCase(
        type="aws_ssm_parameter",
        build=_parameter,
        # the default key and tier are "not set"
        mutations={"key_id": "alias/custom", "tier": "Advanced"},
    ),
    TypeCase(type="aws_cloudwatch_log_group", build=_log_group),
]
