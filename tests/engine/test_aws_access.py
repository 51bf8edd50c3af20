"""The AWS layer against a real moto server: assume-role with external id, caching.

The read-only guard has its own tests (test_read_only_guard.py)."""

from __future__ import annotations

import string
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import botocore.loaders
import pytest

from driftq.aws import AwsAccess, Identity, session_name
from driftq.aws.access import _CURRENT, _retry_checker, models_session
from driftq.engine import Engine
from driftq.errors import ConfigError
from tests.conftest import single_account_config
from tests.support.estate import new_account_id


class CallLog:
    """A botocore before-call hook that records what driftq sends."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def __call__(self, model: Any, params: Any, **_: Any) -> None:
        body = params.get("body") if isinstance(params, dict) else None
        body = body if isinstance(body, dict) else {}  # JSON protocols send bytes
        self.calls.append((model.service_model.service_name, model.name, dict(body)))


def test_assume_role_sends_the_external_id(account: Any) -> None:
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)])
    identity = Identity(account.role_arn, "driftq-external-42")
    access.client(identity, "ec2", "us-east-1").describe_vpcs()
    assume = [c for c in log.calls if c[1] == "AssumeRole"]
    assert len(assume) == 1
    assert assume[0][2]["RoleArn"] == account.role_arn
    assert assume[0][2]["ExternalId"] == "driftq-external-42"


def test_clients_and_credentials_are_cached_per_identity(account: Any) -> None:
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)])
    identity = Identity(account.role_arn, "ext-id")
    first = access.client(identity, "ec2", "us-east-1")
    assert access.client(identity, "ec2", "us-east-1") is first
    access.client(identity, "ec2", "us-west-2").describe_vpcs()
    access.client(identity, "iam", "us-east-1").list_roles()
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") == 1


def test_assumed_identity_sees_only_its_account(account: Any) -> None:
    account.client("sqs").create_queue(QueueName="only-here")
    access = AwsAccess()
    mine = access.client(Identity(account.role_arn, "ext"), "sqs", "us-east-1")
    other = access.client(Identity("arn:aws:iam::123412341234:role/x", "ext"), "sqs", "us-east-1")
    assert any("only-here" in url for url in mine.list_queues().get("QueueUrls", []))
    assert not any("only-here" in url for url in other.list_queues().get("QueueUrls", []))


def test_endpoint_url_setting_is_honoured(aws: Any) -> None:
    client = AwsAccess().client(Identity(), "sqs", "us-east-1")
    assert client.meta.endpoint_url == aws.url


def test_credentials_are_refreshed_before_they_expire(account: Any) -> None:
    """Short-lived role credentials (15 min, inside botocore's refresh window) are renewed
    with a new AssumeRole before use instead of failing with ExpiredToken mid-run."""
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)], session_duration=900)
    client = access.client(Identity(account.role_arn, "ext"), "ec2", "us-east-1")
    client.describe_vpcs()
    client.describe_vpcs()
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") >= 2
    long_lived = AwsAccess(hooks=[("before-call", log)])
    log.calls.clear()
    client = long_lived.client(Identity(account.role_arn, "ext"), "ec2", "us-east-1")
    client.describe_vpcs()
    client.describe_vpcs()
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") == 1


def _caller_arn(access: AwsAccess, identity: Identity) -> str:
    """Who AWS says the assumed credentials are (GetCallerIdentity is not on the scan
    clients' allow-list, so ask with a plain client holding the same credentials)."""
    creds = access._credentials(identity).get_frozen_credentials()
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key,
        aws_session_token=creds.token,
    )
    return str(sts.get_caller_identity()["Arn"])


def test_role_sessions_are_named_after_the_run(account: Any) -> None:
    """CloudTrail in the target account shows which run made each call: the assumed-role
    ARN ends in the session name `driftq-<run_id>`."""
    run_id = "20260101T120000Z-a1b2c3"
    access = AwsAccess(run_id=run_id)
    arn = _caller_arn(access, Identity(account.role_arn, "ext"))
    assert arn == f"arn:aws:sts::{account.id}:assumed-role/DriftqScanner/driftq-{run_id}"


def test_session_names_keep_to_assume_roles_rules() -> None:
    assert session_name(None) == "driftq"
    assert session_name("r1 2/3:4") == "driftq-r1-2-3-4"
    assert session_name("ok+=,.@-_x") == "driftq-ok+=,.@-_x"
    name = session_name("20260101T000000Z-" + "é" * 80)
    assert len(name) == 64 and name.startswith("driftq-20260101T000000Z--")
    assert set(name) <= set(string.ascii_letters + string.digits + "_+=,.@-")


def test_source_identity_is_sent_when_configured(account: Any) -> None:
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)], run_id="r1", source_identity="alice")
    access.client(Identity(account.role_arn, "ext"), "ec2", "us-east-1").describe_vpcs()
    (assume,) = [c for c in log.calls if c[1] == "AssumeRole"]
    assert assume[2]["SourceIdentity"] == "alice"
    assert assume[2]["RoleSessionName"] == "driftq-r1"
    plain = CallLog()
    AwsAccess(hooks=[("before-call", plain)]).client(
        Identity(account.role_arn, "ext"), "ec2", "us-east-1"
    ).describe_vpcs()
    assert all("SourceIdentity" not in c[2] for c in plain.calls if c[1] == "AssumeRole")


