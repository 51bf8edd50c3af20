"""What a report file must hold for `report consolidate` to merge it (schema_version 1).

Report files come from anywhere (a shared folder, an S3 sync): each is checked against these
models before a single value is used, so a hand-edited or truncated file is one clear error
naming the file and the key, never a KeyError halfway through the merge. Unknown keys are
kept: newer reports carry more than the contract.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from driftq.errors import ReportError

Level = Literal["ok", "warning", "critical"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", allow_inf_nan=False)


class _Change(_Open):
    attribute: str
    expected: Any = None
    actual: Any = None


class _Finding(_Open):
    kind: Literal["drifted", "missing", "unmanaged"]
    account: str
    account_id: str | None = None
    region: str
    service: str
    resource_type: str
    resource_id: str
    address: str | None = None
    state: str | None = None
    changes: list[_Change] = Field(default_factory=list)


class _Error(_Open):
    account: str
    region: str
    service: str
    code: str | None = None
    message: str | None = None


class _Threshold(_Open):
    account: str
    level: Level
    metric: str
    value: int
    limit: int


class _Account(_Open):
    name: str
    account_id: str | None = None
    severity: Level = "ok"
    regions: list[str] = Field(default_factory=list)
    units: int = 0
    units_failed: int = 0
    managed: int = 0


class _Imports(_Open):
    account: str
    blocks: list[dict[str, Any]] = Field(default_factory=list)


class _Remediation(_Open):
    imports: list[_Imports] = Field(default_factory=list)
    plan: list[dict[str, Any]] = Field(default_factory=list)


class _Report(_Open):
    schema_version: Literal[1]
    run_id: str
    started_at: str
    finished_at: str
    status: Literal["complete", "partial"]
    severity: Level
    summary: dict[str, int]
    thresholds: list[_Threshold] = Field(default_factory=list)
    findings: list[_Finding]
    errors: list[_Error] = Field(default_factory=list)
    accounts: list[_Account] | None = None
    remediation: _Remediation | None = None


def parse_report(text: str, where: str) -> dict[str, Any] | None:
    """The report in ``text`` as plain values; None for JSON that is not a driftq report
    (no `findings` and `summary`); ReportError for a report that is broken."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise ReportError(f"{where}: JSON nested too deeply to be a report") from exc
    except ValueError as exc:  # an integer too long for Python (4,300+ digits)
        raise ReportError(f"{where}: not a readable report: {exc}") from exc
    if not (isinstance(data, dict) and "findings" in data and "summary" in data):
        return None
    if data.get("schema_version") != 1:
        raise ReportError(
            f"{where}: report schema_version {data.get('schema_version')!r:.40} is not 1"
        )
    try:
        return _Report.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"])
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise ReportError(f"{where}: {key}: {error['msg']}{more}") from exc
    except (RecursionError, ValueError) as exc:  # pydantic's own recursion guard
        raise ReportError(f"{where}: values nested too deeply to be a report") from exc
