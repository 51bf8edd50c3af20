"""AWS's managed IAM policies in the test emulators, read once per emulator process.

With MOTO_IAM_LOAD_MANAGED_POLICIES, moto builds the ~1,600 AWS-managed policies for every
IAM backend it creates: a JSON document of ~5 MB parsed, and each policy's document dumped
back to text, for each new account (and each partition of it). The tests make hundreds of
accounts, and each cost the emulator seconds of CPU on a busy machine. Here the parsing and
the dumping happen once; every backend still gets its own policy objects (their attachment
counts and ids are per account, as before), built from the same data moto ships.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from moto.iam import models
from moto.settings import load_iam_aws_managed_policies

_Row = tuple[str, Any, Any, str, datetime, datetime]
_rows: list[_Row] | None = None


def _data() -> list[_Row]:
    global _rows
    if _rows is None:
        parsed = json.loads(models.aws_managed_policies_data)
        _rows = [
            (
                name,
                d.get("DefaultVersionId"),
                d.get("Path"),
                json.dumps(d.get("Document")),
                datetime.fromisoformat(d["CreateDate"]),
                datetime.fromisoformat(d["UpdateDate"]),
            )
            for name, d in parsed.items()
        ]
    return _rows


def _init_aws_policies(self: Any) -> list[Any]:
    """moto's IAMBackend._init_aws_policies (AWSManagedPolicy.from_data for each), on data
    parsed once."""
    if not load_iam_aws_managed_policies():
        return []
    return [
        models.AWSManagedPolicy(
            name,
            account_id=self.account_id,
            region=self.region_name,
            default_version_id=version,
            path=path,
            document=document,
            create_date=created,
            update_date=updated,
        )
        for name, version, path, document, created, updated in _data()
    ]


def install() -> None:
    models.IAMBackend._init_aws_policies = _init_aws_policies


if __name__ == "__main__":  # `python -m tests.support.moto_policies <moto.server's args>`
    import sys

    from moto.server import main

    install()
    main(sys.argv[1:])
