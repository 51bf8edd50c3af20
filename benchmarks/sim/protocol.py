"""What a request is (who, where, which action) and the wire shapes of throttling errors."""

from __future__ import annotations

import functools
import json
import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs

import botocore.session

from driftq.resources.services import CLIENTS, SERVICES

_CBOR = "smithy-rpc-v2-cbor"


@dataclass(frozen=True)
class Api:
    """How botocore speaks to one AWS API (by its signing name, as in the SigV4 scope)."""

    client: str  # the boto3 client name: the key of driftq's own service table
    protocol: str  # the protocol botocore picks of those the API offers (here "cbor" for CBOR)
    query_compatible: bool  # a JSON API that kept its query-era error codes (SQS, CloudWatch)


@functools.cache
def apis() -> dict[str, Api]:
    """Every API driftq calls (the scanned services and the helper clients of
    driftq/resources/services.py), keyed by signing name, from botocore's own models: a
    service added to driftq is spoken here without more work. An API that signs with
    another's name (S3 Control signs as `s3`) is keyed by its client name instead, and
    told apart from the other by its path (``service_of``)."""
    session = botocore.session.get_session()
    found: dict[str, Api] = {}
    for spec in (*SERVICES, *CLIENTS):
        model = session.get_service_model(spec.name)
        wire = model.resolved_protocol
        key = model.signing_name if model.signing_name not in found else spec.name
        found[key] = Api(
            spec.name, "cbor" if wire == _CBOR else wire, "awsQueryCompatible" in model.metadata
        )
    return found


def api_of(client: str) -> str:
    """The simulator's name of the API a boto3 client calls (the key of ``apis()``)."""
    return next(key for key, api in apis().items() if api.client == client)


# S3 Control signs as `s3`; its request URIs all start with its API version
_S3_CONTROL_PREFIX = "/v20180820/"


def service_of(signing: str, path: str) -> str:
    """The API a request calls, from its signing name and path."""
    if signing == "s3" and path.startswith(_S3_CONTROL_PREFIX) and "s3control" in apis():
        return "s3control"
    return signing


def protocol_of(service: str) -> str:
    api = apis().get(service)
    return api.protocol if api else "query"


_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_S3_SUBRESOURCES = {
    "encryption": "GetBucketEncryption",
    "policy": "GetBucketPolicy",
    "versioning": "GetBucketVersioning",
    "publicAccessBlock": "GetPublicAccessBlock",
    "tagging": "GetBucketTagging",
    "location": "GetBucketLocation",
    "acl": "GetBucketAcl",
    "lifecycle": "GetBucketLifecycleConfiguration",
    "logging": "GetBucketLogging",
    "ownershipControls": "GetBucketOwnershipControls",
    "website": "GetBucketWebsite",
    "cors": "GetBucketCors",
    "replication": "GetBucketReplication",
    "notification": "GetBucketNotificationConfiguration",
}
CALLER_ACCOUNT = "000000000000"  # static credentials (the scanner's own): not an assumed role


def credential(headers: dict[str, str]) -> tuple[str, str, str]:
    """(access key id, region, signing service) from the SigV4 Authorization header."""
    found = _CREDENTIAL.search(headers.get("authorization", ""))
    if not found:
        return "", "us-east-1", ""
    return found.group(1), found.group(2), found.group(3)


def access_key_for(account: str) -> str:
    """Assumed-role keys carry their account: ASIA + 12 digits + 4 letters (20 characters)."""
    return f"ASIA{account}SIMX"


def account_of_key(access_key: str) -> str:
    if access_key.startswith("ASIA") and access_key[4:16].isdigit():
        return access_key[4:16]
    return CALLER_ACCOUNT


def operation(service: str, method: str, path: str, query: str, target: str, body: bytes) -> str:
    protocol = protocol_of(service)
    if protocol in ("query", "ec2"):
        found = re.search(rb"(?:^|&)Action=([A-Za-z0-9]+)", body) or re.search(
            rb"(?:^|&)Action=([A-Za-z0-9]+)", query.encode()
        )
        return found.group(1).decode() if found else "Unknown"
    if protocol == "json":
        return target.rsplit(".", 1)[-1] or "Unknown"
    if protocol == "cbor":
        return path.rsplit("/", 1)[-1]
    if service == "s3":
        parts = [p for p in path.split("/", 2) if p]
        params = parse_qs(query, keep_blank_values=True)
        if not parts:
            return "ListBuckets"
        if len(parts) > 1:
            return "GetObject" if method == "GET" else f"{method}Object"
        if params.get("list-type") == ["2"]:
            return "ListObjectsV2"
        for key in params:
            if key in _S3_SUBRESOURCES:
                return _S3_SUBRESOURCES[key]
        return "HeadBucket" if method == "HEAD" else "ListObjects"
    return rest_operation(service, method, path, query)


_Route = tuple[str, re.Pattern[str], tuple[tuple[str, str | None], ...], str]


