"""What a request is (who, where, which action) and the wire shapes of throttling errors."""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import parse_qs

# protocol per signing name (the service in the SigV4 credential scope)
PROTOCOLS = {
    "ec2": "ec2",
    "iam": "query",
    "sns": "query",
    "sts": "query",
    "sqs": "json",
    "kms": "json",
    "dynamodb": "json",
    "application-autoscaling": "json",
    "tagging": "json",  # botocore sends it JSON
    "lambda": "rest-json",
    "s3": "rest-xml",
}
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
    protocol = PROTOCOLS.get(service, "query")
    if protocol in ("query", "ec2"):
        found = re.search(rb"(?:^|&)Action=([A-Za-z0-9]+)", body) or re.search(
            rb"(?:^|&)Action=([A-Za-z0-9]+)", query.encode()
        )
        return found.group(1).decode() if found else "Unknown"
    if protocol == "json":
        return target.rsplit(".", 1)[-1] or "Unknown"
    if protocol == "cbor":
        return path.rsplit("/", 1)[-1]
    if service == "lambda":
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[1] == "functions" and method == "GET":
            return "ListFunctions"
        return f"{method}:{'/'.join(parts[1:2])}"
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
    return "Unknown"


def _cbor_text(value: str) -> bytes:
    data = value.encode()
    assert len(data) < 24 * 256
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    if len(data) < 256:
        return bytes([0x78, len(data)]) + data
    return bytes([0x79, len(data) >> 8, len(data) & 0xFF]) + data


def throttle(service: str) -> tuple[int, dict[str, str], bytes]:
    """The error each protocol answers when a caller is over its rate."""
    protocol = PROTOCOLS.get(service, "query")
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
        if service == "sqs":  # SQS speaks JSON but keeps its query-era error codes
            payload["__type"] = "com.amazonaws.sqs#RequestThrottled"
            headers["x-amzn-query-error"] = "RequestThrottled;Sender"
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
        headers = {
            "content-type": "application/json",
            "x-amzn-errortype": "TooManyRequestsException",
            "x-amzn-requestid": request_id,
        }
        payload = {"Type": "User", "message": "Rate exceeded", "Reason": "CallerRateLimitExceeded"}
        return 429, headers, json.dumps(payload).encode()
    body = (
        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    )
    return 503, {"content-type": "application/xml"}, body.encode()


def empty(service: str, action: str) -> tuple[int, dict[str, str], bytes]:
    """A success with nothing in it, for a call the recording has no answer for."""
    protocol = PROTOCOLS.get(service, "query")
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
