"""`accounts_from: {organizations: ...}` against moto's AWS Organizations: the organisation's
ACTIVE accounts, OUs walked down, exclusions, tags, merged with the explicit list, scanned."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from driftq.accounts_org import discover, resolve_accounts, with_accounts
from driftq.aws import AwsAccess, Identity
from driftq.aws.guard import ORGANIZATIONS_READS
from driftq.cli import main
from driftq.config import parse_config
from driftq.errors import ConfigError, ReadOnlyViolation
from driftq.plan import Selection, plan
from tests.support.estate import account_session, new_account_id, unique
from tests.support.moto import start_moto


@dataclass
class Org:
    management: str
    root: str
    ous: dict[str, str]  # name -> OU id
    ids: dict[str, str]  # organisation account name -> id
    client: Any


@pytest.fixture(scope="module")
def own_moto() -> Iterator[None]:
    """A moto server of this module's own, without AWS's managed IAM policies: moto gives
    every account it creates an IAM role, and loading those policies into each new account
    would make the organisation take minutes on a busy machine."""
    server = start_moto({"MOTO_IAM_LOAD_MANAGED_POLICIES": "false"})
    keys = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_SESSION_TOKEN")  # fmt: skip
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update({"AWS_ENDPOINT_URL": server.url, "AWS_ACCESS_KEY_ID": "testing",
                       "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"})  # fmt: skip
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    try:
        yield
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def org(own_moto: None) -> Org:
    """One organisation for the module: root { shared-services, Prod OU { Data Prod, Payments OU { Payments
    Prod } }, Sandbox OU { Sandbox One, Old Sandbox (closed) } }."""
    management = new_account_id()
    client = account_session(management).client("organizations", region_name="us-east-1")
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    ous: dict[str, str] = {}
    for name, parent in (("prod", root), ("payments", "prod"), ("sandbox", root)):
        parent_id = ous.get(parent, parent)
        ou = client.create_organizational_unit(ParentId=parent_id, Name=name)
        ous[name] = ou["OrganizationalUnit"]["Id"]
    ids: dict[str, str] = {}
    placement = {
        "Shared Services": None,
        "Data Prod": "prod",
        "Payments Prod": "payments",
        "Sandbox One": "sandbox",
        "Old Sandbox": "sandbox",
    }
    for name, ou_name in placement.items():
        status = client.create_account(Email=f"{unique('a')}@example.com", AccountName=name)
        ids[name] = status["CreateAccountStatus"]["AccountId"]
        if ou_name:
            client.move_account(
                AccountId=ids[name], SourceParentId=root, DestinationParentId=ous[ou_name]
            )
    client.tag_resource(ResourceId=ids["Payments Prod"], Tags=[{"Key": "env", "Value": "prod"}])
    client.tag_resource(ResourceId=ids["Data Prod"], Tags=[{"Key": "env", "Value": "prod"}])
    client.close_account(AccountId=ids["Old Sandbox"])
    return Org(management, root, ous, ids, client)


def _config(org: Org, source: str = "tags: false", accounts: str = "") -> str:
    return f"""
version: "1.0"
defaults:
  services: [sqs]
  role_arn: arn:aws:iam::{{account_id}}:role/DriftMgrRole
  external_id: driftq-{{account_id}}
  regions: [us-east-1]
accounts_from:
  organizations:
    role_arn: arn:aws:iam::{org.management}:role/OrgReader
    external_id: org-reader-id
    {source}
{accounts or "accounts: []"}
"""


def _names(config_text: str) -> dict[str, str]:
    config = resolve_accounts(parse_config(config_text))
    return {a.name: a.account_id for a in config.accounts}


def test_the_whole_organisation_active_accounts_with_filled_templates(org: Org) -> None:
    config = resolve_accounts(parse_config(_config(org, "ous: []")))
    by_id = {a.account_id: a for a in config.accounts}
    assert org.ids["Old Sandbox"] not in by_id  # closed: SUSPENDED
    for name in ("Shared Services", "Data Prod", "Payments Prod", "Sandbox One"):
        assert org.ids[name] in by_id
    assert org.management in by_id  # the management account is a member too
    payments = by_id[org.ids["Payments Prod"]]
    assert payments.name == "payments-prod"
    assert payments.role_arn == f"arn:aws:iam::{payments.account_id}:role/DriftMgrRole"
    assert payments.external_id == f"driftq-{payments.account_id}"
    assert payments.regions == ["us-east-1"]
    assert payments.tags == {}  # tags are read only with `tags: true`


def test_ous_are_walked_down_and_exclusions_skip_accounts_and_subtrees(org: Org) -> None:
    ous = f"ous: [{org.ous['prod']}]"
    assert _names(_config(org, ous)) == {
        "data-prod": org.ids["Data Prod"],
        "payments-prod": org.ids["Payments Prod"],  # in a child OU of prod
    }
    excluded = f"ous: [{org.ous['prod']}, {org.ous['sandbox']}]\n    exclude: [Data Prod]"
    assert set(_names(_config(org, excluded))) == {"payments-prod", "sandbox-one"}
    # an OU id in `exclude` without `ous`: the tree is walked from the root, minus it
    skip = f"exclude: [{org.ous['prod']}, {org.ids['Shared Services']}, {org.management}]"
    assert _names(_config(org, skip)) == {"sandbox-one": org.ids["Sandbox One"]}


def test_explicit_accounts_win_and_names_never_collide(org: Org) -> None:
    explicit = f"""accounts:
  - name: payments
    account_id: "{org.ids["Payments Prod"]}"
    regions: [eu-west-1]
  - name: data-prod
    account_id: "{new_account_id()}"
