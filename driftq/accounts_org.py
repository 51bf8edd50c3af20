"""`accounts_from: {organizations: ...}`: the organisation's ACTIVE accounts, merged with the
config's own `accounts:` list.

Listing is read-only: `ListAccounts`, or `ListAccountsForParent` and
`ListOrganizationalUnitsForParent` down the OU tree from the `ous` given, `ListRoots` when
excluded OUs must be skipped, `ListTagsForResource` with `tags: true` (the read-only guard
admits exactly these: `guard.ORGANIZATIONS_READS`). It happens once per
run, where the run starts: `discover` returns a small snapshot (id, name, tags per account)
that a cluster run stores with its record, and `with_accounts` turns config + snapshot into
the same account list on every worker, whatever the organisation looks like by then.

An account listed in `accounts:` (same account id) wins over the organisation's entry. Names
come from the organisation's account names made safe for the config (`Shared Services` ->
`shared-services`); a name taken twice gets its account id appended.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from driftq.accounts import OrganizationsSource, expand_account
from driftq.aws import AwsAccess, Identity, translate_client_error
from driftq.config_models import Account, Config
from driftq.errors import ConfigError

_TAG_THREADS = 4


@dataclass(frozen=True)
class OrgAccount:
    """What a run keeps of one organisation account: enough to rebuild its config entry."""

    account_id: str
    name: str
    tags: dict[str, str] = field(default_factory=dict, hash=False)

    def to_json(self) -> list[Any]:
        return [self.account_id, self.name, self.tags]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> OrgAccount:
        account_id, name, tags = data
        return cls(str(account_id), str(name), {str(k): str(v) for k, v in tags.items()})


def resolve_accounts(
    config: Config, aws: AwsAccess | None = None, run_id: str | None = None
) -> Config:
    """``config`` with the organisation's accounts added (itself when it lists none)."""
    return with_accounts(config, discover(config, aws, run_id))


def discover(
    config: Config, aws: AwsAccess | None = None, run_id: str | None = None
) -> list[OrgAccount]:
    """The accounts ``config.accounts_from`` lists now, named; [] without `accounts_from`."""
    if config.accounts_from is None:
        return []
    source = config.accounts_from.organizations
    aws = aws or AwsAccess(
        max_pool_connections=_TAG_THREADS,
        run_id=run_id,
        source_identity=config.defaults.source_identity,
    )
    try:
        found = _list(source, aws)
    except ConfigError:
        raise
    except Exception as exc:
        error = translate_client_error(exc)
        raise ConfigError(
            f"accounts_from.organizations: cannot list the organisation's accounts "
            f"({error.code}: {error.message})"
        ) from exc
    if not found and not config.accounts:
        raise ConfigError(
            "accounts_from.organizations listed no ACTIVE account (check `ous`, `exclude`, "
            "and that the role is in the organisation's management account)"
        )
    explicit = {a.account_id for a in config.accounts}
    return _named([a for a in found if a[0] not in explicit], {a.name for a in config.accounts})


def with_accounts(config: Config, found: Iterable[OrgAccount]) -> Config:
    """``config`` plus one account per ``found`` entry, built from the defaults' templates."""
    explicit = {a.account_id for a in config.accounts}
    added: list[Account] = []
    for org in found:
        if org.account_id in explicit:
            continue
        raw = {"name": org.name, "account_id": org.account_id, "tags": dict(org.tags)}
        try:
            filled = expand_account(raw, config.defaults.account_templates())
            added.append(Account.model_validate(filled))
        except (ValueError, ValidationError) as exc:
            raise ConfigError(
                f"accounts_from: account {org.name} ({org.account_id}): {_first_error(exc)}"
            ) from exc
    if not added:
        return config
    return config.model_copy(update={"accounts": [*config.accounts, *added]})


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    return str(exc)


# -- listing ---------------------------------------------------------------------------------
Listed = tuple[str, str, dict[str, str]]  # account id, organisation's name, tags


def _list(source: OrganizationsSource, aws: AwsAccess) -> list[Listed]:
    client = aws.client(
        Identity(source.role_arn, source.external_id), "organizations", source.region
    )
    excluded = set(source.exclude)
    skip_ous = {e for e in excluded if e.startswith(("ou-", "r-"))}
    if source.ous or skip_ous:
        parents = list(source.ous) or [r["Id"] for r in _pages(client, "list_roots", "Roots")]
        accounts = list(_walk(client, parents, skip_ous))
    else:
        accounts = list(_pages(client, "list_accounts", "Accounts"))
    chosen: dict[str, str] = {}
    for account in accounts:
        # `State` replaced `Status` in 2025; moto and older endpoints send only `Status`
        state = account.get("State") or account.get("Status")
        if state != "ACTIVE":
            continue
        if {account["Id"], account["Name"], safe_name(account["Name"])} & excluded:
            continue
        chosen[account["Id"]] = account["Name"]
    ids = sorted(chosen)
    tags: list[dict[str, str]] = [{} for _ in ids]
    if source.tags and ids:
        with ThreadPoolExecutor(max_workers=_TAG_THREADS) as pool:
            tags = list(pool.map(lambda i: _tags(client, i), ids))
    return [(i, chosen[i], t) for i, t in zip(ids, tags, strict=True)]


def _walk(client: Any, parents: list[str], skip: set[str]) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    todo = [p for p in parents if p not in skip]
    while todo:
        parent = todo.pop()
        if parent in seen:
            continue
        seen.add(parent)
        yield from _pages(client, "list_accounts_for_parent", "Accounts", ParentId=parent)
        for ou in _pages(
            client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent
        ):
            if ou["Id"] not in skip:
                todo.append(ou["Id"])


def _tags(client: Any, account_id: str) -> dict[str, str]:
    pages = _pages(client, "list_tags_for_resource", "Tags", ResourceId=account_id)
    return {t["Key"]: t["Value"] for t in pages}


def _pages(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


# -- names -----------------------------------------------------------------------------------
def safe_name(org_name: str) -> str:
    """An organisation account name as a config account name (`[A-Za-z0-9_.-]+`)."""
    return re.sub(r"[^a-z0-9_.-]+", "-", org_name.lower()).strip("-.")


def _named(found: list[Listed], taken: set[str]) -> list[OrgAccount]:
    names = [safe_name(org_name) or account_id for account_id, org_name, _ in found]
    counts = Counter(names)
    out = []
    for (account_id, _, tags), name in zip(found, names, strict=True):
        if counts[name] > 1 or name in taken:
            name = f"{name}-{account_id}"
        out.append(OrgAccount(account_id, name, tags))
    return out
