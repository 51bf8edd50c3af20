"""Where states live: S3 objects (a key, keys, every *.tfstate under a prefix, workspaces)
and local files or folders. Reading uses the backend's own role when it has one."""

from __future__ import annotations

import stat
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from driftq.aws import AwsAccess, Identity, translate_client_error
from driftq.config_models import Account, StateBackend
from driftq.errors import StateError
from driftq.files import Unreadable, read_bounded

WORKSPACE_PREFIX = "env:"  # Terraform's default workspace_key_prefix
TERRAFORM_DIR = ".terraform"
NO_OBJECT = ("NoSuchKey", "404", "NotFound")
# per state object: big estates reach tens of MB; this bounds a worker's memory per account
MAX_STATE_BYTES = 512 * 2**20


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
    try:
        is_dir = stat.S_ISDIR(root.stat().st_mode)  # follows symlinks; a loop is an error
    except FileNotFoundError as exc:
        raise StateError(f"{root}: state file or folder not found") from exc
    except OSError as exc:
        raise StateError(f"{root}: cannot read state: {_why(exc)}") from exc
    if is_dir:
        # a Terraform working directory holds `.terraform/terraform.tfstate`: the backend's
        # settings, not a state (and providers' files below .terraform/ are not ours either)
        files = sorted(
            f for f in root.rglob("*.tfstate") if TERRAFORM_DIR not in f.relative_to(root).parts
        )
    else:
        files = [root]
    region = backend.region or fallback_region
    return [StateDocument(str(file), _read_local_file(file), region) for file in files]


def _read_local_file(file: Path) -> bytes:
    """A state file's bytes: a regular file (or a symlink to one) of at most
    MAX_STATE_BYTES; a FIFO, device or socket is refused before it is opened."""
    try:
        info = file.stat()
    except OSError as exc:
        raise StateError(f"{file}: cannot read state: {_why(exc)}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise StateError(
            f"{file}: cannot read state: not a regular file ({_kind(info.st_mode)}); a local "
            "state is a .tfstate file or a folder of them"
        )
    if info.st_size > MAX_STATE_BYTES:
        raise StateError(_too_large(file, info.st_size))
    try:
        return read_bounded(file, MAX_STATE_BYTES)
    except Unreadable as exc:
        raise StateError(f"{file}: cannot read state: {exc}") from exc


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _too_large(where: object, size: int) -> str:
    return (
        f"{where}: cannot read state: {size / 2**20:.0f} MB, larger than the "
        f"{MAX_STATE_BYTES // 2**20} MB driftq reads from one state"
    )


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

    reader = identity.role_arn or ""
    keys: list[str] = []
    bodies: dict[str, bytes] = {}
    listed: dict[str, str] = {}  # key -> ETag, from a prefix listing
    for key in backend.object_keys():
        body = _get_if_present(s3, bucket, key, reader)
        wanted = backend.workspaces
        if body is None and not wanted:
            # CI set-ups often use named workspaces only: nothing at the plain key
            wanted = ["*"]
        found = _workspace_keys(s3, bucket, key, wanted, backend.workspace_key_prefix, guarded)
        if body is None and not found:
            where = f"{backend.workspace_key_prefix}/<workspace>/{key}"
            raise StateError(
                f"s3://{bucket}/{key}: cannot read state: NoSuchKey: no object at this key "
                f"nor at {where}",
                code="NoSuchKey",
            )
        if body is not None:
            keys.append(key)
            bodies[key] = body
        keys.extend(k for k in found if k not in keys)
    if backend.prefix is not None:
        prefix = backend.prefix
        objects = guarded(f"s3://{bucket}/{prefix}", lambda: _list_objects(s3, bucket, prefix))
        found = [k for k, _ in objects]
        listed = {k: etag for k, etag in objects if etag}
        keys.extend(k for k in found if k.endswith(".tfstate") and k not in keys)
        if not any(k.endswith(".tfstate") for k in found):
            raise StateError(f"s3://{bucket}/{prefix}: no *.tfstate object under this prefix")
    out = []
    for key in keys:
        uri = f"s3://{bucket}/{key}"
        body = bodies.get(key)
        if body is None and key in listed:
            # the listing already says whether this reader's copy is current
            body = STATE_OBJECTS.current(bucket, key, listed[key], reader)
        if body is None:
            body = guarded(uri, partial(_get_object, s3, bucket, key, reader))
        out.append(StateDocument(uri, body, region))
    return out


