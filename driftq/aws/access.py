"""AwsAccess: assume-role sessions and cached, read-only, retrying clients.

Every boto3 client driftq uses comes from here. Per identity (role ARN + external id) one
session with refreshable credentials: AssumeRole runs on first use and again shortly
before expiry (botocore refreshes 15 minutes ahead). Clients are cached per (identity,
service, region), are thread-safe, and share one connection pool sized to concurrency.
The standard credential chain provides the caller's identity, and the standard
`AWS_ENDPOINT_URL` settings point everything at an emulator.

Memory does not grow with the number of accounts a process sees:
- every session (each identity's, the caller's, of every AwsAccess in the process) shares
  one loader and its derived components (endpoint resolver, exceptions factory, config
  resolvers), so each service model, endpoint ruleset and partition file is parsed once per
  process, not once per identity (a botocore session of its own loads its own copy of
  each: ~40 MB per identity for eight services);
- sessions and clients live in LRU caches bounded by ``max_sessions`` / ``max_clients``
  (sized from the concurrency): an evicted identity costs one AssumeRole when it returns.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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
SESSION_NAME = "driftq"
# what every identity's botocore session takes from the caller's instead of building its own:
# each of these holds parsed JSON (service models, endpoints, rulesets, defaults) or caches
# built from it
_SHARED = ("data_loader", "response_parser_factory")
_SHARED_INTERNAL = (
    "endpoint_resolver",
    "exceptions_factory",
    "default_config_resolver",
    "smart_defaults_factory",
)


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
        max_sessions: int | None = None,
        max_clients: int | None = None,
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
        # a unit uses a few identities (its account's, a state backend's) and clients (its
        # service in one region, the tagging API, S3 for states) at a time
        self.max_sessions = max_sessions or max(8, 2 * max_pool_connections)
        self.max_clients = max_clients or max(32, 8 * max_pool_connections)
        self._lock = threading.RLock()
        self._sessions: OrderedDict[Identity, botocore.session.Session] = OrderedDict()
        self._clients: OrderedDict[tuple[Identity, str, str], Any] = OrderedDict()
        self._caller = boto3.Session()
        self._core: botocore.session.Session = self._caller._session
        _share_models(self._core)
        self.assumed = 0  # AssumeRole sessions built (a first use, or one after eviction)

    def client(self, identity: Identity, service: str, region: str) -> Any:
        key = (identity, service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                session = self._session(identity)
                client = self._decorate(
                    session.create_client(service, region_name=region, config=self._config),
                    identity,
                    region,
                )
                self._clients[key] = client
                while len(self._clients) > self.max_clients:
                    self._clients.popitem(last=False)  # a thread using it keeps its reference
            else:
                self._clients.move_to_end(key)
            return client

    def cached(self) -> tuple[int, int]:
        """(sessions, clients) held now."""
        with self._lock:
            return len(self._sessions), len(self._clients)

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

    def _session(self, identity: Identity) -> botocore.session.Session:
        if identity.role_arn is None:
            return self._core
        session = self._sessions.get(identity)
        if session is None:
            session = self._assumed_session(identity)
            self._sessions[identity] = session
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(identity)
        return session

    def _assumed_session(self, identity: Identity) -> botocore.session.Session:
        region = self._caller.region_name or "us-east-1"
        # the caller's STS client is cached like any other (its key is the caller identity)
        sts = self.client(Identity(), "sts", region)

        def refresh() -> dict[str, str]:
            params: dict[str, Any] = {
                "RoleArn": identity.role_arn,
                "RoleSessionName": SESSION_NAME,
                "DurationSeconds": self._duration,
            }
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
        _share_models(core)
        core._credentials = credentials  # the documented way to hand botocore refreshable creds
        self.assumed += 1
        return core


_models: botocore.session.Session | None = None
_models_lock = threading.Lock()


def models_session() -> botocore.session.Session:
    """The process's one botocore session whose loader and resolvers every session uses
    (built lazily; a forked worker process inherits the parent's, already parsed)."""
    global _models
    with _models_lock:
        if _models is None:
            # boto3's session adds boto3's own data folder to the loader's search path
            _models = boto3.Session()._session
        return _models


def _share_models(core: botocore.session.Session) -> None:
    """Point ``core`` at the process's loaded models instead of a copy of its own."""
    shared = models_session()
    if core is shared:
        return
    for name in _SHARED:
        core.register_component(name, shared.get_component(name))
    for name in _SHARED_INTERNAL:
        # botocore has no public setter for these; the names are stable since botocore 1.2x
        core._register_internal_component(name, shared._get_internal_component(name))
