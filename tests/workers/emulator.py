"""moto's server with two test endpoints, run as a child process by the cluster tests.

- every AWS request is logged as (time, access key, region, service) from its SigV4
  credential scope; `GET /_driftq/calls` returns them with the AWS account each access key
  belongs to (moto knows: the keys it issued on AssumeRole);
- `GET /_driftq/secrets` returns every secret key and session token moto has issued, so a
  test can prove none of them reached Redis;
- `GET /_driftq/hold/<service>` makes that service's requests wait (up to five minutes)
  until `GET /_driftq/release`: a run is then surely still going while a test looks at it,
  however fast or slow the machine is.

Cross-account S3 access is denied (MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false), as AWS does
without a bucket policy: an account whose state bucket belongs to another account gets
AccessDenied.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

os.environ["MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS"] = "false"

from moto.iam.models import get_account_id_from, iam_backends
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.sts.models import sts_backends
from werkzeug.serving import run_simple

from tests.support import moto_policies

_SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class Recorder:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[tuple[float, str, str, str]] = []
        self.lock = threading.Lock()
        self.held: set[str] = set()
        self.released = threading.Event()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/_driftq/calls":
            return self._json(start_response, self._calls())
        if path == "/_driftq/secrets":
            return self._json(start_response, self._secrets())
        if path.startswith("/_driftq/hold/"):
            with self.lock:
                self.released.clear()
                self.held.add(path.rsplit("/", 1)[-1])
            return self._json(start_response, sorted(self.held))
        if path == "/_driftq/release":
            with self.lock:
                self.held.clear()
                self.released.set()
            return self._json(start_response, [])
        match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match:
            key, region, service = match.groups()
            with self.lock:
                self.calls.append((time.time(), key, region, service))
                held = service in self.held
            if held:
                self.released.wait(timeout=300)
        return self.app(environ, start_response)  # type: ignore[no-any-return]

    def _calls(self) -> list[dict[str, Any]]:
        with self.lock:
            calls = list(self.calls)
        accounts: dict[str, str] = {}
        out = []
        for at, key, region, service in calls:
            if key not in accounts:
                accounts[key] = get_account_id_from(key)
            out.append({"t": at, "account": accounts[key], "region": region, "service": service})
        return out

    def _secrets(self) -> list[str]:
        found: set[str] = set()
        for account in list(iam_backends.values()):
            for backend in list(account.values()):
                for key in list(backend.access_keys.values()):
                    found.add(key.secret_access_key)
        for sts_account in list(sts_backends.values()):
            for sts in list(sts_account.values()):
                for role in list(sts.assumed_roles):
                    found.update((role.secret_access_key, role.session_token))
        return sorted(found)

    @staticmethod
    def _json(start_response: StartResponse, data: Any) -> list[bytes]:
        body = json.dumps(data).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]


def main() -> None:
    port = int(sys.argv[1])
    moto_policies.install()  # AWS's managed policies parsed once, not per account
    app = Recorder(DomainDispatcherApplication(create_backend_app))
    run_simple("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
