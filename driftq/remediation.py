"""Remediation output. driftq never changes AWS: it writes what a person (or their pipeline)
runs after review.

- Import blocks: `imports/<account>.tf` with one `import {}` block per unmanaged resource.
  Each gets a stable suggested address (`aws_vpc.<Name tag or id>`, sanitized, made unique
  within the file) so that `terraform plan -generate-config-out=generated.tf` can write the
  matching resource blocks.
- A remediation plan: for drifted resources whose type has an `enforce_terraform` rule, the
  targeted `terraform apply` in the state's workspace; `alert_only` types get no entry. With
  `require_approval`, each account's entries are POSTed to `approval_webhook` and wait.
"""

from __future__ import annotations

import json
import re
import shlex
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from driftq.config_models import Remediation
from driftq.model import Finding
from driftq.notify.http import post_json
from driftq.state.sources import WORKSPACE_PREFIX

_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_WORKSPACE = re.compile(rf"/{re.escape(WORKSPACE_PREFIX)}/([^/]+)/")


def suggested_name(finding: Finding) -> str:
    base = finding.tags.get("Name") or finding.resource_id.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = _NOT_NAME.sub("_", base).strip("_-") or "resource"
    if not (name[0].isalpha() or name[0] == "_"):
        name = f"r_{name}"
    return name.lower()


def hcl_string(value: str) -> str:
    # JSON string escapes are valid HCL; `${` and `%{` would start an interpolation
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


@dataclass(frozen=True)
class ImportBlock:
    finding: Finding
    to: str

    def hcl(self) -> str:
        f = self.finding
        return (
            f"# {f.region}: unmanaged {f.resource_type}\n"
            f"import {{\n  to = {self.to}\n  id = {hcl_string(f.resource_id)}\n}}\n"
        )


def import_plan(findings: Iterable[Finding]) -> list[ImportBlock]:
    """One block per unmanaged finding (of one account), in a stable order."""
    used: set[str] = set()
    blocks: list[ImportBlock] = []
    unmanaged = sorted(
        (f for f in findings if f.kind == "unmanaged"),
        key=lambda f: (f.resource_type, f.region, f.resource_id),
    )
    for finding in unmanaged:
        name = suggested_name(finding)
        address = f"{finding.resource_type}.{name}"
        counter = 2
        while address in used:
            address = f"{finding.resource_type}.{name}_{counter}"
            counter += 1
        used.add(address)
        blocks.append(ImportBlock(finding, address))
    return blocks


def import_files(findings: Iterable[Finding]) -> dict[str, list[ImportBlock]]:
    """Blocks per account name, for `imports/<account>.tf`."""
    per_account: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.kind == "unmanaged":
            per_account[finding.account].append(finding)
    return {account: import_plan(items) for account, items in sorted(per_account.items())}


def imports_summary(files: dict[str, list[ImportBlock]]) -> list[dict[str, Any]]:
    """The report's `remediation.imports`: per account, its file and blocks."""
    return [
        {
            "account": account,
            "file": f"imports/{account}.tf",
            "blocks": [
                {
                    "resource_type": b.finding.resource_type,
                    "resource_id": b.finding.resource_id,
                    "region": b.finding.region,
                    "to": b.to,
                    "hcl": b.hcl(),
                }
                for b in blocks
            ],
        }
        for account, blocks in files.items()
    ]


def import_file_text(account: str, blocks: list[ImportBlock]) -> str:
    header = (
        f"# Unmanaged resources in account {account} ({blocks[0].finding.account_id}).\n"
        "# Review, then: terraform plan -generate-config-out=generated.tf (see README.md beside this file)\n\n"
    )
    return header + "\n".join(block.hcl() for block in blocks)


def workspace_of(state: str | None) -> str:
    """Terraform's S3 backend keeps workspace `ws` at `env:/ws/<key>`; else `default`."""
    match = _WORKSPACE.search(state or "")
    return match.group(1) if match else "default"


def plan_entries(rules: Remediation, findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    actions = {rule.resource_type: rule.action for rule in rules.auto_remediate}
    entries = []
    for f in findings:
        if f["kind"] != "drifted" or actions.get(f["resource_type"]) != "enforce_terraform":
            continue
        workspace = workspace_of(f.get("state"))
        apply = f"terraform apply -target={shlex.quote(str(f['address']))}"
        command = (
            apply
            if workspace == "default"
            else (f"terraform workspace select {shlex.quote(workspace)} && {apply}")
        )
        entries.append(
            {
                "account": f["account"],
                "account_id": f["account_id"],
                "region": f["region"],
                "resource_type": f["resource_type"],
                "resource_id": f["resource_id"],
                "address": f["address"],
                "state": f["state"],
                "workspace": workspace,
                "action": "enforce_terraform",
                "attributes": [c["attribute"] for c in f.get("changes") or []],
                "command": command,
                "status": "awaiting_approval" if rules.require_approval else "planned",
            }
        )
    return entries


def request_approval(
    rules: Remediation, run_id: str, entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """POST each account's entries to the approval webhook; returns one outcome per account
    and marks entries whose request failed as ``approval_request_failed``."""
    if not (rules.require_approval and rules.approval_webhook and entries):
        return []
    per_account: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        per_account[entry["account"]].append(entry)
    outcomes = []
    for account, items in sorted(per_account.items()):
        payload = {
            "run_id": run_id,
            "account": account,
            "account_id": items[0]["account_id"],
            "entries": items,
        }
        delivery = post_json(rules.approval_webhook, payload, what="approval webhook")
        if not delivery.ok:
            for entry in items:
                entry["status"] = "approval_request_failed"
        outcomes.append(
            {
                "channel": "approval_webhook",
                "account": account,
                "status": "sent" if delivery.ok else "failed",
                "attempts": delivery.attempts,
                "error": delivery.error,
            }
        )
    return outcomes
