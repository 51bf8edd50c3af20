"""Report files to S3: `report.json`, `report.html`, `accounts/<account>.json` and `imports/`
under the run's prefix (default `YYYY/MM/DD/<run_id>/`), one PutObject each.

Objects are streamed from files on disk, so a large report is never held twice in memory.
The first object that still fails after its retries stops the upload: the next ones would
meet the same missing bucket or refused permission.
"""

from __future__ import annotations

import urllib.parse
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from driftq.outputs.clients import WriteClients
from driftq.outputs.retry import Retry
from driftq.outputs.settings import S3Output

CONTENT_TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".tf": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}
PAGE = "report.html"


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
    # the page last: its URL goes into messages only if everything before it made it
    names = sorted(files, key=lambda n: (n == PAGE, n))
    outcome: dict[str, Any] = {
        "output": "s3",
        "bucket": cfg.bucket,
        "prefix": prefix,
        "objects": len(names),
        "uploaded": 0,
        "attempts": 0,
    }
    for name in names:
        key = prefix + name
        done = retry.call(
            f"s3 PutObject {key}",
            partial(_put, clients, cfg, region, key, files[name]),
        )
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
