"""Read deploy/terraform without a terraform binary: every .tf parsed with python-hcl2, and
what the checks need from it (resources, variables, outputs, module calls, references)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "deploy" / "terraform"
SCHEMA = REPO / "tests" / "fixtures" / "provider-schema" / "aws-6.25.0.json.gz"
_OPTIONS = hcl2.SerializationOptions(with_comments=False, strip_string_quotes=True)
_META = {"__is_block__", "__start_line__", "__end_line__"}
_REF = re.compile(r"\b(var|local|module)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?")


@cache
def provider_schema() -> dict[str, Any]:
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as f:
        return json.load(f)["resource_types"]  # type: ignore[no-any-return]


def label(key: str) -> str:
    return key.strip('"')


def is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


def fields(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in _META}


@dataclass
class Resource:
    type: str
    name: str
    body: dict[str, Any]
    file: Path


@dataclass
class ModuleDir:
    """One directory of .tf files: a Terraform module."""

    path: Path
    docs: dict[Path, dict[str, Any]] = field(default_factory=dict)

    def blocks(self, kind: str) -> list[tuple[Path, dict[str, Any]]]:
        return [(p, item) for p, doc in self.docs.items() for item in doc.get(kind, [])]

    def resources(self) -> list[Resource]:
        out = []
        for path, item in self.blocks("resource"):
            for rtype, named in item.items():
                for name, body in named.items():
                    out.append(Resource(label(rtype), label(name), body, path))
        return out

    def named(self, kind: str) -> dict[str, dict[str, Any]]:
        return {label(name): body for _, item in self.blocks(kind) for name, body in item.items()}

    def locals(self) -> set[str]:
        return {k for _, item in self.blocks("locals") for k in fields(item)}

    def text(self) -> str:
        return "\n".join(p.read_text() for p in self.docs)

    def references(self) -> list[tuple[str, str, str | None]]:
        return [m.groups() for m in _REF.finditer(self.text())]  # type: ignore[misc]


def module_dirs() -> list[ModuleDir]:
    dirs: dict[Path, ModuleDir] = {}
    for path in sorted(TERRAFORM.rglob("*.tf")):
        folder = dirs.setdefault(path.parent, ModuleDir(path.parent))
        folder.docs[path] = hcl2.loads(path.read_text(), serialization_options=_OPTIONS)
    return list(dirs.values())
