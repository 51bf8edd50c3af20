"""Three accounts in one run: each scanned through its own role and external id, findings
attributed to the right account, states in a bucket read through the state role."""

from __future__ import annotations

from typing import Any

from driftq.aws import AwsAccess
from driftq.config import parse_config
from driftq.local import run_local
from driftq.plan import Selection
from tests.support.estate import StateFile, account_session, new_account_id, unique


def test_three_accounts_with_their_own_roles_and_external_ids(aws: Any) -> None:
    state_account = new_account_id()
    state_s3 = account_session(state_account).client("s3")
    bucket = unique("org-tfstate")
    state_s3.create_bucket(Bucket=bucket)
    accounts = {name: new_account_id() for name in ("prod", "stage", "dev")}
    vpcs: dict[str, str] = {}
    yaml_accounts = ""
    for name, account_id in accounts.items():
        ec2 = account_session(account_id).client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
        ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": f"{name}-vpc"}])
        vpcs[name] = vpc
        state = StateFile().add(
            "aws_vpc",
            "main",
            {"id": vpc, "cidr_block": "10.50.0.0/16", "tags": {"Name": f"{name}-vpc"}},
        )
        state.upload(account_session(state_account), bucket, f"{name}/terraform.tfstate")
        yaml_accounts += f"""
  - name: {name}
    account_id: "{account_id}"
    role_arn: arn:aws:iam::{account_id}:role/DriftqScanner
    external_id: ext-{name}
    regions: [us-east-1]
    state_backend:
      bucket: {bucket}
      key: {name}/terraform.tfstate
      role_arn: arn:aws:iam::{state_account}:role/StateReader
      external_id: ext-state
"""
    # drift in prod, an unmanaged VPC in stage, dev stays clean
    account_session(accounts["prod"]).client("ec2").create_tags(
        Resources=[vpcs["prod"]], Tags=[{"Key": "Name", "Value": "renamed"}]
    )
    extra = (
        account_session(accounts["stage"])
        .client("ec2")
        .create_vpc(CidrBlock="10.51.0.0/16")["Vpc"]["VpcId"]
    )

    assumed: list[tuple[str, str]] = []

    def record(model: Any, params: Any, **_: Any) -> None:
        if model.name == "AssumeRole":
            assumed.append((params["body"]["RoleArn"], params["body"]["ExternalId"]))

    config = parse_config(f"defaults: {{services: [ec2]}}\naccounts:{yaml_accounts}")
    outcome = run_local(
        config,
        Selection(resource_types=("aws_vpc",)),
        aws=AwsAccess(hooks=[("before-call", record)]),
        progress=False,
    )
    report = outcome.report
    assert report["status"] == "complete"
    assert report["summary"]["accounts"] == 3 and report["summary"]["managed"] == 3
    found = {(f["account"], f["kind"], f["resource_id"]) for f in report["findings"]}
    assert found == {("prod", "drifted", vpcs["prod"]), ("stage", "unmanaged", extra)}
    by_account = {f["account"]: f["account_id"] for f in report["findings"]}
    assert by_account == {"prod": accounts["prod"], "stage": accounts["stage"]}
    expected_roles = {
        (f"arn:aws:iam::{a}:role/DriftqScanner", f"ext-{n}") for n, a in accounts.items()
    }
    assert expected_roles <= set(assumed)
    assert (f"arn:aws:iam::{state_account}:role/StateReader", "ext-state") in assumed
    # one AssumeRole per identity, however many units use it
    assert len(assumed) == len(set(assumed)) == 4