def test_the_engine_names_sessions_after_its_run(account: Any, tmp_path: Path) -> None:
    """The run id reaches the engine's client factory (the workers build their Engine per
    run the same way), and `defaults.source_identity` comes from the config."""
    state = tmp_path / "s.tfstate"
    state.write_text('{"version": 4, "resources": []}')
    config = single_account_config(
        account, state, extra="defaults:\n  source_identity: ci-pipeline\n"
    )
    engine = Engine(config, run_id="20260101T120000Z-beefed")
    acct = config.accounts[0]
    assert engine.aws.session_name == "driftq-20260101T120000Z-beefed"
    arn = _caller_arn(engine.aws, Identity(acct.role_arn, acct.external_id))
    assert arn.endswith("/DriftqScanner/driftq-20260101T120000Z-beefed")
    assert engine.aws._source_identity == "ci-pipeline"


def test_a_source_identity_aws_would_refuse_is_a_config_error(account: Any, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="source_identity"):
        single_account_config(
            account, tmp_path / "s", extra="defaults:\n  source_identity: has space\n"
        )


class CountingFileLoader(botocore.loaders.JSONFileLoader):
    """botocore's own file loader, counting which model files it parses."""

    def __init__(self) -> None:
        self.loaded: Counter[str] = Counter()

    def load_file(self, file_path: str) -> Any:
        self.loaded[file_path] += 1
        return super().load_file(file_path)


def test_service_models_are_parsed_once_for_every_identity(aws: Any) -> None:
    """Hundreds of assumed roles share one set of parsed models: memory stays flat."""
    loader = models_session().get_component("data_loader")
    counting = CountingFileLoader()
    original, loader.file_loader = loader.file_loader, counting
    try:
        access = AwsAccess()
        # five roles of one account: five identities (the models are per process, whoever
        # the identity; a new account costs the emulator seconds)
        account_id = new_account_id()
        for n in range(5):
            identity = Identity(f"arn:aws:iam::{account_id}:role/scan-{n}", "ext")
            for service in ("ec2", "sqs"):
                access.client(identity, service, "us-east-1")
                access.client(identity, service, "eu-west-1")
        AwsAccess().client(Identity(), "sqs", "us-east-1")  # another AwsAccess, same models
    finally:
        loader.file_loader = original
    assert access.assumed == 5
    twice = {path: n for path, n in counting.loaded.items() if n > 1}
    assert not twice, f"model files parsed more than once: {twice}"


def test_session_and_client_caches_stay_bounded(aws: Any) -> None:
    log = CallLog()
    access = AwsAccess(hooks=[("before-call", log)], max_sessions=3, max_clients=5)
    # eight identities (the caches are keyed by identity, not by account): eight roles of one
    # account, since each new account costs the emulator seconds
    account_id = new_account_id()
    identities = [Identity(f"arn:aws:iam::{account_id}:role/scan-{n}", "ext") for n in range(8)]
    for identity in identities:
        access.client(identity, "sqs", "us-east-1")  # AssumeRole happens here
        access.client(identity, "sns", "us-east-1")
        sessions, clients = access.cached()
        assert sessions <= 3
        assert clients <= 5
    assert access.assumed == 8
    # the most recent identity is still cached; the first one was evicted and assumes again
    last = access.client(identities[-1], "sqs", "us-east-1")
    assert access.client(identities[-1], "sqs", "us-east-1") is last
    assert access.assumed == 8
    access.client(identities[0], "sqs", "us-east-1").list_queues()
    assert access.assumed == 9
    assert sum(1 for c in log.calls if c[1] == "AssumeRole") == 9


