"""The demo's estate: three accounts, two regions, resources of every supported service,
Terraform states that describe them, and then a handful of drifts of every kind.

The states are written the way `terraform import` would: driftq's own enumeration reads the
freshly built estate and each live resource becomes a state resource (with the provider's
`default_tags` split into `tags` and `tags_all`). Only then are the drifts made, with plain
boto3 calls, as an engineer clicking in the console would.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3

from driftq.config import load_config
from driftq.engine import Engine
from driftq.model import GLOBAL, LiveResource, Unit
from driftq.resources import GLOBAL_SERVICES, specs_for_service
from driftq.resources.enumerate import live_resources

DEFAULT_TAGS = {"ManagedBy": "terraform"}
STATE_ACCOUNT = "444444444444"
ACCOUNTS = {
    "production": ("111111111111", ["us-east-1", "eu-west-1"]),
    "staging": ("222222222222", ["us-east-1", "eu-west-1"]),
    "development": ("333333333333", ["us-east-1"]),
}
EXTERNAL_ID = "driftq-demo-external-id"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def session_in(account_id: str, region: str = "us-east-1") -> boto3.Session:
    creds = boto3.client("sts", region_name=region).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/demo-admin", RoleSessionName="demo-setup"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


def _tags(extra: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {**DEFAULT_TAGS, **extra}.items()]


def build_estate(workdir: Path) -> Path:
    """Seed the emulator, write the states to S3 and the config to ``workdir``; returns it."""
    sessions = {name: session_in(acct) for name, (acct, _) in ACCOUNTS.items()}
    for name, (_acct, regions) in ACCOUNTS.items():
        _seed_account(name, sessions[name], regions)
    state_s3 = session_in(STATE_ACCOUNT).client("s3")
    config_path = workdir / "driftq-demo.yaml"
    workdir.mkdir(parents=True, exist_ok=True)
    config_path.write_text(_config_text())
    config = load_config(config_path)
    for name, (acct, _regions) in ACCOUNTS.items():
        state_s3.create_bucket(Bucket=_state_bucket(acct))
        for key, document in _states_for(Engine(config), name).items():
            state_s3.put_object(
                Bucket=_state_bucket(acct), Key=key, Body=json.dumps(document, indent=1)
            )
    for name in ACCOUNTS:
        DRIFTS[name](sessions[name])
    return config_path


def _state_bucket(account_id: str) -> str:
    return f"driftq-demo-tfstate-{account_id}"


def account_entry(name: str, acct: str, regions: list[str]) -> str:
    """One account of the demo's config: its scanner role and its states' bucket."""
    return f"""  - name: {name}
    account_id: "{acct}"
    role_arn: arn:aws:iam::{acct}:role/DriftqScanner
    external_id: {EXTERNAL_ID}
    regions: [{", ".join(regions)}]
    state_backend:
      type: s3
      bucket: {_state_bucket(acct)}
      prefix: ""
      region: us-east-1
      role_arn: arn:aws:iam::{STATE_ACCOUNT}:role/TerraformStateReader
