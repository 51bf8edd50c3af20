"""The JSON-plain values that flow between the engine's stages (and across Celery)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

GLOBAL = "global"
Kind = Literal["drifted", "missing", "unmanaged"]
# what a value Terraform marks sensitive shows everywhere: report, Redis, history, messages
SENSITIVE = "(sensitive)"


def is_sensitive(path: str, sensitive: frozenset[str]) -> bool:
    """Whether the dotted ``path`` holds a sensitive value: it is marked, lies inside a
    marked value, or contains one (a map whose one key is marked)."""
    return any(
        path == marked or path.startswith(marked + ".") or marked.startswith(path + ".")
        for marked in sensitive
    )


@dataclass(frozen=True, order=True)
class Unit:
    """One piece of scan work: an account's service in one region (or `global`)."""

    account: str
    region: str
    service: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Unit:
        return cls(account=data["account"], region=data["region"], service=data["service"])

    def label(self) -> str:
        return f"{self.account}/{self.region}/{self.service}"


@dataclass
class StateResource:
    """One resource instance from a Terraform state."""

    type: str
    address: str
    id: str
    attributes: dict[str, Any]
    region: str | None
    state: str
    sensitive: frozenset[str] = frozenset()


@dataclass
class LiveResource:
    """One resource read from AWS, with Terraform attribute names."""

    type: str
    identity: str
    import_id: str
    region: str
    attributes: dict[str, Any]
    aws_default: bool = False
    # what an AWS service made it for, most specific first (see resources/owners.py):
    # (owner type, owner identity)
    owners: tuple[tuple[str, str], ...] = ()


@dataclass
class Change:
    attribute: str
    expected: Any
    actual: Any

    def to_json(self) -> dict[str, Any]:
        return {"attribute": self.attribute, "expected": self.expected, "actual": self.actual}


@dataclass
class Finding:
    kind: Kind
    account: str
    account_id: str
    region: str
    service: str
    resource_type: str
    resource_id: str
    address: str | None = None
    state: str | None = None
    changes: list[Change] = field(default_factory=list)
    # real values, for exclusions inside the engine; those of ``sensitive_tags`` never leave
    # it (to_transport masks them)
    tags: dict[str, str] = field(default_factory=dict)
    sensitive_tags: frozenset[str] = frozenset()
    # who made the change, when an event-driven scan found it (driftq/events)
    changed_by: dict[str, Any] | None = None

    def key(self) -> tuple[str, str, str, str]:
        return (self.account, self.resource_type, self.resource_id, self.kind)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "account": self.account,
            "account_id": self.account_id,
            "region": self.region,
            "service": self.service,
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "address": self.address,
            "state": self.state,
        }
        if self.kind == "drifted":
            data["changes"] = [c.to_json() for c in self.changes]
        if self.changed_by:
            data["changed_by"] = self.changed_by
        return data

    def to_transport(self) -> dict[str, Any]:
        """The report form plus the tags (import names need them later), sensitive values
        masked: this form is stored in Redis."""
        tags = {k: SENSITIVE if k in self.sensitive_tags else v for k, v in self.tags.items()}
        return {**self.to_json(), "tags": tags}

    def take_tags(
        self, attributes: dict[str, Any], sensitive: frozenset[str] = frozenset()
    ) -> None:
        """Tags from a resource's attributes (`tags_all`, else `tags`); a value the state
        marks sensitive is kept only in memory (see ``sensitive_tags``)."""
        source = "tags_all" if isinstance(attributes.get("tags_all"), dict) else "tags"
        tags = attributes.get(source)
        if not isinstance(tags, dict):
            self.tags, self.sensitive_tags = {}, frozenset()
            return
        self.tags = {str(k): str(v) for k, v in tags.items()}
        self.sensitive_tags = frozenset(
            k for k in self.tags if is_sensitive(f"{source}.{k}", sensitive)
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(
            kind=data["kind"],
            account=data["account"],
            account_id=data["account_id"],
            region=data["region"],
            service=data["service"],
            resource_type=data["resource_type"],
            resource_id=data["resource_id"],
            address=data.get("address"),
            state=data.get("state"),
            changes=[Change(**c) for c in data.get("changes", [])],
            tags=dict(data.get("tags") or {}),
            changed_by=data.get("changed_by"),
        )


@dataclass
class UnitResult:
    """What scanning one unit produced; ``status`` is ``ok`` or ``error``."""

    unit: Unit
    status: Literal["ok", "error"]
    findings: list[Finding] = field(default_factory=list)
    managed: int = 0
    excluded: int = 0
    error_code: str | None = None
    error_message: str | None = None
    duration_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.to_json(),
            "status": self.status,
            "findings": [f.to_transport() for f in self.findings],
            "managed": self.managed,
            "excluded": self.excluded,
            "error": (
                {"code": self.error_code, "message": self.error_message}
                if self.status == "error"
                else None
            ),
            "duration_s": round(self.duration_s, 3),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UnitResult:
        error = data.get("error") or {}
        return cls(
            unit=Unit.from_json(data["unit"]),
            status=data["status"],
            findings=[Finding.from_json(f) for f in data.get("findings", [])],
            managed=data.get("managed", 0),
            excluded=data.get("excluded", 0),
            error_code=error.get("code"),
            error_message=error.get("message"),
            duration_s=data.get("duration_s", 0.0),
        )
