"""Reading states from S3 (key, keys, prefix, workspaces, the backend's own role) and disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from driftq.aws import AwsAccess
from driftq.config import parse_config
from driftq.engine import Engine
from driftq.errors import StateError
from driftq.state.sources import STATE_OBJECTS, StateObjects
from tests.support.estate import StateFile, account_session, new_account_id, unique


def _state(vpc: str) -> StateFile:
    return StateFile().add("aws_vpc", "v", {"id": vpc, "arn": f"arn:aws:ec2:us-east-1:1:vpc/{vpc}"})


def _engine(account: Any, backend: str, hooks: list[Any] | None = None) -> Engine:
    config = parse_config(
        f"""
accounts:
  - name: a
    account_id: "{account.id}"
    role_arn: {account.role_arn}
    external_id: account-ext
    regions: [us-east-1]
    state_backend: {backend}
"""
    )
    return Engine(config, aws=AwsAccess(hooks=hooks))


@pytest.fixture
def state_bucket(account: Any) -> str:
    bucket = unique("tfstate")
    account.client("s3").create_bucket(Bucket=bucket)
    return bucket


def test_key_keys_and_prefix(account: Any, state_bucket: str) -> None:
    for key, vpc in [
        ("a.tfstate", "vpc-a"),
        ("stacks/b.tfstate", "vpc-b"),
        ("stacks/deep/c.tfstate", "vpc-c"),
    ]:
        _state(vpc).upload(account.session, state_bucket, key)
    account.client("s3").put_object(
        Bucket=state_bucket, Key="stacks/notes.txt", Body=b"not a state"
    )

    def ids(backend: str) -> list[str]:
        return sorted(r.id for r in _engine(account, backend).state_index("a").resources)

    assert ids(f"{{bucket: {state_bucket}, key: a.tfstate}}") == ["vpc-a"]
    assert ids(f"{{bucket: {state_bucket}, keys: [a.tfstate, stacks/b.tfstate]}}") == [
        "vpc-a",
        "vpc-b",
    ]
    assert ids(f"{{bucket: {state_bucket}, prefix: stacks/}}") == ["vpc-b", "vpc-c"]
    sources = {
        r.state
        for r in _engine(account, f"{{bucket: {state_bucket}, prefix: stacks/}}")
        .state_index("a")
        .resources
    }
    assert sources == {
        f"s3://{state_bucket}/stacks/b.tfstate",
        f"s3://{state_bucket}/stacks/deep/c.tfstate",
    }


def test_workspaces(account: Any, state_bucket: str) -> None:
    _state("vpc-default").upload(account.session, state_bucket, "app/terraform.tfstate")
    _state("vpc-staging").upload(
        account.session, state_bucket, "env:/staging/app/terraform.tfstate"
    )
    _state("vpc-prod").upload(account.session, state_bucket, "env:/prod/app/terraform.tfstate")
    _state("vpc-other").upload(account.session, state_bucket, "env:/prod/other/terraform.tfstate")
    base = f"bucket: {state_bucket}, key: app/terraform.tfstate"
    every = _engine(account, f"{{{base}, workspaces: ['*']}}").state_index("a").resources
    assert sorted(r.id for r in every) == ["vpc-default", "vpc-prod", "vpc-staging"]
    named = _engine(account, f"{{{base}, workspaces: [prod]}}").state_index("a").resources
    assert sorted(r.id for r in named) == ["vpc-default", "vpc-prod"]


def test_state_bucket_is_read_through_its_own_role(account: Any) -> None:
    """The state lives in another account; driftq reads it through the backend's role."""
    state_account = new_account_id()
    state_session = account_session(state_account)
    bucket = unique("central-state")
    state_session.client("s3").create_bucket(Bucket=bucket)
    _state("vpc-central").upload(state_session, bucket, "team.tfstate")
    calls: list[dict[str, Any]] = []

    def record(model: Any, params: Any, **_: Any) -> None:
        if model.name == "AssumeRole":
            calls.append(dict(params["body"]))

    role = f"arn:aws:iam::{state_account}:role/TerraformStateReader"
    engine = _engine(
        account,
        f"{{bucket: {bucket}, key: team.tfstate, role_arn: {role}, external_id: state-ext}}",
        [("before-call", record)],
    )
    assert [r.id for r in engine.state_index("a").resources] == ["vpc-central"]
    assert [(c["RoleArn"], c["ExternalId"]) for c in calls] == [(role, "state-ext")]


