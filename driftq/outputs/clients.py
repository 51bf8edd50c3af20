"""WriteClients: the only boto3 clients allowed to change anything in AWS, and only this.

driftq writes exactly four things: report objects, metric data, SNS messages and DynamoDB
items. Every client made here carries a botocore hook, run before a request is signed,
that refuses any operation outside ``WRITE_ACTIONS``: reads included, so these clients
cannot be used to scan either. Scan clients (`driftq.aws.AwsAccess`) keep their own
read-only guard and can make none of these writes.

Credentials: the caller's own, or ``outputs.role_arn`` (assumed once, with the external id,
the session name `driftq-<run_id>` every driftq AssumeRole carries for CloudTrail, and
`defaults.source_identity` when set). botocore's own retries are off:
`driftq.outputs.retry` retries each call, so attempts are counted in one place.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from driftq.aws.access import session_name
from driftq.errors import DriftqError
from driftq.outputs.settings import Outputs

# IAM action names: <service prefix>:<operation>
WRITE_ACTIONS = frozenset(
    {
        "s3:PutObject",
        "cloudwatch:PutMetricData",
        "sns:Publish",
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
        "sts:AssumeRole",  # only to take outputs.role_arn
    }
)
SERVICES = frozenset(action.split(":")[0] for action in WRITE_ACTIONS)


class WriteNotAllowed(DriftqError):
    """An output client was asked for an AWS operation outside the write allow-list."""

    def __init__(self, action: str) -> None:
        super().__init__(
            f"driftq's output clients refuse {action}; they may only call "
            f"{', '.join(sorted(WRITE_ACTIONS))}"
        )
        self.action = action


def action_of(model: Any) -> str:
    return f"{model.service_model.service_name}:{model.name}"


def refuse_others(model: Any, **_: Any) -> None:
    action = action_of(model)
    if action not in WRITE_ACTIONS:
        raise WriteNotAllowed(action)


class WriteClients:
    def __init__(
        self,
        *,
        role_arn: str | None = None,
        external_id: str | None = None,
        run_id: str = "run",
        region: str | None = None,
        source_identity: str | None = None,
        connect_timeout: float = 5,
        read_timeout: float = 30,
    ) -> None:
        self._role_arn = role_arn
        self._external_id = external_id
        self._run_id = run_id
        self._source_identity = source_identity
        self._caller = boto3.Session()
        self.default_region = region or self._caller.region_name or "us-east-1"
        self._config = BotoConfig(
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            user_agent_extra="driftq-outputs",
        )
        self._lock = threading.Lock()
        self._session: boto3.Session | None = None
        self._clients: dict[tuple[str, str], Any] = {}

    @classmethod
    def for_outputs(
        cls, outputs: Outputs, run_id: str, source_identity: str | None = None
    ) -> WriteClients:
        return cls(
            role_arn=outputs.role_arn,
            external_id=outputs.external_id,
            run_id=run_id,
            region=outputs.region,
            source_identity=source_identity,
        )

    def client(self, service: str, region: str | None = None) -> Any:
        if service not in SERVICES or service == "sts":
            raise WriteNotAllowed(f"{service}:*")
        key = (service, region or self.default_region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = _guarded(
                    self._session_for_writes().client(
                        service, region_name=key[1], config=self._config
                    )
                )
                self._clients[key] = client
            return client

    def _session_for_writes(self) -> boto3.Session:
        if self._role_arn is None:
            return self._caller
        if self._session is None:
            sts = _guarded(
                self._caller.client("sts", region_name=self.default_region, config=self._config)
            )
            params: dict[str, Any] = {
                "RoleArn": self._role_arn,
                "RoleSessionName": session_name(self._run_id),
            }
            if self._external_id:
                params["ExternalId"] = self._external_id
            if self._source_identity:
                params["SourceIdentity"] = self._source_identity
            creds = sts.assume_role(**params)["Credentials"]
            self._session = boto3.Session(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )
        return self._session


def _guarded(client: Any) -> Any:
    client.meta.events.register_first("before-call", refuse_others, unique_id="driftq-writes-only")
    return client