def _get_if_present(s3: Any, bucket: str, key: str, reader: str) -> bytes | None:
    """The object's bytes, or None when there is no object at ``key`` (other errors, e.g.
    AccessDenied, raise: without s3:ListBucket AWS says AccessDenied for a missing key)."""
    try:
        return _get_object(s3, bucket, key, reader)
    except StateError:
        raise
    except Exception as exc:
        error = translate_client_error(exc)
        if error.code in NO_OBJECT:
            return None
        raise StateError(
            f"s3://{bucket}/{key}: cannot read state: {error.code}: {error.message}",
            code=error.code,
        ) from exc


class StateObjects:
    """The process's recently read S3 state objects by (bucket, key), with their ETag.

    A state is asked for again with `If-None-Match: <etag>`: when it did not change, S3
    answers 304 without a body and the copy here is used. The request still goes out with
    the reader's credentials, so access is checked as before. A state found by listing a
    prefix is not asked for at all when the listing's ETag is the one kept and the same
    reader (role) fetched it: the listing was the reader's own request. Bounded by total
    bytes; an object larger than a quarter of the bound is not kept."""

    def __init__(self, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.downloads = 0  # bodies fetched (a 304 does not count)
        self.reused = 0  # objects served on a listing's ETag, without a request
        self._items: OrderedDict[tuple[str, str], tuple[str, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, bucket: str, key: str) -> tuple[str, bytes, str] | None:
        with self._lock:
            item = self._items.get((bucket, key))
            if item is not None:
                self._items.move_to_end((bucket, key))
            return item

    def current(self, bucket: str, key: str, etag: str, reader: str) -> bytes | None:
        """The kept body when it has this ETag and ``reader`` fetched it, else None."""
        item = self.get(bucket, key)
        if item is None or item[0] != etag or item[2] != reader:
            return None
        with self._lock:
            self.reused += 1
        return item[1]

    def put(self, bucket: str, key: str, etag: str | None, body: bytes, reader: str) -> None:
        with self._lock:
            self.downloads += 1
            old = self._items.pop((bucket, key), None)
            if old is not None:
                self.size -= len(old[1])
            if not etag or len(body) > self.max_bytes // 4:
                return
            self._items[(bucket, key)] = (etag, body, reader)
            self.size += len(body)
            while self.size > self.max_bytes:
                _, (_, dropped, _) = self._items.popitem(last=False)
                self.size -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)


STATE_OBJECTS = StateObjects()


def _get_object(s3: Any, bucket: str, key: str, reader: str) -> bytes:
    cached = STATE_OBJECTS.get(bucket, key)
    if cached is None:
        response = s3.get_object(Bucket=bucket, Key=key)
    else:
        try:
            response = s3.get_object(Bucket=bucket, Key=key, IfNoneMatch=cached[0])
        except Exception as exc:
            if _not_modified(exc):
                return cached[1]
            raise
    size = int(response.get("ContentLength") or 0)
    if size > MAX_STATE_BYTES:
        raise StateError(_too_large(f"s3://{bucket}/{key}", size))
    body: bytes = response["Body"].read(MAX_STATE_BYTES + 1)
    if len(body) > MAX_STATE_BYTES:
        raise StateError(_too_large(f"s3://{bucket}/{key}", len(body)))
    STATE_OBJECTS.put(bucket, key, response.get("ETag"), body, reader)
    return body


def _not_modified(exc: Exception) -> bool:
    answer = getattr(exc, "response", None) or {}
    status = (answer.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    return status == 304 or (answer.get("Error") or {}).get("Code") in ("304", "NotModified")


def _list_objects(s3: Any, bucket: str, prefix: str) -> list[tuple[str, str | None]]:
    objects: list[tuple[str, str | None]] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        objects.extend((item["Key"], item.get("ETag")) for item in page.get("Contents", []))
    return objects


def _list_keys(s3: Any, bucket: str, prefix: str) -> list[str]:
    return [key for key, _ in _list_objects(s3, bucket, prefix)]


def _workspace_keys(
    s3: Any,
    bucket: str,
    key: str,
    workspaces: list[str],
    prefix: str,
    guarded: Callable[..., Any],
) -> list[str]:
    """Terraform's S3 backend keeps workspace `ws` at `<workspace_key_prefix>/ws/<key>`
    (the prefix defaults to WORKSPACE_PREFIX); ``["*"]`` lists them all."""
    if not workspaces:
        return []
    if workspaces == ["*"]:
        found = guarded(f"s3://{bucket}/{prefix}/", lambda: _list_keys(s3, bucket, f"{prefix}/"))
        depth = prefix.count("/") + key.count("/") + 2
        return sorted(k for k in found if k.endswith(f"/{key}") and k.count("/") == depth)
    return [f"{prefix}/{ws}/{key}" for ws in workspaces]
