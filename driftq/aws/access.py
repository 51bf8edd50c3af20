"""AwsAccess: assume-role sessions and cached, read-only, retrying clients.

Every boto3 client driftq uses comes from here. Per identity (role ARN + external id) one
session with refreshable credentials: AssumeRole runs on first use and again shortly
before expiry (botocore refreshes 15 minutes ahead). Clients are cached per (identity,
service, region), are thread-safe, and share one connection pool sized to concurrency.
The standard credential chain provides the caller's identity, and the standard
`AWS_ENDPOINT_URL` settings point everything at an emulator.

Audit: every AssumeRole names its session `driftq-<run_id>` (see ``session_name``), so
CloudTrail in each target account shows which run made each call, and carries
`SourceIdentity` when the config sets `defaults.source_identity`. The run id comes from
whoever builds the AwsAccess (one per run on the workers), never from task arguments.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
from botocore.config import Config as BotoConfig
from botocore.credentials import RefreshableCredentials

from driftq.aws import guard

Hook = tuple[str, Callable[..., Any]]
# hooks that depend on whom and where a client calls (the cluster's per-account rate limits)
ClientHooks = Callable[["Identity", str, str], Iterable[Hook]]
SESSION_NAME = "driftq"  # when no run is known (listing an organisation's accounts early)
# AssumeRole's RoleSessionName and SourceIdentity: 2-64 characters of [\w+=,.@-]
_NOT_SESSION_CHARS = re.compile(r"[^\w+=,.@-]", re.ASCII)
SESSION_NAME_MAX = 64


def session_name(run_id: str | None) -> str:
    """`driftq-<run_id>` within AssumeRole's 64 characters and allowed characters."""
    if not run_id:
        return SESSION_NAME
    return _NOT_SESSION_CHARS.sub("-", f"{SESSION_NAME}-{run_id}")[:SESSION_NAME_MAX]


@dataclass(frozen=True)
class Identity:
    """Whom to act as: the caller (role_arn None) or an assumed role."""

    role_arn: str | None = None
    external_id: str | None = None


class AwsAccess:
    def __init__(
        self,
        *,
        max_pool_connections: int = 10,
        max_attempts: int = 8,
        connect_timeout: float = 10,
        read_timeout: float = 60,
        hooks: list[Hook] | None = None,
        client_hooks: ClientHooks | None = None,
        session_duration: int = 3600,
        run_id: str | None = None,
        source_identity: str | None = None,
    ) -> None:
        self._config = BotoConfig(
            retries={"mode": "standard", "max_attempts": max_attempts},
            max_pool_connections=max_pool_connections,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            user_agent_extra="driftq",
        )
        self._hooks = list(hooks or [])
        self._client_hooks = client_hooks
        self._duration = session_duration
        self.session_name = session_name(run_id)
        self._source_identity = source_identity
        self._lock = threading.RLock()
        self._sessions: dict[Identity, boto3.Session] = {}
        self._clients: dict[tuple[Identity, str, str], Any] = {}
        self._caller = boto3.Session()

    def client(self, identity: Identity, service: str, region: str) -> Any:
        key = (identity, service, region)
        client = self._clients.get(key)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                session = self._session(identity)
                client = self._decorate(
                    session.client(service, region_name=region, config=self._config),
                    identity,
                    region,
                )
                self._clients[key] = client
            return client

    def _decorate(self, client: Any, identity: Identity, region: str) -> Any:
        guard.install(client)
        hooks = list(self._hooks)
        if self._client_hooks is not None:
            hooks.extend(
                self._client_hooks(identity, client.meta.service_model.service_name, region)
            )
        for event, handler in hooks:
            client.meta.events.register(event, handler)
        return client

    def _session(self, identity: Identity) -> boto3.Session:
        if identity.role_arn is None:
            return self._caller
        session = self._sessions.get(identity)
        if session is None:
            session = self._assumed_session(identity)
            self._sessions[identity] = session
        return session

    def _assumed_session(self, identity: Identity) -> boto3.Session:
        region = self._caller.region_name or "us-east-1"
        sts = self._decorate(
            self._caller.client("sts", region_name=region, config=self._config), Identity(), region
        )

        def refresh() -> dict[str, str]:
            params: dict[str, Any] = {
                "RoleArn": identity.role_arn,
                "RoleSessionName": self.session_name,
                "DurationSeconds": self._duration,
            }
            if self._source_identity:
                params["SourceIdentity"] = self._source_identity
            if identity.external_id:
                params["ExternalId"] = identity.external_id
            creds = sts.assume_role(**params)["Credentials"]
            return {
                "access_key": creds["AccessKeyId"],
                "secret_key": creds["SecretAccessKey"],
                "token": creds["SessionToken"],
                "expiry_time": creds["Expiration"].isoformat(),
            }

        credentials = RefreshableCredentials.create_from_metadata(
            metadata=refresh(), refresh_using=refresh, method="sts-assume-role"
        )
        core = botocore.session.get_session()
        core._credentials = credentials  # the documented way to hand botocore refreshable creds
        return boto3.Session(botocore_session=core)
