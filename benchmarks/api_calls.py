"""AWS calls per resource type: how a scan's cost grows with the number of resources.

Builds N resources of every supported type in one moto account (and 2N in another), scans
each type alone with a call-counting hook, and prints per type the calls at N and 2N, the
calls per resource (the slope: 0 means no call per resource, batching holds) and the
projection for an account with 1,000 resources of that type. AssumeRole is not counted.

    .venv/bin/python -m benchmarks.api_calls [--resources 10]

moto answers ~40 calls/s, so 1,000 real resources per type would take hours to build; the
count is linear in N (a fixed part plus a part per resource), which two sizes pin down.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from driftq.aws import AwsAccess
from driftq.config import parse_config
from driftq.engine import Engine
from driftq.model import GLOBAL, Unit
from driftq.plan import Selection
from driftq.resources import GLOBAL_SERVICES, REGISTRY
from tests.support.estate import account_session, new_account_id
from tests.support.moto import start_moto

REGION = "us-east-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _network(ec2: Any, vpc: str, subnet: str, i: int) -> None:
    """One of each EC2/VPC type around a VPC (its group's rules come with `build`)."""
    ec2.create_key_pair(KeyName=f"key{i}")
    ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)
    ec2.create_launch_template(
        LaunchTemplateName=f"lt{i}", LaunchTemplateData={"ImageId": "ami-12c6146b"}
    )
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="10.0.0.0/8",
        PortRange={"From": 443, "To": 443},
    )
    ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", RouteTableIds=[table]
    )


def build(session: Any, account_id: str, n: int) -> None:
    """``n`` resources of every type (each setting on each of ``n`` buckets, ...)."""
    c = lambda service: session.client(service, region_name=REGION)  # noqa: E731
    ec2, s3, iam, lam = c("ec2"), c("s3"), c("iam"), c("lambda")
    sqs, sns, ddb, kms = c("sqs"), c("sns"), c("dynamodb"), c("kms")
    tags = [{"Key": "Team", "Value": "bench"}]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    image = "ami-12c6146b"
    ec2.run_instances(ImageId=image, MinCount=n, MaxCount=n, SubnetId=subnet)
    for i in range(n):
        vpc = ec2.create_vpc(CidrBlock=f"10.{i % 250}.0.0/16")["Vpc"]["VpcId"]
        net = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{i % 250}.1.0/24")["Subnet"]["SubnetId"]
        _network(ec2, vpc, net, i)
        group = ec2.create_security_group(GroupName=f"g{i}", Description="d", VpcId=vpc)
        ec2.authorize_security_group_ingress(
            GroupId=group["GroupId"],
            IpProtocol="tcp",
            FromPort=443,
            ToPort=443,
            CidrIp="10.0.0.0/8",
        )
        bucket = f"bench-{account_id}-{i}"
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_policy(
            Bucket=bucket,
            Policy=json.dumps(
                {
                    **POLICY,
                    "Statement": [
                        {
                            **POLICY["Statement"][0],
                            "Principal": "*",
                            "Resource": f"arn:aws:s3:::{bucket}/*",
                        }
                    ],
                }
            ),
        )
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": False,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": False,
            },
        )
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
            },
        )
        role = iam.create_role(
            RoleName=f"role{i}", AssumeRolePolicyDocument=json.dumps(TRUST), Tags=tags
        )
        policy = iam.create_policy(
            PolicyName=f"policy{i}", PolicyDocument=json.dumps(POLICY), Tags=tags
        )
        iam.attach_role_policy(RoleName=f"role{i}", PolicyArn=policy["Policy"]["Arn"])
        iam.create_user(UserName=f"user{i}", Tags=tags)
        lam.create_function(
            FunctionName=f"fn{i}",
            Runtime="python3.12",
            Role=role["Role"]["Arn"],
            Handler="index.handler",
            Code={"ZipFile": _zip()},
            Tags={"Team": "bench"},
        )
        url = sqs.create_queue(QueueName=f"q{i}", tags={"Team": "bench"})["QueueUrl"]
        sqs.set_queue_attributes(
            QueueUrl=url,
            Attributes={
                "Policy": json.dumps(
                    {**POLICY, "Statement": [{**POLICY["Statement"][0], "Principal": "*"}]}
                )
            },
        )
        sns.create_topic(Name=f"t{i}", Tags=tags)
        ddb.create_table(
            TableName=f"table{i}",
            BillingMode="PAY_PER_REQUEST",
            Tags=tags,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        kms.create_key(Description=f"key{i}", Tags=[{"TagKey": "Team", "TagValue": "bench"}])


def count_calls(account_id: str, state: Path) -> dict[str, Counter[str]]:
    """Per type: the AWS operations a scan of that type alone sends."""
    config = parse_config(
        f"""
accounts:
  - name: bench
    account_id: "{account_id}"
    role_arn: arn:aws:iam::{account_id}:role/DriftqScanner
    external_id: driftq-bench
    regions: [{REGION}]
    state_backend: {{type: local, path: "{state}"}}
"""
    )
    out: dict[str, Counter[str]] = {}
    for rtype, spec in sorted(REGISTRY.items()):
        calls: Counter[str] = Counter()

        def record(model: Any, calls: Counter[str] = calls, **_: Any) -> None:
            if model.name != "AssumeRole":
                calls[model.name] += 1

        engine = Engine(
            config, Selection(resource_types=(rtype,)), AwsAccess(hooks=[("before-call", record)])
        )
        region = GLOBAL if spec.service in GLOBAL_SERVICES else REGION
        result = engine.scan_unit(Unit("bench", region, spec.service))
        assert result.status == "ok", result.error_message
        out[rtype] = calls
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10, help="N: resources per type")
    args = parser.parse_args()
    server = start_moto()
    os.environ.update(
        AWS_ENDPOINT_URL=server.url,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION=REGION,
    )
    try:
        with tempfile.TemporaryDirectory() as folder:
            state = Path(folder) / "empty.tfstate"
            state.write_text('{"version": 4, "resources": []}')
            counts = {}
            for n in (args.resources, 2 * args.resources):
                account = new_account_id()
                build(account_session(account), account, n)
                counts[n] = count_calls(account, state)
    finally:
        server.stop()
    small, large = args.resources, 2 * args.resources
    print(
        f"{'type':<52} {'N=' + str(small):>6} {'N=' + str(large):>6} {'per res.':>8} {'at 1,000':>9}  calls at N"
    )
    for rtype in sorted(REGISTRY):
        a, b = sum(counts[small][rtype].values()), sum(counts[large][rtype].values())
        slope = (b - a) / small
        fixed = a - slope * small
        detail = ", ".join(f"{op} {k}" for op, k in sorted(counts[small][rtype].items()))
        print(f"{rtype:<52} {a:>6} {b:>6} {slope:>8.2f} {fixed + 1000 * slope:>9.0f}  {detail}")


if __name__ == "__main__":
    main()
