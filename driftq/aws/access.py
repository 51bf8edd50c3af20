"""AwsAccess: assume-role credentials and cached, read-only, retrying clients.

Every boto3 client driftq uses comes from here. Per identity (role ARN + external id) one
set of refreshable credentials: AssumeRole runs on first use and again shortly before
expiry (botocore refreshes 15 minutes ahead). Clients are cached per (identity, service,
region), are thread-safe, and share one connection pool sized to concurrency. The
standard credential chain provides the caller's identity, and the standard
`AWS_ENDPOINT_URL` settings point everything at an emulator.

Audit: every AssumeRole names its session `driftq-<run_id>` (see ``session_name``), so
CloudTrail in each target account shows which run made each call, and carries
`SourceIdentity` when the config sets `defaults.source_identity`. The run id comes from
whoever builds the AwsAccess (one per run on the workers), never from task arguments.

Memory and CPU do not grow with the number of accounts a process sees:
- all clients of an AwsAccess come from one botocore session, and every such session in the
  process shares one loader and its derived components (endpoint resolver, exceptions
  factory, config resolvers): each service model, endpoint ruleset and partition file is
  parsed once per process, not once per identity (a botocore session per identity loaded
  its own copy of each: ~40 MB per identity for eight services);
- one botocore client per (service, region) serves every identity: building a client costs
  ~25 ms of CPU (its event handlers copied, its endpoint ruleset and config resolved), which
  at hundreds of accounts was most of a unit's CPU. What ``client()`` hands out is a handle:
  the shared client's attributes plus its own ``_make_api_call``, which puts the handle's
  identity (its credentials and its per-identity hooks) in a context variable for the call.
  The shared client's signer reads the credentials from there, and one dispatcher per event
  runs the identity's hooks (the per-account rate-limit buckets); botocore's retry quota is
  kept per handle too. A handle costs microseconds; the shared client's connection pool
  serves all accounts. Hooks registered on a handle's ``meta.events`` reach every identity
  of that service and region: per-identity hooks go through ``client_hooks``;
- a client's class is built once per service (botocore builds it for every client);
- credentials live in an LRU cache bounded by ``max_sessions`` (one RefreshableCredentials
  per identity, a few KB: by default enough for thousands of accounts, so an account whose
  units come back later on this process does not assume its role again), handles in one
  bounded by ``max_clients``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.client import ClientCreator
from botocore.config import Config as BotoConfig
from botocore.credentials import Credentials, RefreshableCredentials
from botocore.retries.quota import RetryQuota
from botocore.retries.standard import RetryQuotaChecker

from driftq.aws import emulator, guard

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
        run_id: str | None = None,
        source_identity: str | None = None,
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
        self.session_name = session_name(run_id)
        self._source_identity = source_identity
        # credentials are small (no client hangs on them): keep every identity a process
        # sees in a run, up to thousands; handles are cheap to rebuild
        self.max_sessions = max_sessions or max(4096, 2 * max_pool_connections)
        self.max_clients = max_clients or max(256, 8 * max_pool_connections)
        self._lock = threading.RLock()
        # per assumed identity its refreshable credentials (all clients come from one session)
        self._sessions: OrderedDict[Identity, RefreshableCredentials] = OrderedDict()
        self._clients: OrderedDict[tuple[Identity, str, str], Any] = OrderedDict()
        # the botocore clients behind the handles: one per (service, region), so bounded by
        # the services and regions scanned
        self._shared: dict[tuple[str, str], _Shared] = {}
        self._caller = boto3.Session()
        self._core: botocore.session.Session = self._caller._session
        _share_models(self._core)
        self.assumed = 0  # identities assumed (a first use, or one after eviction)

    def client(self, identity: Identity, service: str, region: str) -> Any:
        key = (identity, service, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._new_handle(identity, service, region)
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

    def _new_handle(self, identity: Identity, service: str, region: str) -> Any:
        shared = self._shared_client(service, region)
        if identity.role_arn is None:
            credentials = self._core.get_credentials()
        else:
            credentials = self._credentials(identity)
        hooks: dict[str, list[Callable[..., Any]]] = {}
        if self._client_hooks is not None:
            for event, handler in self._client_hooks(identity, shared.service_name, region):
                hooks.setdefault(event, []).append(handler)
        for event in hooks.keys() - shared.dispatched:
            # registered once per shared client and event (the rate limiter names the same
            # two events for every identity, so this happens before the client is shared)
            shared.client.meta.events.register(
                event, _Dispatcher(event), unique_id=f"driftq-identity-{event}"
            )
            shared.dispatched.add(event)
        return _bind(shared.client, _Bound(credentials, hooks))

    def _shared_client(self, service: str, region: str) -> _Shared:
        shared = self._shared.get((service, region))
        if shared is None:
            # placeholder keys: the signer's credentials are replaced by the handle's
            client = self._core.create_client(
                service,
                region_name=region,
                config=self._config,
                aws_access_key_id="driftq-handle",
                aws_secret_access_key="driftq-handle",
            )
            client._request_signer._credentials = _HandleCredentials()
            _retry_checker(client)._quota = _HandleRetryQuota()
            guard.install(client)
            emulator.adapt(client)
            for event, handler in self._hooks:
                client.meta.events.register(event, handler)
            shared = _Shared(client, client.meta.service_model.service_name)
            self._shared[(service, region)] = shared
        return shared

    def _credentials(self, identity: Identity) -> RefreshableCredentials:
        credentials = self._sessions.get(identity)
        if credentials is None:
            credentials = self._assume(identity)
            self._sessions[identity] = credentials
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(identity)
        return credentials

    def _assume(self, identity: Identity) -> RefreshableCredentials:
        region = self._caller.region_name or "us-east-1"
        # the caller's STS client is cached like any other (its key is the caller identity)
        sts = self.client(Identity(), "sts", region)

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
        self.assumed += 1
        return credentials


@dataclass(frozen=True)
class _Bound:
    """What a handle's calls sign with and which per-identity hooks they run."""

    credentials: Credentials | None
    hooks: dict[str, list[Callable[..., Any]]]
    retry_quota: RetryQuota = field(default_factory=RetryQuota)


