"""The registry: every ``SPECS`` list of this package's modules, found by walking it.

A module that declares ``SPECS: list[ResourceSpec]`` is registered by existing; no list of
modules to edit (several people add types at once). Every module of the package is imported
here, so none may import the registry at import time (import it inside a function).
"""

from __future__ import annotations

import importlib
import pkgutil

from driftq.resources.services import GLOBAL_SERVICES, SERVICE_NAMES
from driftq.resources.spec import ResourceSpec


def _discover() -> dict[str, ResourceSpec]:
    import driftq.resources as package

    found: dict[str, ResourceSpec] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for spec in getattr(module, "SPECS", ()):
            if spec.type in found:
                raise ValueError(f"{spec.type} is declared twice (again in {module.__name__})")
            found[spec.type] = spec
    return dict(sorted(found.items(), key=lambda kv: (_order(kv[1].service), kv[0])))


def _order(service: str) -> int:
    return SERVICE_NAMES.index(service) if service in SERVICE_NAMES else len(SERVICE_NAMES)


REGISTRY: dict[str, ResourceSpec] = _discover()


def specs_for_service(service: str) -> list[ResourceSpec]:
    return [spec for spec in REGISTRY.values() if spec.service == service]


def services() -> list[str]:
    return sorted({spec.service for spec in REGISTRY.values()})


__all__ = ["GLOBAL_SERVICES", "REGISTRY", "services", "specs_for_service"]