def test_default_bounds_keep_a_large_estates_credentials() -> None:
    """Credentials are a few KB each: a process keeps those of thousands of accounts, so an
    account whose units come back later does not assume its role again."""
    small, large = AwsAccess(max_pool_connections=2), AwsAccess(max_pool_connections=5000)
    assert small.max_sessions >= 1000
    assert large.max_sessions >= 5000  # never fewer than the units that run at once
    assert large.max_clients >= 5000


def test_identities_share_one_client_and_each_call_is_its_own(account: Any) -> None:
    """One botocore client per (service, region) serves every identity: calls from several
    threads, interleaved, are each signed as their handle's identity and run that identity's
    hooks (the per-account rate-limit buckets)."""
    other = f"arn:aws:iam::{new_account_id()}:role/DriftqScanner"
    seen: list[tuple[str, str]] = []

    def client_hooks(identity: Identity, service: str, region: str) -> list[Any]:
        def before_send(request: Any, **_: Any) -> None:
            # the access key in the signature says whose credentials signed this request
            seen.append((str(identity.role_arn), _access_key(request)))

        return [("before-send", before_send)]

    access = AwsAccess(client_hooks=client_hooks)
    account.client("sqs").create_queue(QueueName="shared-client-mine")
    handles = {
        arn: access.client(Identity(arn, "ext"), "sqs", "us-east-1")
        for arn in (account.role_arn, other)
    }
    keys = {arn: _frozen_key(access, Identity(arn, "ext")) for arn in handles}
    assert len(set(keys.values())) == 2
    # one botocore client behind both handles (and one for the caller's AssumeRole calls)
    assert set(access._shared) == {("sqs", "us-east-1"), ("sts", "us-east-1")}

    def listing(arn: str) -> list[bool]:
        return [
            any("shared-client-mine" in u for u in handles[arn].list_queues().get("QueueUrls", []))
            for _ in range(5)
        ]

    with ThreadPoolExecutor(4) as pool:
        mine = pool.submit(listing, account.role_arn)
        theirs = pool.submit(listing, other)
        assert all(mine.result()) and not any(theirs.result())
    scans = [(arn, key) for arn, key in seen if arn in keys]  # not the AssumeRole calls
    wrong = [(arn, key) for arn, key in scans if key != keys[arn]]
    assert not wrong, f"calls signed as another identity: {wrong}"
    assert len(scans) == 10


def _frozen_key(access: AwsAccess, identity: Identity) -> str:
    return str(access._credentials(identity).get_frozen_credentials().access_key)


def _access_key(request: Any) -> str:
    authorization = request.headers.get("Authorization", b"")
    text = authorization.decode() if isinstance(authorization, bytes) else authorization
    return text.split("Credential=", 1)[1].split("/", 1)[0]


def test_each_identity_keeps_its_own_retry_quota(aws: Any) -> None:
    """botocore stops retrying a client whose quota of retries is spent: with one client
    shared by every identity, one account's throttling storm would end the retries of all
    accounts in the process. The quota stays per identity, as it was per client."""
    access = AwsAccess()
    first = access.client(Identity(), "sqs", "us-east-1")
    second = access.client(Identity(None, "another"), "sqs", "us-east-1")
    checker = _retry_checker(access._shared[("sqs", "us-east-1")].client)

    def spend(handle: Any) -> int:
        spent = 0
        token = _CURRENT.set(handle._driftq_bound)
        try:
            while checker._quota.acquire(5):
                spent += 5
        finally:
            _CURRENT.reset(token)
        return spent

    assert spend(first) == 500
    assert spend(second) == 500  # the first identity's storm left the second's retries