# the identity of the call in progress on this thread (set by a handle's _make_api_call)
_CURRENT: ContextVar[_Bound | None] = ContextVar("driftq_aws_identity", default=None)


@dataclass
class _Shared:
    client: Any
    service_name: str
    dispatched: set[str] = field(default_factory=set)


class _HandleCredentials:
    """A shared client's signer credentials: those of the handle whose call is signed.
    RefreshableCredentials refresh themselves (AssumeRole again) when due."""

    def get_frozen_credentials(self) -> Any:
        bound = _CURRENT.get()
        if bound is None:  # the shared client is never handed out; a bug if reached
            raise RuntimeError("an AWS call outside an AwsAccess client handle")
        if bound.credentials is None:
            return None  # no caller credentials: botocore raises NoCredentialsError
        return bound.credentials.get_frozen_credentials()


class _HandleRetryQuota:
    """botocore's retry quota (a circuit breaker: a client whose retries failed ~100 times
    stops retrying), kept per handle as botocore keeps it per client. One quota for the
    shared client would let a throttling storm in some accounts end every account's
    retries in the process."""

    def acquire(self, capacity_amount: int) -> bool:
        bound = _CURRENT.get()
        return bound is None or bool(bound.retry_quota.acquire(capacity_amount))

    def release(self, capacity_amount: int) -> None:
        bound = _CURRENT.get()
        if bound is not None:
            bound.retry_quota.release(capacity_amount)


def _retry_checker(client: Any) -> RetryQuotaChecker:
    """The quota checker of the client's standard-mode retry handler (botocore keeps no
    public reference to it: found through the handler registered for needs-retry)."""
    event = f"needs-retry.{client.meta.service_model.service_id.hyphenize()}"
    for handler in client.meta.events._emitter._handlers.prefix_search(event):
        checker = getattr(getattr(handler, "__self__", None), "_retry_quota", None)
        if isinstance(checker, RetryQuotaChecker):
            return checker
    raise RuntimeError(f"no standard-mode retry quota on the {event} handlers")


class _Dispatcher:
    """The shared client's handler of one event: runs the calling identity's hooks; the
    first answer that is not None is the event's answer (as botocore's emitters take it)."""

    def __init__(self, event: str) -> None:
        self.event = event

    def __call__(self, **kwargs: Any) -> Any:
        bound = _CURRENT.get()
        for handler in bound.hooks.get(self.event, ()) if bound is not None else ():
            answer = handler(**kwargs)
            if answer is not None:
                return answer
        return None


def _bind(client: Any, bound: _Bound) -> Any:
    """A handle on ``client`` that calls AWS as ``bound``: the same class and attributes
    (methods, paginators, exceptions, meta), but its own ``_make_api_call``, which every
    operation method and paginator of the handle goes through."""
    handle = object.__new__(type(client))
    handle.__dict__.update(client.__dict__)
    call = client._make_api_call

    def _make_api_call(operation_name: str, api_params: dict[str, Any]) -> Any:
        token = _CURRENT.set(bound)
        try:
            return call(operation_name, api_params)
        finally:
            _CURRENT.reset(token)

    handle._make_api_call = _make_api_call
    handle._driftq_bound = bound
    return handle


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


_client_classes: dict[tuple[str, str], type] = {}
_create_client_class = ClientCreator._create_client_class


def _cached_client_class(self: ClientCreator, service_name: str, service_model: Any) -> type:
    """botocore builds a client's class anew for every client: a method per operation (EC2
    has ~750), ~30 ms of CPU each time. The class depends only on the service's model (its
    methods call ``self._make_api_call``), so one per service and API version is kept."""
    key = (service_name, service_model.api_version)
    cls = _client_classes.get(key)
    if cls is None:
        cls = _client_classes[key] = _create_client_class(self, service_name, service_model)
    return cls


ClientCreator._create_client_class = _cached_client_class  # type: ignore[method-assign]


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