@pytest.mark.parametrize(
    ("backend", "message"),
    [
        (
            "{bucket: BUCKET, key: nope.tfstate}",
            "s3://BUCKET/nope.tfstate: cannot read state: NoSuchKey",
        ),
        (
            "{bucket: BUCKET, prefix: empty/}",
            "s3://BUCKET/empty/: no *.tfstate object under this prefix",
        ),
        ("{bucket: BUCKET, key: broken.tfstate}", "s3://BUCKET/broken.tfstate: not valid JSON"),
    ],
)
def test_unreadable_s3_states_name_the_object(
    account: Any, state_bucket: str, backend: str, message: str
) -> None:
    account.client("s3").put_object(
        Bucket=state_bucket, Key="broken.tfstate", Body=b'{"version": 4, '
    )
    with pytest.raises(StateError) as info:
        _engine(account, backend.replace("BUCKET", state_bucket)).state_index("a")
    assert message.replace("BUCKET", state_bucket) in str(info.value)


def test_local_folder_reads_every_tfstate(account: Any, tmp_path: Path) -> None:
    _state("vpc-1").write(tmp_path / "one" / "terraform.tfstate")
    _state("vpc-2").write(tmp_path / "two.tfstate")
    (tmp_path / "readme.txt").write_text("ignored")
    engine = _engine(account, f'{{type: local, path: "{tmp_path}"}}')
    assert sorted(r.id for r in engine.state_index("a").resources) == ["vpc-1", "vpc-2"]
    with pytest.raises(StateError, match="state file or folder not found"):
        _engine(account, f'{{type: local, path: "{tmp_path}/missing"}}').state_index("a")


def test_an_unchanged_state_object_is_not_downloaded_again(account: Any, state_bucket: str) -> None:
    """A process reading an account's states again (its index was evicted, or a new run)
    asks with the ETag it has, and S3 sends no body while the object is unchanged."""
    _state("vpc-first").upload(account.session, state_bucket, "app.tfstate")
    calls: list[dict[str, Any]] = []

    def record(model: Any, params: Any, **_: Any) -> None:
        if model.name == "GetObject":
            calls.append(dict(params.get("headers") or {}))

    backend = f"{{bucket: {state_bucket}, key: app.tfstate}}"

    def ids() -> list[str]:
        engine = _engine(account, backend, [("before-call", record)])
        return [r.id for r in engine.state_index("a").resources]

    before = STATE_OBJECTS.downloads
    assert ids() == ["vpc-first"]
    assert ids() == ["vpc-first"]
    assert STATE_OBJECTS.downloads == before + 1
    assert "If-None-Match" not in calls[0]
    assert "If-None-Match" in calls[1]
    _state("vpc-second").upload(account.session, state_bucket, "app.tfstate")
    assert ids() == ["vpc-second"]  # changed: downloaded again
    assert STATE_OBJECTS.downloads == before + 2


def test_state_object_cache_is_bounded_by_bytes() -> None:
    objects = StateObjects(max_bytes=1000)
    for n in range(50):
        objects.put("bucket", f"key{n}", f'"etag{n}"', b"x" * 200)
        assert objects.size <= 1000
    assert len(objects) == 5
    assert objects.get("bucket", "key49") == ('"etag49"', b"x" * 200)
    assert objects.get("bucket", "key0") is None
    objects.put("bucket", "huge", '"e"', b"x" * 400)  # over a quarter of the bound: not kept
    assert objects.get("bucket", "huge") is None


def test_engine_keeps_a_bounded_number_of_accounts_states(tmp_path: Path) -> None:
    """A worker process sees hundreds of accounts: it keeps the parsed states of the last
    few, reads each once while its units keep coming, and again only after eviction."""
    accounts = []
    for n in range(8):
        _state(f"vpc-{n}").write(tmp_path / f"s{n}.tfstate")
        accounts.append(
            f"""
  - name: a{n}
    account_id: "{100000000000 + n}"
    regions: [us-east-1]
    state_backend: {{type: local, path: "{tmp_path}/s{n}.tfstate"}}"""
        )
    config = parse_config("accounts:" + "".join(accounts) + "\n")
    engine = Engine(config, max_indexes=3)
    for n in range(8):
        for _ in range(4):  # an account's units arrive together
            assert [r.id for r in engine.state_index(f"a{n}").resources] == [f"vpc-{n}"]
        assert engine.cached_indexes() <= 3
    assert engine.state_reads == 8
    engine.state_index("a7")  # still cached
    assert engine.state_reads == 8
    engine.state_index("a0")  # evicted: read again
    assert engine.state_reads == 9
    unbounded = Engine(config)
    for n in range(8):
        unbounded.state_index(f"a{n}")
    assert unbounded.cached_indexes() == 8
