"""Network cases beyond the shared estate: the adopted default VPC."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import DEFAULT_TAG, tf_tags, tf_vpc


def _default_vpc(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    tags = {"Name": "default", **DEFAULT_TAG}
    ec2.create_tags(
        Resources=[vpc["VpcId"]], Tags=[{"Key": k, "Value": v} for k, v in tags.items()]
    )
    state = {
        **tf_vpc(account, vpc),
        "enable_dns_hostnames": True,
        "existing_default_vpc": True,
        "force_destroy": False,
        **tf_tags("default"),
    }
    return Built([Res("aws_default_vpc", "default", state)], import_id=vpc["VpcId"])


CASES = [TypeCase(type="aws_default_vpc", build=_default_vpc, aws_default_only=True)]
