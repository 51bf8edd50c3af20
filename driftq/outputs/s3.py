"""Report files to S3: `report.json`, `report.html`, `accounts/<account>.json` and `imports/`
under the run's prefix (default `YYYY/MM/DD/<run_id>/`), one PutObject each.

Objects are streamed from files on disk, so a large report is never held twice in memory.
Eight objects go up at once. The first that still fails after its retries stops the
upload: the next ones would meet the same missing bucket or refused permission.
"""

from __future__ import annotations

import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from driftq.outputs.clients import WriteClients
from driftq.outputs.retry import Attempted, Retry
from driftq.outputs.settings import S3Output

CONTENT_TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".tf": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}
PAGE = "report.html"
UPLOADS = 8  # objects in flight (the write clients' pool holds 10 connections)


def upload(
    clients: WriteClients,
    retry: Retry,
    cfg: S3Output,
    prefix: str,
    files: dict[str, Path],
) -> dict[str, Any]:
    """``files``: relative key -> local file. Returns the output's outcome; `url` is the
    page's object URL when it was uploaded."""
    region = cfg.region or clients.default_region
    outcome: dict[str, Any] = {
        "output": "s3",
        "bucket": cfg.bucket,
        "prefix": prefix,
        "objects": len(files),
        "uploaded": 0,
        "attempts": 0,
    }
    stop = threading.Event()

    def put(name: str) -> tuple[str, Attempted[None] | None]:
        if stop.is_set():
            return name, None
        key = prefix + name
        done = retry.call(
            f"s3 PutObject {key}", partial(_put, clients, cfg, region, key, files[name])
        )
        if not done.ok:
            stop.set()  # a missing bucket or a refusal: the rest would fail alike
        return name, done

    # the page last: its URL goes into messages only if everything before it made it
    rest = sorted(n for n in files if n != PAGE)
    with ThreadPoolExecutor(max_workers=UPLOADS, thread_name_prefix="driftq-s3") as pool:
        results = list(pool.map(put, rest))
    if PAGE in files and not stop.is_set():
        results.append(put(PAGE))
    for name, done in results:
        if done is None:
            continue
        outcome["attempts"] = max(outcome["attempts"], done.attempts)
        if not done.ok:
            return {**outcome, "status": "failed", "error": f"{name}: {done.error}"}
        outcome["uploaded"] += 1
    url = object_url(
        clients.client("s3", region).meta.endpoint_url, cfg.bucket, region, prefix + PAGE
    )
    return {**outcome, "status": "ok", "error": None, "url": url if PAGE in files else None}


def _put(clients: WriteClients, cfg: S3Output, region: str, key: str, path: Path) -> None:
    params: dict[str, Any] = {
        "Bucket": cfg.bucket,
        "Key": key,
        "ContentType": CONTENT_TYPES.get(PurePosixPath(key).suffix, "application/octet-stream"),
    }
    if cfg.kms_key_id:
        params.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=cfg.kms_key_id)
    with path.open("rb") as body:
        clients.client("s3", region).put_object(Body=body, **params)


def object_url(endpoint: str, bucket: str, region: str, key: str) -> str:
    """The object's https URL: virtual-hosted on AWS, path-style on any other endpoint (an
    emulator, a bucket whose name has dots)."""
    quoted = urllib.parse.quote(key)
    host = urllib.parse.urlsplit(endpoint).hostname or ""
    if host.endswith(".amazonaws.com") and "." not in bucket:
        return f"https://{bucket}.s3.{region}.amazonaws.com/{quoted}"
    return f"{endpoint.rstrip('/')}/{bucket}/{quoted}"
