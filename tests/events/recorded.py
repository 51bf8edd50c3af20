"""CloudTrail records in the shape AWS delivers them (fields as in real management events:
eventVersion 1.08/1.09, userIdentity, sourceIPAddress, userAgent, requestParameters,
responseElements, readOnly, recipientAccountId), wrapped or not in EventBridge's envelope."""

from __future__ import annotations

import uuid
from typing import Any

CONSOLE_AGENT = "AWS Internal"
CLI_AGENT = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/x"
TERRAFORM_AGENT = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) "
    "terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/iam#1.31.2"
)


def principal(account_id: str, who: str = "alice") -> str:
    return f"arn:aws:sts::{account_id}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/{who}"


def record(
    account_id: str,
    source: str,
    name: str,
    request: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    *,
    region: str = "us-east-1",
    who: str = "alice",
    agent: str = CONSOLE_AGENT,
    error: str | None = None,
    read_only: bool = False,
) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": f"AROAEXAMPLEID:{who}",
            "arn": principal(account_id, who),
            "accountId": account_id,
            "accessKeyId": "ASIAEXAMPLEKEYID",
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLEID",
                    "arn": f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef",
                    "accountId": account_id,
                    "userName": "AWSReservedSSO_Admin_0123456789abcdef",
                },
                "attributes": {"creationDate": "2026-11-29T20:01:02Z", "mfaAuthenticated": "false"},
            },
        },
        "eventTime": "2026-11-29T20:15:42Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.24",
        "userAgent": agent,
        "requestParameters": request,
        "responseElements": response,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account_id,
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"},
    }
    if error:
        rec["errorCode"] = error
        rec["errorMessage"] = "User is not authorized to perform this operation"
    return rec


def eventbridge(rec: dict[str, Any]) -> dict[str, Any]:
    """The envelope EventBridge puts around a CloudTrail record."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws." + rec["eventSource"].split(".")[0],
        "account": rec["recipientAccountId"],
        "time": rec["eventTime"],
        "region": rec["awsRegion"],
        "resources": [],
        "detail": rec,
    }