"""


def _config_text() -> str:
    accounts = [account_entry(name, acct, regions) for name, (acct, regions) in ACCOUNTS.items()]
    template = (Path(__file__).parent / "demo_data" / "demo.yaml").read_text()
    return template.replace("# ACCOUNTS\n", "".join(accounts))


# --- seeding: what `terraform apply` built --------------------------------------------------


def _seed_account(name: str, session: boto3.Session, regions: list[str]) -> None:
    for region in regions:
        _seed_network(name, session.client("ec2", region_name=region), region)
        sqs = session.client("sqs", region_name=region)
        sqs.create_queue(QueueName=f"{name}-orders", tags={**DEFAULT_TAGS, "Team": "shop"})
        sns = session.client("sns", region_name=region)
        sns.create_topic(Name=f"{name}-alerts", Tags=_tags({"Team": "sre"}))
        kms = session.client("kms", region_name=region)
        kms.create_key(
            Description=f"{name} data key",
            Tags=[
                {"TagKey": k, "TagValue": v}
                for k, v in {**DEFAULT_TAGS, "Team": "security"}.items()
            ],
        )
    primary = regions[0]
    ddb = session.client("dynamodb", region_name=primary)
    ddb.create_table(
        TableName=f"{name}-sessions",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=_tags({"Team": "shop"}),
    )
    iam = session.client("iam")
    role = iam.create_role(
        RoleName=f"{name}-app",
        AssumeRolePolicyDocument=json.dumps(_TRUST),
        Description="application role",
        Tags=_tags({"Team": "shop"}),
    )["Role"]
    policy = iam.create_policy(
        PolicyName=f"{name}-read-orders",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": "*"}
                ],
            }
        ),
        Tags=_tags({}),
    )["Policy"]
    iam.attach_role_policy(RoleName=role["RoleName"], PolicyArn=policy["Arn"])
    iam.create_user(UserName=f"{name}-ci", Tags=_tags({"Team": "platform"}))
    lam = session.client("lambda", region_name=primary)
    lam.create_function(
        FunctionName=f"{name}-thumbnailer",
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="app.handler",
        Code={"ZipFile": _zip()},
        MemorySize=128,
        Timeout=30,
        Environment={"Variables": {"STAGE": name}},
        Tags={**DEFAULT_TAGS, "Team": "media"},
    )
    s3 = session.client("s3", region_name=primary)
    bucket = f"driftq-demo-{name}-assets"
    kwargs: dict[str, Any] = {}
    if primary != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": primary}
    s3.create_bucket(Bucket=bucket, **kwargs)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": _tags({"Team": "media"})})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": False,
        },
    )


def _seed_network(name: str, ec2: Any, region: str) -> None:
    vpc = ec2.create_vpc(
        CidrBlock="10.20.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": _tags({"Name": f"{name}-{region}"})}],
    )["Vpc"]["VpcId"]
    zone = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    subnet = ec2.create_subnet(
        VpcId=vpc,
        CidrBlock="10.20.1.0/24",
        AvailabilityZone=zone,
        TagSpecifications=[{"ResourceType": "subnet", "Tags": _tags({"Name": f"{name}-app"})}],
    )
    subnet_id = subnet["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(
        GroupName=f"{name}-web",
        Description="web tier",
        VpcId=vpc,
        TagSpecifications=[
            {"ResourceType": "security-group", "Tags": _tags({"Name": f"{name}-web"})}
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=sg["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for instance_name in (f"{name}-app-1", "bastion-1"):
        ec2.run_instances(
            ImageId=image,
            InstanceType="t3.micro",
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet_id,
            SecurityGroupIds=[sg["GroupId"]],
            TagSpecifications=[
                {
                    "ResourceType": "instance",
                    "Tags": _tags({"Name": instance_name, "Owner": "team-web"}),
                }
            ],
        )


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


# --- states: what `terraform import` would have written --------------------------------------


def _states_for(engine: Engine, account_name: str) -> dict[str, dict[str, Any]]:
    """One state per region and layer (`us-east-1/network.tfstate`, ...), IAM in `global/`."""
    account = engine.config.account(account_name)
    states: dict[str, list[LiveResource]] = {}
    for service in engine.config.services_for(account):
        regions = [GLOBAL] if service in GLOBAL_SERVICES else list(account.regions)
        for region in regions:
            ctx = engine.context(account, Unit(account.name, region, service))
            for spec in specs_for_service(service):
                for live in live_resources(spec, ctx):
                    if live.aws_default or _left_out(live):
                        continue
                    layer = "network" if service == "ec2" else "apps"
                    states.setdefault(f"{live.region}/{layer}.tfstate", []).append(live)
    return {key: _document(resources) for key, resources in sorted(states.items())}


_INLINE_ELSEWHERE = frozenset(
    {
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_route",
    }
)


def _left_out(live: LiveResource) -> bool:
    # the demo's groups and route tables carry their rules and routes inline, as most code
    # does; what an instance's launch made (its root volume) is the instance's
    return live.type in _INLINE_ELSEWHERE or bool(live.owners)


def _document(resources: list[LiveResource]) -> dict[str, Any]:
    used: set[str] = set()
    out: list[dict[str, Any]] = []
    for live in sorted(resources, key=lambda r: (r.type, r.identity)):
        attrs = dict(live.attributes)
        tags = attrs.get("tags")
        if isinstance(tags, dict):
            attrs["tags_all"] = dict(tags)
            attrs["tags"] = {k: v for k, v in tags.items() if k not in DEFAULT_TAGS}
        attrs.setdefault("id", live.import_id)
        if live.region != GLOBAL:
            attrs.setdefault("region", live.region)
        name = _name(live, used)
        out.append(
            {
                "mode": "managed",
                "type": live.type,
                "name": name,
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [
                    {"schema_version": 0, "attributes": attrs, "sensitive_attributes": []}
                ],
            }
        )
    return {
        "version": 4,
        "terraform_version": "1.9.8",
        "serial": 1,
        "lineage": "driftq-demo",
        "outputs": {},
        "resources": out,
    }


def _name(live: LiveResource, used: set[str]) -> str:
    tags = live.attributes.get("tags") or {}
    base = str(tags.get("Name") or live.identity.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", base).strip("_-").lower() or "r"
    if not name[0].isalpha():
        name = f"r_{name}"
    candidate, n = name, 2
    while f"{live.type}.{candidate}" in used:
        candidate, n = f"{name}_{n}", n + 1
    used.add(f"{live.type}.{candidate}")
    return candidate


# --- drifts: what happened outside Terraform since ---------------------------------------------


def _drift_production(session: boto3.Session) -> None:
    ec2 = session.client("ec2", region_name="us-east-1")
    sg = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["production-web"]}]
    )
    ec2.authorize_security_group_ingress(
        GroupId=sg["SecurityGroups"][0]["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    for reservation in ec2.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            # the bastion's drift is excluded by a pattern in the config
            ec2.create_tags(
                Resources=[instance["InstanceId"]], Tags=[{"Key": "Owner", "Value": "someone-else"}]
            )
    iam = session.client("iam")
    role = iam.get_role(RoleName="production-app")["Role"]
    iam.update_role(
        RoleName="production-app", Description=role["Description"], MaxSessionDuration=43200
    )
    sns = session.client("sns", region_name="us-east-1")
    sns.delete_topic(
        TopicArn=next(
            t["TopicArn"] for t in sns.list_topics()["Topics"] if "alerts" in t["TopicArn"]
        )
    )
    session.client("sqs", region_name="eu-west-1").create_queue(QueueName="manual-debug-queue")
    session.client("s3").create_bucket(Bucket="driftq-demo-production-adhoc-exports")


def _drift_staging(session: boto3.Session) -> None:
    session.client("lambda", region_name="us-east-1").update_function_configuration(
        FunctionName="staging-thumbnailer", MemorySize=512
    )
    session.client("s3").put_bucket_versioning(
        Bucket="driftq-demo-staging-assets", VersioningConfiguration={"Status": "Suspended"}
    )
    session.client("dynamodb", region_name="us-east-1").delete_table(TableName="staging-sessions")
    session.client("iam").create_user(UserName="temp-contractor")
    kms = session.client("kms", region_name="eu-west-1")
    for key in kms.list_keys()["Keys"]:
        kms.update_key_description(KeyId=key["KeyId"], Description="changed by hand")


def _no_drift(session: boto3.Session) -> None:
    return None


DRIFTS: dict[str, Callable[[boto3.Session], None]] = {
    "production": _drift_production,
    "staging": _drift_staging,
    "development": _no_drift,
}
