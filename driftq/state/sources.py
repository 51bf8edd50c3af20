"""Where states live: S3 objects (a key, keys, every *.tfstate under a prefix, workspaces)
and local files or folders. Reading uses the backend's own role when it has one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from driftq.aws import AwsAccess, Identity, translate_client_error
from driftq.config_models import Account, StateBackend
from driftq.errors import StateError

WORKSPACE_PREFIX = "env:"


@dataclass(frozen=True)
class StateDocument:
    source: str
    text: bytes
    default_region: str | None


def backend_identity(account: Account, backend: StateBackend) -> Identity:
    if backend.role_arn:
        return Identity(backend.role_arn, backend.external_id or account.external_id)
    return Identity(account.role_arn, account.external_id)


def read_states(account: Account, aws: AwsAccess) -> list[StateDocument]:
    documents: list[StateDocument] = []
    for backend in account.backends():
        if backend.type == "local":
            documents.extend(_read_local(backend, account.regions[0]))
        else:
            documents.extend(_read_s3(account, backend, aws))
    return documents


def _read_local(backend: StateBackend, fallback_region: str) -> list[StateDocument]:
    root = Path(str(backend.path)).expanduser()
    if root.is_dir():
        files = sorted(root.rglob("*.tfstate"))
    elif root.is_file():
        files = [root]
    else:
        raise StateError(f"{root}: state file or folder not found")
    region = backend.region or fallback_region
    out = []
    for file in files:
        try:
            out.append(StateDocument(str(file), file.read_bytes(), region))
        except OSError as exc:
            raise StateError(f"{file}: cannot read state: {exc.strerror}") from exc
    return out


def _read_s3(account: Account, backend: StateBackend, aws: AwsAccess) -> list[StateDocument]:
    bucket = str(backend.bucket)
    region = backend.region or account.regions[0]

    def guarded(what: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except StateError:
            raise
        except Exception as exc:
            error = translate_client_error(exc)
            raise StateError(
                f"{what}: cannot read state: {error.code}: {error.message}", code=error.code
            ) from exc

    # assuming the backend's role happens here: no credentials, or a refused AssumeRole,
    # is a state that cannot be read
    identity = backend_identity(account, backend)
    s3 = guarded(f"s3://{bucket}", lambda: aws.client(identity, "s3", region))

    keys: list[str] = []
    for key in backend.object_keys():
        keys.append(key)
        keys.extend(_workspace_keys(s3, bucket, key, backend.workspaces, guarded))
    if backend.prefix is not None:
        prefix = backend.prefix
        found = guarded(f"s3://{bucket}/{prefix}", lambda: _list_keys(s3, bucket, prefix))
        keys.extend(k for k in found if k.endswith(".tfstate") and k not in keys)
        if not any(k.endswith(".tfstate") for k in found):
            raise StateError(f"s3://{bucket}/{prefix}: no *.tfstate object under this prefix")
    out = []
    for key in keys:
        uri = f"s3://{bucket}/{key}"
        body = guarded(uri, partial(_get_object, s3, bucket, key))
        out.append(StateDocument(uri, body, region))
    return out


def _get_object(s3: Any, bucket: str, key: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()  # type: ignore[no-any-return]


def _list_keys(s3: Any, bucket: str, prefix: str) -> list[str]:
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


def _workspace_keys(
    s3: Any, bucket: str, key: str, workspaces: list[str], guarded: Callable[..., Any]
) -> list[str]:
    """Terraform's S3 backend keeps workspace `ws` at `env:/ws/<key>`."""
    if not workspaces:
        return []
    if workspaces == ["*"]:
        found = guarded(
            f"s3://{bucket}/{WORKSPACE_PREFIX}/",
            lambda: _list_keys(s3, bucket, f"{WORKSPACE_PREFIX}/"),
        )
        return sorted(
            k for k in found if k.endswith(f"/{key}") and k.count("/") == key.count("/") + 2
        )
    return [f"{WORKSPACE_PREFIX}/{ws}/{key}" for ws in workspaces]
