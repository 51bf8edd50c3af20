"""A cluster run of a config with `accounts_from: organizations`: the organisation is listed
once, at submit; workers and the callback scan and report exactly those accounts."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.support.estate import account_session, new_account_id, unique
from tests.workers.cluster import Cluster
from workers.run_accounts import run_config
from workers.store import RunStore


def test_workers_scan_the_accounts_listed_at_submit(cluster: Cluster, workdir: Path) -> None:
    url = cluster.emulator.url
    management = new_account_id()
    org = account_session(management, endpoint=url).client("organizations", endpoint_url=url)
    org.create_organization(FeatureSet="ALL")
    ids, queues = {}, {}
    for name in ("Team Alpha", "Team Beta"):
        status = org.create_account(Email=f"{unique('m')}@example.com", AccountName=name)
        ids[name] = status["CreateAccountStatus"]["AccountId"]
        sqs = account_session(ids[name], endpoint=url).client("sqs", endpoint_url=url)
        queues[name] = unique("q")
        sqs.create_queue(QueueName=queues[name])
    config = workdir / "org.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "version": "1.0",
                "defaults": {
                    "timeout": "30s",
                    "services": ["sqs"],
                    "role_arn": "arn:aws:iam::{account_id}:role/DriftqScanner",
                    "external_id": "driftq-{name}",
                    "regions": ["us-east-1"],
                },
                "accounts_from": {
                    "organizations": {
                        "role_arn": f"arn:aws:iam::{management}:role/OrgReader",
                        "exclude": [management],
                    }
                },
            }
        )
    )
    out = workdir / "report"

    run = cluster.driftq("submit", "-c", str(config), "--wait", "-q", "-o", str(out))

    assert run.returncode == 1, run.stderr  # the queues are unmanaged
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["units_failed"] == 0 and report["summary"]["accounts"] == 2
    found = {(f["account"], f["account_id"], f["resource_id"]) for f in report["findings"]}
    for name, slug in (("Team Alpha", "team-alpha"), ("Team Beta", "team-beta")):
        assert any(a == slug and i == ids[name] and queues[name] in r for a, i, r in found), found
    # the run keeps its list: a later change in the organisation is not seen by its workers
    run_id = report["run_id"]
    org.close_account(AccountId=ids["Team Beta"])
    store = RunStore.from_url(cluster.redis_url)
    meta = store.meta(run_id)
    assert meta is not None
    names = {a.name for a in run_config(store, meta).accounts}
    assert names == {"team-alpha", "team-beta"}