@functools.cache
def _routes(service: str) -> list[_Route]:
    """A REST API's operations as (method, path pattern, query keys it needs, name), the
    most specific first: from the requestUri templates of botocore's model."""
    model = botocore.session.get_session().get_service_model(apis()[service].client)
    routes: list[tuple[int, int, _Route]] = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        template, _, query = http["requestUri"].partition("?")
        template = template.rstrip("/") or "/"
        pattern, literal, pos = [], 0, 0
        for found in re.finditer(r"\{([^}]+)\}", template):
            pattern.append(re.escape(template[pos : found.start()]))
            literal += found.start() - pos
            pattern.append(".+" if found.group(1).endswith("+") else "[^/]+")
            pos = found.end()
        pattern.append(re.escape(template[pos:]))
        literal += len(template) - pos
        needs = tuple(
            (key, value if sep else None)
            for key, sep, value in (part.partition("=") for part in query.split("&") if part)
        )
        compiled = re.compile("".join(pattern) + "/?")
        routes.append((literal, len(needs), (http["method"], compiled, needs, name)))
    return [route for *_, route in sorted(routes, key=lambda r: (-r[0], -r[1]))]


@functools.lru_cache(maxsize=4096)
def rest_operation(service: str, method: str, path: str, query: str) -> str:
    """The operation a REST-JSON or REST-XML request calls, by its method, path and query."""
    if service not in apis():
        return "Unknown"
    params = parse_qs(query, keep_blank_values=True)
    for verb, pattern, needs, name in _routes(service):
        wanted = all(k in params and (v is None or params[k] == [v]) for k, v in needs)
        if verb == method and wanted and pattern.fullmatch(path):
            return name
    return "Unknown"


def _cbor_text(value: str) -> bytes:
    data = value.encode()
    assert len(data) < 24 * 256
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    if len(data) < 256:
        return bytes([0x78, len(data)]) + data
    return bytes([0x79, len(data) >> 8, len(data) & 0xFF]) + data


# the query-era throttling code of a query-compatible JSON API (default: "Throttling",
# CloudWatch's)
_QUERY_THROTTLING = {"sqs": "RequestThrottled"}


def throttle(service: str) -> tuple[int, dict[str, str], bytes]:
    """The error each protocol answers when a caller is over its rate."""
    protocol = protocol_of(service)
    request_id = str(uuid.uuid4())
    if protocol == "ec2":
        body = (
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
            "<Message>Request limit exceeded.</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        return 503, {"content-type": "text/xml"}, body.encode()
    if protocol == "query":
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
            f"<Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>"
        )
        return 400, {"content-type": "text/xml"}, body.encode()
    if protocol == "json":
        payload = {"__type": "ThrottlingException", "message": "Rate exceeded"}
        headers = {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": request_id}
        api = apis().get(service)
        if api is not None and api.query_compatible:  # JSON, with the query-era error codes
            code = _QUERY_THROTTLING.get(service, "Throttling")
            payload["__type"] = f"com.amazonaws.{service}#{code}"
            headers["x-amzn-query-error"] = f"{code};Sender"
        return 400, headers, json.dumps(payload).encode()
    if protocol == "cbor":
        body = (
            b"\xa2"
            + _cbor_text("__type")
            + _cbor_text("ThrottlingException")
            + _cbor_text("message")
            + _cbor_text("Rate exceeded")
        )
        return 400, {"content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}, body
    if protocol == "rest-json":
        # Lambda's own code; EKS (the other REST-JSON API) answers ThrottlingException
        code = "TooManyRequestsException" if service == "lambda" else "ThrottlingException"
        headers = {
            "content-type": "application/json",
            "x-amzn-errortype": code,
            "x-amzn-requestid": request_id,
        }
        payload = {"Type": "User", "message": "Rate exceeded", "Reason": "CallerRateLimitExceeded"}
        return 429, headers, json.dumps(payload).encode()
    if service == "s3control":
        # S3 Control is served by S3 (it signs as `s3`): AWS publishes no throttling error
        # of its own for the reads (its model's TooManyRequestsException is the Batch
        # Operations jobs'), so S3's 503 SlowDown, in S3 Control's ErrorResponse wrapping
        # (ASSUMED)
        body = (
            "<ErrorResponse><Error><Code>SlowDown</Code>"
            "<Message>Please reduce your request rate.</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return 503, {"content-type": "application/xml"}, body.encode()
    if service != "s3":  # Route 53 and CloudFront: REST-XML with query-style errors
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
            f"<Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>"
        )
        return 400, {"content-type": "text/xml"}, body.encode()
    body = (
        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    )
    return 503, {"content-type": "application/xml"}, body.encode()


def empty(service: str, action: str) -> tuple[int, dict[str, str], bytes]:
    """A success with nothing in it, for a call the recording has no answer for."""
    protocol = protocol_of(service)
    if protocol == "ec2":
        body = f'<{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"/>'
        return 200, {"content-type": "text/xml"}, body.encode()
    if protocol == "query":
        body = f"<{action}Response><{action}Result/></{action}Response>"
        return 200, {"content-type": "text/xml"}, body.encode()
    if protocol == "json":
        return 200, {"content-type": "application/x-amz-json-1.0"}, b"{}"
    if protocol == "cbor":
        return 200, {"content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}, b"\xa0"
    if protocol == "rest-json":
        return 200, {"content-type": "application/json"}, b"{}"
    return 200, {"content-type": "application/xml"}, b"<Result/>"
