"""Reading states from S3 (key, keys, prefix, workspaces, the backend's own role) and disk."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from driftq.aws import AwsAccess
from driftq.config import parse_config
from driftq.engine import Engine
from driftq.errors import StateError
from driftq.state import sources
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


def test_a_key_used_only_through_named_workspaces(account: Any, state_bucket: str) -> None:
    """CI set-ups often never use the default workspace: no object at the plain key, the
    states at `env:/<ws>/<key>` (or the backend's `workspace_key_prefix`)."""
    _state("vpc-staging").upload(account.session, state_bucket, "env:/staging/ci/app.tfstate")
    _state("vpc-prod").upload(account.session, state_bucket, "env:/prod/ci/app.tfstate")
    _state("vpc-nested").upload(account.session, state_bucket, "env:/prod/x/ci/app.tfstate")
    found = _engine(account, f"{{bucket: {state_bucket}, key: ci/app.tfstate}}")
    assert sorted(r.id for r in found.state_index("a").resources) == ["vpc-prod", "vpc-staging"]
    named = _engine(account, f"{{bucket: {state_bucket}, key: ci/app.tfstate, workspaces: [prod]}}")
    assert [r.id for r in named.state_index("a").resources] == ["vpc-prod"]

    _state("vpc-ws").upload(account.session, state_bucket, "workspaces/team/ws1/svc.tfstate")
    custom = _engine(
        account,
        f"{{bucket: {state_bucket}, key: svc.tfstate, workspace_key_prefix: workspaces/team}}",
    )
    assert [r.id for r in custom.state_index("a").resources] == ["vpc-ws"]
    with pytest.raises(StateError, match=r"no object at this key nor at env:/<workspace>/gone"):
        _engine(account, f"{{bucket: {state_bucket}, key: gone.tfstate}}").state_index("a")


def test_a_terraform_working_directory_is_a_state_folder(account: Any, tmp_path: Path) -> None:
    """`.terraform/terraform.tfstate` is the backend's settings file, not a state."""
    _state("vpc-local").write(tmp_path / "terraform.tfstate")
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "terraform.tfstate").write_text(
        '{"version": 3, "backend": {"type": "s3", "config": {"bucket": "b", "key": "k"}}}'
    )
    _state("vpc-module").write(tmp_path / "mod" / ".terraform" / "x" / "terraform.tfstate")
    engine = _engine(account, f'{{type: local, path: "{tmp_path}"}}')
    assert [r.id for r in engine.state_index("a").resources] == ["vpc-local"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: os.mkfifo(p), "not a regular file (a FIFO)"),
        (lambda p: p.symlink_to("/dev/null"), "not a regular file (a device)"),
        (lambda p: p.symlink_to(p), "Too many levels of symbolic links"),
    ],
)
def test_a_local_state_that_is_no_file_is_refused_clearly(
    account: Any, tmp_path: Path, make: Any, message: str
) -> None:
    """A FIFO nobody writes would hang a reader, a device never ends: refused before
    opening, naming what the path is (a symlink to a regular file is fine)."""
    path = tmp_path / "s.tfstate"
    make(path)
    for where in (path, tmp_path):  # named itself, or found in a state folder
        with pytest.raises(StateError) as info:
            _engine(account, f'{{type: local, path: "{where}"}}').state_index("a")
        assert str(info.value).startswith(f"{path}: cannot read state: ")
        assert message in str(info.value)
    real = tmp_path / "real" / "x.tfstate"
    _state("vpc-linked").write(real)
    linked = tmp_path / "linked.tfstate"
    linked.symlink_to(real)
    engine = _engine(account, f'{{type: local, path: "{linked}"}}')
    assert [r.id for r in engine.state_index("a").resources] == ["vpc-linked"]


def test_a_state_larger_than_the_bound_is_refused(
    account: Any, tmp_path: Path, state_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_STATE_BYTES", 1000)
    big = _state("vpc-" + "x" * 2000)
    path = big.write(tmp_path / "big.tfstate")
    with pytest.raises(StateError, match="larger than the 0 MB driftq reads from one state"):
        _engine(account, f'{{type: local, path: "{path}"}}').state_index("a")
    big.upload(account.session, state_bucket, "big.tfstate")
    with pytest.raises(StateError, match=f"s3://{state_bucket}/big.tfstate: cannot read state"):
        _engine(account, f"{{bucket: {state_bucket}, key: big.tfstate}}").state_index("a")


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
        objects.put("bucket", f"key{n}", f'"etag{n}"', b"x" * 200, "role")
        assert objects.size <= 1000
    assert len(objects) == 5
    assert objects.get("bucket", "key49") == ('"etag49"', b"x" * 200, "role")
    assert objects.get("bucket", "key0") is None
    objects.put("bucket", "huge", '"e"', b"x" * 400, "role")  # over a quarter: not kept
    assert objects.get("bucket", "huge") is None
    # a listing's ETag serves the copy only to the reader that fetched it
    assert objects.current("bucket", "key49", '"etag49"', "role") == b"x" * 200
    assert objects.current("bucket", "key49", '"etag49"', "another-role") is None
    assert objects.current("bucket", "key49", '"changed"', "role") is None


def test_states_under_a_prefix_are_not_asked_for_while_the_listing_shows_them_unchanged(
    account: Any, state_bucket: str
) -> None:
    """A worker reads an account's states once per unit it has lost the index for: the
    prefix listing carries each object's ETag, so unchanged objects cost no request."""
    _state("vpc-one").upload(account.session, state_bucket, "envs/one.tfstate")
    _state("vpc-two").upload(account.session, state_bucket, "envs/two.tfstate")
    gets: list[str] = []

    def record(model: Any, params: Any, **_: Any) -> None:
        if model.name == "GetObject":
            gets.append(params["url_path"])

    backend = f"{{bucket: {state_bucket}, prefix: envs/}}"

    def ids() -> list[str]:
        engine = _engine(account, backend, [("before-call", record)])
        return sorted(r.id for r in engine.state_index("a").resources)

    assert ids() == ["vpc-one", "vpc-two"]
    assert len(gets) == 2
    assert ids() == ["vpc-one", "vpc-two"]
    assert len(gets) == 2  # both served on the listing's ETags
    _state("vpc-three").upload(account.session, state_bucket, "envs/two.tfstate")
    assert ids() == ["vpc-one", "vpc-three"]  # the changed one is fetched again
    assert len(gets) == 3 and gets[-1].endswith("two.tfstate")


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
