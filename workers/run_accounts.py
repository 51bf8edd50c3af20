"""A run's accounts from AWS Organizations: listed once at submit, read by every worker.

    driftq:run:<id>:org_accounts   string  JSON [[account id, name, {tags}], ...]

Workers load the run's config from its path (digest checked) and add these accounts to it
(`driftq.accounts_org.with_accounts`), so every unit and the report see the accounts the
plan was made from, even when the organisation changes during the run. The key expires with
the run's other keys.
"""

from __future__ import annotations

import json

from driftq.accounts_org import OrgAccount, with_accounts
from driftq.config import load_config
from driftq.config_models import Config
from driftq.errors import RunError
from workers.store import RunMeta, RunStore, redis_errors, run_key


def save_org_accounts(store: RunStore, run_id: str, found: list[OrgAccount], ttl: int) -> None:
    value = json.dumps([a.to_json() for a in found], separators=(",", ":"))
    with redis_errors(store.url):
        store.client.set(run_key(run_id, "org_accounts"), value, ex=ttl)


def run_config(store: RunStore, meta: RunMeta) -> Config:
    """The config the run was planned with: the file, plus its organisation accounts."""
    config = load_config(meta.config_path)
    if config.accounts_from is None:
        return config
    raw = store.client.get(run_key(meta.run_id, "org_accounts"))
    if raw is None:
        raise RunError(f"run {meta.run_id}: its organisation accounts are not in Redis (expired?)")
    return with_accounts(config, [OrgAccount.from_json(a) for a in json.loads(str(raw))])
