"""S3 Control against an emulator: the account label its endpoint rules put in front of a
custom host is taken off (and only for custom hosts: AWS's own are left alone)."""

from __future__ import annotations

import boto3
from botocore.awsrequest import AWSRequest

from driftq.aws import emulator


def test_only_hosts_outside_aws_are_custom() -> None:
    assert emulator.is_custom("http://127.0.0.1:5000")
    assert emulator.is_custom("http://localhost:4566")
    assert not emulator.is_custom("https://s3-control.us-east-1.amazonaws.com")
    assert not emulator.is_custom("https://s3-control.cn-north-1.amazonaws.com.cn")
    assert not emulator.is_custom(None)


def _rewritten(endpoint_url: str | None) -> bool:
    client = boto3.client(
        "s3control",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )
    emulator.adapt(client)
    request = AWSRequest(
        method="GET",
        url="http://123456789012.127.0.0.1:5000/v20180820/configuration/publicAccessBlock",
        headers={"x-amz-account-id": "123456789012"},
    )
    client.meta.events.emit("before-sign.s3-control", request=request)
    return request.url == "http://127.0.0.1:5000/v20180820/configuration/publicAccessBlock"


def test_the_account_label_is_removed_for_an_emulator_only() -> None:
    assert _rewritten("http://127.0.0.1:5000")
    # against AWS the request is left as the rules made it (explicit: the suite's
    # AWS_ENDPOINT_URL may point at the emulator)
    assert not _rewritten("https://s3-control.us-east-1.amazonaws.com")