"""
    config = resolve_accounts(parse_config(_config(org, f"ous: [{org.ous['prod']}]", explicit)))
    by_name = {a.name: a for a in config.accounts}
    # Payments Prod is listed once, as the explicit entry says
    assert [a.name for a in config.accounts if a.account_id == org.ids["Payments Prod"]] == [
        "payments"
    ]
    assert by_name["payments"].regions == ["eu-west-1"]
    # the organisation's "Data Prod" may not take the explicit account's name
    assert by_name[f"data-prod-{org.ids['Data Prod']}"].account_id == org.ids["Data Prod"]


def test_account_tags_from_organizations_select_with_tag(org: Org) -> None:
    config = resolve_accounts(parse_config(_config(org, "tags: true")))
    units = plan(config, Selection(tags=("env=prod",)))
    assert sorted({u.account for u in units}) == ["data-prod", "payments-prod"]


def test_only_read_operations_are_called_with_the_external_id(org: Org) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls.append((model.name, params.get("body", {})))

    aws = AwsAccess(hooks=[("before-call", record)])
    source = f"ous: [{org.ous['prod']}]\n    exclude: [{org.ous['payments']}]\n    tags: true"
    found = discover(parse_config(_config(org, source)), aws)
    assert [a.name for a in found] == ["data-prod"]
    operations = {name for name, _ in calls} - {"AssumeRole"}
    assert operations == {
        "ListAccountsForParent",
        "ListOrganizationalUnitsForParent",
        "ListTagsForResource",
    }
    assert {("organizations", op) for op in operations} <= ORGANIZATIONS_READS
    assume = [body for name, body in calls if name == "AssumeRole"]
    assert assume and all(body.get("ExternalId") == "org-reader-id" for body in assume)
    # the guard admits these reads and nothing else of Organizations
    client = aws.client(Identity(f"arn:aws:iam::{org.management}:role/OrgReader"),
                        "organizations", "us-east-1")  # fmt: skip
    with pytest.raises(ReadOnlyViolation):
        client.describe_organization()
    with pytest.raises(ReadOnlyViolation):
        client.create_account(Email="x@example.com", AccountName="mallory")


def test_a_snapshot_rebuilds_the_same_accounts_after_the_organisation_changed(org: Org) -> None:
    temp = org.client.create_account(Email=f"{unique('t')}@example.com", AccountName="Temp")
    temp_id = temp["CreateAccountStatus"]["AccountId"]
    config = parse_config(_config(org))
    found = discover(config)
    snapshot = json.loads(json.dumps([a.to_json() for a in found]))
    org.client.close_account(AccountId=temp_id)
    from driftq.accounts_org import OrgAccount

    again = with_accounts(config, [OrgAccount.from_json(a) for a in snapshot])
    assert {a.name for a in again.accounts} == {a.name for a in found}
    assert "temp" in {a.name for a in again.accounts}
    assert "temp" not in _names(_config(org))  # a new listing no longer has it


def test_an_organisation_that_cannot_be_listed_is_a_clear_error(org: Org) -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_accounts(parse_config(_config(org, "ous: [ou-abcd-nosuchou1]")))
    assert str(exc.value).startswith(
        "accounts_from.organizations: cannot list the organisation's accounts ("
        "ParentNotFoundException: ListAccountsForParent: "
    )
    outsider = Org(new_account_id(), "", {}, {}, None)  # a role in no organisation
    with pytest.raises(ConfigError, match="listed no ACTIVE account"):
        resolve_accounts(parse_config(_config(outsider)))


def test_accounts_from_needs_the_account_templates() -> None:
    text = """
version: "1.0"
accounts_from: {organizations: {ous: [r-abcd]}}
"""
    with pytest.raises(ConfigError, match=r"accounts_from needs defaults\.role_arn"):
        parse_config(text)
    with pytest.raises(ConfigError, match="needs `accounts`, `accounts_from`, or both"):
        parse_config('version: "1.0"\naccounts: []\n')


def test_scan_selects_organisation_accounts_by_tag_and_scans_them(
    org: Org, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = unique("orders")
    account_session(org.ids["Payments Prod"]).client("sqs").create_queue(QueueName=queue)
    path = tmp_path / "driftq.yaml"
    path.write_text(_config(org, "tags: true"))
    out = tmp_path / "report"
    code = main(["scan", "-c", str(path), "--tag", "env=prod", "-o", str(out), "-q"])
    report = json.loads((out / "report.json").read_text())
    assert code == 1, capsys.readouterr()
    assert report["summary"]["accounts"] == 2 and report["summary"]["units_failed"] == 0
    unmanaged = [(f["account"], f["resource_id"]) for f in report["findings"]]
    assert any(a == "payments-prod" and queue in rid for a, rid in unmanaged), unmanaged
    assert main(["validate", "-c", str(path), "--tag", "env=prod"]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok, 2 accounts, 2 units")
